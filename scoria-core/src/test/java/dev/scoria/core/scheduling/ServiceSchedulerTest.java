package dev.scoria.core.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.service.ServiceLimits;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceSchedulerTest {

    final ExecutorService workers = Executors.newCachedThreadPool();
    final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    static ErrorKind kindOf(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof ScoriaException s ? s.kind() : ErrorKind.INTERNAL;
        } catch (TimeoutException e) {
            throw new AssertionError("not completed", e);
        }
    }

    /** Work that waits for {@code hold}, then counts {@code ran} down: lent to a slot, it holds it until then. */
    static Runnable waitThenCountDown(CountDownLatch hold, CountDownLatch ran) {
        return () -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.countDown();
        };
    }

    @Test
    void neverRunsMoreThanTheLimitAtOnceAndRunsEverythingQueued() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 2, 5_000), workers, timers);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            all.add(s.submit(() -> {
                peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                Thread.sleep(5);
                now.decrementAndGet();
                return n;
            }));
        }
        for (int i = 0; i < 40; i++) {
            assertThat(all.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
        }
        assertThat(peak.get()).isEqualTo(2);
        assertThat(s.queueDepth()).isZero();
    }

    @Test
    void aRequestThatCannotStartWithinMaxQueueWaitIsOverloaded() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 50), workers, timers);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = s.submit(() -> release.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        CompletableFuture<Object> waiting = s.submit(() -> "never");
        assertThat(kindOf(waiting)).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(40L, 2_000L);
        assertThatThrownBy(waiting::join).hasMessageContaining("Too many requests for service 'svc' (overloaded)");
        release.countDown();
        assertThat(blocker.get(5, TimeUnit.SECONDS)).isEqualTo(true);
        assertThat(s.rejectedCount()).isEqualTo(1);
        // Capacity came back: the next request runs.
        assertThat(s.submit(() -> "ok").get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    }

    @Test
    void aFullQueueRefusesAtOnceSoMemoryStaysBounded() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 60_000), workers, timers);
        CountDownLatch release = new CountDownLatch(1);
        s.submit(() -> release.await(5, TimeUnit.SECONDS));
        List<CompletableFuture<Object>> queued = new ArrayList<>();
        for (int i = 0; i < ServiceScheduler.QUEUE_PER_SLOT; i++) {
            queued.add(s.submit(() -> "queued"));
        }
        assertThat(s.queueDepth()).isEqualTo(ServiceScheduler.QUEUE_PER_SLOT);
        CompletableFuture<Object> overflow = s.submit(() -> "no room");
        assertThat(overflow.isDone()).isTrue();
        assertThat(kindOf(overflow)).isEqualTo(ErrorKind.OVERLOADED);
        release.countDown();
        for (CompletableFuture<Object> f : queued) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("queued");
        }
    }

    @Test
    void scoringPastTheTimeoutIsAnsweredAndTheThreadInterrupted() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(100, 1, 500), workers, timers);
        CountDownLatch interrupted = new CountDownLatch(1);
        CompletableFuture<Object> slow = s.submit(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return "late";
        });
        assertThat(kindOf(slow)).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(s.submit(() -> "next").get(5, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(s.timedOutCount()).isEqualTo(1);
    }

    @Test
    void anOverloadedServiceDoesNotTakeAnotherServicesCapacity() throws Exception {
        ServiceScheduler busy = new ServiceScheduler("busy", new ServiceLimits(5_000, 1, 10), workers, timers);
        ServiceScheduler calm = new ServiceScheduler("calm", new ServiceLimits(5_000, 1, 10), workers, timers);
        CountDownLatch release = new CountDownLatch(1);
        busy.submit(() -> release.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++) {
            busy.submit(() -> "x");
        }
        assertThat(calm.submit(() -> "served").get(5, TimeUnit.SECONDS)).isEqualTo("served");
        release.countDown();
    }

    @Test
    void raisingTheLimitStartsWaitingRequests() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 5_000), workers, timers);
        CountDownLatch release = new CountDownLatch(1);
        s.submit(() -> release.await(5, TimeUnit.SECONDS));
        CompletableFuture<Object> waiting = s.submit(() -> "started");
        Thread.sleep(50);
        assertThat(waiting.isDone()).isFalse();
        s.updateLimits(new ServiceLimits(5_000, 2, 5_000));
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("started");
        release.countDown();
    }

    @Test
    void waitingRequestsAreMergedIntoBatchesNoLargerThanMaxBatchSize() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 5_000, 4, 0), workers, timers);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        s.onBatch(batchSizes::add);
        CountDownLatch release = new CountDownLatch(1);
        Object key = new Object();
        ServiceScheduler.BatchRunner<Integer, Integer> doubler = items -> {
            List<Integer> out = new ArrayList<>();
            for (int i : items) {
                out.add(i * 2);
            }
            return out;
        };
        CompletableFuture<Object> blocker = s.submit(() -> release.await(5, TimeUnit.SECONDS));
        List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(s.submitBatchable(key, i, doubler));
        }
        release.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            assertThat(waiting.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i * 2);
        }
        assertThat(batchSizes).containsExactly(4, 4, 2);
    }

    @Test
    void aBatchMayWaitMaxBatchDelayForCompany() throws Exception {
        ServiceScheduler s =
                new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 5_000, 8, 300_000), workers, timers);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        s.onBatch(batchSizes::add);
        Object key = new Object();
        ServiceScheduler.BatchRunner<String, String> echo = items -> new ArrayList<>(items);
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.add(s.submitBatchable(key, "r" + i, echo));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(all.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("r" + i);
        }
        assertThat(batchSizes).containsExactly(3);
    }

    @Test
    void workAsideTakesOnlyASlotThatIsFreeWithNobodyWaiting() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 2, 5_000), workers, timers);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        CompletableFuture<Integer> first = s.submit(() -> {
            hold.await();
            return 1;
        });
        // One slot of two is taken: the other may be lent, and counts as running until its work ends.
        assertThat(s.tryRunAside(waitThenCountDown(hold, ran))).isTrue();
        assertThat(s.running()).isEqualTo(2);
        assertThat(s.tryRunAside(() -> {})).isFalse();
        // A request that came meanwhile waits its turn; a lent slot never passes it over.
        CompletableFuture<Integer> waiting = s.submit(() -> 2);
        assertThat(s.queueDepth()).isEqualTo(1);
        hold.countDown();
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        for (int i = 0; i < 100 && s.running() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(s.running()).isZero();
        assertThat(s.rejectedCount()).isZero();
    }
}
