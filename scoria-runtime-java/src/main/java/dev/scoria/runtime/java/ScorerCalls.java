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

    private final AtomicInteger abandoned = new AtomicInteger();

    /**
     * One call, from submission to its end. Its thread {@link #begin}s it and reports it {@link #finished};
     * its request may {@link #abandon} it meanwhile, from another thread, even before it began (a call
     * cancelled while its thread was starting never runs).
     */
    final class Call {
        private static final int PENDING = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int ABANDONED = 3;
        private final AtomicInteger state = new AtomicInteger(PENDING);

        /** On the call's thread, before the scorer is called: false if it was abandoned first (do not call it). */
        boolean begin() {
            return state.compareAndSet(PENDING, RUNNING);
        }

        /** On the call's thread, after a {@link #begin} that answered true, when the scorer returned or threw. */
        void finished() {
            if (!state.compareAndSet(RUNNING, DONE)) {
                abandoned.decrementAndGet();
            }
        }

        /** Its request gave up on it: if it runs, it is counted as abandoned until it returns. */
        void abandon() {
            if (!state.compareAndSet(PENDING, DONE) && state.compareAndSet(RUNNING, ABANDONED)) {
                abandoned.incrementAndGet();
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
        return new Call();
    }

    /** Calls whose request gave up on them and that still run. */
    int abandoned() {
        return abandoned.get();
    }
}
