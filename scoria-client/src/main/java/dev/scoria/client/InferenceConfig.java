package dev.scoria.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a web service turns requests into predictions: which runtime scores it, its code (for the
 * {@code java} runtime: a scorer JAR and its entry class, as Azure ML's entry script and source
 * directory), settings for that code, and the samples or document its swagger is made from. The
 * counterpart of Azure ML's {@code InferenceConfig}; immutable, built with {@link #builder()}.
 *
 * @param runtime the runtime, {@code onnx} (no code: ONNX Runtime runs the model) by default, {@code java}, or
 *     {@code python} (an entry script, or with no code a {@code ScikitLearn} model served by its built-in script)
 * @param code the scorer JAR ({@code java} runtime) or entry script / zip ({@code python}) to upload with the
 *     deployment, or null
 * @param entry the scorer's class name ({@code java} runtime) or the script's path in the zip ({@code python}),
 *     or null
 * @param config settings handed to the scorer's {@code ScorerContext.config()}
 * @param inputExample a sample request body as JSON text, or null. The server runs it once while deploying
 *     an {@code onnx} service (a deployment fails if it does not fit the model); the swagger document is
 *     generated from it and shows it as the example.
 * @param outputExample a sample answer as JSON text, or null: the swagger document's output schema
 * @param swagger a Swagger 2.0 or OpenAPI 3 document (JSON text) served instead of a generated one, or null
 */
public record InferenceConfig(
        String runtime,
        Path code,
        String entry,
        Map<String, String> config,
        String inputExample,
        String outputExample,
        String swagger) {

    /** The runtime used when none is named. */
    public static final String DEFAULT_RUNTIME = "onnx";

    public InferenceConfig {
        Objects.requireNonNull(runtime, "runtime");
        if (runtime.isBlank()) {
            throw new IllegalArgumentException("runtime must not be blank");
        }
        if (code != null && !Files.isRegularFile(code)) {
            throw new IllegalArgumentException(
                    "code " + code + " is not a file: give the scorer JAR or the entry script");
        }
        config = config == null ? Map.of() : Json.orderedCopy(config);
        requireJson("inputExample", inputExample);
        requireJson("outputExample", outputExample);
        requireJson("swagger", swagger);
    }

    private static void requireJson(String field, String json) {
        if (json != null) {
            try {
                Json.MAPPER.readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(field + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
    }

    /** The {@code onnx} runtime and no samples. */
    public static InferenceConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link InferenceConfig}. */
    public static final class Builder {
        private String runtime = DEFAULT_RUNTIME;
        private Path code;
        private String entry;
        private Map<String, String> config;
        private String inputExample;
        private String outputExample;
        private String swagger;

        private Builder() {}

        public Builder runtime(String runtime) {
            this.runtime = runtime;
            return this;
        }

        /** The {@code java} runtime with this scorer JAR and entry class. */
        public Builder javaScorer(Path jar, String entryClass) {
            this.runtime = "java";
            this.code = jar;
            this.entry = entryClass;
            return this;
        }

        /**
         * The {@code python} runtime with this Azure ML entry script ({@code score.py}) or a zip of its source
         * folder; {@code entry} is the script's path inside the zip, or null for {@code score.py}.
         */
        public Builder pythonScript(Path script, String entry) {
            this.runtime = "python";
            this.code = script;
            this.entry = entry;
            return this;
        }

        public Builder config(Map<String, String> config) {
            this.config = config;
            return this;
        }

        /** A sample request body, as JSON text, e.g. {@code {"data": [[0.1, 0.2]]}}. */
        public Builder inputExample(String json) {
            this.inputExample = json;
            return this;
        }

        /** A sample answer, as JSON text. */
        public Builder outputExample(String json) {
            this.outputExample = json;
            return this;
        }

        /** A swagger document (JSON text) to serve instead of a generated one. */
        public Builder swagger(String json) {
            this.swagger = json;
            return this;
        }

        public InferenceConfig build() {
            return new InferenceConfig(runtime, code, entry, config, inputExample, outputExample, swagger);
        }
    }
}
