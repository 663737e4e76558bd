package dev.scoria.scorer;

/** Writes lines to the service's log, which users read with {@code scoria service logs}. */
public interface ServiceLogger {

    void info(String message);

    void warn(String message);

    void error(String message, Throwable cause);
}
