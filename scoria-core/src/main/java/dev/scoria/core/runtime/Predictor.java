package dev.scoria.core.runtime;

import dev.scoria.core.schema.IoSchema;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Why this loaded predictor cannot score right now (say, every worker process it runs died and is
     * being restarted), or null while it can. The service is shown {@code Unhealthy} meanwhile and
     * requests get 503; called on every request, so it must be cheap.
     */
    default String healthProblem() {
        return null;
    }

    /**
     * Whether {@link #scoreBatch} merges requests into one model call. Only runtimes whose model takes
     * any number of rows, and whose results for a row do not depend on the other rows, say yes.
     */
    default boolean batchable() {
        return false;
    }

    /**
     * Scores several requests in one model call. Element {@code i} of the answer is what request
     * {@code i} gets: its value, or the exception it fails with (a bad request fails alone).
     */
    default List<Object> scoreBatch(List<ScoreCall> calls) {
        List<Object> results = new ArrayList<>(calls.size());
        for (ScoreCall call : calls) {
            try {
                results.add(score(call));
            } catch (Exception e) {
                results.add(e);
            }
        }
        return results;
    }

    /** The service's input and output schema, from which its swagger document is generated. */
    IoSchema schema();

    @Override
    void close();
}
