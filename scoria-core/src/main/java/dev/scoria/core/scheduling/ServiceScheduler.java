package dev.scoria.core.scheduling;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.service.ServiceLimits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * Admission control for one service, with Azure ML's knobs: at most
 * {@code maxConcurrentRequestsPerContainer} requests score at once; the others wait in a bounded queue
 * and give up with 503 (OVERLOADED) when they cannot start within {@code maxQueueWaitMs} or the queue is
 * full; a request that scores longer than {@code scoringTimeoutMs} is answered 504 (TIMEOUT) and its
 * thread interrupted (or, for {@link #submitAsync asynchronous work}, the work abandoned). Memory stays bounded whatever the offered load, and a service that is
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
    private final OffLoopWork offLoop;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private volatile ServiceLimits limits;
    private int running;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile IntConsumer batchObserver = n -> {};
    /** Set while this thread drains the queue: asynchronous work that ends at once must not nest another drain. */
    private final ThreadLocal<Boolean> draining = new ThreadLocal<>();

    /**
     * Runs several waiting requests as one call: answer {@code i} is item {@code i}'s (its own failure,
     * if any, is part of {@code T}; a thrown exception fails every item).
     */
    @FunctionalInterface
    public interface BatchRunner<I, T> {
        List<T> run(List<I> items) throws Exception;
    }

    /**
     * Work that holds no thread while it runs (it waits on another process, say): started on the thread
     * that admits it, it ends by calling {@code done} once, from whatever thread its answer arrives on.
     */
    @FunctionalInterface
    public interface AsyncWork<T> {
        /**
         * Starts the work without blocking and returns how to abandon it: called, once or more, when it
         * runs past {@code scoringTimeoutMs}, after which its {@code done} is ignored. Thrown means failed.
         */
        Runnable start(BiConsumer<T, Throwable> done) throws Exception;
    }

    public ServiceScheduler(String service, ServiceLimits limits, Executor workers, ScheduledExecutorService timers) {
        this(service, limits, workers, timers, new OffLoopWork());
    }

    /** @param offLoop counts this service's work on {@code workers} and asynchronous work, with other services' */
    public ServiceScheduler(
            String service,
            ServiceLimits limits,
            Executor workers,
            ScheduledExecutorService timers,
            OffLoopWork offLoop) {
        this.service = service;
        this.limits = limits;
        this.workers = workers;
        this.timers = timers;
        this.offLoop = offLoop;
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

    /** Told the size of every batch run (1 for a request scored alone through the batching path). */
    public void onBatch(IntConsumer observer) {
        batchObserver = observer;
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
        return enqueue(new Job(work, null, null, null, null));
    }

    /**
     * Like {@link #submit} for work that holds no thread while it runs: admitted under the same limits
     * and queue (503 when no slot comes free in time), started on the thread that admits it or that frees
     * its slot, and failed with TIMEOUT and abandoned at {@code scoringTimeoutMs}. Its slot is free again
     * as soon as it ends or times out.
     */
    public <T> CompletableFuture<T> submitAsync(AsyncWork<T> work) {
        return enqueue(new Job(null, null, null, null, work));
    }

    /**
     * Like {@link #submit}, but a request that has to wait may be merged with other waiting requests of
     * the same {@code batchKey} (up to {@code maxBatchSize}, waiting at most {@code maxBatchDelayMicros}
     * for more) and scored with them in one {@code runner} call, which takes one slot.
     */
    public <I, T> CompletableFuture<T> submitBatchable(Object batchKey, I item, BatchRunner<I, T> runner) {
        return enqueue(new Job(null, batchKey, item, runner, null));
    }

    private <T> CompletableFuture<T> enqueue(Job job) {
        ServiceLimits l = limits;
        boolean startNow = false;
        synchronized (this) {
            if (running < l.maxConcurrentRequestsPerContainer() && queue.isEmpty()) {
                running++;
                startNow = true;
            } else if (queue.size() >= l.maxConcurrentRequestsPerContainer() * QUEUE_PER_SLOT
                    || l.maxQueueWaitMs() == 0) {
                rejected.incrementAndGet();
                return CompletableFuture.failedFuture(overloaded(l));
            } else {
                queue.addLast(job);
                queued.incrementAndGet();
                // A batch waiting for company is told that some arrived.
                notifyAll();
            }
        }
        if (startNow) {
            // Outside the lock: asynchronous work starts on this thread and may end before it returns.
            start(job);
            return job.future();
        }
        job.waitDeadline = timers.schedule(() -> giveUp(job, l), l.maxQueueWaitMs(), TimeUnit.MILLISECONDS);
        return job.future();
    }

    /**
     * Runs {@code work} on the calling thread if a slot is free and nobody is waiting (so admission stays
     * fair and the concurrency limit holds); returns false, having run nothing, otherwise.
     */
    public boolean tryRunInline(Runnable work) {
        return tryRunInline(1, work);
    }

    /**
     * Like {@link #tryRunInline(Runnable)} for {@code requests} requests scored in one call, which take one
     * slot as a batch does; a batch of more than one is counted as one.
     */
    public boolean tryRunInline(int requests, Runnable work) {
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
        if (requests > 1) {
            batchObserver.accept(requests);
        }
        return true;
    }

    /** Whether a slot is free with nobody waiting: what {@link #tryRunAside} would take now. */
    public synchronized boolean hasIdleSlot() {
        return running < limits.maxConcurrentRequestsPerContainer() && queue.isEmpty();
    }

    /**
     * Runs {@code work} on a worker thread in a slot of its own if one is free and nobody is waiting (a
     * waiting request is never passed over); returns false, having started nothing, otherwise. For a
     * request that lends part of its work to idle slots; it is not a request of its own: no timeout, no
     * batch, not counted as rejected when refused.
     */
    public boolean tryRunAside(Runnable work) {
        synchronized (this) {
            if (running >= limits.maxConcurrentRequestsPerContainer() || !queue.isEmpty()) {
                return false;
            }
            running++;
        }
        try {
            workers.execute(() -> {
                offLoop.started();
                try {
                    work.run();
                } finally {
                    offLoop.ended();
                    release();
                }
            });
        } catch (RejectedExecutionException e) {
            release();
            return false;
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
        if (job.async != null) {
            startAsync(job);
            return;
        }
        workers.execute(() -> {
            ServiceLimits l = limits;
            List<Job> batch = job.runner == null ? List.of(job) : gatherBatch(job, l);
            Thread current = Thread.currentThread();
            job.thread = current;
            ScheduledFuture<?> deadline = timers.schedule(
                    () -> {
                        timedOut.incrementAndGet();
                        ScoriaException timeout = timeout(l);
                        batch.forEach(j -> j.fail(timeout));
                        Thread t = job.thread;
                        if (t != null) {
                            t.interrupt();
                        }
                    },
                    l.scoringTimeoutMs(),
                    TimeUnit.MILLISECONDS);
            offLoop.started();
            try {
                if (job.runner == null) {
                    job.complete(job.work.call());
                } else {
                    runBatch(batch);
                }
            } catch (Throwable e) {
                batch.forEach(j -> j.fail(e));
            } finally {
                deadline.cancel(false);
                job.thread = null;
                // Clear an interrupt aimed at this job so it does not leak into the next one on this thread.
                Thread.interrupted();
                offLoop.ended();
                release();
            }
        });
    }

    private void startAsync(Job job) {
        // Ended by whichever of endAsync and timeOut ends the job: each ends it at most once, and one of them does.
        offLoop.started();
        ServiceLimits l = limits;
        // Armed before the work starts, so that an answer arriving at once finds it to cancel.
        job.deadline = timers.schedule(() -> timeOut(job, l), l.scoringTimeoutMs(), TimeUnit.MILLISECONDS);
        Runnable abandon;
        try {
            abandon = job.<Object>asyncWork().start((value, error) -> endAsync(job, value, error));
        } catch (Throwable e) {
            endAsync(job, null, e);
            return;
        }
        job.abandon = abandon;
        // The deadline may have passed before the work said how to abandon it.
        if (job.timedOut) {
            abandon.run();
        }
    }

    private void endAsync(Job job, Object value, Throwable error) {
        if (!job.ended.compareAndSet(false, true)) {
            return;
        }
        job.deadline.cancel(false);
        offLoop.ended();
        // The slot first: a request waiting for it starts before this one's answer is passed on, so that the
        // resource it waits for (a worker process) does not stay idle meanwhile.
        release();
        if (error == null) {
            job.future.complete(value);
        } else {
            job.future.completeExceptionally(error);
        }
    }

    private void timeOut(Job job, ServiceLimits l) {
        if (!job.ended.compareAndSet(false, true)) {
            return;
        }
        job.future.completeExceptionally(timeout(l));
        timedOut.incrementAndGet();
        job.timedOut = true;
        Runnable abandon = job.abandon;
        if (abandon != null) {
            abandon.run();
        }
        offLoop.ended();
        release();
    }

    private ScoriaException timeout(ServiceLimits l) {
        return new ScoriaException(
                ErrorKind.TIMEOUT,
                "scoring took longer than scoringTimeoutMs (" + l.scoringTimeoutMs() + " ms) on service '" + service
                        + "'");
    }

    /** The waiting requests that join {@code first}: same key, from the head of the queue, FIFO. */
    private List<Job> gatherBatch(Job first, ServiceLimits l) {
        List<Job> batch = new ArrayList<>();
        batch.add(first);
        long waitUntil = System.nanoTime() + l.maxBatchDelayMicros() * 1_000L;
        synchronized (this) {
            while (true) {
                while (batch.size() < l.maxBatchSize()
                        && !queue.isEmpty()
                        && queue.peekFirst().batchKey == first.batchKey) {
                    Job next = queue.pollFirst();
                    queued.decrementAndGet();
                    if (next.waitDeadline != null) {
                        next.waitDeadline.cancel(false);
                    }
                    batch.add(next);
                }
                long left = waitUntil - System.nanoTime();
                if (batch.size() >= l.maxBatchSize() || left <= 0) {
                    break;
                }
                try {
                    wait(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return batch;
    }

    @SuppressWarnings("unchecked")
    private void runBatch(List<Job> batch) throws Exception {
        List<Object> items = new ArrayList<>(batch.size());
        for (Job j : batch) {
            items.add(j.item);
        }
        List<Object> results = ((BatchRunner<Object, Object>) batch.get(0).runner).run(items);
        batchObserver.accept(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(results.get(i));
        }
    }

    private void release() {
        synchronized (this) {
            running--;
        }
        drain();
    }

    private void drain() {
        if (draining.get() != null) {
            // Asynchronous work started below ended at once and freed its slot: the loop below takes the next.
            return;
        }
        draining.set(Boolean.TRUE);
        try {
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
        } finally {
            draining.remove();
        }
    }

    private ScoriaException overloaded(ServiceLimits l) {
        return new ScoriaException(
                ErrorKind.OVERLOADED,
                "Too many requests for service '" + service
                        + "' (overloaded): no scoring slot came free within maxQueueWaitMs (" + l.maxQueueWaitMs()
                        + " ms)");
    }

    /** One admitted request. */
    private static final class Job {
        final Callable<?> work;
        final Object batchKey;
        final Object item;
        final BatchRunner<?, ?> runner;
        final AsyncWork<?> async;
        final CompletableFuture<Object> future = new CompletableFuture<>();
        volatile Thread thread;
        volatile ScheduledFuture<?> waitDeadline;
        volatile ScheduledFuture<?> deadline;
        volatile Runnable abandon;
        volatile boolean timedOut;
        final AtomicBoolean ended = new AtomicBoolean();

        Job(Callable<?> work, Object batchKey, Object item, BatchRunner<?, ?> runner, AsyncWork<?> async) {
            this.work = work;
            this.batchKey = batchKey;
            this.item = item;
            this.runner = runner;
            this.async = async;
        }

        @SuppressWarnings("unchecked")
        <T> AsyncWork<T> asyncWork() {
            return (AsyncWork<T>) async;
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
