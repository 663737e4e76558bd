package dev.scoria.core.serving;

import dev.scoria.core.inference.InferenceRequest;

/**
 * Turns what a protocol adapter received into an inference request. Run where the request is scored
 * (a worker thread, or inline), not on the thread that read it, so that a large body is parsed off the
 * event loop. Bad input throws a BAD_INPUT {@link dev.scoria.core.ScoriaException}.
 */
@FunctionalInterface
public interface RequestDecoder {

    InferenceRequest decode();
}
