package dev.scoria.core.runtime;

import dev.scoria.core.schema.IoSchema;

/**
 * A loaded service, ready to score. Called concurrently from worker threads, never from an event
 * loop; {@link #score} may block.
 */
public interface Predictor extends AutoCloseable {

    /** Whether requests must be JSON ({@code Content-Type: application/json}); others get 415. */
    boolean jsonOnly();

    /**
     * Scores one request. The returned value is written as the JSON response (arrays of primitives
     * are written without boxing). Bad input is a {@link dev.scoria.core.ScoriaException} of kind
     * BAD_INPUT.
     */
    Object score(ScoreCall call) throws Exception;

    /**
     * Whether a request of {@code bodyBytes} scores in a few microseconds of pure CPU, with no I/O and no
     * user code, so that handing it to another thread would cost more than scoring it where it arrived.
     * Only runtimes that know their cost say yes; the default is no.
     */
    default boolean scoresInline(int bodyBytes) {
        return false;
    }

    /** The service's input and output schema, from which its swagger document is generated. */
    IoSchema schema();

    @Override
    void close();
}
