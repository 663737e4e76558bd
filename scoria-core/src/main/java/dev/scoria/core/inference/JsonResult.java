package dev.scoria.core.inference;

import java.util.Objects;

/**
 * A JSON value, already serialised by the runtime (with its own mapper, so that no class of user code
 * is cached by the server's). The Azure route sends it as it is; the Open Inference Protocol wraps it.
 */
public record JsonResult(byte[] json) implements InferenceResult {

    public JsonResult {
        Objects.requireNonNull(json, "json");
    }
}
