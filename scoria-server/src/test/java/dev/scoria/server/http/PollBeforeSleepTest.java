package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The wait strategy alone: when it polls, when it hands back what it found, and when it lets the loop sleep. */
class PollBeforeSleepTest {

    @Test
    void withTasksQueuedItLooksOnceAndNeverWaits() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = new PollBeforeSleep(1_000_000_000L, () -> true).calculateStrategy(nothingReady(polls), true);
        assertThat(strategy).isZero();
        assertThat(polls).hasValue(1);
    }

    @Test
    void socketsThatBecomeReadyWhilePollingAreHandedBackWithoutSleeping() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        // Ready on the third look; the poll time is far longer than the test may take.
        int strategy = new PollBeforeSleep(60_000_000_000L, () -> true)
                .calculateStrategy(() -> polls.incrementAndGet() == 3 ? 2 : 0, false);
        assertThat(strategy).isEqualTo(2);
        assertThat(polls).hasValue(3);
    }

    @Test
    void nothingReadyWithinThePollTimeLetsTheLoopSleep() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = new PollBeforeSleep(1_000_000L, () -> true).calculateStrategy(nothingReady(polls), false);
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls.get()).isPositive();
    }

    @Test
    void noPollTimeLooksOnceThenSleeps() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = new PollBeforeSleep(0, () -> true).calculateStrategy(nothingReady(polls), false);
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(1);
    }

    @Test
    void whileWorkRunsAwayFromTheLoopsItDoesNotPoll() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        int strategy = new PollBeforeSleep(60_000_000_000L, () -> false).calculateStrategy(nothingReady(polls), false);
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(0);
    }

    @Test
    void workThatStartsAwayFromTheLoopsWhileItPollsStopsThePoll() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        // Work starts elsewhere after the fifth look; the poll time is far longer than the test may take.
        int strategy = new PollBeforeSleep(60_000_000_000L, () -> polls.get() < 5)
                .calculateStrategy(nothingReady(polls), false);
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(5);
    }

    /** Sockets that never become ready, counting each look. */
    private static IntSupplier nothingReady(AtomicInteger polls) {
        return () -> {
            polls.incrementAndGet();
            return 0;
        };
    }
}
