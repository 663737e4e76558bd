package dev.scoria.core.service;

import dev.scoria.core.store.Store;
import dev.scoria.scorer.ServiceLogger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One log file per service under {@code <data-dir>/logs}, what {@code scoria service logs} shows:
 * deployment progress, load errors, and lines from user code. Kept on disk so that the reason a
 * service failed survives a restart; with a shared store, also in the database, tagged by replica.
 */
public final class ServiceLogs implements AutoCloseable {

    private static final long MAX_BYTES = 8L * 1024 * 1024;
    /** Lines waiting to be shipped while the database is away; beyond this the oldest are dropped. */
    private static final int MAX_PENDING = 10_000;

    private final Path dir;
    private final Store shared;
    private final String replicaId;
    private final ArrayDeque<LogLine> pending = new ArrayDeque<>();
    private final ScheduledExecutorService shipper;

    /** Logs kept in files under {@code dir} only (one replica). */
    public ServiceLogs(Path dir) throws IOException {
        this(dir, null, null);
    }

    /**
     * Logs also shipped to the shared store in batches, tagged with {@code replicaId}, so that any replica
     * shows every replica's lines. Shipping happens off the caller's thread: user code that prints never
     * waits for the database.
     */
    public ServiceLogs(Path dir, Store shared, String replicaId) throws IOException {
        this.dir = dir;
        this.shared = shared;
        this.replicaId = replicaId;
        Files.createDirectories(dir);
        if (shared != null) {
            shipper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("scoria-log-shipper-"));
            shipper.scheduleWithFixedDelay(this::ship, 200, 200, TimeUnit.MILLISECONDS);
        } else {
            shipper = null;
        }
    }

    private void ship() {
        List<LogLine> batch;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(pending);
        }
        try {
            shared.appendLogLines(batch);
            synchronized (pending) {
                for (int i = 0; i < batch.size() && !pending.isEmpty(); i++) {
                    pending.removeFirst();
                }
            }
        } catch (RuntimeException e) {
            // The database is away: keep the lines (bounded) and try again on the next tick.
        }
    }

    /** Ships what is pending now (used before a replica stops, and by tests). */
    public void flush() {
        if (shipper != null) {
            ship();
        }
    }

    @Override
    public void close() {
        if (shipper != null) {
            shipper.shutdownNow();
            ship();
        }
    }

    public ServiceLogger forService(String service) {
        return new ServiceLogger() {
            @Override
            public void info(String message) {
                append(service, "INFO", message);
            }

            @Override
            public void warn(String message) {
                append(service, "WARN", message);
            }

            @Override
            public void error(String message, Throwable cause) {
                String text = message;
                if (cause != null) {
                    StringWriter trace = new StringWriter();
                    cause.printStackTrace(new PrintWriter(trace));
                    text = message + "\n" + trace.toString().stripTrailing();
                }
                append(service, "ERROR", text);
            }
        };
    }

    public synchronized void append(String service, String level, String message) {
        Path file = file(service);
        Instant now = Instant.now();
        if (shared != null) {
            synchronized (pending) {
                if (pending.size() >= MAX_PENDING) {
                    pending.removeFirst();
                }
                pending.addLast(new LogLine(service, now, replicaId, level, message));
            }
        }
        String line = now + " " + level + " " + message + "\n";
        try {
            if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
                Files.move(file, dir.resolve(service + ".log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the log of service " + service, e);
        }
    }

    /** The last {@code lines} lines of the service's log (all when lines is 0 or less). */
    public synchronized String tail(String service, int lines) {
        if (shared != null) {
            flush();
            StringBuilder text = new StringBuilder();
            for (LogLine line : shared.tailLog(service, lines)) {
                text.append(line.format()).append('\n');
            }
            return text.toString();
        }
        Path file = file(service);
        if (!Files.exists(file)) {
            return "";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = lines > 0 && all.size() > lines ? all.subList(all.size() - lines, all.size()) : all;
            return kept.isEmpty() ? "" : String.join("\n", new ArrayList<>(kept)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the log of service " + service, e);
        }
    }

    public synchronized void delete(String service) {
        try {
            Files.deleteIfExists(file(service));
            Files.deleteIfExists(dir.resolve(service + ".log.1"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the log of service " + service, e);
        }
    }

    private Path file(String service) {
        return dir.resolve(service + ".log");
    }
}
