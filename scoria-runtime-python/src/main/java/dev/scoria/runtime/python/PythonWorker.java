package dev.scoria.runtime.python;

import dev.scoria.scorer.ServiceLogger;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One Python worker process: the script imported once, {@code init()} called once, then one request
 * at a time. Two daemon threads per worker read what it writes, because reads from a process pipe
 * cannot be interrupted: a frame reader (it ends the call it reads the answer of, so no thread waits
 * for an answer) and a line reader for its stderr (what the script prints, into the service log).
 */
final class PythonWorker {

    /** How long after the process exited the end of its stream may take before its death is reported anyway. */
    static final long EXIT_GRACE_MS = 500;

    private final int slot;
    private final Process process;
    private final OutputStream toWorker;
    private final ServiceLogger log;
    private final CompletableFuture<Frames.Frame> ready = new CompletableFuture<>();
    private final AtomicBoolean dead = new AtomicBoolean();
    private final AtomicBoolean deathReported = new AtomicBoolean();
    private final Consumer<PythonWorker> onDeath;
    private volatile PythonCall pending;
    private volatile boolean wholeRequest = true;

    private PythonWorker(int slot, Process process, ServiceLogger log, Consumer<PythonWorker> onDeath) {
        this.slot = slot;
        this.process = process;
        this.toWorker = process.getOutputStream();
        this.log = log;
        this.onDeath = onDeath;
    }

    /** Starts the process; it is usable once {@link #awaitReady} returned. */
    static PythonWorker start(
            ProcessBuilder builder, int slot, String threadPrefix, ServiceLogger log, Consumer<PythonWorker> onDeath)
            throws IOException, InterruptedException {
        PythonWorker worker = new PythonWorker(slot, WorkerLauncher.start(builder), log, onDeath);
        Thread frames = new Thread(worker::readFrames, threadPrefix + "-worker" + slot + "-frames");
        Thread lines = new Thread(worker::readLines, threadPrefix + "-worker" + slot + "-stderr");
        frames.setDaemon(true);
        lines.setDaemon(true);
        frames.start();
        lines.start();
        worker.process
                .onExit()
                .thenRunAsync(
                        () -> worker.died("it exited, but a process it started still holds its pipe open"),
                        CompletableFuture.delayedExecutor(EXIT_GRACE_MS, TimeUnit.MILLISECONDS));
        return worker;
    }

    int slot() {
        return slot;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return !dead.get() && process.isAlive();
    }

    /**
     * Waits for {@code init()} to return: the worker's ready frame (its dispatch mode, schemas).
     *
     * @throws InitFailure if the script failed to import or {@code init()} raised (the worker has exited)
     */
    Frames.Frame awaitReady(long timeoutMs) throws InitFailure, TimeoutException, InterruptedException {
        try {
            Frames.Frame frame = ready.get(timeoutMs, TimeUnit.MILLISECONDS);
            if (frame.type().equals("init_failed")) {
                throw new InitFailure(
                        frame.header().path("error").asText("init() failed"),
                        frame.header().path("traceback").asText(""));
            }
            return frame;
        } catch (ExecutionException e) {
            throw new InitFailure(e.getCause().getMessage(), "");
        }
    }

    /**
     * Whether the worker reads a request's path, content type, query and headers (its ready frame says so:
     * {@code run()} takes request_headers, or is @rawhttp or schema-decorated), or only its id and method.
     */
    boolean readsWholeRequest() {
        return wholeRequest;
    }

    /**
     * Writes one request to the worker, which must be idle, with the score frame's {@code header}; its
     * answer, or the worker's death, ends the call on the frame reader's thread. Blocks only while the pipe
     * is full, which a small request to an idle worker never fills.
     */
    void send(PythonCall call, byte[] header) {
        pending = call;
        // After pending is set: a death reported before it was is seen here, one reported after ends the call.
        if (!alive()) {
            endPending(describeExit());
            return;
        }
        try {
            Frames.write(toWorker, header, call.body);
        } catch (IOException e) {
            // The pipe broke: the process is gone or going.
            endPending(describeExit());
        }
    }

    private void endPending(String why) {
        PythonCall call = pending;
        if (call != null) {
            pending = null;
            call.workerDied(this, why);
        }
    }

    /** Makes the worker unusable at once, before {@link #kill} (which may take a while) ends it. */
    void retire() {
        dead.set(true);
    }

    /**
     * Ends the process and anything it started, now; never throws. The worker leads its own process
     * group, so the group goes first: that reaches what the script started even after it left the
     * worker's process tree (a double-forked daemon). Then whatever the JDK still sees, in case the group
     * could not be signalled.
     */
    void kill() {
        dead.set(true);
        try {
            killGroup();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("python worker " + slot + " (pid " + process.pid() + ") could not be killed: " + e);
        }
    }

    /** SIGKILL to the worker's process group, through the shell's kill (the JDK signals single processes only). */
    private void killGroup() throws InterruptedException {
        try {
            // "-KILL -PID", no "--": dash's kill takes no "--", and every shell reads -PID after the signal as a group.
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -KILL -" + process.pid() + " 2>/dev/null")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // No shell: the worker's reaper kills the group as the worker dies, below.
        }
    }

    private void readFrames() {
        InputStream in = process.getInputStream();
        String why;
        try {
            while (true) {
                Frames.Frame frame = Frames.read(in);
                if (frame == null) {
                    why = null;
                    break;
                }
                String type = frame.type();
                if (type.equals("ready") || type.equals("init_failed")) {
                    // A worker that does not say (there is none in this build) is sent whole requests.
                    wholeRequest = frame.header().path("wholeRequest").asBoolean(true);
                    ready.complete(frame);
                } else {
                    PythonCall call = pending;
                    if (call != null) {
                        pending = null;
                        call.answered(this, frame);
                    }
                }
            }
        } catch (IOException e) {
            why = e.getMessage();
        }
        died(why);
    }

    private void readLines() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.info(line);
            }
        } catch (IOException e) {
            // The process is gone: the frame reader reports it.
        }
    }

    /**
     * Reports the worker's death once, whichever notices first: the frame reader at the end of the
     * stream (which delivers a last frame, such as an out-of-memory answer, first), or the process's exit
     * after {@link #EXIT_GRACE_MS}, for when something the worker started (and that escaped its process
     * group) keeps the pipe open so that the stream never ends.
     */
    private void died(String streamError) {
        if (!deathReported.compareAndSet(false, true)) {
            return;
        }
        boolean deliberate = !dead.compareAndSet(false, true);
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String exit = describeExit() + (streamError == null ? "" : " (" + streamError + ")");
        ready.completeExceptionally(new IOException("the Python worker exited before init() returned: " + exit));
        endPending(exit);
        // After init() raised the worker exits by design; the failure itself is what gets reported.
        boolean initFailed = ready.isDone()
                && !ready.isCompletedExceptionally()
                && ready.join().type().equals("init_failed");
        if (!deliberate && !initFailed) {
            log.warn("python worker " + slot + " (pid " + process.pid() + ") died: " + exit);
        }
        onDeath.accept(this);
    }

    private String describeExit() {
        if (process.isAlive()) {
            return "its pipe closed";
        }
        int code = process.exitValue();
        return code > 128
                ? "killed by signal " + (code - 128)
                : code < 0 ? "killed by signal " + (-code) : "exit code " + code;
    }

    /** The script could not be imported or its {@code init()} raised. */
    static final class InitFailure extends Exception {

        private final String traceback;

        InitFailure(String lastLine, String traceback) {
            super(lastLine);
            this.traceback = traceback;
        }

        String traceback() {
            return traceback;
        }
    }
}
