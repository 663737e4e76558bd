package dev.scoria.runtime.java;

import dev.scoria.scorer.Scorer;
import dev.scoria.scorer.ServiceLogger;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Instances of a scorer that is not thread-safe, each lent to one request at a time. An instance stuck
 * in a request that timed out is never lent again (its state is unknown and a thread may still be
 * inside it); a fresh one is made in the background so that the pool keeps its size.
 */
final class ScorerPool implements ScorerInstances {

    private final ScorerFactory factory;
    private final Executor background;
    private final ServiceLogger log;
    private final BlockingQueue<Scorer> idle = new LinkedBlockingQueue<>();
    private final List<Scorer> live = new CopyOnWriteArrayList<>();
    private final List<Scorer> abandoned = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** How many instances the pool keeps: the service's concurrency limit, as it is now. */
    private volatile int target;

    ScorerPool(ScorerFactory factory, Executor background, ServiceLogger log) {
        this.factory = factory;
        this.background = background;
        this.log = log;
    }

    synchronized void add(Scorer scorer) {
        live.add(scorer);
        idle.add(scorer);
        target = Math.max(target, live.size());
    }

    /** By identity: a scorer's own equals (a record's, say) must not make two instances one. */
    private boolean isLive(Scorer scorer) {
        return live.stream().anyMatch(s -> s == scorer);
    }

    @Override
    public Scorer borrow(long timeoutMs) throws InterruptedException {
        return idle.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void release(Scorer scorer) {
        if (closed || !isLive(scorer)) {
            return;
        }
        boolean surplus;
        synchronized (this) {
            surplus = live.size() > target;
            if (surplus) {
                live.removeIf(s -> s == scorer);
            }
        }
        if (surplus) {
            // The limit was lowered: instances retire as their requests end, never under one.
            factory.closeQuietly(scorer);
        } else {
            idle.add(scorer);
        }
    }

    @Override
    public void resize(int poolSize) {
        int wanted = Math.max(1, poolSize);
        int missing;
        synchronized (this) {
            target = wanted;
            missing = wanted - live.size();
        }
        if (missing > 0) {
            log.info("maxConcurrentRequestsPerContainer is now " + wanted + ": adding " + missing
                    + " scorer instance(s)");
            for (int i = 0; i < missing; i++) {
                background.execute(this::replace);
            }
        } else {
            // Idle surplus instances go now; busy ones when their request ends.
            Scorer spare;
            while (live.size() > target && (spare = idle.poll()) != null) {
                release(spare);
            }
        }
    }

    @Override
    public void abandon(Scorer scorer, String why) {
        live.removeIf(s -> s == scorer);
        // Closed with the others when the service goes: closing it now could pull state from under the
        // thread that is still inside it.
        abandoned.add(scorer);
        log.warn("a scorer instance " + why + " and was taken out of the pool; starting a replacement");
        background.execute(this::replace);
    }

    private void replace() {
        try {
            Scorer fresh = factory.create();
            synchronized (this) {
                if (!closed) {
                    add(fresh);
                    fresh = null;
                }
            }
            if (fresh != null) {
                factory.closeQuietly(fresh);
                return;
            }
            log.info("replacement scorer instance ready: the pool has " + live.size() + " instances again");
        } catch (RuntimeException e) {
            // factory.create() has logged the stack trace.
            log.warn("could not replace the timed-out scorer instance (the pool now has " + live.size() + "): "
                    + e.getMessage());
        }
    }

    @Override
    public int size() {
        return live.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        idle.clear();
        for (Scorer scorer : live) {
            factory.closeQuietly(scorer);
        }
        for (Scorer scorer : abandoned) {
            factory.closeQuietly(scorer);
        }
        live.clear();
        abandoned.clear();
    }
}
