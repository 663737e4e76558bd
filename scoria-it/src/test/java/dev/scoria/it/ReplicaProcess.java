package dev.scoria.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code scoria serve} replica of a shared workspace as a separate process, on a fixed port with a
 * fixed id and data directory, so that it can be killed and started again as the same replica. Its
 * output goes to {@code <logDir>/<id>-<n>.out|err} (n counts its starts).
 */
final class ReplicaProcess implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    final String id;
    final int port;
    final Path dataDir;
    private final Path jar;
    private final Path logDir;
    private final Map<String, String> env;
    private final List<String> options;
    private final List<String> jvmOptions;
    private volatile Process process;
    private int starts;

    /**
     * @param jar a copy of {@code scoria.jar} (a copy: a rebuild of the original while the replica runs
     *     would pull classes from under it)
     * @param options extra {@code serve} options
     */
    ReplicaProcess(
            String id, int port, Path dataDir, Path jar, Path logDir, Map<String, String> env, List<String> options) {
        this(id, port, dataDir, jar, logDir, env, options, List.of());
    }

    /** @param jvmOptions options of the {@code java} command, such as {@code -Xmx256m} */
    ReplicaProcess(
            String id,
            int port,
            Path dataDir,
            Path jar,
            Path logDir,
            Map<String, String> env,
            List<String> options,
            List<String> jvmOptions) {
        this.id = id;
        this.port = port;
        this.dataDir = dataDir;
        this.jar = jar;
        this.logDir = logDir;
        this.env = env;
        this.options = options;
        this.jvmOptions = jvmOptions;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process; {@link #awaitBanner} waits until it serves. */
    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("replica " + id + " is already running");
        }
        starts++;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-jar",
                jar.toString(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--data-dir",
                dataDir.toString(),
                "--replica-id",
                id));
        command.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(logDir.toFile())
                .redirectOutput(out().toFile())
                .redirectError(err().toFile());
        pb.environment().remove("SCORIA_URL");
        pb.environment().remove("SCORIA_TOKEN");
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** Waits (bounded) for the banner's last line; fails with the replica's output if it exits or times out. */
    void awaitBanner(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(out(), StandardCharsets.UTF_8).contains("Press Ctrl+C")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "replica " + id + " exited with " + process.exitValue() + " while starting:\n" + output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("replica " + id + " did not start within " + timeout + ":\n" + output());
    }

    /** Waits (bounded) until {@code GET /ready} answers 200. */
    void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = readyStatus();
            if (last == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(
                "replica " + id + " not ready within " + timeout + " (last /ready: " + last + "):\n" + output());
    }

    /** The status of {@code GET /ready}, or -1 when nothing answers. */
    int readyStatus() throws InterruptedException {
        try {
            return PROBE.send(
                            HttpRequest.newBuilder(URI.create(baseUrl() + "/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The server process's id. */
    long pid() {
        return process.pid();
    }

    /** SIGKILL: no draining, no deregistration, as when a machine dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("replica " + id + " survived SIGKILL for 10 s");
        }
    }

    /** SIGTERM (what Kubernetes sends): the replica drains and exits on its own. */
    void terminate() {
        process.destroy();
    }

    /** Waits (bounded) for the process to exit and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("replica " + id + " did not exit within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    /** Everything the current process printed so far (standard output, then the tail of standard error). */
    String output() {
        try {
            String err = Files.readString(err(), StandardCharsets.UTF_8);
            return "--- " + out() + "\n" + Files.readString(out(), StandardCharsets.UTF_8) + "--- " + err()
                    + " (tail)\n" + err.substring(Math.max(0, err.length() - 6000));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private Path out() {
        return logDir.resolve(id + "-" + starts + ".out");
    }

    private Path err() {
        return logDir.resolve(id + "-" + starts + ".err");
    }

    /** Stops the replica if it runs: SIGTERM, then SIGKILL after {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGKILL without waiting, for a shutdown hook. */
    void destroyForcibly() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(10));
    }
}
