package dev.scoria.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerHarnessTest {

    /** Doubles its input through a one-input model and remembers what init saw. */
    static final class Doubler implements JsonScorer<List<Double>> {
        ScorerContext seen;
        OnnxModel model;
        int closes;

        @Override
        public void init(ScorerContext context) {
            seen = context;
            model = context.onnx(context.config().getOrDefault("model", "twice"));
            context.logger().info("ready with " + context.config());
        }

        @Override
        public Object run(List<Double> input) throws Exception {
            double[] values = input.stream().mapToDouble(Double::doubleValue).toArray();
            return model.run(Tensor.of(values, values.length)).asDoubles();
        }

        @Override
        public void close() {
            closes++;
        }
    }

    static final class Echo implements RawScorer {
        @Override
        public void init(ScorerContext context) {
            context.logger().warn("raw " + context.serviceName());
        }

        @Override
        public ScoreResponse run(ScoreRequest request) {
            if (request.body().length == 0) {
                throw new IllegalStateException("empty body");
            }
            return ScoreResponse.bytes(200, request.contentType(), request.body());
        }
    }

    static final OnnxModel TWICE = new OnnxModel() {
        @Override
        public List<String> inputNames() {
            return List.of("x");
        }

        @Override
        public List<String> outputNames() {
            return List.of("y");
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs) {
            Tensor x = inputs.get("x");
            double[] in = x.asDoubles();
            double[] out = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = 2 * in[i];
            }
            return Map.of("y", Tensor.of(out, x.shape()));
        }
    };

    @Test
    void jsonScorerGetsItsContextAndTypedInput() throws Exception {
        Doubler doubler = new Doubler();
        Path dir = Path.of("models");
        try (ScorerHarness<Doubler> harness = ScorerHarness.of(doubler)
                .modelDir(dir)
                .serviceName("svc")
                .config("k", "v")
                .onnx("twice", TWICE)
                .init()) {
            assertThat(harness.scorer()).isSameAs(doubler);
            assertThat(doubler.seen).isSameAs(harness.context());
            assertThat(doubler.seen.modelDir()).isEqualTo(dir);
            assertThat(doubler.seen.serviceName()).isEqualTo("svc");
            assertThat(doubler.seen.config()).containsExactly(Map.entry("k", "v"));
            assertThat((double[]) harness.run(List.of(1.5, -2.0))).containsExactly(3.0, -4.0);
            assertThat(harness.logLines()).containsExactly("INFO ready with {k=v}");
        }
        assertThat(doubler.closes).isEqualTo(1);
    }

    @Test
    void rawScorerGetsTheRequest() throws Exception {
        try (ScorerHarness<Echo> harness =
                ScorerHarness.of(new Echo()).serviceName("raw-svc").init()) {
            ScoreResponse response = harness.run(ScoreRequest.post("image/png; q=1", new byte[] {1, 2, 3}));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).containsEntry("Content-Type", "image/png");
            assertThat(response.body()).containsExactly(1, 2, 3);
            assertThat(harness.logLines()).containsExactly("WARN raw raw-svc");
            assertThatThrownBy(() -> harness.run(ScoreRequest.post("text/plain", new byte[0])))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("empty body");
        }
    }

    @Test
    void unknownModelIsAnIllegalArgumentNamingTheRegisteredOnes() {
        var builder = ScorerHarness.of(new Doubler())
                .config("model", "thrice")
                .onnx("twice", TWICE)
                .onnx("once", TWICE);
        assertThatThrownBy(builder::init)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'thrice'")
                .hasMessageContaining("[once, twice]");
    }

    @Test
    void modelDirWithoutOneIsAClearFailure() throws Exception {
        try (var harness = ScorerHarness.of(new Doubler()).onnx("twice", TWICE).init()) {
            assertThatThrownBy(() -> harness.context().modelDir())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("modelDir(path)");
        }
    }

    @Test
    void buildersAreNotChangedBySetters() throws Exception {
        var base = ScorerHarness.of(new Doubler()).onnx("twice", TWICE).config("a", "1");
        var withMore = base.config(Map.of("b", "2"));
        base.config("c", "3");
        assertThat(base.init().context().config()).containsExactly(Map.entry("a", "1"));
        assertThat(withMore.init().context().config()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThatThrownBy(() -> base.init().context().config().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void wrongRunForTheScorerKindSaysWhichToCall() throws Exception {
        try (var json = ScorerHarness.of(new Doubler()).onnx("twice", TWICE).init();
                var raw = ScorerHarness.of(new Echo()).init()) {
            assertThatThrownBy(() ->
                            json.run(ScoreRequest.post("application/json", "[1]".getBytes(StandardCharsets.UTF_8))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("call run(input)");
            assertThatThrownBy(() -> raw.run((Object) List.of(1.0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("call run(ScoreRequest)");
        }
    }

    @Test
    void errorsKeepTheirStackTraceAndConcurrentLogsAreAllKept() throws Exception {
        try (var harness = ScorerHarness.of(new Echo()).init()) {
            ServiceLogger log = harness.context().logger();
            log.error("failed", new IllegalArgumentException("bad pixel"));
            log.error("no cause", null);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 500; i++) {
                        log.info("line");
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            List<String> lines = harness.logLines();
            assertThat(lines.get(1))
                    .startsWith(
                            "ERROR failed" + System.lineSeparator() + "java.lang.IllegalArgumentException: bad pixel")
                    .contains("at dev.scoria.scorer.ScorerHarnessTest");
            assertThat(lines.get(2)).isEqualTo("ERROR no cause");
            assertThat(lines).hasSize(3 + 8 * 500);
        }
    }

    @Test
    void closedHarnessRefusesRunsAndClosesOnce() throws Exception {
        Doubler doubler = new Doubler();
        var harness = ScorerHarness.of(doubler).onnx("twice", TWICE).init();
        harness.close();
        harness.close();
        assertThat(doubler.closes).isEqualTo(1);
        assertThatThrownBy(() -> harness.run(List.of(1.0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the harness is closed");
    }
}
