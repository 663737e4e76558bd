package dev.scoria.scorer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Runs a scorer in a unit test, without a server: gives it a {@link ScorerContext} built from what
 * the test supplies, calls {@code init} once, then {@code run} as Scoria would, and keeps what the
 * scorer logged.
 *
 * <pre>{@code
 * try (ScorerHarness<DiabetesScorer> harness = ScorerHarness.of(new DiabetesScorer())
 *         .modelDir(dir).config("riskThreshold", "200").onnx("diabetes", fakeModel).init()) {
 *     Object answer = harness.run(new DiabetesScorer.Request(patients));   // JsonScorer: the typed input
 *     assertThat(harness.logLines()).contains("INFO loaded");
 * }
 * }</pre>
 *
 * <p>What it does not do: Jackson conversion (a {@link JsonScorer} gets the typed input the test
 * gives; the server converts JSON to it), serialisation of answers, pooling or time limits. Those
 * are exercised against a real server.
 *
 * @param <S> the scorer under test
 */
public final class ScorerHarness<S extends Scorer> implements AutoCloseable {

    private final S scorer;
    private final HarnessContext context;
    private boolean closed;

    private ScorerHarness(S scorer, HarnessContext context) {
        this.scorer = scorer;
        this.context = context;
    }

    /** Starts configuring a harness around {@code scorer}; nothing is called on it until {@link Builder#init()}. */
    public static <S extends Scorer> Builder<S> of(S scorer) {
        return new Builder<>(Objects.requireNonNull(scorer, "scorer"), null, "harness", Map.of(), Map.of());
    }

    /** The scorer, initialised. */
    public S scorer() {
        return scorer;
    }

    /** The context the scorer was given at {@code init}. */
    public ScorerContext context() {
        return context;
    }

    /**
     * Calls a {@link JsonScorer} with {@code input} as it would receive it from Scoria after JSON
     * conversion (a record, a {@code Map}, a list…), and answers what it returned.
     *
     * @throws IllegalStateException if the scorer is not a {@link JsonScorer}, or the harness is closed
     * @throws Exception whatever the scorer throws (Scoria would answer 502)
     */
    @SuppressWarnings("unchecked")
    public Object run(Object input) throws Exception {
        checkOpen();
        if (!(scorer instanceof JsonScorer<?> json)) {
            throw new IllegalStateException(scorer.getClass().getName() + " is a RawScorer: call run(ScoreRequest)");
        }
        return ((JsonScorer<Object>) json).run(input);
    }

    /**
     * Calls a {@link RawScorer} with {@code request} (see {@link ScoreRequest#post}) and answers its response.
     *
     * @throws IllegalStateException if the scorer is not a {@link RawScorer}, or the harness is closed
     * @throws Exception whatever the scorer throws (Scoria would answer 502)
     */
    public ScoreResponse run(ScoreRequest request) throws Exception {
        checkOpen();
        if (!(scorer instanceof RawScorer raw)) {
            throw new IllegalStateException(scorer.getClass().getName()
                    + " is a JsonScorer: call run(input) with the value Scoria would convert the JSON to");
        }
        return raw.run(Objects.requireNonNull(request, "request"));
    }

    /**
     * Every line the scorer logged so far, oldest first, as {@code "INFO message"}, {@code "WARN message"}
     * or {@code "ERROR message"} (an error's stack trace follows on the next lines of the same entry).
     */
    public List<String> logLines() {
        synchronized (context.lines) {
            return List.copyOf(context.lines);
        }
    }

    /** Closes the scorer (as Scoria does when the service is deleted or redeployed); idempotent. */
    @Override
    public void close() throws Exception {
        if (!closed) {
            closed = true;
            scorer.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the harness is closed");
        }
    }

    /**
     * Configures a {@link ScorerHarness}. Each setter returns a new builder and leaves this one as it
     * was, so a test can share a base configuration between cases.
     *
     * @param <S> the scorer under test
     */
    public static final class Builder<S extends Scorer> {
        private final S scorer;
        private final Path modelDir;
        private final String serviceName;
        private final Map<String, String> config;
        private final Map<String, OnnxModel> models;

