package dev.scoria.core.inference;

/**
 * One request on the inference path, as a protocol adapter made it: typed tensors, or the payload as
 * it came for predictors that read it themselves.
 */
public sealed interface InferenceRequest permits TensorRequest, PayloadRequest {

    /** The request id (echoed to the client, and on every log line written while it is scored). */
    String id();

    /** The protocol it came by, e.g. {@code azure} or {@code v2}: a metric label, never a branch in a runtime. */
    String protocol();
}
