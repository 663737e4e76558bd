package dev.scoria.runtime.python;

import dev.scoria.core.ScoriaException;
import dev.scoria.scorer.ServiceLogger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service's Python workers, each lent to one request at a time. A worker that dies (crash, or killed
 * because its request ran past the timeout) is replaced in the background; a replacement whose
 * {@code init()} fails is retried with a growing pause (1 s doubling to 30 s), as a container
 * platform restarts a crashing container, while the others keep serving.
 */
final class WorkerPool implements AutoCloseable {

    private static final long MAX_BACKOFF_MS = 30_000;

    private final ProcessBuilder builder;
    private final int size;
    private final long initTimeoutMs;
    private final String name;
    private final ServiceLogger log;
    private final BlockingQueue<PythonWorker> idle = new LinkedBlockingQueue<>();
    private final Set<PythonWorker> live = ConcurrentHashMap.newKeySet();
    private final ExecutorService restarts;
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
        for (PythonWorker worker : started) {
            pool.live.add(worker);
            pool.idle.add(worker);
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
     * An idle live worker, waiting as long as it takes while any worker is alive (the caller's deadline
     * comes as an interrupt); null as soon as none is, so that queued requests hear 503 at once.
     */
    PythonWorker borrow() throws InterruptedException {
        while (true) {
            PythonWorker worker = idle.poll(100, TimeUnit.MILLISECONDS);
            if (worker != null && worker.alive()) {
                return worker;
            }
            // Null, or a worker that died while idle (its replacement is on the way): look again.
            if (worker == null && (closed || live.isEmpty())) {
                return null;
            }
        }
    }

    void release(PythonWorker worker) {
        if (!closed && worker.alive()) {
            idle.add(worker);
        }
    }

    /** Kills a worker whose request is abandoned; a replacement starts as for any death. */
    void discard(PythonWorker worker) {
        worker.kill();
    }

    int alive() {
        return live.size();
    }

    int size() {
        return size;
    }

    /** Synchronized with the hand-over in {@link #replace}, so that one death starts exactly one replacement. */
    private synchronized void onDeath(PythonWorker worker) {
        boolean wasLive = live.remove(worker);
        idle.remove(worker);
        if (closed || !wasLive) {
            return;
        }
        log.info(
                "restarting python worker " + worker.slot() + " (" + live.size() + " of " + size + " alive meanwhile)");
        restarts.execute(() -> replace(worker.slot()));
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
                        idle.add(fresh);
                        added = true;
                    }
                }
                if (!added) {
                    // Died between ready and now, before it was live (so its death started nothing): go again.
                    continue;
                }
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
        synchronized (this) {
            closed = true;
        }
        restarts.shutdownNow();
        idle.clear();
        for (PythonWorker worker : List.copyOf(live)) {
            worker.kill();
        }
        live.clear();
    }
}
