package dev.scoria.core.scheduling;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.service.ServiceLimits;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control for one service, with Azure ML's knobs: at most
 * {@code maxConcurrentRequestsPerContainer} requests score at once; the others wait in a bounded queue
 * and give up with 503 (OVERLOADED) when they cannot start within {@code maxQueueWaitMs} or the queue is
 * full; a request that scores longer than {@code scoringTimeoutMs} is answered 504 (TIMEOUT) and its
 * thread interrupted. Memory stays bounded whatever the offered load, and a service that is
 * overloaded only fills its own queue: other services keep their capacity.
 */
public final class ServiceScheduler {

    /**
     * Requests that may wait per allowed concurrent request: enough for a burst of a few hundred
     * connections to wait their turn (maxQueueWaitMs decides), yet bounded.
     */
    static final int QUEUE_PER_SLOT = 512;

    private final String service;
    private final Executor workers;
    private final ScheduledExecutorService timers;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private volatile ServiceLimits limits;
    private int running;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicInteger queued = new AtomicInteger();

    public ServiceScheduler(String service, ServiceLimits limits, Executor workers, ScheduledExecutorService timers) {
        this.service = service;
        this.limits = limits;
        this.workers = workers;
        this.timers = timers;
    }

    /** New limits apply to requests admitted from now on. */
    public void updateLimits(ServiceLimits newLimits) {
        limits = newLimits;
        drain();
    }

    public ServiceLimits limits() {
        return limits;
    }

    /** Requests waiting for a slot right now. */
    public int queueDepth() {
        return queued.get();
    }

    /** Requests scoring right now. */
    public synchronized int running() {
        return running;
    }

    public long rejectedCount() {
        return rejected.get();
    }

    public long timedOutCount() {
        return timedOut.get();
    }

    /**
     * Runs {@code work} when a slot is free. The future fails with a {@link ScoriaException} of kind
     * OVERLOADED (no slot in time) or TIMEOUT (scored too long), or with what the work threw.
     */
    public <T> CompletableFuture<T> submit(Callable<T> work) {
        Job job = new Job(work);
        ServiceLimits l = limits;
        synchronized (this) {
            if (running < l.maxConcurrentRequestsPerContainer() && queue.isEmpty()) {
                running++;
                start(job);
                return job.future();
            }
            if (queue.size() >= l.maxConcurrentRequestsPerContainer() * QUEUE_PER_SLOT || l.maxQueueWaitMs() == 0) {
                rejected.incrementAndGet();
                return CompletableFuture.failedFuture(overloaded(l));
            }
            queue.addLast(job);
            queued.incrementAndGet();
        }
        job.waitDeadline = timers.schedule(() -> giveUp(job, l), l.maxQueueWaitMs(), TimeUnit.MILLISECONDS);
        return job.future();
    }

    /**
     * Runs {@code work} on the calling thread if a slot is free and nobody is waiting (so admission stays
     * fair and the concurrency limit holds); returns false, having run nothing, otherwise.
     */
    public boolean tryRunInline(Runnable work) {
        synchronized (this) {
            if (running >= limits.maxConcurrentRequestsPerContainer() || !queue.isEmpty()) {
                return false;
            }
            running++;
        }
        try {
            work.run();
        } finally {
            release();
        }
        return true;
    }

    private void giveUp(Job job, ServiceLimits l) {
        synchronized (this) {
            if (!queue.remove(job)) {
                return;
            }
            queued.decrementAndGet();
        }
        rejected.incrementAndGet();
        job.fail(overloaded(l));
    }

    private void start(Job job) {
        workers.execute(() -> {
            ServiceLimits l = limits;
            job.thread = Thread.currentThread();
            ScheduledFuture<?> deadline = timers.schedule(() -> {
                timedOut.incrementAndGet();
                job.fail(new ScoriaException(ErrorKind.TIMEOUT, "scoring took longer than scoringTimeoutMs ("
                        + l.scoringTimeoutMs() + " ms) on service '" + service + "'"));
                Thread t = job.thread;
                if (t != null) {
                    t.interrupt();
                }
            }, l.scoringTimeoutMs(), TimeUnit.MILLISECONDS);
            try {
                job.complete(job.work.call());
            } catch (Throwable e) {
                job.fail(e);
            } finally {
                deadline.cancel(false);
                job.thread = null;
                // Clear an interrupt aimed at this job so it does not leak into the next one on this thread.
                Thread.interrupted();
                release();
            }
        });
    }

    private void release() {
        synchronized (this) {
            running--;
        }
        drain();
    }

    private void drain() {
        while (true) {
            Job next;
            synchronized (this) {
                if (running >= limits.maxConcurrentRequestsPerContainer() || queue.isEmpty()) {
                    return;
                }
                next = queue.pollFirst();
                queued.decrementAndGet();
                running++;
            }
            if (next.waitDeadline != null) {
                next.waitDeadline.cancel(false);
            }
            start(next);
        }
    }

    private ScoriaException overloaded(ServiceLimits l) {
        return new ScoriaException(ErrorKind.OVERLOADED, "Too many requests for service '" + service
                + "' (overloaded): no scoring slot came free within maxQueueWaitMs (" + l.maxQueueWaitMs() + " ms)");
    }

    /** One admitted request. */
    private static final class Job {
        final Callable<?> work;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        volatile Thread thread;
        volatile ScheduledFuture<?> waitDeadline;

        Job(Callable<?> work) {
            this.work = work;
        }

        @SuppressWarnings("unchecked")
        <T> CompletableFuture<T> future() {
            return (CompletableFuture<T>) future;
        }

        void complete(Object value) {
            future.complete(value);
        }

        void fail(Throwable e) {
            future.completeExceptionally(e);
        }
    }
}
