package dev.scoria.examples.multi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.examples.multi.EnsembleScorer.Answer;
import dev.scoria.examples.multi.EnsembleScorer.Request;
import dev.scoria.examples.multi.EnsembleScorer.RowPrediction;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.ScorerHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleScorerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final double[] ROW1 = {
        0.0199132141783263,
        0.0506801187398187,
        0.104808689473925,
        0.0700725447072635,
        -0.0359677812752396,
        -0.0266789028311707,
        -0.0249926566315915,
        -0.00259226199818282,
        0.00371173823343597,
        0.0403433716478807
    };
    static final double[] ROW2 = {
        -0.0127796318808497,
        -0.044641636506989,
        0.0606183944448076,
        0.0528581912385822,
        0.0479653430750293,
        0.0293746718291555,
        -0.0176293810234174,
        0.0343088588777263,
        0.0702112981933102,
        0.00720651632920303
    };

    @TempDir
    Path modelDir;

    final RidgeModel float64 = new RidgeModel(false);
    final RidgeModel float32 = new RidgeModel(true);

    @BeforeEach
    void layOutModels() throws Exception {
        // As Scoria lays out a service of several models: <name>/<version>/<files>.
        for (String folder : new String[] {"diabetes/1", "diabetes32/1", "diabetes32/10", "diabetes32/2"}) {
            Files.createDirectories(modelDir.resolve(folder));
            Files.writeString(modelDir.resolve(folder).resolve("model.onnx"), "stand-in");
        }
        Files.writeString(modelDir.resolve("README"), "a stray file is not a model");
    }

    ScorerHarness<EnsembleScorer> harness(String... config) throws Exception {
        var builder = ScorerHarness.of(new EnsembleScorer())
                .modelDir(modelDir)
                .onnx("diabetes", float64)
                .onnx("diabetes32", float32);
        for (int i = 0; i < config.length; i += 2) {
            builder = builder.config(config[i], config[i + 1]);
        }
        return builder.init();
    }

    @Test
    void bothModelsAndTheirMeanPerRow() throws Exception {
        try (var harness = harness()) {
            Answer answer = (Answer) harness.run(new Request(new double[][] {ROW1, ROW2}));
            assertThat(answer.models()).containsExactly("diabetes:1", "diabetes32:1", "diabetes32:2", "diabetes32:10");
            assertThat(answer.predictions()).hasSize(2);
            RowPrediction first = answer.predictions().get(0);
            assertThat(first.diabetes()).isCloseTo(217.67978776218715, within(1e-9));
            assertThat(first.diabetes32())
                    .isCloseTo(217.67978776218715, within(1e-3))
                    .isNotEqualTo(first.diabetes());
            assertThat(first.mean()).isEqualTo((first.diabetes() + first.diabetes32()) / 2);
            assertThat(answer.predictions().get(1).diabetes()).isCloseTo(224.78937091757172, within(1e-9));
            assertThat(float64.calls).isEqualTo(1);
            assertThat(float32.calls).isEqualTo(1);
            assertThat(harness.logLines())
                    .containsExactly(
                            "INFO ensemble of [diabetes:1, diabetes32:1, diabetes32:2, diabetes32:10], caching 1024 rows per instance");
        }
    }

    @Test
    void repeatedRowsComeFromTheCacheAndOnlyNewRowsReachTheModels() throws Exception {
        try (var harness = harness()) {
            Answer first = (Answer) harness.run(new Request(new double[][] {ROW1}));
            Answer second = (Answer) harness.run(new Request(new double[][] {ROW2, ROW1}));
            assertThat(second.predictions().get(1))
                    .isEqualTo(first.predictions().get(0));
            assertThat(float64.rows).isEqualTo(2);
            assertThat(float32.rows).isEqualTo(2);
            harness.run(new Request(new double[][] {ROW1, ROW2}));
            assertThat(float64.calls).isEqualTo(2);
        }
    }

    @Test
    void cacheKeepsOnlyTheConfiguredNumberOfRows() throws Exception {
        try (var harness = harness("cacheRows", "1")) {
            harness.run(new Request(new double[][] {ROW1}));
            harness.run(new Request(new double[][] {ROW2}));
            harness.run(new Request(new double[][] {ROW1}));
            assertThat(float64.rows).isEqualTo(3);
        }
        try (var none = harness("cacheRows", "0")) {
            none.run(new Request(new double[][] {ROW1}));
            none.run(new Request(new double[][] {ROW1}));
            assertThat(float64.rows).isEqualTo(5);
        }
        assertThatThrownBy(() -> harness("cacheRows", "many"))
                .hasMessage("config cacheRows must be a whole number, got 'many'");
    }

    @Test
    void declaresItselfNotThreadSafeSoScoriaPoolsIt() {
        assertThat(new EnsembleScorer().threadSafe()).isFalse();
    }

    @Test
    void rowsOfTheWrongWidthAre400() throws Exception {
        try (var harness = harness()) {
            ScoreResponse response = (ScoreResponse) harness.run(new Request(new double[][] {ROW1, {1, 2, 3}}));
            assertThat(response.status()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("message").asText())
                    .isEqualTo("data[1] has 3 values, expected 10");
            assertThat(((ScoreResponse) harness.run(new Request(null))).status())
                    .isEqualTo(400);
            assertThat(float64.calls).isZero();
        }
    }

    @Test
    void aSingleModelDirectoryFailsInitWithTheFix() throws Exception {
        Path single = Files.createDirectories(modelDir.resolve("single"));
        Files.writeString(single.resolve("model.onnx"), "stand-in");
        var builder = ScorerHarness.of(new EnsembleScorer())
                .modelDir(single)
                .onnx("diabetes", float64)
                .onnx("diabetes32", float32);
        assertThatThrownBy(builder::init)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--model diabetes:N and --model diabetes32:N");
    }

    @Test
    void declaredSamplesConvertToTheRequestType() throws Exception {
        try (var harness = harness()) {
            Request sample = JSON.readValue(harness.scorer().schema().inputSample(), Request.class);
            assertThat(sample.data()[0]).containsExactly(ROW1);
            var declared = JSON.readTree(harness.scorer().schema().outputSample());
            var actual = JSON.valueToTree(harness.run(sample));
            assertThat(actual.fieldNames()).toIterable().containsExactly("models", "predictions");
            assertThat(actual.get("predictions").get(0).fieldNames())
                    .toIterable()
                    .containsExactlyElementsOf(
                            () -> declared.get("predictions").get(0).fieldNames());
        }
    }
}
