package dev.scoria.core.inference;

/**
 * How one request of a batch ended: its result, or the failure it alone ends with (a bad request in a
 * batch fails alone; the others still get their answers).
 */
public sealed interface InferenceOutcome {

    record Success(InferenceResult result) implements InferenceOutcome {}

    record Failure(Exception error) implements InferenceOutcome {}

    static InferenceOutcome of(InferenceResult result) {
        return new Success(result);
    }

    static InferenceOutcome failed(Exception error) {
        return new Failure(error);
    }
}
