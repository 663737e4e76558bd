package dev.scoria.examples.typed;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.OnnxModel;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.ScorerContext;
import dev.scoria.scorer.ScorerSchema;
import dev.scoria.scorer.Tensor;
import dev.scoria.scorer.TensorScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores the diabetes demo model from named patient features instead of bare rows: Scoria converts
 * {@code {"patients": [{"age": …, "sex": …, …, "s6": …}]}} to {@link Request}, this class puts the ten
 * features in the order the model was trained on, runs the model, and answers a typed
 * {@link Answer}: the predicted progression and a risk label.
 *
 * <p>It is a {@link TensorScorer} too: Open Inference Protocol clients ({@code POST /v2/models/{name}/infer})
 * send the ten features as inputs named after them, one value per patient, and get the outputs
 * {@code progression} and {@code risk} (see {@link #infer}).
 *
 * <p>Settings ({@code --config}): {@code riskThreshold}, the progression from which a patient is
 * {@code high} risk (default 200).
 */
public final class DiabetesScorer implements JsonScorer<DiabetesScorer.Request>, TensorScorer {

    /** The model's feature order (see model.json); a request names them, the model wants them positionally. */
    static final List<String> FEATURES = List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");

    static final String INPUT_SAMPLE = "{\"patients\": ["
            + "{\"age\": 0.0199132141783263, \"sex\": 0.0506801187398187, \"bmi\": 0.104808689473925, \"bp\": 0.0700725447072635,"
            + " \"s1\": -0.0359677812752396, \"s2\": -0.0266789028311707, \"s3\": -0.0249926566315915, \"s4\": -0.00259226199818282,"
            + " \"s5\": 0.00371173823343597, \"s6\": 0.0403433716478807},"
            + " {\"age\": -0.0127796318808497, \"sex\": -0.044641636506989, \"bmi\": 0.0606183944448076, \"bp\": 0.0528581912385822,"
            + " \"s1\": 0.0479653430750293, \"s2\": 0.0293746718291555, \"s3\": -0.0176293810234174, \"s4\": 0.0343088588777263,"
            + " \"s5\": 0.0702112981933102, \"s6\": 0.00720651632920303}]}";
    static final String OUTPUT_SAMPLE = "{\"predictions\": [{\"progression\": 217.67978776218715, \"risk\": \"high\"},"
            + " {\"progression\": 224.78937091757172, \"risk\": \"high\"}]}";

    /** A request: one entry per patient. */
    public record Request(List<Patient> patients) {}

    /**
     * One patient's ten (scaled) features. Boxed so that a feature left out or sent as {@code null}
     * reaches this scorer as null and is refused by name, rather than scored as 0.
     */
    public record Patient(
            Double age,
            Double sex,
            Double bmi,
            Double bp,
            Double s1,
            Double s2,
            Double s3,
            Double s4,
            Double s5,
            Double s6) {

        Double[] inModelOrder() {
            return new Double[] {age, sex, bmi, bp, s1, s2, s3, s4, s5, s6};
        }
    }

    /** The answer: one prediction per patient, in request order. */
    public record Answer(List<Prediction> predictions) {}

    /** Predicted disease progression after one year, and whether it reaches the risk threshold. */
    public record Prediction(double progression, String risk) {}

    private OnnxModel model;
    private double riskThreshold;

    @Override
    public void init(ScorerContext context) {
        model = context.onnx("diabetes");
        String threshold = context.config().getOrDefault("riskThreshold", "200");
        try {
            riskThreshold = Double.parseDouble(threshold);
        } catch (NumberFormatException e) {
            // Failing init marks the service Failed with this message, better than scoring with a guess.
            throw new IllegalArgumentException("config riskThreshold must be a number, got '" + threshold + "'");
        }
        context.logger()
                .info(String.format(
                        Locale.ROOT, "diabetes model inputs %s, risk threshold %s", model.inputNames(), riskThreshold));
    }

    @Override
    public Object run(Request request) throws Exception {
        if (request == null || request.patients() == null || request.patients().isEmpty()) {
            return badRequest("'patients' must be a non-empty list of patients");
        }
        List<Patient> patients = request.patients();
        double[] rows = new double[patients.size() * FEATURES.size()];
        for (int p = 0; p < patients.size(); p++) {
            Patient patient = patients.get(p);
            if (patient == null) {
                return badRequest("patients[" + p + "] is null");
            }
            Double[] features = patient.inModelOrder();
            for (int f = 0; f < features.length; f++) {
                if (features[f] == null) {
                    return badRequest("patients[" + p + "]." + FEATURES.get(f) + " is missing");
                }
                if (!Double.isFinite(features[f])) {
                    return badRequest("patients[" + p + "]." + FEATURES.get(f) + " must be a finite number");
                }
                rows[p * FEATURES.size() + f] = features[f];
            }
        }
        double[] progression = progression(rows, patients.size());
        List<Prediction> predictions = new ArrayList<>(progression.length);
        for (double value : progression) {
            predictions.add(new Prediction(value, risk(value)));
        }
        return new Answer(predictions);
    }

    /**
     * An Open Inference Protocol request: the inputs {@code age}, {@code sex}, …, {@code s6}, each of shape
     * {@code [N]} (one value per patient) and of any numeric datatype. Answers {@code progression} (FP64
     * {@code [N]}) and {@code risk} (BYTES {@code [N]}, {@code "low"} or {@code "high"}). An
     * {@link IllegalArgumentException} is the client's mistake: Scoria answers it 400 with its message.
     */
    @Override
    public Map<String, Tensor> infer(Map<String, Tensor> inputs) throws Exception {
        for (String name : inputs.keySet()) {
            if (!FEATURES.contains(name)) {
                throw new IllegalArgumentException(
                        "input '" + name + "' is not a feature: expected the inputs " + FEATURES);
            }
        }
        int patients = -1;
        double[] rows = null;
        for (int f = 0; f < FEATURES.size(); f++) {
            String name = FEATURES.get(f);
            Tensor feature = inputs.get(name);
            if (feature == null) {
                throw new IllegalArgumentException(
                        "input '" + name + "' is missing: expected the inputs " + FEATURES + ", each of shape [N]");
            }
            long[] shape = feature.shape();
            if (shape.length != 1) {
                throw new IllegalArgumentException("input '" + name + "' has shape " + Arrays.toString(shape)
                        + ": expected [N], one value per patient");
            }
            if (patients < 0) {
                patients = (int) shape[0];
                rows = new double[patients * FEATURES.size()];
            } else if (shape[0] != patients) {
                throw new IllegalArgumentException("input '" + name + "' has " + shape[0] + " values: input '"
                        + FEATURES.get(0) + "' has " + patients + "; expected one per patient in each");
            }
            if (feature.data() instanceof String[] || feature.data() instanceof boolean[]) {
                throw new IllegalArgumentException(
                        "input '" + name + "' does not hold numbers: expected FP64 (or another" + " numeric datatype)");
            }
            double[] values = feature.asDoubles();
            for (int p = 0; p < patients; p++) {
                if (!Double.isFinite(values[p])) {
                    throw new IllegalArgumentException(
                            "input '" + name + "' value " + p + " is " + values[p] + ": expected a finite number");
                }
                rows[p * FEATURES.size() + f] = values[p];
            }
        }
        if (patients == 0) {
            throw new IllegalArgumentException("the inputs hold no patients: expected at least one value in each");
        }
        double[] progression = progression(rows, patients);
        String[] risk = new String[patients];
        for (int p = 0; p < patients; p++) {
            risk[p] = risk(progression[p]);
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        outputs.put("progression", Tensor.of(progression, patients));
        outputs.put("risk", new Tensor(new long[] {patients}, risk));
        return outputs;
    }

    /** The model's prediction for each row of ten features, in the model's order. */
    private double[] progression(double[] rows, int patients) throws Exception {
        return model.run(Tensor.of(rows, patients, FEATURES.size())).asDoubles();
    }

    private String risk(double progression) {
        return progression >= riskThreshold ? "high" : "low";
    }

    /** The samples the service's swagger document is generated from. */
    @Override
    public ScorerSchema schema() {
        return new ScorerSchema(INPUT_SAMPLE, OUTPUT_SAMPLE);
    }

    /** Bad input is the caller's fault: a 400 in Scoria's error shape, not an exception (which would be a 502). */
    private static ScoreResponse badRequest(String message) {
        return ScoreResponse.json(
                400, "{\"status_code\": 400, \"message\": \"" + message.replace("\"", "\\\"") + "\"}");
    }
}
