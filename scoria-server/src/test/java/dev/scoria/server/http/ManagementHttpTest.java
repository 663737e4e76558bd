package dev.scoria.server.http;

import static dev.scoria.server.http.DataPlaneHttpTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The management API as the CLI, SDK and console call it. */
class ManagementHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static byte[] demoModel() throws Exception {
        try (var in = DemoService.class.getResourceAsStream("/demo/diabetes-ridge/model.onnx")) {
            return in.readAllBytes();
        }
    }

    static HttpResponse<String> upload(String name, String fileName, byte[] content, String tagsJson) throws Exception {
        return uploadWith(name, fileName, content, tagsJson == null ? Map.of() : Map.of("tags", tagsJson));
    }

    /** A model registration with these form fields besides the name. */
    static HttpResponse<String> uploadWith(String name, String fileName, byte[] content, Map<String, String> fields)
            throws Exception {
        String boundary = "scoria-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                            + "\"\r\n\r\n" + field.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (content != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                            + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return t.send(t.request("/api/v1/models")
                .header("Authorization", "Bearer " + t.server.adminToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    }

    @Test
    void aFrameworkIsKeptInAzuresSpellingWithItsVersion() throws Exception {
        byte[] pickle = "a pickled estimator".getBytes(StandardCharsets.UTF_8);
        JsonNode sklearn = JSON.readTree(uploadWith(
                        "framed",
                        "model.joblib",
                        pickle,
                        Map.of("framework", "scikit-learn", "frameworkVersion", "1.2"))
                .body());
        assertThat(sklearn.get("framework").asText()).isEqualTo("ScikitLearn");
        assertThat(sklearn.get("frameworkVersion").asText()).isEqualTo("1.2");
        JsonNode listed = JSON.readTree(
                        t.admin("GET", "/api/v1/models?name=framed", null).body())
                .get("value")
                .get(0);
        assertThat(listed.get("framework").asText()).isEqualTo("ScikitLearn");
        assertThat(listed.get("frameworkVersion").asText()).isEqualTo("1.2");
        assertThat(JSON.readTree(uploadWith("framed", "model.pkl", pickle, Map.of("framework", "sklearn"))
                                .body())
                        .get("framework")
                        .asText())
                .isEqualTo("ScikitLearn");
        JsonNode onnx = JSON.readTree(
                uploadWith("framed-onnx", "model.onnx", demoModel(), Map.of()).body());
        assertThat(onnx.get("framework").asText()).isEqualTo("Onnx");
        assertThat(onnx.get("frameworkVersion").isNull()).isTrue();

        assertThat(errorOf(uploadWith("framed", "notes.txt", pickle, Map.of("framework", "ScikitLearn")), 400)
                        .get("message")
                        .asText())
                .isEqualTo("model 'framed' is registered as ScikitLearn, so it must hold exactly one model saved with"
                        + " pickle or joblib (.pkl, .pickle, .joblib); it holds none");
        assertThat(errorOf(
                                uploadWith(
                                        "framed",
                                        "model.pkl",
                                        pickle,
                                        Map.of("framework", "ScikitLearn", "frameworkVersion", "1.2; rm -rf")),
                                400)
                        .get("message")
                        .asText())
                .contains("framework version '1.2; rm -rf' is not valid");
    }

    @Test
    void registerDeployScoreRotateAndDelete() throws Exception {
        HttpResponse<String> registered = upload("ridge", "model.onnx", demoModel(), "{\"team\": \"risk\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        JsonNode model = JSON.readTree(registered.body());
        assertThat(model.get("id").asText()).isEqualTo("ridge:1");
        assertThat(model.get("kvTags").get("team").asText()).isEqualTo("risk");
        assertThat(model.get("framework").asText()).isEqualTo("Onnx");
        assertThat(model.get("sha256").asText()).hasSize(64);
        assertThat(JSON.readTree(
                                upload("ridge", "model.onnx", demoModel(), null).body())
                        .get("version")
                        .asInt())
                .isEqualTo(2);

        HttpResponse<String> deployed = t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"ridge-svc\", \"models\": [\"ridge:2\"], \"kvTags\": {\"env\": \"test\"}}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
        String location = deployed.headers().firstValue("Operation-Location").orElseThrow();
        assertThat(JSON.readTree(deployed.body()).get("state").asText()).isIn("Transitioning", "Healthy");
        assertThat(t.waitForOperation(location).get("state").asText()).isEqualTo("Succeeded");

        JsonNode service =
                JSON.readTree(t.admin("GET", "/api/v1/services/ridge-svc", null).body());
        assertThat(service.get("state").asText()).isEqualTo("Healthy");
        assertThat(service.get("scoringUri").asText())
                .isEqualTo(t.server.baseUrl() + "/api/v1/service/ridge-svc/score");
        assertThat(service.get("swaggerUri").asText())
                .isEqualTo(t.server.baseUrl() + "/api/v1/service/ridge-svc/swagger.json");
        assertThat(service.get("authEnabled").asBoolean()).isTrue();
        for (String required :
                new String[] {"computeType", "createdTime", "description", "kvTags", "name", "properties"}) {
            assertThat(service.has(required)).as(required).isTrue();
        }

        JsonNode keys = JSON.readTree(
                t.admin("POST", "/api/v1/services/ridge-svc/listkeys", null).body());
        String primary = keys.get("primaryKey").asText();
        String secondary = keys.get("secondaryKey").asText();
        assertThat(primary)
                .hasSizeGreaterThanOrEqualTo(43)
                .matches("[A-Za-z0-9_-]+")
                .isNotEqualTo(secondary);
        assertThat(score("ridge-svc", primary).body()).isEqualTo(TestServer.EXPECTED);

        JsonNode rotated = JSON.readTree(t.admin(
                        "POST",
                        "/api/v1/services/ridge-svc/regenerateKeys",
                        "{\"keyType\": \"Primary\", \"keyValue\": null}")
                .body());
        assertThat(rotated.get("primaryKey").asText()).isNotEqualTo(primary);
        assertThat(rotated.get("secondaryKey").asText()).isEqualTo(secondary);
        assertThat(score("ridge-svc", primary).statusCode()).isEqualTo(401);
        assertThat(score("ridge-svc", secondary).statusCode()).isEqualTo(200);
        assertThat(score("ridge-svc", rotated.get("primaryKey").asText()).statusCode())
                .isEqualTo(200);

        String chosen = "my-own-key-0123456789-abcdefghijklmnop";
        t.admin(
                "POST",
                "/api/v1/services/ridge-svc/regenerateKeys",
                "{\"keyType\": \"secondary\", \"keyValue\": \"" + chosen + "\"}");
        assertThat(score("ridge-svc", chosen).statusCode()).isEqualTo(200);
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services/ridge-svc/regenerateKeys",
                                        "{\"keyType\": \"Secondary\", \"keyValue\": \"short\"}"),
                                400)
                        .get("message")
                        .asText())
                .contains("32 to 128");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services/ridge-svc/regenerateKeys",
                                        "{\"keyType\": \"Tertiary\"}"),
                                400)
                        .get("message")
                        .asText())
                .contains("expected Primary or Secondary");

        JsonNode filtered = JSON.readTree(
                t.admin("GET", "/api/v1/services?modelName=ridge", null).body());
        assertThat(filtered.get("value")).hasSize(1);
        assertThat(JSON.readTree(t.admin("GET", "/api/v1/services?tags=env=prod", null)
                                .body())
                        .get("value"))
                .isEmpty();
        assertThat(JSON.readTree(t.admin("GET", "/api/v1/services", null).body())
                        .get("value"))
                .hasSize(2);

        assertThat(errorOf(t.admin("DELETE", "/api/v1/models/ridge/2", null), 409)
                        .get("message")
                        .asText())
                .contains("used by service(s) ridge-svc");
        assertThat(JSON.readTree(t.admin("GET", "/api/v1/services/ridge-svc/logs?tail=50", null)
                                .body())
                        .get("content")
                        .asText())
                .contains("service is Healthy");

        HttpResponse<String> patched = t.admin(
                "PATCH", "/api/v1/services/ridge-svc", "{\"description\": \"new text\", \"maxQueueWaitMs\": 900}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).get("maxQueueWaitMs").asInt()).isEqualTo(900);
        assertThat(score("ridge-svc", chosen).statusCode()).isEqualTo(200);

        HttpResponse<String> moved = t.admin("PATCH", "/api/v1/services/ridge-svc", "{\"models\": [\"ridge:1\"]}");
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(t.waitForOperation(
                                moved.headers().firstValue("Operation-Location").orElseThrow())
                        .get("state")
                        .asText())
                .isEqualTo("Succeeded");
        assertThat(JSON.readTree(t.admin("GET", "/api/v1/services/ridge-svc", null)
                                .body())
                        .at("/models/0/id")
                        .asText())
                .isEqualTo("ridge:1");

        assertThat(t.admin("DELETE", "/api/v1/services/ridge-svc", null).statusCode())
                .isEqualTo(200);
        errorOf(t.admin("GET", "/api/v1/services/ridge-svc", null), 404);
        errorOf(score("ridge-svc", secondary), 404);
        assertThat(t.admin("DELETE", "/api/v1/models/ridge/2", null).statusCode())
                .isEqualTo(200);
        errorOf(t.admin("GET", "/api/v1/models/ridge/2", null), 404);
        assertThat(errorOf(t.admin("GET", "/api/v1/models?latest=maybe", null), 400)
                        .get("message")
                        .asText())
                .isEqualTo("query parameter 'latest' must be true or false, saw 'maybe'");
        assertThat(t.admin("GET", "/api/v1/models?latest=TRUE", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aKeyValueAlreadyInUseByTheServiceOrAnotherIsRefusedWithoutEchoingIt() throws Exception {
        upload("keyed", "model.onnx", demoModel(), null);
        for (String name : List.of("keys-a", "keys-b")) {
            HttpResponse<String> deployed =
                    t.admin("POST", "/api/v1/services", "{\"name\": \"" + name + "\", \"models\": [\"keyed:1\"]}");
            assertThat(t.waitForOperation(deployed.headers()
                                    .firstValue("Operation-Location")
                                    .orElseThrow())
                            .get("state")
                            .asText())
                    .isEqualTo("Succeeded");
        }
        JsonNode a = JSON.readTree(
                t.admin("POST", "/api/v1/services/keys-a/listkeys", null).body());
        JsonNode b = JSON.readTree(
                t.admin("POST", "/api/v1/services/keys-b/listkeys", null).body());
        String bPrimary = b.get("primaryKey").asText();
        String bSecondary = b.get("secondaryKey").asText();

        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put(
                "{\"keyType\": \"Secondary\", \"keyValue\": \"" + bPrimary + "\"}",
                "keyValue is already the service's primary key: choose a different value");
        refusals.put(
                "{\"keyType\": \"Primary\", \"keyValue\": \"" + bSecondary + "\"}",
                "keyValue is already the service's secondary key: choose a different value");
        for (String other : List.of("primaryKey", "secondaryKey")) {
            refusals.put(
                    "{\"keyType\": \"Primary\", \"keyValue\": \"" + a.get(other).asText() + "\"}",
                    "keyValue is already in use by another service: choose a different value");
        }
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            JsonNode error = errorOf(t.admin("POST", "/api/v1/services/keys-b/regenerateKeys", refusal.getKey()), 409);
            assertThat(error.get("message").asText()).as(refusal.getKey()).isEqualTo(refusal.getValue());
        }
        assertThat(JSON.readTree(t.admin("POST", "/api/v1/services/keys-b/listkeys", null)
                        .body()))
                .isEqualTo(b);
        assertThat(score("keys-a", a.get("primaryKey").asText()).statusCode()).isEqualTo(200);
        assertThat(score("keys-b", a.get("primaryKey").asText()).statusCode()).isEqualTo(401);

        // Setting a key to the value it already has changes nothing, so a retried call still succeeds.
        HttpResponse<String> again = t.admin(
                "POST",
                "/api/v1/services/keys-b/regenerateKeys",
                "{\"keyType\": \"Primary\", \"keyValue\": \"" + bPrimary + "\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body())).isEqualTo(b);

        for (String name : List.of("keys-a", "keys-b")) {
            assertThat(t.admin("DELETE", "/api/v1/services/" + name, null).statusCode())
                    .isEqualTo(200);
        }
        assertThat(t.admin("DELETE", "/api/v1/models/keyed/1", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aModelTheRuntimeCannotServeEndsFailedWithTheReason() throws Exception {
        upload("broken", "model.onnx", "this is not onnx".getBytes(StandardCharsets.UTF_8), null);
        HttpResponse<String> deployed =
                t.admin("POST", "/api/v1/services", "{\"name\": \"broken-svc\", \"models\": [\"broken:1\"]}");
        JsonNode op = t.waitForOperation(
                deployed.headers().firstValue("Operation-Location").orElseThrow());
        assertThat(op.get("state").asText()).isEqualTo("Failed");
        assertThat(op.at("/error/message").asText()).contains("is not a model ONNX Runtime can load");
        JsonNode service = JSON.readTree(
                t.admin("GET", "/api/v1/services/broken-svc", null).body());
        assertThat(service.get("state").asText()).isEqualTo("Failed");
        assertThat(service.at("/error/message").asText()).contains("broken:1");
        JsonNode unavailable = errorOf(
                t.send(t.request("/api/v1/service/broken-svc/score")
                        .header(
                                "Authorization",
                                "Bearer "
                                        + JSON.readTree(t.admin("POST", "/api/v1/services/broken-svc/listkeys", null)
                                                        .body())
                                                .get("primaryKey")
                                                .asText())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build()),
                503);
        assertThat(unavailable.get("message").asText()).contains("is Failed");
        // Its swagger document still exists, with the generic schema.
        HttpResponse<String> swagger = t.send(
                t.request("/api/v1/service/broken-svc/swagger.json").GET().build());
        assertThat(JSON.readTree(swagger.body())
                        .at("/definitions/ServiceInput/type")
                        .asText())
                .isEqualTo("object");
        assertThat(t.admin("DELETE", "/api/v1/services/broken-svc", null).statusCode())
                .isEqualTo(200);
    }

    /**
     * Read as a double, 1e999 is Infinity, which was stored as the string "Infinity": the deploy was accepted and
     * then failed, saying the example's number was a string. The deploy request itself is refused.
     */
    @Test
    void anExampleWithANumberBeyondADoublesRangeIsRefusedAtDeploy() throws Exception {
        String expected = "field 'inputExample' holds a number beyond the range of a double (about ±1.8e308)"
                + " at data[0][0]: give a smaller number";
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"xx3\", \"models\": [\"diabetes:1\"],"
                                                + " \"inputExample\": {\"data\": [[1e999,2,3,4,5,6,7,8,9,10]]}}"),
                                400)
                        .get("message")
                        .asText())
                .isEqualTo(expected);
        // Sent as a string holding JSON, as some clients send it.
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"xx3\", \"models\": [\"diabetes:1\"],"
                                                + " \"inputExample\": \"{\\\"data\\\": [[1e999,2,3,4,5,6,7,8,9,10]]}\"}"),
                                400)
                        .get("message")
                        .asText())
                .isEqualTo(expected);
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"xx3\", \"models\": [\"diabetes:1\"],"
                                                + " \"outputExample\": [1.5, -1e400]}"),
                                400)
                        .get("message")
                        .asText())
                .isEqualTo("field 'outputExample' holds a number beyond the range of a double (about ±1.8e308)"
                        + " at [1]: give a smaller number");
        errorOf(t.admin("GET", "/api/v1/services/xx3", null), 404);
    }

    /** A number a double holds but a float does not (1e39) would reach an FP32 model as Infinity. */
    @Test
    void aFloatModelRefusesANumberBeyondAFloatsRangeOnBothRoutes() throws Exception {
        byte[] model;
        try (var in = ManagementHttpTest.class.getResourceAsStream("/models/diabetes-ridge-float32.onnx")) {
            model = in.readAllBytes();
        }
        assertThat(upload("ridge32", "model.onnx", model, null).statusCode()).isEqualTo(201);
        HttpResponse<String> deployed =
                t.admin("POST", "/api/v1/services", "{\"name\": \"ridge32-svc\", \"models\": [\"ridge32:1\"]}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
        assertThat(t.waitForOperation(deployed.headers()
                                .firstValue("Operation-Location")
                                .orElseThrow())
                        .get("state")
                        .asText())
                .isEqualTo("Succeeded");
        String key = JSON.readTree(t.admin("POST", "/api/v1/services/ridge32-svc/listkeys", null)
                        .body())
                .get("primaryKey")
                .asText();
        JsonNode meta = JSON.readTree(t.send(t.request("/v2/models/ridge32-svc")
                        .header("Authorization", "Bearer " + key)
                        .build())
                .body());
        String input = meta.at("/inputs/0/name").asText();
        assertThat(meta.at("/inputs/0/datatype").asText()).isEqualTo("FP32");

        String row = "[1,2,3,4,5,6,7,8,9,10]";
        String badRow = "[1,2,3,1e39,5,6,7,8,9,10]";
        assertThat(postJson("/api/v1/service/ridge32-svc/score", key, "{\"data\": [" + row + "]}")
                        .statusCode())
                .isEqualTo(200);
        String expected = "is 1.0E39: input '" + input + "' float[N, 10] holds floats, whose range is about ±3.4e38";
        assertThat(errorOf(postJson("/api/v1/service/ridge32-svc/score", key, "{\"data\": [" + badRow + "]}"), 400)
                        .get("message")
                        .asText())
                .isEqualTo("data[0][3] " + expected);
        // 3,000 rows, cut into parts: the part holding it fails and the body is read whole.
        StringBuilder rows = new StringBuilder("{\"data\": [");
        for (int r = 0; r < 3000; r++) {
            rows.append(r == 0 ? "" : ",").append(r == 2222 ? badRow : row);
        }
        assertThat(errorOf(postJson("/api/v1/service/ridge32-svc/score", key, rows + "]}"), 400)
                        .get("message")
                        .asText())
                .isEqualTo("data[2222][3] " + expected);

        HttpResponse<String> infer = postJson(
                "/v2/models/ridge32-svc/infer",
                key,
                "{\"inputs\": [{\"name\": \"" + input + "\", \"shape\": [1, 10], \"datatype\": \"FP32\", \"data\": "
                        + badRow + "}]}");
        assertThat(infer.statusCode()).as(infer.body()).isEqualTo(400);
        assertThat(JSON.readTree(infer.body()).get("error").asText())
                .isEqualTo("input '" + input
                        + "' data[3] is 1.0E39, beyond the range of a float (about ±3.4e38): the input is FP32");
    }

    private static HttpResponse<String> postJson(String path, String key, String body) throws Exception {
        return t.send(t.request(path)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    @Test
    void badManagementRequestsSayWhichFieldIsWrong() throws Exception {
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"Bad_Name\", \"models\": [\"diabetes:1\"]}"),
                                400)
                        .get("message")
                        .asText())
                .contains("service name 'Bad_Name' is not valid");
        assertThat(errorOf(t.admin("POST", "/api/v1/services", "{\"name\": \"okname\"}"), 400)
                        .get("message")
                        .asText())
                .contains("the onnx runtime needs at least one model: give 'models'");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"okname\", \"models\": [\"nosuch:1\"]}"),
                                404)
                        .get("message")
                        .asText())
                .isEqualTo("model nosuch:1 is not registered");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"okname\", \"models\": [\"diabetes\"]}"),
                                400)
                        .get("message")
                        .asText())
                .contains("expected name:version");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"okname\", \"models\": [\"diabetes:1\"], \"scoringTimeoutMs\": \"soon\"}"),
                                400)
                        .get("message")
                        .asText())
                .contains("field 'scoringTimeoutMs' must be a whole number");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"okname\", \"models\": [\"diabetes:1\"], \"authEnabled\": true, \"tokenAuthEnabled\": true}"),
                                400)
                        .get("message")
                        .asText())
                .contains("cannot both be true");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"myservice\", \"models\": [\"diabetes:1\"]}"),
                                409)
                        .get("message")
                        .asText())
                .contains("already exists");
        assertThat(errorOf(t.admin("POST", "/api/v1/services", "not json"), 400)
                        .get("message")
                        .asText())
                .contains("not valid JSON");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"twice\", \"models\": [\"diabetes:1\", \"diabetes:1\"]}"),
                                400)
                        .get("message")
                        .asText())
                .isEqualTo("models lists diabetes:1 twice: expected each model version once");
        // Said in terms of the JSON sent, not of the parser's settings or its redacted source.
        assertThat(errorOf(t.admin("POST", "/api/v1/services", "{\"name\": \"x\", \"models\": [NaN]}"), 400)
                        .get("message")
                        .asText())
                .isEqualTo("request body is not valid JSON: 'NaN' is not a JSON value: JSON numbers are finite, so"
                        + " send a number (line 1, column 29)");
        assertThat(errorOf(t.admin("POST", "/api/v1/services", "{\"name\": [\"x\""), 400)
                        .get("message")
                        .asText())
                .doesNotContain("Source")
                .contains("(start marker at line 1, column 10)");
        assertThat(errorOf(upload("", "model.onnx", demoModel(), null), 400)
                        .get("message")
                        .asText())
                .contains("field 'name' is required");
        assertThat(errorOf(upload("nofile", null, null, null), 400)
                        .get("message")
                        .asText())
                .contains("has no file");
        assertThat(errorOf(upload("evil", "../../etc/passwd", demoModel(), null), 400)
                        .get("message")
                        .asText())
                .contains("must not contain empty, '.' or '..' parts");
        errorOf(t.admin("GET", "/api/v1/operations/nosuch", null), 404);
        errorOf(t.admin("GET", "/api/v1/services/nosuch/logs?tail=5", null), 404);
        assertThat(errorOf(t.admin("GET", "/api/v1/services/myservice/logs?tail=abc", null), 400)
                        .get("message")
                        .asText())
                .contains("'tail' must be a whole number");
    }

    @Test
    void theManagementApiNeedsTheAdminTokenAndNothingElse() throws Exception {
        errorOf(t.send(t.request("/api/v1/services").GET().build()), 401);
        errorOf(
                t.send(t.request("/api/v1/models")
                        .header("Authorization", "Bearer " + t.primaryKey())
                        .GET()
                        .build()),
                401);
        errorOf(
                t.send(t.request("/api/v1/services/myservice/listkeys")
                        .header("Authorization", "Bearer wrong")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build()),
                401);
        assertThat(t.admin("GET", "/api/v1/services", null).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> score(String service, String key) throws Exception {
        return t.send(t.request("/api/v1/service/" + service + "/score")
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                .build());
    }
}
