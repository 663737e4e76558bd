package dev.scoria.examples.typed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.examples.typed.DiabetesScorer.Answer;
import dev.scoria.examples.typed.DiabetesScorer.Patient;
import dev.scoria.examples.typed.DiabetesScorer.Request;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.ScorerHarness;
import dev.scoria.scorer.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiabetesScorerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final double FIRST = 217.67978776218715;
    static final double SECOND = 224.78937091757172;

    final RidgeModel model = new RidgeModel();

    ScorerHarness<DiabetesScorer> harness(String... config) throws Exception {
        var builder = ScorerHarness.of(new DiabetesScorer()).onnx("diabetes", model);
        for (int i = 0; i < config.length; i += 2) {
            builder = builder.config(config[i], config[i + 1]);
        }
        return builder.init();
    }

    static Request sample() throws Exception {
        // Converted as Scoria converts a request body, so the test covers the JSON names of the record.
        return JSON.readValue(DiabetesScorer.INPUT_SAMPLE, Request.class);
    }

    @Test
    void namedFeaturesGiveTheDocumentedPredictions() throws Exception {
        try (var harness = harness()) {
            Answer answer = (Answer) harness.run(sample());
            assertThat(answer.predictions()).hasSize(2);
            assertThat(answer.predictions().get(0).progression()).isCloseTo(FIRST, within(1e-9));
            assertThat(answer.predictions().get(1).progression()).isCloseTo(SECOND, within(1e-9));
            assertThat(answer.predictions())
                    .extracting(DiabetesScorer.Prediction::risk)
                    .containsExactly("high", "high");
            assertThat(harness.logLines()).containsExactly("INFO diabetes model inputs [input], risk threshold 200.0");
        }
    }

    @Test
    void featureOrderFollowsTheModelNotTheRequest() throws Exception {
        // Only bmi set: the answer must move by exactly bmi's coefficient, which it would not if bmi
        // were fed in another position.
        Patient bmiOnly = new Patient(0.0, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        try (var harness = harness()) {
            Answer answer = (Answer) harness.run(new Request(List.of(bmiOnly)));
            assertThat(answer.predictions().get(0).progression())
                    .isCloseTo(RidgeModel.INTERCEPT + 0.1 * RidgeModel.COEFFICIENTS[2], within(1e-9));
        }
    }

    @Test
    void riskThresholdComesFromConfig() throws Exception {
        try (var harness = harness("riskThreshold", "220")) {
            Answer answer = (Answer) harness.run(sample());
            assertThat(answer.predictions())
                    .extracting(DiabetesScorer.Prediction::risk)
                    .containsExactly("low", "high");
        }
    }

    @Test
    void aThresholdThatIsNotANumberFailsInit() {
        assertThatThrownBy(() -> harness("riskThreshold", "high"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config riskThreshold must be a number, got 'high'");
    }

    @Test
    void missingFeatureIsA400NamingIt() throws Exception {
        Request request = JSON.readValue(
                "{\"patients\": [{\"age\": 0.01, \"sex\": 0.02, \"bp\": 0.03, \"s1\": 0, \"s2\": 0,"
                        + " \"s3\": 0, \"s4\": 0, \"s5\": 0, \"s6\": 0}]}",
                Request.class);
        try (var harness = harness()) {
            ScoreResponse response = (ScoreResponse) harness.run(request);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.headers()).containsEntry("Content-Type", "application/json");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("status_code").asInt()).isEqualTo(400);
            assertThat(body.get("message").asText()).isEqualTo("patients[0].bmi is missing");
            assertThat(model.calls).isZero();
        }
    }

    @Test
    void emptyOrNullPatientsAre400s() throws Exception {
        try (var harness = harness()) {
            for (Request bad :
                    List.of(new Request(null), new Request(List.of()), new Request(Arrays.asList((Patient) null)))) {
                ScoreResponse response = (ScoreResponse) harness.run(bad);
                assertThat(response.status()).as("%s", bad).isEqualTo(400);
                assertThat(JSON.readTree(response.body()).get("message").asText())
                        .contains("patients");
            }
            ScoreResponse nan = (ScoreResponse) harness.run(
                    new Request(List.of(new Patient(0.0, Double.NaN, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0))));
            assertThat(JSON.readTree(nan.body()).get("message").asText())
                    .isEqualTo("patients[0].sex must be a finite number");
        }
    }

    @Test
    void declaredSamplesAgreeWithWhatTheScorerAnswers() throws Exception {
        try (var harness = harness()) {
            JsonNode declaredOutput = JSON.readTree(harness.scorer().schema().outputSample());
            JsonNode actualOutput = JSON.valueToTree(harness.run(sample()));
            assertThat(actualOutput.get("predictions").size())
                    .isEqualTo(declaredOutput.get("predictions").size());
            for (int i = 0; i < 2; i++) {
                JsonNode declared = declaredOutput.get("predictions").get(i);
                JsonNode actual = actualOutput.get("predictions").get(i);
                assertThat(actual.get("risk")).isEqualTo(declared.get("risk"));
                assertThat(actual.get("progression").asDouble())
                        .isCloseTo(declared.get("progression").asDouble(), within(1e-9));
                assertThat(actual.fieldNames()).toIterable().containsExactly("progression", "risk");
            }
            assertThat(JSON.readTree(harness.scorer().schema().inputSample())
                            .get("patients")
                            .get(0)
                            .fieldNames())
                    .toIterable()
                    .containsExactlyElementsOf(DiabetesScorer.FEATURES);
        }
    }

    /** The sample's two patients as Open Inference Protocol inputs: one FP64 tensor [2] per feature. */
    static Map<String, Tensor> featureTensors() throws Exception {
        JsonNode patients = JSON.readTree(DiabetesScorer.INPUT_SAMPLE).get("patients");
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (String feature : DiabetesScorer.FEATURES) {
            inputs.put(
                    feature,
                    Tensor.of(
                            new double[] {
                                patients.get(0).get(feature).doubleValue(),
                                patients.get(1).get(feature).doubleValue()
                            },
                            2));
        }
        return inputs;
    }

    @Test
    void featureTensorsGiveTheDocumentedPredictionsAndRisks() throws Exception {
        try (var harness = harness("riskThreshold", "220")) {
            Map<String, Tensor> outputs = harness.scorer().infer(featureTensors());
            assertThat(outputs).containsOnlyKeys("progression", "risk");
            assertThat(outputs.get("progression").shape()).containsExactly(2);
            assertThat(outputs.get("progression").asDoubles()[0]).isCloseTo(FIRST, within(1e-9));
            assertThat(outputs.get("progression").asDoubles()[1]).isCloseTo(SECOND, within(1e-9));
            assertThat((String[]) outputs.get("risk").data()).containsExactly("low", "high");
        }
    }

    @Test
    void featureTensorsThatDoNotFitAreIllegalArgumentsNamingTheInput() throws Exception {
        try (var harness = harness()) {
            Map<String, Tensor> missing = featureTensors();
            missing.remove("bmi");
            assertThatThrownBy(() -> harness.scorer().infer(missing))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 'bmi' is missing: expected the inputs " + DiabetesScorer.FEATURES
                            + ", each of shape [N]");
            Map<String, Tensor> matrix = featureTensors();
            matrix.put("s6", Tensor.of(new double[] {1, 2}, 2, 1));
            assertThatThrownBy(() -> harness.scorer().infer(matrix))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input 's6' has shape [2, 1]: expected [N], one value per patient");
            Map<String, Tensor> ragged = featureTensors();
            ragged.put("sex", Tensor.of(new double[] {1, 2, 3}, 3));
            assertThatThrownBy(() -> harness.scorer().infer(ragged))
                    .hasMessage("input 'sex' has 3 values: input 'age' has 2; expected one per patient in each");
            Map<String, Tensor> text = featureTensors();
            text.put("bp", new Tensor(new long[] {2}, new String[] {"a", "b"}));
            assertThatThrownBy(() -> harness.scorer().infer(text))
                    .hasMessage("input 'bp' does not hold numbers: expected FP64 (or another numeric datatype)");
            Map<String, Tensor> extra = featureTensors();
            extra.put("input", Tensor.of(new double[] {1}, 1));
            assertThatThrownBy(() -> harness.scorer().infer(extra))
                    .hasMessage("input 'input' is not a feature: expected the inputs " + DiabetesScorer.FEATURES);
            assertThat(model.calls).isZero();
        }
    }
}
