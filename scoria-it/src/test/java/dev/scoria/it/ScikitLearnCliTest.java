package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.client.InferenceConfig;
import dev.scoria.client.Model;
import dev.scoria.client.RuntimeInfo;
import dev.scoria.client.Webservice;
import dev.scoria.client.WebserviceState;
import dev.scoria.client.Workspace;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No-code scikit-learn models and services with no model, as a user meets them: the real {@code scoria}
 * jar registering a model trained here with Debian's Python (python3-sklearn) and deploying it with no
 * entry script (the python runtime's built-in one), an interpreter without scikit-learn failing the
 * deployment with a reason, and an entry script deployed with no model at all; then the same through the
 * Java SDK.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ScikitLearnCliTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @TempDir
    static Path work;

    static ScoriaServer server;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        Process train = new ProcessBuilder(
                        PythonRuntimeTest.PYTHON,
                        PythonRuntimeTest.SCRIPTS.resolve("train.py").toString(),
                        Path.of("..", "scripts", "diabetes.csv").toString(),
                        work.toString())
                .inheritIO()
                .start();
        assertThat(train.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(train.exitValue())
                .as("train.py (needs python3-sklearn, python3-joblib)")
                .isZero();
        Files.copy(work.resolve("model.pkl"), work.resolve("model.joblib"));
        Files.writeString(work.resolve("request.json"), DemoService.sampleRequest());
        server = ScoriaServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(work.resolve("scoria-data"))
                .build());
        env = Map.of("SCORIA_URL", server.baseUrl());
    }

    @AfterAll
    static void stop() {
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
    void aScikitLearnModelIsServedWithNoCode() throws Exception {
        JsonNode model = JSON.readTree(ok(
                        "model",
                        "register",
                        "diabetes-sk",
                        "model.pkl",
                        "--framework",
                        "scikit-learn",
                        "--framework-version",
                        "1.2",
                        "-o",
                        "json")
                .out());
        assertThat(model.path("framework").asText()).isEqualTo("ScikitLearn");
        assertThat(model.path("frameworkVersion").asText()).isEqualTo("1.2");
        assertThat(ok("model", "show", "diabetes-sk:1").out()).contains("Framework:   ScikitLearn 1.2");

        // No --runtime and no --code: the server's runtimes say which serves a ScikitLearn model with no code.
        JsonNode service = JSON.readTree(ok(
                        "service",
                        "deploy",
                        "sk-nocode",
                        "-m",
                        "diabetes-sk:1",
                        "--python",
                        PythonRuntimeTest.PYTHON,
                        "--input-example",
                        "@request.json",
                        "--wait",
                        "-o",
                        "json")
                .out());
        assertThat(service.path("runtime").asText()).isEqualTo("python");
        assertThat(service.path("state").asText()).as(service.toString()).isEqualTo("Healthy");

        JsonNode predictions = JSON.readTree(
                ok("score", "sk-nocode", "--data", "@request.json").out());
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).doubleValue()).isCloseTo(JavaScorerTest.FIRST, within(1e-9));
        assertThat(predictions.get(1).doubleValue()).isCloseTo(JavaScorerTest.SECOND, within(1e-9));

        String key = JSON.readTree(
                        ok("service", "keys", "sk-nocode", "-o", "json").out())
                .path("primaryKey")
                .asText();
        HttpResponse<String> tooFew = score("sk-nocode", key, "{\"data\": [[1.0, 2.0]]}");
        assertThat(tooFew.statusCode()).as(tooFew.body()).isEqualTo(400);
        assertThat(JSON.readTree(tooFew.body()).path("message").asText())
                .startsWith("field 'data' does not fit the model: X has 2 features, but Ridge is expecting 10");
        HttpResponse<String> noData = score("sk-nocode", key, "{\"rows\": [[1.0]]}");
        assertThat(noData.statusCode()).as(noData.body()).isEqualTo(400);
        assertThat(JSON.readTree(noData.body()).path("message").asText())
                .isEqualTo("expected a JSON object {\"data\": [[...], ...]}: one list of feature values per row");
        HttpResponse<String> flat = score("sk-nocode", key, "{\"data\": [1.0, 2.0]}");
        assertThat(flat.statusCode()).as(flat.body()).isEqualTo(400);
        assertThat(JSON.readTree(flat.body()).path("message").asText())
                .contains("field 'data' must be a list of rows")
                .contains("saw 1 dimension(s)");

        // The swagger document's input schema comes from the sample given with --input-example.
        JsonNode swagger = JSON.readTree(
                send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/service/sk-nocode/swagger.json"))
                                .GET())
                        .body());
        JsonNode input = swagger.at("/definitions/ServiceInput");
        assertThat(input.at("/properties/data/type").asText())
                .as(swagger.toString())
                .isEqualTo("array");
        assertThat(input.at("/properties/data/items/items/type").asText()).isEqualTo("number");
        assertThat(input.at("/example/data").size()).isEqualTo(2);

        assertThat(ok("service", "logs", "sk-nocode").out()).contains("scoria_sklearn.py");
    }

    @Test
    void aJoblibFileWithAnotherFrameworkSpellingIsServedToo() throws Exception {
        ok(
                "model",
                "register",
                "diabetes-joblib",
                "model.joblib",
                "--framework",
                "ScikitLearn",
                "--framework-version",
                "0.24");
        JsonNode service = JSON.readTree(ok(
                        "service",
                        "deploy",
                        "sk-joblib",
                        "-m",
                        "diabetes-joblib:1",
                        "--runtime",
                        "python",
                        "--python",
                        PythonRuntimeTest.PYTHON,
                        "--auth",
                        "none",
                        "--wait",
                        "-o",
                        "json")
                .out());
        assertThat(service.path("state").asText()).as(service.toString()).isEqualTo("Healthy");
        HttpResponse<String> answer =
                score("sk-joblib", null, "{\"method\": \"predict\", \"data\": " + firstRow() + "}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get(0).doubleValue()).isCloseTo(JavaScorerTest.FIRST, within(1e-9));
        // Registered as made by another release than the interpreter's: loaded, with a warning in the log.
        assertThat(ok("service", "logs", "sk-joblib").out())
                .contains("warning: the model was registered with scikit-learn 0.24, the interpreter "
                        + PythonRuntimeTest.PYTHON + " has ");
        // No --input-example: the swagger document still says what the built-in script reads.
        JsonNode swagger = JSON.readTree(
                send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/service/sk-joblib/swagger.json"))
                                .GET())
                        .body());
        JsonNode input = swagger.at("/definitions/ServiceInput");
        assertThat(input.at("/required").toString()).as(swagger.toString()).isEqualTo("[\"data\"]");
        assertThat(input.at("/properties/data/items/items/type").asText()).isEqualTo("number");
        assertThat(input.at("/properties/method/enum").toString()).contains("predict_proba");
        HttpResponse<String> noProba =
                score("sk-joblib", null, "{\"method\": \"predict_proba\", \"data\": " + firstRow() + "}");
        assertThat(noProba.statusCode()).as(noProba.body()).isEqualTo(400);
        assertThat(JSON.readTree(noProba.body()).path("message").asText())
                .isEqualTo("field 'method' is 'predict_proba': this model offers predict");
    }

    @Test
    void anInterpreterWithoutScikitLearnFailsTheDeploymentSayingWhatToInstall() throws Exception {
        ok("model", "register", "diabetes-nosk", "model.pkl", "--framework", "sklearn", "--framework-version", "1.2");
        // Debian's python3 isolated from its site packages (-I -S): the standard library only, no sklearn.
        Path bare = work.resolve("bare-python");
        Files.writeString(bare, "#!/bin/sh\nexec " + PythonRuntimeTest.PYTHON + " -I -S \"$@\"\n");
        Files.setPosixFilePermissions(bare, PosixFilePermissions.fromString("rwx------"));

        CliProcess.Result deployed =
                scoria("service", "deploy", "sk-bare", "-m", "diabetes-nosk:1", "--python", bare.toString(), "--wait");
        assertThat(deployed.exitCode()).as(deployed.toString()).isNotZero();
        String reason = "scikit-learn is not installed for the interpreter " + bare + ", which runs ";
        assertThat(deployed.out() + deployed.err()).contains(reason);

        JsonNode shown =
                JSON.readTree(ok("service", "show", "sk-bare", "-o", "json").out());
        assertThat(shown.path("state").asText()).isEqualTo("Failed");
        assertThat(shown.path("error").path("message").asText())
                .contains(reason)
                .contains("install scikit-learn==1.2 there, or deploy with --python naming an interpreter that has it");
        assertThat(ok("service", "show", "sk-bare").out())
                .contains("State:        Failed (")
                .contains(reason);
    }

    @Test
    void theBuiltInScriptServesOneScikitLearnModelAndNothingElse() throws Exception {
        Files.copy(ScikitLearnCliTest.class.getResourceAsStream("/diabetes-ridge.onnx"), work.resolve("ridge.onnx"));
        ok("model", "register", "ridge-onnx", "ridge.onnx");
        CliProcess.Result onnx = scoria("service", "deploy", "py-onnx", "-m", "ridge-onnx:1", "--runtime", "python");
        assertThat(onnx.exitCode()).as(onnx.toString()).isEqualTo(1);
        assertThat(onnx.err())
                .contains("the python runtime needs --code (an entry script such as score.py, or --source-dir),"
                        + " unless the deployment has exactly one model registered with framework ScikitLearn")
                .contains("models given: ridge-onnx:1 (framework Onnx)");

        Files.writeString(work.resolve("notes.txt"), "not a model");
        CliProcess.Result noPickle = scoria("model", "register", "notes", "notes.txt", "--framework", "scikit-learn");
        assertThat(noPickle.exitCode()).as(noPickle.toString()).isEqualTo(1);
        assertThat(noPickle.err()).contains("must hold exactly one model saved with pickle or joblib");

        String table = ok("runtime", "list").out();
        assertThat(table).containsPattern("(?m)^python\\s+\\.py \\.zip\\s+ScikitLearn\\s+an Azure ML entry script");
    }

    @Test
    void anEntryScriptNeedsNoModel() throws Exception {
        Files.writeString(
                work.resolve("no_model.py"),
                "import os\n\n\ndef init():\n    global model_dir\n    model_dir = os.environ['AZUREML_MODEL_DIR']\n\n\n"
                        + "def run(raw_data):\n    return {'modelDir': os.path.isdir(model_dir),"
                        + " 'files': sorted(os.listdir(model_dir)), 'echo': raw_data}\n");
        // No -m and no --runtime: the code's kind picks the python runtime.
        JsonNode service = JSON.readTree(ok(
                        "service",
                        "deploy",
                        "script-only",
                        "--code",
                        "no_model.py",
                        "--python",
                        PythonRuntimeTest.PYTHON,
                        "--auth",
                        "none",
                        "--wait",
                        "-o",
                        "json")
                .out());
        assertThat(service.path("state").asText()).as(service.toString()).isEqualTo("Healthy");
        assertThat(service.path("models").size()).isZero();
        HttpResponse<String> answer = score("script-only", null, "{\"x\": 1}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()))
                .isEqualTo(JSON.readTree("{\"modelDir\": true, \"files\": [], \"echo\": \"{\\\"x\\\": 1}\"}"));

        CliProcess.Result nothing = scoria("service", "deploy", "nothing-given");
        assertThat(nothing.exitCode()).as(nothing.toString()).isEqualTo(2);
        assertThat(nothing.err())
                .isEqualTo("scoria: nothing to deploy: give --model NAME:VERSION (a registered model), or --code /"
                        + " --source-dir for an entry script that needs no model\n");
        CliProcess.Result entryAlone =
                scoria("service", "deploy", "entry-alone", "--runtime", "python", "--entry", "score.py");
        assertThat(entryAlone.exitCode()).as(entryAlone.toString()).isEqualTo(2);
        assertThat(entryAlone.err())
                .contains("--entry score.py names the class or script inside --code, but no code was given");
        CliProcess.Result onnx = scoria("service", "deploy", "onnx-empty", "--runtime", "onnx");
        assertThat(onnx.exitCode()).as(onnx.toString()).isEqualTo(1);
        assertThat(onnx.err()).contains("the onnx runtime needs at least one model");
    }

    @Test
    void theJavaSdkRegistersAScikitLearnModelAndDeploysItAndAScriptWithNoModel() throws Exception {
        Workspace ws = Workspace.connect(server.baseUrl(), server.adminToken());
        Model model = Model.register(
                ws,
                work.resolve("model.pkl"),
                "sdk-sk",
                Model.RegisterOptions.builder()
                        .framework("sklearn")
                        .frameworkVersion("1.2")
                        .build());
        assertThat(model.framework()).isEqualTo("ScikitLearn");
        assertThat(model.frameworkVersion()).isEqualTo("1.2");
        assertThat(Model.get(ws, "sdk-sk", 1).frameworkVersion()).isEqualTo("1.2");
        assertThat(ws.runtimes().stream()
                        .filter(r -> r.servesModel(model.framework(), List.of("model.pkl")))
                        .map(RuntimeInfo::name))
                .containsExactly("python");

        Webservice service = Model.deploy(
                ws,
                "sdk-sk",
                List.of(model),
                InferenceConfig.builder()
                        .runtime("python")
                        .config(Map.of("python", PythonRuntimeTest.PYTHON))
                        .build(),
                null);
        assertThat(service.waitForDeployment(false)).isEqualTo(WebserviceState.Healthy);
        JsonNode predictions = JSON.readTree(service.run(DemoService.sampleRequest()));
        assertThat(predictions.get(0).doubleValue()).isCloseTo(JavaScorerTest.FIRST, within(1e-9));

        Path script = Files.writeString(
                work.resolve("hello.py"), "def init():\n    pass\n\n\ndef run(raw_data):\n    return 'hello'\n");
        Webservice noModel = Model.deploy(
                ws,
                "sdk-no-model",
                List.of(),
                InferenceConfig.builder()
                        .pythonScript(script, null)
                        .config(Map.of("python", PythonRuntimeTest.PYTHON))
                        .build(),
                null);
        assertThat(noModel.waitForDeployment(false)).isEqualTo(WebserviceState.Healthy);
        assertThat(noModel.models()).isEmpty();
        assertThat(noModel.run("{}")).isEqualTo("\"hello\"");
    }

    static String firstRow() throws Exception {
        return JSON.readTree(DemoService.sampleRequest())
                .path("data")
                .get(0)
                .toString()
                .transform(row -> "[" + row + "]");
    }

    static HttpResponse<String> score(String service, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/api/v1/service/" + service + "/score"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
