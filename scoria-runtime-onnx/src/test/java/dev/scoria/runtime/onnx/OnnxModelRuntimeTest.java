package dev.scoria.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.InferenceOutcome;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.runtime.LoadContext;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceSettings;
import dev.scoria.core.service.ServiceState;
import dev.scoria.scorer.ServiceLogger;
import dev.scoria.scorer.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelRuntimeTest {

    static final String TWO_ROWS = "{\"data\": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925,"
            + " 0.0700725447072635, -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282,"
            + " 0.00371173823343597, 0.0403433716478807], [-0.0127796318808497, -0.044641636506989, 0.0606183944448076,"
            + " 0.0528581912385822, 0.0479653430750293, 0.0293746718291555, -0.0176293810234174, 0.0343088588777263,"
            + " 0.0702112981933102, 0.00720651632920303]]}";

    @TempDir
    Path dir;

    final List<String> logLines = new ArrayList<>();

    private Predictor load(String resource, String example) throws Exception {
        Path file = dir.resolve("upload.onnx");
        try (var in = getClass().getResourceAsStream("/models/" + resource)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
        ModelFile stored = artifacts.put("model.onnx", file);
        ModelRecord model = new ModelRecord(
                "diabetes",
                1,
                "Onnx",
                null,
                "",
                Map.of(),
                Map.of(),
                List.of(stored),
                stored.sha256(),
                stored.size(),
                Instant.now());
        ServiceLogger log = new ServiceLogger() {
            public void info(String m) {
                logLines.add(m);
            }

            public void warn(String m) {
                logLines.add(m);
            }

            public void error(String m, Throwable t) {
                logLines.add(m);
            }
        };
        var service = ServiceRecord.single(
                "svc",
                ServiceSettings.DEFAULTS,
                List.of(model.ref()),
                new ServiceKeys("a", "b"),
                SchemaSpec.input(example),
                ServiceState.Transitioning,
                null,
                Instant.now(),
                Instant.now(),
                1);
        return new OnnxModelRuntime()
                .load(new LoadContext(service, List.of(model), artifacts, log, dir.resolve("work")));
    }

    static final double[][] ROWS = {
        {
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
        },
        {
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
        }
    };

    /** The rows as the model's input tensor, in the datatype the model declares. */
    private static TensorRequest request(Predictor p, double[][] rows) {
        int cols = rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        long[] shape = {rows.length, cols};
        var spec = p.signature().inputs().get(0);
        Tensor tensor = spec.datatype() == Datatype.FP64
                ? new Tensor(shape, flat)
                : new Tensor(shape, Tensor.of(flat, shape).asFloats());
        return new TensorRequest(
                "rid", "test", List.of(new NamedTensor(spec.name(), spec.datatype(), tensor)), List.of());
    }

    private static NamedTensor onlyOutput(Object result) {
        return ((TensorResult) result).outputs().get(0);
    }

    @Test
    void theDemoModelGivesTheDocumentedPredictionsBitForBit() throws Exception {
        try (Predictor p = load("diabetes-ridge.onnx", null)) {
            NamedTensor out = onlyOutput(p.infer(request(p, ROWS)));
            assertThat(out.datatype()).isEqualTo(Datatype.FP64);
            assertThat((double[]) out.data()).containsExactly(217.67978776218715, 224.78937091757172);
            assertThat(out.shape()).containsExactly(2);
        }
        assertThat(logLines).anyMatch(l -> l.contains("input 'input' double[N, 10]"));
    }

    @Test
    void theSignatureNamesTheModelsTensorsWithVariableDimensionsAsMinusOne() throws Exception {
        try (Predictor p = load("diabetes-ridge.onnx", null)) {
            assertThat(p.signature().inputs()).hasSize(1);
            assertThat(p.signature().inputs().get(0).describe()).isEqualTo("'input' FP64 [-1, 10]");
            assertThat(p.signature().outputs().get(0).shape()).containsExactly(-1);
        }
    }

    @Test
    void floatModelsAnswerInTheirOwnType() throws Exception {
        try (Predictor p = load("diabetes-ridge-float32.onnx", null)) {
            NamedTensor out = onlyOutput(p.infer(request(p, ROWS)));
            assertThat(out.datatype()).isEqualTo(Datatype.FP32);
            assertThat((double) ((float[]) out.data())[0]).isCloseTo(217.68, Offset.offset(0.01));
            assertThat((double) ((float[]) out.data())[1]).isCloseTo(224.79, Offset.offset(0.01));
        }
    }

    @Test
    void tensorsThatDoNotFitTheSignatureAreRefusedNamingWhatWasExpected() throws Exception {
        try (Predictor p = load("diabetes-ridge.onnx", null)) {
            TensorRequest shortRows = new TensorRequest(
                    "r",
                    "test",
                    List.of(new NamedTensor("input", Datatype.FP64, Tensor.of(new double[3], 1, 3))),
                    List.of());
            assertThatThrownBy(() -> p.infer(shortRows))
                    .isInstanceOf(ScoriaException.class)
                    .hasMessage("input 'input' has shape [1, 3]: the model expects [-1, 10] (-1: any size)")
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.BAD_INPUT);
            TensorRequest floats = new TensorRequest(
                    "r",
                    "test",
                    List.of(new NamedTensor("input", Datatype.FP32, Tensor.of(new float[10], 1, 10))),
                    List.of());
            assertThatThrownBy(() -> p.infer(floats))
                    .hasMessage("input 'input' has datatype FP32: the model expects FP64");
            TensorRequest unknown = new TensorRequest(
                    "r",
                    "test",
                    List.of(new NamedTensor("x", Datatype.FP64, Tensor.of(new double[10], 1, 10))),
                    List.of());
            assertThatThrownBy(() -> p.infer(unknown))
                    .hasMessage("input 'x' is not an input of the model: expected ['input']");
            TensorRequest none = new TensorRequest("r", "test", List.of(), List.of());
            assertThatThrownBy(() -> p.infer(none)).hasMessageStartingWith("input 'input' is missing");
            TensorRequest badOutput =
                    new TensorRequest("r", "test", request(p, ROWS).inputs(), List.of("nope"));
            assertThatThrownBy(() -> p.infer(badOutput))
                    .hasMessageStartingWith("output 'nope' is not an output of the model");
            // An empty batch is the caller's mistake (the Azure route refuses "data": [] too), not a model failure.
            TensorRequest empty = new TensorRequest(
                    "r",
                    "test",
                    List.of(new NamedTensor("input", Datatype.FP64, Tensor.of(new double[0], 0, 10))),
                    List.of());
            assertThatThrownBy(() -> p.infer(empty))
                    .isInstanceOf(ScoriaException.class)
                    .hasMessage("input 'input' has shape [0, 10]: it holds no rows; expected at least one")
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.BAD_INPUT);
            assertThat(p.inferBatch(List.of(empty, request(p, ROWS))).get(0))
                    .isInstanceOfSatisfying(
                            InferenceOutcome.Failure.class,
                            f -> assertThat(f.error())
                                    .hasMessage(
                                            "input 'input' has shape [0, 10]: it holds no rows; expected at least one"));
        }
    }

    @Test
    void theSchemaDescribesTheInputAndCarriesARealExampleOutput() throws Exception {
        try (Predictor p = load("diabetes-ridge.onnx", TWO_ROWS)) {
            assertThat(p.schema()
                            .input()
                            .at("/properties/data/items/items/format")
                            .asText())
                    .isEqualTo("double");
            assertThat(p.schema().input().at("/example/data/1/9").asDouble()).isEqualTo(0.00720651632920303);
            assertThat(p.schema().output().at("/items/type").asText()).isEqualTo("number");
            assertThat(p.schema().output().at("/example/0").asDouble()).isEqualTo(217.67978776218715);
        }
    }

    @Test
    void anExampleBeyondAFloatModelsRangeFailsTheDeployment() {
        assertThatThrownBy(() -> load("diabetes-ridge-float32.onnx", "{\"data\": [[1,2,3,4,5,6,7,8,9,-1e39]]}"))
                .hasMessageStartingWith("inputExample does not fit the model: data[0][9] is -1.0E39: ")
                .hasMessageEndingWith(" holds floats, whose range is about ±3.4e38");
    }

    @Test
    void anExampleThatDoesNotFitTheModelFailsTheDeployment() {
        assertThatThrownBy(() -> load("diabetes-ridge.onnx", "{\"data\": [[1]]}"))
                .hasMessageStartingWith("inputExample does not fit the model: data[0] has 1 values");
    }

    @Test
    void batchedScoringGivesExactlyTheUnbatchedAnswers() throws Exception {
        for (String model : new String[] {"diabetes-ridge.onnx", "diabetes-ridge-float32.onnx"}) {
            try (Predictor p = load(model, null)) {
                assertThat(p.batchable()).isTrue();
                Random random = new Random(42);
                List<TensorRequest> requests = new ArrayList<>();
                for (int r = 0; r < 40; r++) {
                    double[][] rows = new double[1 + random.nextInt(3)][10];
                    for (double[] row : rows) {
                        for (int c = 0; c < 10; c++) {
                            row[c] = random.nextGaussian() * 0.05;
                        }
                    }
                    requests.add(request(p, rows));
                }
                requests.add(5, request(p, new double[][] {{1, 2}}));
                List<InferenceOutcome> batched = p.inferBatch(requests);
                for (int i = 0; i < requests.size(); i++) {
                    if (i == 5) {
                        assertThat(batched.get(i)).isInstanceOf(InferenceOutcome.Failure.class);
                        continue;
                    }
                    NamedTensor alone = onlyOutput(p.infer(requests.get(i)));
                    NamedTensor inBatch = onlyOutput(((InferenceOutcome.Success) batched.get(i)).result());
                    assertThat(inBatch.shape()).as(model + " request " + i).containsExactly(alone.shape());
                    assertThat(inBatch.data()).as(model + " request " + i).isEqualTo(alone.data());
                }
            }
        }
    }

    /**
     * Calls of up to {@link PinnedRuns#MAX_ROWS} rows run on kept tensors, larger ones on tensors made per
     * call: each row's answer is the same bit for bit either way, from any thread, and a call never sees
     * what an earlier call left in the kept tensors.
     */
    @Test
    void callsOnKeptTensorsAnswerExactlyAsCallsOnFreshOnes() throws Exception {
        for (String model : new String[] {"diabetes-ridge.onnx", "diabetes-ridge-float32.onnx"}) {
            try (Predictor p = load(model, null)) {
                Random random = new Random(7);
                double[][] all = new double[PinnedRuns.MAX_ROWS + 6][10];
                for (double[] row : all) {
                    for (int c = 0; c < 10; c++) {
                        row[c] = random.nextGaussian() * 0.05;
                    }
                }
                NamedTensor fresh = onlyOutput(p.infer(request(p, all)));
                int perRow = fresh.size() / all.length;
                ExecutorService other = Executors.newSingleThreadExecutor();
                try {
                    for (int rows = 1; rows <= all.length; rows += rows < 8 ? 1 : 7) {
                        double[][] first = Arrays.copyOf(all, rows);
                        double[][] shifted = Arrays.copyOfRange(all, 1, rows + 1);
                        for (double[][] input : new double[][][] {first, shifted, first}) {
                            int from = input == shifted ? 1 : 0;
                            NamedTensor here = onlyOutput(p.infer(request(p, input)));
                            NamedTensor there = onlyOutput(other.submit(() -> p.infer(request(p, input)))
                                    .get());
                            Object expected = slice(fresh.data(), from * perRow, rows * perRow);
                            assertThat(here.shape()[0])
                                    .as(model + " rows " + rows)
                                    .isEqualTo(rows);
                            assertThat(here.data()).as(model + " rows " + rows).isEqualTo(expected);
                            assertThat(there.data())
                                    .as(model + " rows " + rows + ", other thread")
                                    .isEqualTo(expected);
                        }
                    }
                } finally {
                    other.shutdownNow();
                }
            }
        }
    }

    private static Object slice(Object data, int from, int count) {
        if (data instanceof double[] d) {
            return Arrays.copyOfRange(d, from, from + count);
        }
        return Arrays.copyOfRange((float[]) data, from, from + count);
    }
}
