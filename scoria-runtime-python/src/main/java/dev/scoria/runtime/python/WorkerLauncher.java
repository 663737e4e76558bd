package dev.scoria.runtime.python;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts every Python worker process of this server from one thread that lives as long as the JVM.
 *
 * <p>Why one thread: a worker asks the kernel to kill it when its parent dies ({@code PR_SET_PDEATHSIG}
 * in {@code scoria_worker.py}), so that no worker outlives a server killed with {@code kill -9}. On
 * Linux that "parent" is the <em>thread</em> that started the process, not the JVM: a worker started from
 * a pooled thread would be killed as soon as that thread retired. This thread never retires (a failed
 * start is an exception in its future, not the end of the thread), so the signal comes only when the
 * JVM itself is gone.
 */
final class WorkerLauncher {

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "scoria-python-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private WorkerLauncher() {}

    /** {@code builder.start()}, run on the launcher thread. */
    static Process start(ProcessBuilder builder) throws IOException, InterruptedException {
        Future<Process> started = THREAD.submit(builder::start);
        try {
            return started.get();
        } catch (InterruptedException e) {
            // The caller gave up, the start may not have: a process started for nobody is killed once it is.
            THREAD.execute(() -> {
                try {
                    started.get().destroyForcibly();
                } catch (ExecutionException | InterruptedException ignored) {
                    // Never started.
                }
            });
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not start the Python worker: " + e.getCause(), e.getCause());
        }
    }
}
