package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code python} runtime end to end: Azure-style entry scripts (src/test/resources/python) deployed
 * on a real server with Debian's Python and scikit-learn, called over HTTP as Azure's clients call them,
 * including the ways user code goes wrong. Every worker process is gone once the server is closed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PythonRuntimeTest {

    /** Debian's interpreter, which has python3-sklearn; the python3 on PATH may be another one. */
    static final String PYTHON = "/usr/bin/python3";

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SCRIPTS = Path.of("src", "test", "resources", "python");

    @TempDir
    static Path dataDir;

    @TempDir
    static Path scratch;

    static ScoriaServer server;
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final Map<String, JsonNode> DEPLOYED = new LinkedHashMap<>();
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    @BeforeAll
    static void deployEverything() throws Exception {
        Path model = scratch.resolve("model");
        Process train = new ProcessBuilder(
                        PYTHON,
                        SCRIPTS.resolve("train.py").toString(),
                        Path.of("..", "scripts", "diabetes.csv").toString(),
                        model.toString())
                .inheritIO()
                .start();
        assertThat(train.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(train.exitValue())
                .as("train.py (needs python3-sklearn, python3-joblib)")
                .isZero();

        server = ScoriaServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dataDir)
                .build());
        HttpResponse<String> registered =
                multipart("/api/v1/models", Map.of("name", "diabetes-sklearn"), model.resolve("model.pkl"));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);

        Map<String, String> operations = new LinkedHashMap<>();
        operations.put(
                "sklearn",
                deploy(
                        service("sklearn", uploadCode(SCRIPTS.resolve("score.py")), null)
                                .put("maxConcurrentRequestsPerContainer", 4),
                        "workers",
                        "2"));
        operations.put("rawhttp", deploy(service("rawhttp", uploadCode(zip("rawhttp")), "score.py")));
        operations.put("init-fails", deploy(service("init-fails", uploadCode(SCRIPTS.resolve("init_fails.py")), null)));
        operations.put("run-raises", deploy(service("run-raises", uploadCode(SCRIPTS.resolve("run_raises.py")), null)));
        operations.put(
                "misbehaves",
                deploy(service("misbehaves", uploadCode(SCRIPTS.resolve("misbehaves.py")), null)
                        .put("scoringTimeoutMs", 1000)));
        operations.put(
                "starts-once", deploy(service("starts-once", uploadCode(SCRIPTS.resolve("starts_once.py")), null)));
        operations.put(
                "slow-init",
                deploy(
                        service("slow-init", uploadCode(SCRIPTS.resolve("slow_init.py")), null),
                        "initTimeoutSeconds",
                        "1"));
        operations.put(
                "sleeps",
                deploy(service("sleeps", uploadCode(SCRIPTS.resolve("misbehaves.py")), null)
                        .put("scoringTimeoutMs", 1000)));
        operations.put("prints", deploy(service("prints", uploadCode(SCRIPTS.resolve("prints.py")), null)));
        operations.put("v2-sklearn", deploy(service("v2-sklearn", uploadCode(SCRIPTS.resolve("v2_sklearn.py")), null)));
        operations.put("v2-answers", deploy(service("v2-answers", uploadCode(SCRIPTS.resolve("v2_answers.py")), null)));
        operations.put(
                "no-python",
                deploy(
                        service("no-python", uploadCode(SCRIPTS.resolve("score.py")), null),
                        "python",
                        "/nonexistent/bin/python3"));
        for (String name : operations.keySet()) {
            JsonNode state = waitForService(name);
            DEPLOYED.put(name, state);
            if (state.path("state").asText().equals("Healthy")) {
                KEYS.put(
                        name,
                        JSON.readTree(admin("POST", "/api/v1/services/" + name + "/listkeys", null)
                                        .body())
                                .get("primaryKey")
                                .asText());
            }
        }
    }

    @AfterAll
    static void stopAndCheckNoWorkerIsLeft() throws Exception {
        if (server == null) {
            return;
        }
        server.close();
        long deadline = System.currentTimeMillis() + 10_000;
        List<ProcessHandle> left;
        do {
            left = workers();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        assertThat(left)
                .as("python workers still running after the server closed")
                .isEmpty();
    }

    // ---- an Azure sample's score.py, unchanged

    @Test
    void sklearnScriptAnswersTheDemoPredictions() throws Exception {
        assertHealthy("sklearn");
        HttpResponse<String> response = score("sklearn", "application/json", JavaScorerTest.DATA);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-ms-run-function-failed")).hasValue("False");
        JsonNode predictions = JSON.readTree(response.body());
        assertThat(predictions.get(0).doubleValue()).isCloseTo(JavaScorerTest.FIRST, within(1e-9));
        assertThat(predictions.get(1).doubleValue()).isCloseTo(JavaScorerTest.SECOND, within(1e-9));
    }

    @Test
    void undecoratedRunIgnoresTheContentTypeAndRefusesBodiesThatAreNotUtf8() throws Exception {
        assertHealthy("sklearn");
        assertThat(score("sklearn", "text/plain", JavaScorerTest.DATA).statusCode())
                .isEqualTo(200);
        HttpResponse<String> response =
                score("sklearn", "application/json", new byte[] {'{', '"', 'd', (byte) 0xff, (byte) 0xfe, '"', '}'});
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("message").asText())
                .startsWith("Input cannot be decoded as UTF-8");
    }

    @Test
    void getPassesTheQueryAsJsonText() throws Exception {
        assertHealthy("sklearn");
        String query = "data="
                + URLEncoder.encode(
                        "[[0.0199132141783263,0.0506801187398187,0.104808689473925,"
                                + "0.0700725447072635,-0.0359677812752396,-0.0266789028311707,-0.0249926566315915,-0.00259226199818282,"
                                + "0.00371173823343597,0.0403433716478807]]",
                        StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/service/sklearn/score?" + query))
                .header("Authorization", "Bearer " + KEYS.get("sklearn"))
                .GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get(0).doubleValue()).isCloseTo(JavaScorerTest.FIRST, within(1e-9));
    }

    @Test
    void twoWorkersServeConcurrentRequests() throws Exception {
        assertHealthy("sklearn");
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(pool.submit(() -> score("sklearn", "application/json", JavaScorerTest.DATA)));
            }
            for (var call : calls) {
                assertThat(call.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(admin("GET", "/api/v1/services/sklearn/logs", null).body()).contains("python worker 2");
    }

    // ---- @rawhttp, AMLResponse, Model.get_model_path, a zipped source folder

    @Test
    void rawHttpScriptSetsItsOwnStatusAndHeaders() throws Exception {
        assertHealthy("rawhttp");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/service/rawhttp/score"))
                .header("Authorization", "Bearer " + KEYS.get("rawhttp"))
                .header("Content-Type", "application/json")
                .header("x-request-id", "the-clients-id")
                .POST(HttpRequest.BodyPublishers.ofString(JavaScorerTest.DATA)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Model")).hasValue("diabetes-sklearn");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        // The script's AMLResponse also set the request ids; the server's win.
        assertThat(response.headers().allValues("x-request-id")).containsExactly("the-clients-id");
        assertThat(response.headers().allValues("x-ms-client-request-id")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode predictions = JSON.readTree(response.body()).get("predictions");
        assertThat(predictions.get(1).doubleValue()).isCloseTo(JavaScorerTest.SECOND, within(1e-9));

        HttpResponse<String> refused = score("rawhttp", "text/csv", "1,2,3");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("X-Reason")).hasValue("content type");
        assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("send JSON");
    }

    @Test
    void rawHttpScriptSeesGetAndItsQuery() throws Exception {
        assertHealthy("rawhttp");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/service/rawhttp/score?who=ada"))
                .header("Authorization", "Bearer " + KEYS.get("rawhttp"))
                .GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("use POST, ada (/score)");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    }

    // ---- Open Inference Protocol (v2) clients calling a score.py

    @Test
    void aV2ClientGetsTheScriptsPredictionsAsOutput0() throws Exception {
        assertHealthy("v2-sklearn");
        String rows = JSON.readTree(JavaScorerTest.DATA).get("data").toString();
        String request =
                "{\"id\": \"py-1\", \"inputs\": [{\"name\": \"features\", \"shape\": [2, 10], \"datatype\": \"FP64\","
                        + " \"data\": " + rows + "}]}";
        HttpResponse<String> response = infer("v2-sklearn", request, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("model_name").asText()).isEqualTo("v2-sklearn");
        assertThat(answer.get("model_version").asText()).isEqualTo("1");
        assertThat(answer.get("id").asText()).isEqualTo("py-1");
        assertThat(answer.get("outputs")).hasSize(1);
        JsonNode output = answer.get("outputs").get(0);
        assertThat(output.get("name").asText()).isEqualTo("output0");
        assertThat(output.get("datatype").asText()).isEqualTo("FP64");
        assertThat(output.get("shape").toString()).isEqualTo("[2]");
        assertThat(output.get("data").get(0).doubleValue()).isCloseTo(JavaScorerTest.FIRST, within(1e-9));
        assertThat(output.get("data").get(1).doubleValue()).isCloseTo(JavaScorerTest.SECOND, within(1e-9));

        // The wrapped answer can come back as binary tensor data, as any model's outputs can.
        HttpResponse<byte[]> binary = HTTP.send(
                HttpRequest.newBuilder(uri("/v2/models/v2-sklearn/infer"))
                        .header("Authorization", "Bearer " + KEYS.get("v2-sklearn"))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(request.replace(
                                "\"id\": \"py-1\",", "\"parameters\": {\"binary_data_output\": true},")))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(binary.statusCode()).isEqualTo(200);
        int jsonLength = Integer.parseInt(
                binary.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode header = JSON.readTree(new String(binary.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(header.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(16);
        ByteBuffer values = ByteBuffer.wrap(binary.body(), jsonLength, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(values.getDouble()).isCloseTo(JavaScorerTest.FIRST, within(1e-9));
        assertThat(values.getDouble()).isCloseTo(JavaScorerTest.SECOND, within(1e-9));
    }

    @Test
    void aV2ClientSendingBinaryTensorDataToAScriptIsToldToSendJson() throws Exception {
        assertHealthy("v2-sklearn");
        String header = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 10], \"datatype\": \"FP64\","
                + " \"parameters\": {\"binary_data_size\": 80}}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(json, json.length + 80);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v2/models/v2-sklearn/infer"))
                .header("Authorization", "Bearer " + KEYS.get("v2-sklearn"))
                .header("Inference-Header-Content-Length", String.valueOf(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()))
                .isEqualTo(JSON.readTree("{\"error\": \"service 'v2-sklearn' runs code that"
                        + " reads the request itself (python runtime): send JSON, without binary tensor data\"}"));
    }

    @Test
    void v2MetadataOfAScriptServiceNamesItsModelVersionAndPlatformButNoTensors() throws Exception {
        assertHealthy("v2-sklearn");
        assertThat(JSON.readTree(get("/v2/models/v2-sklearn").body()))
                .isEqualTo(JSON.readTree("{\"name\": \"v2-sklearn\","
                        + " \"versions\": [\"1\"], \"platform\": \"scoria_python\", \"inputs\": [], \"outputs\": []}"));
        assertThat(get("/v2/models/v2-sklearn/versions/1/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailedScriptServiceIsNotReadyOverV2AndRefusesInference() throws Exception {
        assertThat(DEPLOYED.get("init-fails").path("state").asText()).isEqualTo("Failed");
        HttpResponse<String> ready = get("/v2/models/init-fails/ready");
        assertThat(ready.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(ready.body()).get("error").asText())
                .startsWith("service 'init-fails' is Failed, not Healthy: ");
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/v2/models/init-fails/infer"))
                .header(
                        "Authorization",
                        "Bearer "
                                + JSON.readTree(admin("POST", "/api/v1/services/init-fails/listkeys", null)
                                                .body())
                                        .get("primaryKey")
                                        .asText())
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": []}")));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).get("error").asText())
                .startsWith("service 'init-fails' is Failed, not Healthy: ");
    }

    @Test
    void runGetsTheV2RequestAsSentAndWhatItReturnsBecomesTheResponse() throws Exception {
        assertHealthy("v2-answers");
        // A response of its own: sent as it is, with the model's name and version and the request's id added.
        String request = "{\"id\": \"echo\",  \"inputs\": [ {\"name\": \"x\", \"shape\": [3], \"datatype\": \"INT64\","
                + " \"data\": [1, 2, 3]}]}\n";
        JsonNode own = JSON.readTree(infer("v2-answers", request, Map.of()).body());
        assertThat(own.get("model_name").asText()).isEqualTo("v2-answers");
        assertThat(own.get("model_version").asText()).isEqualTo("1");
        assertThat(own.get("id").asText()).isEqualTo("echo");
        assertThat(own.at("/outputs/0").toString())
                .isEqualTo("{\"name\":\"total\",\"datatype\":\"FP64\",\"shape\":[1],\"data\":[6.0]}");
        assertThat(own.at("/outputs/1/data/0").asText())
                .as("run() gets the body exactly as sent")
                .isEqualTo(request);

        // Anything else is one output, output0, typed by what it holds.
        assertThat(JSON.readTree(infer("v2-answers", request, Map.of("answer", "matrix"))
                                .body())
                        .at("/outputs/0")
                        .toString())
                .isEqualTo("{\"name\":\"output0\",\"datatype\":\"INT64\",\"shape\":[3,2],\"data\":[1,2,2,4,3,6]}");
        assertThat(JSON.readTree(infer("v2-answers", request, Map.of("answer", "object"))
                                .body())
                        .at("/outputs/0")
                        .toString())
                .isEqualTo(
                        "{\"name\":\"output0\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"{\\\"count\\\":3}\"]}");
        // json.dumps(...) is a JSON string, as on the Azure route: its text is the one element.
        assertThat(JSON.readTree(infer("v2-answers", request, Map.of("answer", "string"))
                                .body())
                        .at("/outputs/0/data/0")
                        .asText())
                .isEqualTo("{\"count\": 3}");

        HttpResponse<String> raised = infer("v2-answers", request, Map.of("answer", "raise"));
        assertThat(raised.statusCode()).isEqualTo(502);
        JsonNode error = JSON.readTree(raised.body());
        assertThat(error.fieldNames()).toIterable().containsExactly("error");
        assertThat(error.get("error").asText())
                .contains("scoria service logs v2-answers")
                .doesNotContain("ValueError");
        assertThat(logs("v2-answers")).contains("ValueError: asked to raise");
    }

    // ---- user code going wrong

    @Test
    void initThatRaisesFailsTheDeploymentWithTheTracebackInTheLog() throws Exception {
        JsonNode service = DEPLOYED.get("init-fails");
        assertThat(service.path("state").asText()).isEqualTo("Failed");
        assertThat(service.path("error").toString())
                .contains("FileNotFoundError: settings.yaml is missing from the source directory");
        String logs = JSON.readTree(
                        admin("GET", "/api/v1/services/init-fails/logs", null).body())
                .get("content")
                .asText();
        assertThat(logs)
                .contains("Traceback (most recent call last)")
                .contains("in load_settings")
                .contains("init_fails.py")
                .doesNotContain("scoria_worker.py")
                .doesNotContain("died");
    }

    @Test
    void runThatRaisesAnswers502AndLogsTheTraceback() throws Exception {
        assertHealthy("run-raises");
        String requestId = "raises-" + UUID.randomUUID();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/service/run-raises/score"))
                .header("Authorization", "Bearer " + KEYS.get("run-raises"))
                .header("Content-Type", "application/json")
                .header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[0]]}")));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-ms-run-function-failed")).hasValue("True");
        assertThat(response.body()).doesNotContain("ZeroDivisionError");
        String logs = logs("run-raises");
        assertThat(logs)
                .contains(requestId)
                .contains("ZeroDivisionError: division by zero")
                .contains("run_raises.py")
                .doesNotContain("scoria_worker.py");
        // The worker survives its script's exception.
        assertThat(score("run-raises", "application/json", "{\"data\": [[4]]}").body())
                .isEqualTo("[0.25]");
    }

    @Test
    void runPastTheTimeoutAnswers504AndTheWorkerIsReplaced() throws Exception {
        assertHealthy("misbehaves");
        long pid = JSON.readTree(score("misbehaves", "application/json", "{}").body())
                .get("pid")
                .asLong();
        long started = System.nanoTime();
        HttpResponse<String> response = score("misbehaves", "application/json", "{\"hang\": true}");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
        // Killed by the thread that waited for it, which may finish just after the 504 went out.
        long deadline = System.currentTimeMillis() + 5_000;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the hung worker is killed")
                .isFalse();
        HttpResponse<String> after = scoreWhenBack("misbehaves", "{}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(JSON.readTree(after.body()).get("pid").asLong()).isNotEqualTo(pid);
    }

    @Test
    void aTimeoutRaisedByAnUpdateAppliesToTheRunningWorkers() throws Exception {
        assertHealthy("sleeps");
        assertThat(score("sleeps", "application/json", "{\"sleep\": 1.5}").statusCode())
                .isEqualTo(504);
        HttpResponse<String> patched = admin("PATCH", "/api/v1/services/sleeps", "{\"scoringTimeoutMs\": 10000}");
        assertThat(patched.statusCode()).as(patched.body()).isIn(200, 202);
        HttpResponse<String> slow = scoreWhenBack("sleeps", "{\"sleep\": 1.5}");
        assertThat(slow.statusCode()).as(slow.body()).isEqualTo(200);
    }

    @Test
    void aWorkerDyingMidRequestFailsThatRequestOnlyAndTheServiceRecovers() throws Exception {
        assertHealthy("misbehaves");
        scoreWhenBack("misbehaves", "{}");
        HttpResponse<String> response = score("misbehaves", "application/json", "{\"exit\": true}");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-ms-run-function-failed")).hasValue("True");
        // One worker, now dead: the service says so until its replacement is ready.
        HttpResponse<String> after = scoreWhenBack("misbehaves", "{}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(logs("misbehaves"))
                .contains("died while scoring this request")
                .contains("exit code 7");
    }

    @Test
    void aServiceWhoseWorkersCannotRestartIsUnhealthyAndAnswers503() throws Exception {
        assertHealthy("starts-once");
        assertThat(score("starts-once", "text/plain", "hello").body()).isEqualTo("\"up\"");
        assertThat(score("starts-once", "text/plain", "exit").statusCode()).isEqualTo(502);
        long deadline = System.currentTimeMillis() + 10_000;
        JsonNode service =
                JSON.readTree(admin("GET", "/api/v1/services/starts-once", null).body());
        while (!service.path("state").asText().equals("Unhealthy") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            service = JSON.readTree(
                    admin("GET", "/api/v1/services/starts-once", null).body());
        }
        assertThat(service.path("state").asText()).isEqualTo("Unhealthy");
        assertThat(service.path("error").toString()).contains("no Python worker is alive");
        HttpResponse<String> refused = score("starts-once", "text/plain", "hello");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("Unhealthy");
        assertThat(get("/api/v1/service/starts-once/").statusCode()).isEqualTo(503);
        deadline = System.currentTimeMillis() + 10_000;
        while (!logs("starts-once").contains("RuntimeError: refusing to start twice")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(logs("starts-once"))
                .contains("could not restart: init() failed: RuntimeError: refusing to start twice");
    }

    @Test
    void whatTheScriptPrintsReachesTheLogWithTheRequestId() throws Exception {
        assertHealthy("prints");
        String requestId = "prints-" + UUID.randomUUID();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/service/prints/score"))
                .header("Authorization", "Bearer " + KEYS.get("prints"))
                .header("Content-Type", "application/json")
                .header("x-request-id", requestId)
                .header("X-Test-Agent", "curl/8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"ada\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // run() returned json.dumps(...): a JSON string, double encoded as on Azure.
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.isTextual()).isTrue();
        assertThat(JSON.readTree(body.asText()).get("greeting").asText()).isEqualTo("hi ada");
        assertThat(JSON.readTree(body.asText()).get("agent").asText()).isEqualTo("curl/8");
        long deadline = System.currentTimeMillis() + 10_000;
        String logs = logs("prints");
        while (!logs.contains(requestId + ",a warning on stderr") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            logs = logs("prints");
        }
        assertThat(logs)
                .contains(requestId + ",hello from run, ada")
                .contains(requestId + ",a warning on stderr")
                .contains("00000000-0000-0000-0000-000000000000,init: loading nothing");
    }

    @Test
    void anInitThatDoesNotReturnInTimeFailsTheDeploymentAndItsWorkerIsKilled() {
        JsonNode service = DEPLOYED.get("slow-init");
        assertThat(service.path("state").asText()).isEqualTo("Failed");
        assertThat(service.path("error").toString()).contains("init() did not return within 1000 ms");
        assertThat(workers().stream()
                        .filter(p -> p.info().commandLine().orElse("").contains("/slow-init/"))
                        .toList())
                .isEmpty();
    }

    @Test
    void anInterpreterThatDoesNotExistFailsTheDeploymentSayingWhich() {
        JsonNode service = DEPLOYED.get("no-python");
        assertThat(service.path("state").asText()).isEqualTo("Failed");
        assertThat(service.path("error").toString()).contains("/nonexistent/bin/python3");
    }

    @Test
    void aZipEntryLeavingItsFolderIsRefused() throws Exception {
        Path evil = scratch.resolve("evil.zip");
        try (OutputStream file = Files.newOutputStream(evil);
                ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("score.py"));
            out.write("def init():\n    pass\n\ndef run(d):\n    return d\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("../../escaped.py"));
            out.write("x = 1\n".getBytes(StandardCharsets.UTF_8));
        }
        deploy(service("evil-zip", uploadCode(evil), null));
        JsonNode service = waitForService("evil-zip");
        assertThat(service.path("state").asText()).isEqualTo("Failed");
        assertThat(service.path("error").toString())
                .contains("outside its folder")
                .contains("../../escaped.py");
        assertThat(Files.exists(dataDir.resolve("escaped.py"))).isFalse();
    }

    // ---- the CLI

    @Test
    void cliDeploysASourceFolderWithInterpreterAndWorkers() throws Exception {
        Map<String, String> env = Map.of("SCORIA_URL", server.baseUrl(), "SCORIA_TOKEN", server.adminToken());
        CliProcess.Result deployed = CliProcess.run(
                scratch,
                env,
                "service",
                "deploy",
                "cli-python",
                "--model",
                "diabetes-sklearn:1",
                "--source-dir",
                SCRIPTS.resolve("rawhttp").toAbsolutePath().toString(),
                "--entry",
                "score.py",
                "--python",
                PYTHON,
                "--workers",
                "2",
                "--auth",
                "none",
                "--wait");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        JsonNode service =
                JSON.readTree(admin("GET", "/api/v1/services/cli-python", null).body());
        assertThat(service.path("state").asText()).as(service.toString()).isEqualTo("Healthy");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/service/cli-python/score"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JavaScorerTest.DATA)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(logs("cli-python")).contains("starting 2 python worker(s): " + PYTHON);

        CliProcess.Result both = CliProcess.run(
                scratch,
                env,
                "service",
                "deploy",
                "cli-both",
                "--model",
                "diabetes-sklearn:1",
                "--source-dir",
                SCRIPTS.resolve("rawhttp").toAbsolutePath().toString(),
                "--code",
                SCRIPTS.resolve("score.py").toAbsolutePath().toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--code or --source-dir, not both");
    }

    // ---- helpers

    /** Scores until the service answers something other than 503 (a replacement worker starting), for 30 s at most. */
    static HttpResponse<String> scoreWhenBack(String service, String body) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        HttpResponse<String> response = score(service, "application/json", body);
        while (response.statusCode() == 503 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            response = score(service, "application/json", body);
        }
        return response;
    }

    static List<ProcessHandle> workers() {
        String marker = dataDir.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains("scoria_worker.py") && c.contains(marker))
                        .orElse(false))
                .toList();
    }

    static String logs(String service) throws Exception {
        return JSON.readTree(admin("GET", "/api/v1/services/" + service + "/logs", null)
                        .body())
                .get("content")
                .asText();
    }

    static Path zip(String folder) throws Exception {
        Path zip = scratch.resolve(folder + ".zip");
        Path root = SCRIPTS.resolve(folder);
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file);
                var files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(root.relativize(p).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
        return zip;
    }

    static void assertHealthy(String name) {
        JsonNode service = DEPLOYED.get(name);
        assertThat(service.path("state").asText())
                .as("service %s: %s", name, service)
                .isEqualTo("Healthy");
    }

    static ObjectNode service(String name, JsonNode code, String entry) {
        ObjectNode deploy = JSON.createObjectNode();
        deploy.put("name", name);
        deploy.putArray("models").add("diabetes-sklearn:1");
        deploy.put("runtime", "python");
        deploy.putObject("code")
                .put("sha256", code.get("sha256").asText())
                .put("fileName", code.get("fileName").asText());
        if (entry != null) {
            deploy.put("entry", entry);
        }
        deploy.putObject("config").put("python", PYTHON);
        return deploy;
    }

    /** Deploys (with extra config pairs) and answers the operation's location. */
    static String deploy(ObjectNode request, String... config) throws Exception {
        for (int i = 0; i + 1 < config.length; i += 2) {
            ((ObjectNode) request.get("config")).put(config[i], config[i + 1]);
        }
        HttpResponse<String> response = admin("POST", "/api/v1/services", JSON.writeValueAsString(request));
        assertThat(response.statusCode())
                .as("deploy %s: %s", request.get("name"), response.body())
                .isEqualTo(202);
        return response.headers().firstValue("Operation-Location").orElseThrow();
    }

    static JsonNode waitForService(String name) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonNode node =
                    JSON.readTree(admin("GET", "/api/v1/services/" + name, null).body());
            if (!node.path("state").asText().equals("Transitioning") || System.currentTimeMillis() > deadline) {
                return node;
            }
            Thread.sleep(50);
        }
    }

    static JsonNode uploadCode(Path file) throws Exception {
        HttpResponse<String> response = multipart("/api/v1/code", Map.of(), file);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> multipart(String path, Map<String, String> fields, Path file) throws Exception {
        String boundary = "scoria-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                            + "\"\r\n\r\n" + field.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                        + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(file));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + server.adminToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    static HttpResponse<String> admin(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + server.adminToken())
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b);
    }

    static HttpResponse<String> score(String service, String contentType, String body) throws Exception {
        return score(service, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> score(String service, String contentType, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/v1/service/" + service + "/score"))
                .header("Authorization", "Bearer " + KEYS.get(service))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A v2 inference request, its top-level "parameters" set from {@code parameters} (when there are any). */
    static HttpResponse<String> infer(String service, String request, Map<String, String> parameters) throws Exception {
        String body = request;
        if (!parameters.isEmpty()) {
            ObjectNode withParameters = (ObjectNode) JSON.readTree(request);
            parameters.forEach(withParameters.putObject("parameters")::put);
            body = withParameters.toString();
        }
        return send(HttpRequest.newBuilder(uri("/v2/models/" + service + "/infer"))
                .header("Authorization", "Bearer " + KEYS.get(service))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
