package dev.scoria.runtime.java;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scorer calls of one service that are still running on its threads, and how many of them were
 * given up on (their request timed out or was cancelled, their thread interrupted, and the call went on
 * regardless). A JVM cannot stop a thread that ignores interrupts, so such calls are bounded instead: an
 * abandoned call does not take a slot from the requests after it (admission already counts only live
 * requests), but once a service has {@link #abandonedLimit} of them it takes no new call until one
 * returns. A scorer that spins forever thus holds at most {@code maxConcurrentRequestsPerContainer} threads
 * for live requests plus {@code abandonedLimit} abandoned ones, never an ever-growing number, and other
 * services keep their threads and a share of the cores.
 */
final class ScorerCalls {

    /**
     * Abandoned calls a service may have even at a concurrency limit of 1 (Azure's default): one call stuck
     * on a rare input must not stop the service, an endless stream of them must.
     */
    static final int MIN_ABANDONED = 2;

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();

    /** One call, from start to end; {@link #abandon} may come from another thread while it runs. */
    final class Call {
        private static final int RUNNING = 0;
        private static final int DONE = 1;
        private static final int ABANDONED = 2;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        /** The call returned or threw (on its own thread, at its end). */
        void finished() {
            running.decrementAndGet();
            if (!state.compareAndSet(RUNNING, DONE)) {
                abandoned.decrementAndGet();
            }
        }

        /** Its request gave up on it while it still runs. */
        void abandon() {
            abandoned.incrementAndGet();
            if (!state.compareAndSet(RUNNING, ABANDONED)) {
                // It ended meanwhile: nothing is left behind.
                abandoned.decrementAndGet();
            }
        }
    }

    /** How many abandoned calls a service with this concurrency limit may have before it takes no more. */
    static int abandonedLimit(int concurrencyLimit) {
        return Math.max(concurrencyLimit, MIN_ABANDONED);
    }

    /** A new call, or null when the service already has {@code abandonedLimit(concurrencyLimit)} abandoned calls. */
    Call start(int concurrencyLimit) {
        if (abandoned.get() >= abandonedLimit(concurrencyLimit)) {
            return null;
        }
        running.incrementAndGet();
        return new Call();
    }

    /** Calls whose request gave up on them and that still run. */
    int abandoned() {
        return abandoned.get();
    }

    int running() {
        return running.get();
    }
}
