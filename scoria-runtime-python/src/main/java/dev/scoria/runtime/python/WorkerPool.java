package dev.scoria.runtime.python;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.scorer.ServiceLogger;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service's Python workers, each given one request at a time: a request finds an idle worker, or
 * waits in line for the next one released (the service's scheduler bounds how many are admitted), and
 * no thread waits with it. A worker that dies (crash, or killed
 * because its request ran past the timeout) is replaced in the background; a replacement whose
 * {@code init()} fails is retried with a growing pause (1 s doubling to 30 s), as a container
 * platform restarts a crashing container, while the others keep serving.
 */
final class WorkerPool implements AutoCloseable {

    private static final long MAX_BACKOFF_MS = 30_000;

    /**
     * Requests up to this size are written on the thread that hands them over (an event loop, a frame
     * reader): an idle worker is reading, and a pipe holds 64 KiB. Larger ones are written in the
     * background, so that no such thread waits for the worker to read them.
     */
    static final int INLINE_WRITE_MAX = 16 * 1024;

    private final ProcessBuilder builder;
    private final int size;
    private final long initTimeoutMs;
    private final String name;
    private final ServiceLogger log;
    private final ArrayDeque<PythonWorker> idle = new ArrayDeque<>();
    private final ArrayDeque<PythonCall> waiting = new ArrayDeque<>();
    private final Set<PythonWorker> live = ConcurrentHashMap.newKeySet();
    private final ExecutorService restarts;
    /** Kills and large writes, which may block, off the threads that serve requests. */
    private final ExecutorService background;

    private volatile boolean closed;
    private volatile Frames.Frame readyFrame;

    private WorkerPool(ProcessBuilder builder, int size, long initTimeoutMs, String name, ServiceLogger log) {
        this.builder = builder;
        this.size = size;
        this.initTimeoutMs = initTimeoutMs;
        this.name = name;
        this.log = log;
        AtomicInteger n = new AtomicInteger();
        this.restarts = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "scoria-python-" + name + "-restart-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger m = new AtomicInteger();
        this.background = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "scoria-python-" + name + "-io-" + m.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts {@code size} workers at once and waits until every one is ready. If one cannot start or its
     * {@code init()} raises, every worker is killed and the deployment fails with what the script said.
     */
    static WorkerPool start(ProcessBuilder builder, int size, long initTimeoutMs, String name, ServiceLogger log)
            throws InterruptedException {
        WorkerPool pool = new WorkerPool(builder, size, initTimeoutMs, name, log);
        List<PythonWorker> started = new ArrayList<>();
        try {
            for (int slot = 1; slot <= size; slot++) {
                started.add(pool.launch(slot));
            }
            for (PythonWorker worker : started) {
                pool.readyFrame = worker.awaitReady(initTimeoutMs);
                log.info("python worker " + worker.slot() + " (pid " + worker.pid() + ") ready");
            }
        } catch (PythonWorker.InitFailure e) {
            pool.abort(started);
            if (!e.traceback().isEmpty()) {
                log.warn("the entry script failed to load or its init() raised:\n"
                        + e.traceback().stripTrailing());
            }
            String why = String.valueOf(e.getMessage());
            throw ScoriaException.badInput("the entry script failed in init(): " + why
                    + (why.contains("MemoryError")
                            ? " (each worker's memory is capped by config memoryLimitMb, default "
                                    + PythonSettings.DEFAULT_MEMORY_LIMIT_MB + " MiB)"
                            : ""));
        } catch (TimeoutException e) {
            pool.abort(started);
            throw ScoriaException.badInput("the entry script's init() did not return within " + initTimeoutMs
                    + " ms (config initTimeoutSeconds)");
        } catch (IOException e) {
            pool.abort(started);
            throw ScoriaException.badInput("could not start the Python interpreter '"
                    + builder.command().get(0) + "': " + e.getMessage() + " (config python=/path/to/python)");
        } catch (InterruptedException | RuntimeException e) {
            pool.abort(started);
            throw e;
        }
        synchronized (pool) {
            for (PythonWorker worker : started) {
                pool.live.add(worker);
                pool.idle.add(worker);
            }
        }
        return pool;
    }

    /** A start that failed: workers not yet live are killed too, so that no process outlives the deployment. */
    private void abort(List<PythonWorker> started) {
        close();
        started.forEach(PythonWorker::kill);
    }

    private PythonWorker launch(int slot) throws IOException, InterruptedException {
        return PythonWorker.start(builder, slot, "scoria-python-" + name, log, this::onDeath);
    }

    /** What the first worker reported when ready: its dispatch mode and, with inference_schema, its schemas. */
    Frames.Frame readyFrame() {
        return readyFrame;
    }

    /**
     * Sends {@code call} to an idle worker, or queues it for the next worker released; false, having
     * done nothing, when no worker is alive (all restarting) or the pool is closed.
     */
    boolean submit(PythonCall call) {
        PythonWorker worker;
        synchronized (this) {
            if (closed || live.isEmpty()) {
                return false;
            }
            worker = takeIdle();
            if (worker == null) {
                waiting.addLast(call);
                return true;
            }
            call.assign(worker);
        }
        send(worker, call);
        return true;
    }

    /** An idle worker still alive, or null; one that died while idle is dropped (its replacement is on the way). */
    private PythonWorker takeIdle() {
        PythonWorker worker;
        while ((worker = idle.pollFirst()) != null) {
            if (worker.alive()) {
                return worker;
            }
        }
        return null;
    }

    /** A worker that answered is free: it takes the first waiting call, or waits for the next one. */
    void release(PythonWorker worker) {
        PythonCall next;
        synchronized (this) {
            if (closed || !worker.alive() || !live.contains(worker)) {
                return;
            }
            next = waiting.pollFirst();
            if (next == null) {
                idle.addLast(worker);
                return;
            }
            next.assign(worker);
        }
        send(worker, next);
    }

    private void send(PythonWorker worker, PythonCall call) {
        byte[] header = call.header(worker.readsWholeRequest());
        if (header.length + call.body.length <= INLINE_WRITE_MAX) {
            worker.send(call, header);
            return;
        }
        try {
            background.execute(() -> worker.send(call, header));
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: the worker is killed, which ends the call.
            worker.send(call, header);
        }
    }

    /**
     * Takes back an abandoned call: out of the line if it still waits (null), else the worker it was
     * sent to, which is still busy with it.
     */
    synchronized PythonWorker withdraw(PythonCall call) {
        return waiting.remove(call) ? null : call.worker();
    }

    /**
     * Kills a worker whose request is abandoned, or which is leaving by itself; a replacement starts as
     * for any death. It is never handed a request again, even before the kill, which runs in the background.
     */
    void discard(PythonWorker worker) {
        worker.retire();
        try {
            background.execute(worker::kill);
        } catch (RejectedExecutionException e) {
            worker.kill();
        }
    }

    int alive() {
        return live.size();
    }

    int size() {
        return size;
    }

    /**
     * Synchronized with the hand-over in {@link #replace}, so that one death starts exactly one
     * replacement. When the last live worker died, the waiting calls are answered at once: no worker may
     * take them before a restart, which can take long or fail.
     */
    private void onDeath(PythonWorker worker) {
        List<PythonCall> stranded;
        synchronized (this) {
            boolean wasLive = live.remove(worker);
            idle.remove(worker);
            if (closed || !wasLive) {
                return;
            }
            log.info("restarting python worker " + worker.slot() + " (" + live.size() + " of " + size
                    + " alive meanwhile)");
            restarts.execute(() -> replace(worker.slot()));
            stranded = live.isEmpty() ? takeWaiting() : List.of();
        }
        stranded.forEach(call -> noWorker(
                call, "has no live Python worker: they are restarting (see scoria service logs " + name + ")"));
    }

    private List<PythonCall> takeWaiting() {
        List<PythonCall> taken = new ArrayList<>(waiting);
        waiting.clear();
        return taken;
    }

    private void noWorker(PythonCall call, String why) {
        if (call.end()) {
            call.fail(new ScoriaException(ErrorKind.NOT_READY, "service '" + name + "' " + why));
        }
    }

    private void replace(int slot) {
        long backoff = 1000;
        while (!closed) {
            PythonWorker fresh = null;
            try {
                fresh = launch(slot);
                fresh.awaitReady(initTimeoutMs);
                boolean added = false;
                synchronized (this) {
                    if (closed) {
                        fresh.kill();
                        return;
                    }
                    if (fresh.alive()) {
                        live.add(fresh);
                        added = true;
                    }
                }
                if (!added) {
                    // Died between ready and now, before it was live (so its death started nothing): go again.
                    continue;
                }
                release(fresh);
                log.info("python worker " + slot + " (pid " + fresh.pid() + ") ready again: " + live.size() + " of "
                        + size + " alive");
                return;
            } catch (PythonWorker.InitFailure e) {
                log.warn("python worker " + slot + " could not restart: init() failed: " + e.getMessage()
                        + (e.traceback().isEmpty() ? "" : "\n" + e.traceback().stripTrailing()));
            } catch (TimeoutException e) {
                log.warn("python worker " + slot + " could not restart: init() did not return within " + initTimeoutMs
                        + " ms");
                fresh.kill();
            } catch (IOException e) {
                log.warn("python worker " + slot + " could not restart: " + e.getMessage());
            } catch (InterruptedException e) {
                if (fresh != null) {
                    fresh.kill();
                }
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /** Kills every worker (and what they started) and stops restarting; never throws. */
    @Override
    public void close() {
        List<PythonCall> stranded;
        synchronized (this) {
            closed = true;
            idle.clear();
            stranded = takeWaiting();
        }
        restarts.shutdownNow();
        stranded.forEach(call -> noWorker(call, "is being unloaded"));
        for (PythonWorker worker : List.copyOf(live)) {
            worker.kill();
        }
        live.clear();
        background.shutdown();
    }
}
