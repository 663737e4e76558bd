package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtimes as the real {@code scoria} jar finds them (each runtime module's {@code META-INF/services} line,
 * merged into the one jar), listed with {@code scoria runtime list}, and picked by {@code service deploy}
 * from what each says it takes when no {@code --runtime} is given.
 */
class RuntimeCliTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path TYPED_SCORER = Path.of("..", "examples", "typed-scorer", "target", "typed-scorer.jar")
            .toAbsolutePath()
            .normalize();

    @TempDir
    static Path work;

    static CliProcess.Server server;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        server = new CliProcess.Server(work);
        env = Map.of("SCORIA_URL", server.baseUrl());
        Files.copy(RuntimeCliTest.class.getResourceAsStream("/diabetes-ridge.onnx"), work.resolve("model.onnx"));
        ok("model", "register", "diabetes", "model.onnx");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static CliProcess.Result scoria(String... args) throws Exception {
        return CliProcess.run(work, env, args);
    }

    static CliProcess.Result ok(String... args) throws Exception {
        CliProcess.Result r = scoria(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void runtimeListShowsEveryRuntimeTheJarHoldsAndWhatEachTakes() throws Exception {
        String table = ok("runtime", "list").out();
        assertThat(table.lines().findFirst())
                .hasValueSatisfying(header ->
                        assertThat(header).containsPattern("NAME\\s+CODE\\s+MODELS WITH NO CODE\\s+DESCRIPTION"));
        assertThat(table)
                .containsPattern("(?m)^java\\s+\\.jar\\s+-\\s+a Scorer class from a JAR")
                .containsPattern("(?m)^onnx\\s+-\\s+\\.onnx\\s+ONNX models with no code")
                .containsPattern("(?m)^python\\s+\\.py \\.zip\\s+ScikitLearn\\s+an Azure ML entry script");

        JsonNode json = JSON.readTree(ok("runtime", "list", "-o", "json").out());
        assertThat(json.findValuesAsText("name")).containsExactly("java", "onnx", "python");
        assertThat(json.get(1).path("takesCode").asBoolean()).isFalse();
        assertThat(json.get(1).path("modelExtensions").toString()).isEqualTo("[\".onnx\"]");
        assertThat(json.get(2).path("codeExtensions").toString()).isEqualTo("[\".py\",\".zip\"]");
        assertThat(json.get(2).path("modelFrameworks").toString()).isEqualTo("[\"ScikitLearn\"]");
    }

    @Test
    void deployWithoutRuntimePicksTheOneThatTakesTheCodeOrServesTheModel() throws Exception {
        JsonNode onnx =
                JSON.readTree(ok("service", "deploy", "picks-onnx", "--model", "diabetes:1", "--wait", "-o", "json")
                        .out());
        assertThat(onnx.path("runtime").asText()).isEqualTo("onnx");
        assertThat(onnx.path("state").asText()).isEqualTo("Healthy");

        assertThat(TYPED_SCORER).as("built by the reactor before scoria-it").isRegularFile();
        JsonNode java = JSON.readTree(ok(
                        "service",
                        "deploy",
                        "picks-java",
                        "--model",
                        "diabetes:1",
                        "--code",
                        TYPED_SCORER.toString(),
                        "--entry",
                        "dev.scoria.examples.typed.DiabetesScorer",
                        "--wait",
                        "-o",
                        "json")
                .out());
        assertThat(java.path("runtime").asText()).isEqualTo("java");
        assertThat(java.path("state").asText()).isEqualTo("Healthy");

        Files.writeString(work.resolve("score.py"), "def init():\n    pass\n\n\ndef run(data):\n    return data\n");
        JsonNode python = JSON.readTree(
                ok("service", "deploy", "picks-python", "--model", "diabetes:1", "--code", "score.py", "-o", "json")
                        .out());
        assertThat(python.path("runtime").asText()).isEqualTo("python");

        for (String service : new String[] {"picks-onnx", "picks-java", "picks-python"}) {
            ok("service", "delete", service);
        }
    }

    @Test
    void whenNoRuntimeTakesWhatWasGivenTheErrorListsWhatEachTakes() throws Exception {
        Files.writeString(work.resolve("model.pkl"), "not a model any runtime serves with no code");
        ok("model", "register", "pickled", "model.pkl");
        CliProcess.Result noCode = scoria("service", "deploy", "no-runtime", "--model", "pickled:1");
        assertThat(noCode.exitCode()).as(noCode.toString()).isEqualTo(2);
        assertThat(noCode.err())
                .contains("no runtime on the server serves pickled:1 (Custom: model.pkl) with no code")
                .contains("java (takes --code .jar)")
                .contains("onnx (serves .onnx models with no code)")
                .contains("python (takes --code .py or .zip or --source-dir; serves ScikitLearn models with no code)")
                .contains("name a runtime with --runtime");

        Files.writeString(work.resolve("scorer.whl"), "a wheel");
        CliProcess.Result wheel =
                scoria("service", "deploy", "no-runtime", "--model", "diabetes:1", "--code", "scorer.whl");
        assertThat(wheel.exitCode()).as(wheel.toString()).isEqualTo(2);
        assertThat(wheel.err())
                .contains("no runtime on the server takes --code scorer.whl; it offers java (takes --code .jar)");

        CliProcess.Result unknown =
                scoria("service", "deploy", "no-runtime", "--model", "diabetes:1", "--runtime", "rust");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
        assertThat(unknown.err()).contains("runtime 'rust' is not available: expected one of [java, onnx, python]");
    }
}
