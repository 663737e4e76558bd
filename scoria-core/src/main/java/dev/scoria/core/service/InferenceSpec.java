package dev.scoria.core.service;

import dev.scoria.core.model.ModelFile;
import java.util.Map;

/**
 * How a service scores: the runtime, and for code runtimes the code package (a JAR, stored by its
 * sha256), the entry point (a class name) and free-form settings handed to the code.
 */
public record InferenceSpec(String runtime, ModelFile code, String entry, Map<String, String> config) {

    public InferenceSpec {
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    public static InferenceSpec of(String runtime) {
        return new InferenceSpec(runtime, null, null, Map.of());
    }
}
