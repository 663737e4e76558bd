package dev.scoria.examples.multi;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.OnnxModel;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.ScorerContext;
import dev.scoria.scorer.ScorerSchema;
import dev.scoria.scorer.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scores every row with two models of one service, the float64 diabetes model ({@code diabetes}) and
 * its float32 twin ({@code diabetes32}), and answers both predictions and their mean, plus which model
 * versions the service holds (read from the model directory, laid out {@code <name>/<version>/} for a
 * service of several models):
 *
 * <pre>
 * {"data": [[10 features], …]}
 * → {"models": ["diabetes:1", "diabetes32:1"],
 *    "predictions": [{"diabetes": 217.67978776218715, "diabetes32": 217.679…, "mean": 217.679…}, …]}
 * </pre>
 *
 * <p>Settings ({@code --config}): {@code cacheRows}, how many recent rows' predictions each instance
 * remembers (default 1024; 0 turns the cache off).
 */
public final class EnsembleScorer implements JsonScorer<EnsembleScorer.Request> {

    static final int FEATURES = 10;

    /** A request in the demo model's own shape: rows of ten features. */
    public record Request(double[][] data) {}

    /** One row's answer. */
    public record RowPrediction(double diabetes, double diabetes32, double mean) {}

    /** The whole answer. */
    public record Answer(List<String> models, List<RowPrediction> predictions) {}

    private OnnxModel float64;
    private OnnxModel float32;
    private List<String> servedModels;
    private Map<List<Double>, RowPrediction> recent;

    @Override
    public void init(ScorerContext context) throws IOException {
        float64 = context.onnx("diabetes");
        float32 = context.onnx("diabetes32");
        servedModels = modelVersions(context.modelDir());
        String cacheRows = context.config().getOrDefault("cacheRows", "1024");
        int capacity;
        try {
            capacity = Integer.parseInt(cacheRows);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config cacheRows must be a whole number, got '" + cacheRows + "'");
        }
        recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<Double>, RowPrediction> eldest) {
                return size() > capacity;
            }
        };
        context.logger().info("ensemble of " + servedModels + ", caching " + capacity + " rows per instance");
    }

    /**
     * False because of {@link #recent}: an access-ordered {@code LinkedHashMap} reorders itself on every
     * {@code get}, so even two concurrent reads can corrupt it. Rather than lock around it (and
     * serialise every request on one lock), the scorer lets Scoria keep a pool of instances, each with
     * its own cache and each serving one request at a time. The ONNX models themselves are shared by
     * the pool: they are thread-safe and loaded once per service.
     */
    @Override
    public boolean threadSafe() {
        return false;
    }

    @Override
    public Object run(Request request) throws Exception {
        if (request == null || request.data() == null || request.data().length == 0) {
            return badRequest("'data' must be a non-empty list of rows of " + FEATURES + " numbers");
        }
        double[][] rows = request.data();
        List<RowPrediction> predictions = new ArrayList<>(rows.length);
        List<Integer> misses = new ArrayList<>();
        List<List<Double>> keys = new ArrayList<>(rows.length);
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null || rows[r].length != FEATURES) {
                return badRequest("data[" + r + "] has " + (rows[r] == null ? 0 : rows[r].length) + " values, expected "
                        + FEATURES);
            }
            List<Double> key = Arrays.stream(rows[r]).boxed().toList();
            keys.add(key);
            RowPrediction cached = recent.get(key);
            predictions.add(cached);
            if (cached == null) {
                misses.add(r);
            }
        }
        if (!misses.isEmpty()) {
            double[] x64 = new double[misses.size() * FEATURES];
            float[] x32 = new float[misses.size() * FEATURES];
            for (int m = 0; m < misses.size(); m++) {
                double[] row = rows[misses.get(m)];
                for (int f = 0; f < FEATURES; f++) {
                    x64[m * FEATURES + f] = row[f];
                    x32[m * FEATURES + f] = (float) row[f];
                }
            }
            double[] y64 = float64.run(Tensor.of(x64, misses.size(), FEATURES)).asDoubles();
            double[] y32 = float32.run(Tensor.of(x32, misses.size(), FEATURES)).asDoubles();
            for (int m = 0; m < misses.size(); m++) {
                RowPrediction p = new RowPrediction(y64[m], y32[m], (y64[m] + y32[m]) / 2);
                int r = misses.get(m);
                predictions.set(r, p);
                recent.put(keys.get(r), p);
            }
        }
        return new Answer(servedModels, predictions);
    }

    @Override
    public ScorerSchema schema() {
        return new ScorerSchema(
                "{\"data\": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635,"
                        + " -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282,"
                        + " 0.00371173823343597, 0.0403433716478807]]}",
                "{\"models\": [\"diabetes:1\", \"diabetes32:1\"], \"predictions\": [{\"diabetes\": 217.67978776218715,"
                        + " \"diabetes32\": 217.67979431152344, \"mean\": 217.6797910368553}]}");
    }

    /**
     * The {@code name:version} of every model folder ({@code <name>/<version>/}) in the model directory,
     * sorted. A single-model service has its files directly in the directory instead; this scorer
     * needs two models, so it says so rather than report nothing.
     */
    static List<String> modelVersions(Path modelDir) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> names = Files.list(modelDir)) {
            for (Path name : names.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> versions = Files.list(name)) {
                    // Numerically, so that version 10 comes after version 9.
                    versions.filter(Files::isDirectory)
                            .map(v -> v.getFileName().toString())
                            .sorted(Comparator.comparingLong(EnsembleScorer::versionNumber)
                                    .thenComparing(v -> v))
                            .forEach(v -> found.add(name.getFileName() + ":" + v));
                }
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no <name>/<version>/ folders in the model directory " + modelDir
                    + ": deploy with both --model diabetes:N and --model diabetes32:N");
        }
        return List.copyOf(found);
    }

    private static long versionNumber(String folder) {
        try {
            return Long.parseLong(folder);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static ScoreResponse badRequest(String message) {
        return ScoreResponse.json(
                400, "{\"status_code\": 400, \"message\": \"" + message.replace("\"", "\\\"") + "\"}");
    }
}
