package dev.scoria.core.scheduling;

import static dev.scoria.core.scheduling.ServiceSchedulerTest.kindOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.service.ServiceLimits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link OffLoopWork} counts, as the schedulers of several services report it: work on worker threads and
 * asynchronous work while it runs, however it ends, and never work run inline.
 */
class OffLoopWorkTest {

    final ExecutorService workers = Executors.newCachedThreadPool();
    final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    final OffLoopWork offLoop = new OffLoopWork();

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    ServiceScheduler scheduler(String name, int slots, int timeoutMs) {
        return new ServiceScheduler(name, new ServiceLimits(timeoutMs, slots, 5_000), workers, timers, offLoop);
    }

    @Test
    void workOnWorkerThreadsCountsWhileItRunsWhetherItSucceedsOrFails() throws Exception {
        ServiceScheduler a = scheduler("a", 2, 5_000);
        ServiceScheduler b = scheduler("b", 1, 5_000);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(3);
        CompletableFuture<String> ok = a.submit(() -> {
            running.countDown();
            hold.await();
            return "ok";
        });
        CompletableFuture<String> failing = a.submit(() -> {
            running.countDown();
            hold.await();
            throw new IllegalStateException("scorer failed");
        });
        CompletableFuture<String> other = b.submit(() -> {
            running.countDown();
            hold.await();
            return "other";
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(offLoop.running()).isEqualTo(3);
        assertThat(offLoop.none()).isFalse();

        hold.countDown();
        assertThat(ok.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(kindOf(failing)).isEqualTo(ErrorKind.INTERNAL);
        assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("other");
        awaitNone();
    }

    @Test
    void workPastItsTimeoutStopsCountingWhenItsThreadLetsGo() throws Exception {
        ServiceScheduler s = scheduler("svc", 1, 100);
        CompletableFuture<Object> slow = s.submit(() -> {
            Thread.sleep(10_000);
            return "never";
        });
        assertThat(kindOf(slow)).isEqualTo(ErrorKind.TIMEOUT);
        awaitNone();
    }

    @Test
    void asynchronousWorkCountsUntilItsAnswerComesOrItTimesOut() throws Exception {
        ServiceScheduler s = scheduler("svc", 2, 200);
        AsyncAdmissionTest.Held work = new AsyncAdmissionTest.Held();
        CompletableFuture<String> answered = s.submitAsync(work);
        CompletableFuture<String> abandoned = s.submitAsync(work);
        assertThat(offLoop.running()).isEqualTo(2);

        work.started.get(0).accept("answer", null);
        assertThat(answered.get(5, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(offLoop.running()).isEqualTo(1);

        assertThat(kindOf(abandoned)).isEqualTo(ErrorKind.TIMEOUT);
        // The answer is failed first; the work is abandoned and stops counting just after.
        awaitNone();
        assertThat(work.abandoned).hasValue(1);
        // An answer after the timeout is ignored, and does not count the work as ended twice.
        work.started.get(1).accept("late", null);
        assertThat(offLoop.running()).isZero();
    }

    @Test
    void asynchronousWorkThatFailsToStartIsNotCounted() throws Exception {
        ServiceScheduler s = scheduler("svc", 1, 5_000);
        CompletableFuture<String> failed = s.submitAsync(done -> {
            throw new IllegalStateException("no worker process");
        });
        assertThat(kindOf(failed)).isEqualTo(ErrorKind.INTERNAL);
        assertThat(offLoop.none()).isTrue();
    }

    @Test
    void workLentToAFreeSlotCountsWhileItRuns() throws Exception {
        ServiceScheduler s = scheduler("svc", 2, 5_000);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        assertThat(s.tryRunAside(ServiceSchedulerTest.waitThenCountDown(hold, ran)))
                .isTrue();
        awaitCount(1);
        hold.countDown();
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        awaitNone();
    }

    @Test
    void workRunInlineIsNeverCounted() {
        ServiceScheduler s = scheduler("svc", 1, 5_000);
        int[] seen = {-1};
        assertThat(s.tryRunInline(() -> seen[0] = offLoop.running())).isTrue();
        assertThat(seen[0]).isZero();
        assertThat(offLoop.none()).isTrue();
    }

    /** Worker threads end their count just after the answer is passed on: wait for it, boundedly. */
    private void awaitNone() throws InterruptedException {
        awaitCount(0);
        assertThat(offLoop.none()).isTrue();
    }

    private void awaitCount(int expected) throws InterruptedException {
        for (int i = 0; i < 500 && offLoop.running() != expected; i++) {
            Thread.sleep(10);
        }
        assertThat(offLoop.running()).isEqualTo(expected);
    }
}
