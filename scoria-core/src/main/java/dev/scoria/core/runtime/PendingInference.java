package dev.scoria.core.runtime;

/**
 * A request a predictor has started scoring through {@link Predictor#inferAsync} and may not have
 * answered yet.
 */
@FunctionalInterface
public interface PendingInference {

    /** For a request that was answered before {@link Predictor#inferAsync} returned. */
    PendingInference ANSWERED = () -> {};

    /**
     * Its caller gave up on it (it ran past {@code scoringTimeoutMs}): stop it and free what it holds; its
     * answer, if one still comes, is dropped. Must not block, and may be called more than once.
     */
    void abandon();
}