        private Builder(
                S scorer,
                Path modelDir,
                String serviceName,
                Map<String, String> config,
                Map<String, OnnxModel> models) {
            this.scorer = scorer;
            this.modelDir = modelDir;
            this.serviceName = serviceName;
            this.config = config;
            this.models = models;
        }

        /** What {@link ScorerContext#modelDir()} answers; without it, calling that method fails the test. */
        public Builder<S> modelDir(Path dir) {
            return new Builder<>(scorer, Objects.requireNonNull(dir, "dir"), serviceName, config, models);
        }

        /** What {@link ScorerContext#serviceName()} answers; {@code harness} by default. */
        public Builder<S> serviceName(String name) {
            return new Builder<>(scorer, modelDir, Objects.requireNonNull(name, "name"), config, models);
        }

        /** Adds one setting, as {@code --config key=value} does at deploy. */
        public Builder<S> config(String key, String value) {
            Map<String, String> next = new LinkedHashMap<>(config);
            next.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return new Builder<>(scorer, modelDir, serviceName, Collections.unmodifiableMap(next), models);
        }

        /** Adds several settings. */
        public Builder<S> config(Map<String, String> settings) {
            Builder<S> b = this;
            for (Map.Entry<String, String> e : settings.entrySet()) {
                b = b.config(e.getKey(), e.getValue());
            }
            return b;
        }

        /**
         * Makes {@code model} what {@link ScorerContext#onnx(String) context.onnx(name)} answers: a fake
         * written for the test, or a real model the test loads itself.
         */
        public Builder<S> onnx(String name, OnnxModel model) {
            Map<String, OnnxModel> next = new LinkedHashMap<>(models);
            next.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(model, "model"));
            return new Builder<>(scorer, modelDir, serviceName, config, Collections.unmodifiableMap(next));
        }

        /**
         * Calls the scorer's {@code init} with the configured context and answers the ready harness.
         *
         * @throws Exception what {@code init} throws (Scoria would mark the service Failed)
         */
        public ScorerHarness<S> init() throws Exception {
            HarnessContext context = new HarnessContext(modelDir, serviceName, config, models);
            scorer.init(context);
            return new ScorerHarness<>(scorer, context);
        }
    }

    private static final class HarnessContext implements ScorerContext, ServiceLogger {
        private final Path modelDir;
        private final String serviceName;
        private final Map<String, String> config;
        private final Map<String, OnnxModel> models;
        final List<String> lines = new ArrayList<>();

        HarnessContext(Path modelDir, String serviceName, Map<String, String> config, Map<String, OnnxModel> models) {
            this.modelDir = modelDir;
            this.serviceName = serviceName;
            this.config = config;
            this.models = models;
        }

        @Override
        public Path modelDir() {
            if (modelDir == null) {
                throw new IllegalStateException(
                        "the scorer asked for its model directory: give one with ScorerHarness.of(…).modelDir(path)");
            }
            return modelDir;
        }

        @Override
        public String serviceName() {
            return serviceName;
        }

        @Override
        public Map<String, String> config() {
            return config;
        }

        @Override
        public ServiceLogger logger() {
            return this;
        }

        @Override
        public OnnxModel onnx(String modelName) {
            OnnxModel model = models.get(modelName);
            if (model == null) {
                throw new IllegalArgumentException(
                        "the service has no model '" + modelName + "': registered " + new TreeSet<>(models.keySet()));
            }
            return model;
        }

        @Override
        public void info(String message) {
            add("INFO " + message);
        }

        @Override
        public void warn(String message) {
            add("WARN " + message);
        }

        @Override
        public void error(String message, Throwable cause) {
            if (cause == null) {
                add("ERROR " + message);
                return;
            }
            StringWriter trace = new StringWriter();
            cause.printStackTrace(new PrintWriter(trace));
            add("ERROR " + message + System.lineSeparator() + trace.toString().stripTrailing());
        }

        private void add(String line) {
            synchronized (lines) {
                lines.add(line);
            }
        }
    }
}
