package dev.scoria.core.scheduling;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/** The timer thread that holds every scheduler's queue-wait and scoring deadlines. */
public final class DeadlineTimers {

    private DeadlineTimers() {}

    /**
     * One timer thread whose cancelled deadlines leave its queue at once. Nearly every deadline is
     * cancelled (its request was answered in time); left until it would have fired, a minute later for the
     * scoring timeout, they piled up by the hundred thousand at ten thousand requests a second, filling
     * the heap and slowing every insertion.
     */
    public static ScheduledThreadPoolExecutor create(ThreadFactory thread) {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, thread);
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }
}
