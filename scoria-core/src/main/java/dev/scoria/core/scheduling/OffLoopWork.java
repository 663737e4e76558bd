package dev.scoria.core.scheduling;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How much scoring is running away from the event loops right now: on worker threads (a model too large to
 * score inline, a Java scorer, the parts of a split request) or in worker processes (python). The event
 * loops poll for the next request only while there is none: a loop that polls holds a core, and work that
 * runs elsewhere on a small machine wants every core it can get. Requests scored inline on a loop are never
 * counted, because they are over before the loop polls. One per process's set of services, shared by their
 * schedulers.
 */
public final class OffLoopWork {

    private final AtomicInteger running = new AtomicInteger();

    /** One piece of work has started away from the loops; {@link #ended} must follow, once. */
    void started() {
        running.incrementAndGet();
    }

    /** A piece of work that {@link #started} has ended (finished, failed or been abandoned). */
    void ended() {
        running.decrementAndGet();
    }

    /** Whether no work runs away from the loops now. */
    public boolean none() {
        return running.get() == 0;
    }

    /** How many pieces of work run away from the loops now. */
    public int running() {
        return running.get();
    }
}
