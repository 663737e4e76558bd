package dev.scoria.runtime.java;

import dev.scoria.core.ScoriaException;
import dev.scoria.scorer.Scorer;
import dev.scoria.scorer.ServiceLogger;
import java.util.concurrent.Executor;

/**
 * The scorer instances of one service, as {@link Scorer#threadSafe()} asks: one shared instance, or a
 * pool of instances each lent to one request at a time.
 */
sealed interface ScorerInstances permits SharedScorer, ScorerPool {

    /** An instance to run one request on, or null if none became free within {@code timeoutMs}. */
    Scorer borrow(long timeoutMs) throws InterruptedException;

    /** Gives back an instance whose request ended. */
    void release(Scorer scorer);

    /**
     * Gives up on an instance stuck in a request that timed out (or left in an unknown state, say by an
     * {@link OutOfMemoryError}); capacity comes back through a fresh instance.
     *
     * @param why what happened to it, for the service log: "timed out", "ran out of memory"
     */
    void abandon(Scorer scorer, String why);

    int size();

    /** The service's concurrency limit changed: a pool grows or shrinks to it (a shared instance stays one). */
    void resize(int poolSize);

    /** Closes every instance, including abandoned ones; never throws. */
    void close();

    /**
     * Creates the first instance to learn whether the scorer is thread-safe, then the rest of the pool
     * if it is not. If any instance fails to {@code init}, those already made are closed.
     *
     * @param poolSize how many instances a non-thread-safe scorer gets (the service's concurrency limit)
     * @param background where replacements for abandoned instances are made
     */
    static ScorerInstances start(ScorerFactory factory, int poolSize, Executor background, ServiceLogger log) {
        Scorer first = factory.create();
        boolean threadSafe;
        try {
            threadSafe = first.threadSafe();
        } catch (Throwable e) {
            log.error("scorer init failed: threadSafe() threw", e);
            factory.closeQuietly(first);
            throw ScoriaException.badInput("scorer init failed: threadSafe() threw " + e);
        }
        if (threadSafe) {
            log.info("scorer " + factory.type().getName() + " is thread-safe: one instance serves every request");
            return new SharedScorer(first, factory);
        }
        ScorerPool pool = new ScorerPool(factory, background, log);
        pool.add(first);
        try {
            for (int i = 1; i < Math.max(1, poolSize); i++) {
                pool.add(factory.create());
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        log.info("scorer " + factory.type().getName() + " is not thread-safe: a pool of " + pool.size() + " instances");
        return pool;
    }
}
