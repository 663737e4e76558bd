package dev.scoria.core.service;

import dev.scoria.scorer.ServiceLogger;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One log file per service under {@code <data-dir>/logs}, what {@code scoria service logs} shows:
 * deployment progress, load errors, and lines from user code. Kept on disk so that the reason a
 * service failed survives a restart.
 */
public final class ServiceLogs {

    private static final long MAX_BYTES = 8L * 1024 * 1024;
    private final Path dir;

    public ServiceLogs(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
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
        String line = Instant.now() + " " + level + " " + message + "\n";
        try {
            if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
                Files.move(file, dir.resolve(service + ".log.1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the log of service " + service, e);
        }
    }

    /** The last {@code lines} lines of the service's log (all when lines is 0 or less). */
    public synchronized String tail(String service, int lines) {
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
