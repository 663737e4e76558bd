package dev.scoria.scorer;

/**
 * User scoring code: {@link #init} runs once when the service is deployed, {@link #run} once per
 * request. Implementations must be safe to call from several threads at once unless they report
 * otherwise through {@link #threadSafe()}.
 *
 * @param <I> what one request is turned into before it reaches the scorer
 * @param <O> what the scorer returns; Scoria serialises it as the response
 */
public interface Scorer<I, O> extends AutoCloseable {

    /** Called once before the first request; a thrown exception marks the service Failed. */
    void init(ScorerContext context) throws Exception;

    /** Called for every request. A thrown exception is answered with 502 and logged to the service log. */
    O run(I input) throws Exception;

    /** Whether one instance may serve concurrent requests. Scoria keeps a pool when it may not. */
    default boolean threadSafe() {
        return true;
    }

    @Override
    default void close() throws Exception {
    }
}
