package dev.scoria.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.runtime.LoadContext;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.ScoreCall;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceState;
import dev.scoria.scorer.ServiceLogger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        var service = new ServiceRecord(
                "svc",
                "",
                Map.of(),
                Map.of(),
                InferenceSpec.of("onnx"),
                List.of(model.ref()),
                AuthMode.NONE,
                new ServiceKeys("a", "b"),
                ServiceLimits.DEFAULTS,
                List.of(),
                SchemaSpec.input(example),
                ServiceState.Transitioning,
                null,
                Instant.now(),
                Instant.now(),
                1);
        return new OnnxModelRuntime()
                .load(new LoadContext(service, List.of(model), artifacts, log, dir.resolve("work")));
    }

    private static ScoreCall call(String body) {
        return ScoreCall.json("rid", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theDemoModelGivesTheDocumentedPredictionsBitForBit() throws Exception {
        try (Predictor p = load("diabetes-ridge.onnx", null)) {
            double[] out = (double[]) p.score(call(TWO_ROWS));
            assertThat(out).containsExactly(217.67978776218715, 224.78937091757172);
            ObjectMapper json = JsonMapper.builder()
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                    .build();
            assertThat(json.writeValueAsString(out)).isEqualTo("[217.67978776218715,224.78937091757172]");
        }
        assertThat(logLines).anyMatch(l -> l.contains("input 'input' double[N, 10]"));
    }

    @Test
    void floatModelsAnswerInDoubles() throws Exception {
        try (Predictor p = load("diabetes-ridge-float32.onnx", null)) {
            double[] out = (double[]) p.score(call(TWO_ROWS));
            assertThat(out[0]).isCloseTo(217.68, Offset.offset(0.01));
            assertThat(out[1]).isCloseTo(224.79, Offset.offset(0.01));
        }
    }

    @Test
    void aRowOfTheWrongLengthIsRefusedNamingTheExpectedShape() throws Exception {
        try (Predictor p = load("diabetes-ridge.onnx", null)) {
            assertThatThrownBy(() -> p.score(call("{\"data\": [[1, 2, 3]]}")))
                    .isInstanceOf(ScoriaException.class)
                    .hasMessage("data[0] has 3 values: input 'input' double[N, 10] expects 10 per row")
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.BAD_INPUT);
            assertThatThrownBy(() -> p.score(call("{\"data\": [1, 2]}")))
                    .hasMessageContaining("data[0] must be an array of 10 numbers, saw a number");
            assertThatThrownBy(() -> p.score(call("{\"data\": [[1, 2, 3, 4, 5, 6, 7, 8, 9, \"x\"]]}")))
                    .hasMessage("data[0][9] must be a number, saw a string");
            assertThatThrownBy(() -> p.score(call("{\"rows\": []}"))).hasMessageContaining("field \"data\" is missing");
            assertThatThrownBy(() -> p.score(call("{\"data\": [[1,2,")))
                    .hasMessageContaining("request body is not valid JSON");
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
                List<ScoreCall> calls = new ArrayList<>();
                for (int r = 0; r < 40; r++) {
                    StringBuilder body = new StringBuilder("{\"data\": [");
                    int rows = 1 + random.nextInt(3);
                    for (int i = 0; i < rows; i++) {
                        body.append(i == 0 ? "[" : ", [");
                        for (int c = 0; c < 10; c++) {
                            body.append(c == 0 ? "" : ", ").append(random.nextGaussian() * 0.05);
                        }
                        body.append(']');
                    }
                    calls.add(call(body.append("]}").toString()));
                }
                calls.add(5, call("{\"data\": [[1, 2]]}"));
                List<Object> batched = p.scoreBatch(calls);
                for (int i = 0; i < calls.size(); i++) {
                    if (i == 5) {
                        assertThat(batched.get(i)).isInstanceOf(ScoriaException.class);
                        continue;
                    }
                    assertThat((double[]) batched.get(i))
                            .as(model + " request " + i)
                            .containsExactly((double[]) p.score(calls.get(i)));
                }
            }
        }
    }
}
