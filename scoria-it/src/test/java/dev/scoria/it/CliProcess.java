package dev.scoria.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code scoria} jar (what {@code ./scoria} runs) as a separate process. */
final class CliProcess {

    static final Path JAR =
            Path.of("..", "scoria-cli", "target", "scoria.jar").toAbsolutePath().normalize();

    private CliProcess() {}

    static List<String> command(String... args) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(
                    JAR + " is missing: the scoria-cli module must be packaged before scoria-it runs");
        }
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a short command to completion. */
    static Result run(Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile());
        pb.environment().remove("SCORIA_URL");
        pb.environment().remove("SCORIA_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[][] streams = new byte[2][];
        Thread err = new Thread(() -> {
            try {
                streams[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                streams[1] = new byte[0];
            }
        });
        err.start();
        streams[0] = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: scoria " + String.join(" ", args));
        }
        err.join();
        return new Result(
                p.exitValue(),
                new String(streams[0], StandardCharsets.UTF_8),
                new String(streams[1], StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** A {@code scoria serve} in the background, with its standard output collected. */
    static final class Server implements AutoCloseable {
        final Process process;
        final StringBuilder out = new StringBuilder();
        final int port;

        Server(Path workDir, String... args) throws IOException, InterruptedException {
            this.port = freePort();
            List<String> all = new ArrayList<>(List.of("serve", "--port", String.valueOf(port)));
            all.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command(all.toArray(String[]::new)))
                    .directory(workDir.toFile())
                    .redirectError(workDir.resolve("serve-" + port + ".err").toFile());
            process = pb.start();
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.currentTimeMillis() + 120_000;
            String line;
            while ((line = reader.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("Press Ctrl+C")) {
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    break;
                }
            }
            if (!out.toString().contains("Press Ctrl+C")) {
                close();
                throw new AssertionError("serve did not start:\n" + out + "\n"
                        + Files.readString(workDir.resolve("serve-" + port + ".err")));
            }
        }

        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        /** The value printed after {@code label} in the banner. */
        String printed(String label) {
            return out.toString()
                    .lines()
                    .filter(l -> l.trim().startsWith(label))
                    .findFirst()
                    .map(l -> l.trim().substring(label.length()).trim())
                    .orElseThrow(() -> new AssertionError("'" + label + "' not printed:\n" + out));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }
}
