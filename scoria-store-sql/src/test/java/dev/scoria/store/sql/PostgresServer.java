package dev.scoria.store.sql;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} binaries, a cluster of its own in a
 * temporary folder, listening on a free loopback port with password auth. Run as the {@code postgres}
 * user when the tests run as root (PostgreSQL refuses root). {@code .ci/run} installs the package.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "scoria";
    public static final String PASSWORD =
            "test-pw-" + UUID.randomUUID().toString().substring(0, 8);
    private static PostgresServer shared;

    private final Path bin;
    private final Path root;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path root, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** One server for the whole test JVM, stopped when it exits; each test takes a database of its own. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** A server of its own (for tests that stop or restart it). */
    public static PostgresServer start() {
        try {
            Path bin = findBinaries();
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "scoria-pg-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
            Path pw = dir.resolve("pwfile");
            Files.writeString(pw, PASSWORD + "\n", StandardCharsets.UTF_8);
            if (root) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            server.runAsOwner(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    server.data.toString(),
                    "-U",
                    USER,
                    "--pwfile=" + pw,
                    "--auth=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--no-sync"));
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start PostgreSQL for the tests: " + e.getMessage(), e);
        }
    }

    public void startServer() throws IOException {
        runAsOwner(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                root.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start"));
    }

    /** A fast stop: sessions are ended, as when a database server restarts for maintenance. */
    public void stopServer() throws IOException {
        runAsOwner(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
    }

    public void restart() throws IOException {
        stopServer();
        startServer();
    }

    public int port() {
        return port;
    }

    /** A new, empty database, as {@code postgresql://USER:PASSWORD@127.0.0.1:PORT/NAME}. */
    public String createDatabase() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database: " + e.getMessage(), e);
        }
        return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + name;
    }

    @Override
    public void close() {
        try {
            runAsOwner(
                    List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        } catch (IOException | RuntimeException e) {
            // Already stopped.
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // Left for the OS to clean.
        }
    }

    private void runAsOwner(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Path findBinaries() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                var found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparing(b -> Integer.parseInt(
                                b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IOException(
                "PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's postgresql"
                        + " package (apt-get install postgresql); .ci/run does");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
