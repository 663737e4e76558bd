package dev.scoria.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Objects;

/**
 * How a web service turns requests into predictions: which runtime scores it and, optionally, a sample
 * request. The counterpart of Azure ML's {@code InferenceConfig}; immutable, built with {@link #builder()}.
 *
 * @param runtime the runtime that scores the models, {@code onnx} (no code: ONNX Runtime runs the model) by default
 * @param inputExample a sample request body as JSON text, or null. The server runs it once while deploying
 *     (a deployment fails if it does not fit the model) and shows it as the swagger document's example.
 */
public record InferenceConfig(String runtime, String inputExample) {

    /** The runtime used when none is named. */
    public static final String DEFAULT_RUNTIME = "onnx";

    public InferenceConfig {
        Objects.requireNonNull(runtime, "runtime");
        if (runtime.isBlank()) {
            throw new IllegalArgumentException("runtime must not be blank");
        }
        if (inputExample != null) {
            try {
                Json.MAPPER.readTree(inputExample);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("inputExample is not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    /** The {@code onnx} runtime and no input example. */
    public static InferenceConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link InferenceConfig}. */
    public static final class Builder {
        private String runtime = DEFAULT_RUNTIME;
        private String inputExample;

        private Builder() {
        }

        public Builder runtime(String runtime) {
            this.runtime = runtime;
            return this;
        }

        /** A sample request body, as JSON text, e.g. {@code {"data": [[0.1, 0.2]]}}. */
        public Builder inputExample(String json) {
            this.inputExample = json;
            return this;
        }

        public InferenceConfig build() {
            return new InferenceConfig(runtime, inputExample);
        }
    }
}
