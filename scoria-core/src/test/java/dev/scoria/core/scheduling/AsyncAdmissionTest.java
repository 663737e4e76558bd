package dev.scoria.core.scheduling;

import static dev.scoria.core.scheduling.ServiceSchedulerTest.kindOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.service.ServiceLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ServiceScheduler#submitAsync}: the same admission as threaded work, with no thread held while it runs. */
class AsyncAdmissionTest {

    final ExecutorService workers = Executors.newCachedThreadPool();
    final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        workers.shutdownNow();
        timers.shutdownNow();
    }

    /** Work that starts, keeps its completion for the test to call, and counts its abandonments. */
    static final class Held implements ServiceScheduler.AsyncWork<String> {
        final List<BiConsumer<String, Throwable>> started = new CopyOnWriteArrayList<>();
        final AtomicInteger abandoned = new AtomicInteger();

        @Override
        public Runnable start(BiConsumer<String, Throwable> done) {
            started.add(done);
            return abandoned::incrementAndGet;
        }
    }

    @Test
    void eachCallHoldsASlotUntilItEndsAndTheNextWaitingOneStartsOnTheThreadThatFreedIt() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 2, 5_000), workers, timers);
        Held work = new Held();
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(s.submitAsync(work));
        }
        assertThat(work.started).hasSize(2);
        assertThat(s.running()).isEqualTo(2);
        assertThat(s.queueDepth()).isEqualTo(3);

        work.started.get(0).accept("a", null);
        assertThat(calls.get(0).getNow(null)).isEqualTo("a");
        assertThat(work.started).hasSize(3);
        assertThat(s.running()).isEqualTo(2);
        assertThat(s.queueDepth()).isEqualTo(2);

        for (int i = 1; i < 5; i++) {
            work.started.get(i).accept("r" + i, null);
        }
        for (int i = 1; i < 5; i++) {
            assertThat(calls.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("r" + i);
        }
        assertThat(s.running()).isZero();
        assertThat(s.queueDepth()).isZero();
        assertThat(work.abandoned).hasValue(0);
    }

    @Test
    void aCallThatFindsNoSlotAndNoRoomToWaitIsOverloadedAndNeverStarts() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 0), workers, timers);
        Held work = new Held();
        CompletableFuture<String> first = s.submitAsync(work);
        CompletableFuture<String> second = s.submitAsync(work);
        assertThat(kindOf(second)).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(work.started).hasSize(1);
        assertThat(s.rejectedCount()).isEqualTo(1);
        work.started.get(0).accept("ok", null);
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(s.running()).isZero();
    }

    @Test
    void aCallWaitingPastMaxQueueWaitIsOverloadedAndAFullQueueRefusesAtOnce() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 50), workers, timers);
        Held work = new Held();
        s.submitAsync(work);
        CompletableFuture<String> waiting = s.submitAsync(work);
        assertThat(kindOf(waiting)).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(s.queueDepth()).isZero();

        ServiceScheduler full = new ServiceScheduler("full", new ServiceLimits(5_000, 1, 60_000), workers, timers);
        Held other = new Held();
        full.submitAsync(other);
        for (int i = 0; i < ServiceScheduler.QUEUE_PER_SLOT; i++) {
            full.submitAsync(other);
        }
        CompletableFuture<String> refused = full.submitAsync(other);
        assertThat(refused).isCompletedExceptionally();
        assertThat(kindOf(refused)).isEqualTo(ErrorKind.OVERLOADED);
        assertThat(work.started).hasSize(1);
    }

    @Test
    void aCallPastTheTimeoutIsAnsweredOnceAbandonedAndItsLateAnswerIgnored() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(100, 1, 5_000), workers, timers);
        Held work = new Held();
        AtomicInteger answers = new AtomicInteger();
        CompletableFuture<String> call = s.submitAsync(work);
        call.whenComplete((v, e) -> answers.incrementAndGet());
        CompletableFuture<String> next = s.submitAsync(work);

        assertThat(kindOf(call)).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(call)
                .failsWithin(0, TimeUnit.SECONDS)
                .withThrowableThat()
                .withMessageContaining("scoring took longer than scoringTimeoutMs (100 ms) on service 'svc'");
        // Abandoned right after the answer was given, on the timer's thread.
        waitUntil(() -> work.abandoned.get() == 1);
        assertThat(s.timedOutCount()).isEqualTo(1);

        // The timed-out call's slot went to the waiting one; the late answer frees nothing more.
        waitUntil(() -> work.started.size() == 2);
        work.started.get(0).accept("late", null);
        work.started.get(0).accept(null, new IllegalStateException("later still"));
        assertThat(answers).hasValue(1);
        assertThat(s.running()).isEqualTo(1);
        work.started.get(1).accept("next", null);
        assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("next");
        assertThat(s.running()).isZero();
        assertThat(work.abandoned).hasValue(1);
    }

    @Test
    void aDeadlineThatPassesBeforeTheWorkSaysHowToAbandonItStillAbandonsIt() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(1, 1, 5_000), workers, timers);
        AtomicInteger abandoned = new AtomicInteger();
        CompletableFuture<String> call = s.submitAsync(done -> {
            Thread.sleep(100);
            return abandoned::incrementAndGet;
        });
        assertThat(kindOf(call)).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(abandoned.get()).isBetween(1, 2);
        assertThat(s.running()).isZero();
    }

    @Test
    void workThatFailsToStartFailsItsCallAndFreesItsSlot() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 5_000), workers, timers);
        CompletableFuture<String> call = s.submitAsync(done -> {
            throw new IllegalArgumentException("bad body");
        });
        assertThat(call).failsWithin(5, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("bad body");
        assertThat(s.running()).isZero();
        Held work = new Held();
        s.submitAsync(work);
        assertThat(work.started).hasSize(1);
    }

    @Test
    void manyWaitingCallsThatEndAsTheyStartRunInALoopNotARecursion() throws Exception {
        ServiceScheduler s = new ServiceScheduler("svc", new ServiceLimits(5_000, 1, 60_000), workers, timers);
        Held holder = new Held();
        s.submitAsync(holder);
        List<CompletableFuture<String>> quick = new ArrayList<>();
        for (int i = 0; i < ServiceScheduler.QUEUE_PER_SLOT; i++) {
            String value = "q" + i;
            quick.add(s.submitAsync(done -> {
                done.accept(value, null);
                // A second answer is ignored and frees no second slot.
                done.accept("again", null);
                return () -> {};
            }));
        }
        holder.started.get(0).accept("held", null);
        for (int i = 0; i < quick.size(); i++) {
            assertThat(quick.get(i).getNow(null)).isEqualTo("q" + i);
        }
        assertThat(s.running()).isZero();
        assertThat(s.queueDepth()).isZero();
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(5);
        }
    }
}
