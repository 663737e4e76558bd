package dev.scoria.scorer;

/**
 * The lifecycle every scorer shares. Implement {@link JsonScorer} (JSON in, any value out) or
 * {@link RawScorer} (the HTTP request in, a {@link ScoreResponse} out), not this interface alone.
 *
 * <p>Thread-safety contract: by default Scoria creates <b>one instance per service</b> and calls
 * {@code run} from several threads at once (up to the service's
 * {@code maxConcurrentRequestsPerContainer}). A scorer that cannot allow that returns false from
 * {@link #threadSafe()}: Scoria then keeps a pool of instances, each {@code init}ed once and used by
 * one request at a time.
 */
public interface Scorer extends AutoCloseable {

    /**
     * Called once per instance before its first request, with the service's models and settings. A
     * thrown exception marks the service {@code Failed}, its message shown by {@code scoria service show}.
     */
    void init(ScorerContext context) throws Exception;

    /** Whether one instance may serve concurrent requests; false makes Scoria keep a pool of instances. */
    default boolean threadSafe() {
        return true;
    }

    /**
     * Sample input and output, from which the service's swagger document is generated (as Azure's
     * {@code @input_schema}/{@code @output_schema} do). Null: samples given at deploy, or none.
     */
    default ScorerSchema schema() {
        return null;
    }

    /** Called when the service is deleted or redeployed. */
    @Override
    default void close() throws Exception {}
}
