package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.it.scorers.DeclaredRowsScorer;
import dev.scoria.it.scorers.EchoScorer;
import dev.scoria.it.scorers.FailingInitScorer;
import dev.scoria.it.scorers.IdHeadersScorer;
import dev.scoria.it.scorers.MisdeclaredScorer;
import dev.scoria.it.scorers.TensorEchoScorer;
import dev.scoria.it.scorers.ThrowingScorer;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code java} runtime end to end: a real server on a free loopback port, the example scorer JARs
 * (built by the reactor before this module) and test scorers packed into a JAR here, uploaded, deployed
 * and scored over HTTP as a user would, including the ways user code goes wrong.
 */
class JavaScorerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROW1 = "\"age\": 0.0199132141783263, \"sex\": 0.0506801187398187, \"bmi\": 0.104808689473925,"
            + " \"bp\": 0.0700725447072635, \"s1\": -0.0359677812752396, \"s2\": -0.0266789028311707,"
            + " \"s3\": -0.0249926566315915, \"s4\": -0.00259226199818282, \"s5\": 0.00371173823343597, \"s6\": 0.0403433716478807";
    static final String ROW2 = "\"age\": -0.0127796318808497, \"sex\": -0.044641636506989, \"bmi\": 0.0606183944448076,"
            + " \"bp\": 0.0528581912385822, \"s1\": 0.0479653430750293, \"s2\": 0.0293746718291555,"
            + " \"s3\": -0.0176293810234174, \"s4\": 0.0343088588777263, \"s5\": 0.0702112981933102, \"s6\": 0.00720651632920303";
    static final String DATA =
            "{\"data\": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635,"
                    + " -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597,"
                    + " 0.0403433716478807], [-0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822,"
                    + " 0.0479653430750293, 0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102,"
                    + " 0.00720651632920303]]}";
    static final double FIRST = 217.67978776218715;
    static final double SECOND = 224.78937091757172;
    static final Path EXAMPLES = Path.of("..", "examples");

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
        server = ScoriaServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dataDir)
                .build());
        registerModel("diabetes", resource("/diabetes-ridge.onnx"));
        registerModel("diabetes32", resource("/diabetes-ridge-float32.onnx"));

        JsonNode typed = uploadCode(EXAMPLES.resolve("typed-scorer/target/typed-scorer.jar"));
        JsonNode image = uploadCode(EXAMPLES.resolve("image-scorer/target/image-scorer.jar"));
        JsonNode multi = uploadCode(EXAMPLES.resolve("multi-model-scorer/target/multi-model-scorer.jar"));
        JsonNode tests = uploadCode(testScorersJar());

        // Deploys start together and are waited for together: each loads in the background.
        Map<String, String> operations = new LinkedHashMap<>();
        operations.put(
                "typed", deploy(service("typed", typed, "dev.scoria.examples.typed.DiabetesScorer", "diabetes:1")));
        operations.put(
                "image", deploy(service("image", image, "dev.scoria.examples.image.ImageStatsScorer", "diabetes:1")));
        operations.put(
                "multi",
                deploy(service("multi", multi, "dev.scoria.examples.multi.EnsembleScorer", "diabetes:1", "diabetes32:1")
                        .put("maxConcurrentRequestsPerContainer", 4)
                        .put("maxQueueWaitMs", 10_000)));
        operations.put("echo", deploy(service("echo", tests, EchoScorer.class.getName(), "diabetes:1")));
        operations.put("tensors", deploy(service("tensors", tests, TensorEchoScorer.class.getName(), "diabetes:1")));
        operations.put(
                "declared", deploy(service("declared", tests, DeclaredRowsScorer.class.getName(), "diabetes:1")));
        operations.put(
                "misdeclared", deploy(service("misdeclared", tests, MisdeclaredScorer.class.getName(), "diabetes:1")));
        operations.put(
                "id-headers", deploy(service("id-headers", tests, IdHeadersScorer.class.getName(), "diabetes:1")));
        ObjectNode powerBi = service("powerbi", tests, EchoScorer.class.getName(), "diabetes:1");
        powerBi.set(
                "inputExample",
                JSON.readTree("{\"Inputs\": {\"data\": [{" + ROW1 + "}]},"
                        + " \"GlobalParameters\": {\"method\": \"predict\"}}"));
        powerBi.set("outputExample", JSON.readTree("{\"Results\": [217.67978776218715]}"));
        operations.put("powerbi", deploy(powerBi));
        ObjectNode ownSwagger = service("own-swagger", tests, EchoScorer.class.getName(), "diabetes:1");
        ownSwagger.set("swagger", userSwagger());
        operations.put("own-swagger", deploy(ownSwagger));
        operations.put("throws", deploy(service("throws", tests, ThrowingScorer.class.getName(), "diabetes:1")));
        operations.put(
                "init-fails", deploy(service("init-fails", tests, FailingInitScorer.class.getName(), "diabetes:1")));
        operations.put(
                "hangs",
                deploy(service("hangs", tests, "dev.scoria.it.scorers.HangingScorer", "diabetes:1")
                        .put("scoringTimeoutMs", 1000)));

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
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- the examples

    @Test
    void typedScorerTakesNamedFeaturesAndAnswersTheDocumentedPredictions() throws Exception {
        assertHealthy("typed");
        HttpResponse<String> response =
                score("typed", "application/json", "{\"patients\": [{" + ROW1 + "}, {" + ROW2 + "}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-ms-run-function-failed")).hasValue("False");
        JsonNode predictions = JSON.readTree(response.body()).get("predictions");
        assertThat(predictions.get(0).get("progression").doubleValue()).isEqualTo(FIRST);
        assertThat(predictions.get(1).get("progression").doubleValue()).isEqualTo(SECOND);
        assertThat(response.body()).contains("217.67978776218715").contains("224.78937091757172");
    }

    @Test
    void typedScorerConfigReachesTheScorer() throws Exception {
        assertHealthy("typed");
        // Deployed with riskThreshold 220: the first patient is under it.
        HttpResponse<String> response =
                score("typed", "application/json", "{\"patients\": [{" + ROW1 + "}, {" + ROW2 + "}]}");
        JsonNode predictions = JSON.readTree(response.body()).get("predictions");
        assertThat(predictions.get(0).get("risk").asText()).isEqualTo("low");
        assertThat(predictions.get(1).get("risk").asText()).isEqualTo("high");
    }

    @Test
    void typedScorerRefusesAMissingOrNullFeatureWith400NamingIt() throws Exception {
        assertHealthy("typed");
        // Boxed record fields arrive as null whether left out or sent as null: the scorer's own check answers.
        for (String bmi : new String[] {"", "\"bmi\": null,"}) {
            HttpResponse<String> response = score(
                    "typed",
                    "application/json",
                    "{\"patients\": [{" + ROW1.replace("\"bmi\": 0.104808689473925,", bmi) + "}]}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("message").asText()).isEqualTo("patients[0].bmi is missing");
        }
    }

    @Test
    void typedServiceSwaggerIsGeneratedFromTheScorersDeclaredSamples() throws Exception {
        assertHealthy("typed");
        JsonNode swagger =
                JSON.readTree(get("/api/v1/service/typed/swagger.json").body());
        JsonNode input = swagger.get("definitions").get("ServiceInput");
        assertThat(input.get("type").asText()).isEqualTo("object");
        JsonNode patient = input.get("properties").get("patients");
        assertThat(patient.get("type").asText()).isEqualTo("array");
        assertThat(patient.get("items").get("properties").fieldNames())
                .toIterable()
                .containsExactly("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");
        assertThat(patient.get("items").get("properties").get("bmi").get("type").asText())
                .isEqualTo("number");
        assertThat(input.get("example")).isEqualTo(JSON.readTree("{\"patients\": [{" + ROW1 + "}, {" + ROW2 + "}]}"));
        JsonNode output = swagger.get("definitions").get("ServiceOutput");
        JsonNode prediction = output.get("properties").get("predictions").get("items");
        assertThat(prediction.get("properties").get("progression").get("type").asText())
                .isEqualTo("number");
        assertThat(prediction.get("properties").get("risk").get("type").asText())
                .isEqualTo("string");
        assertThat(output.get("example")
                        .get("predictions")
                        .get(0)
                        .get("progression")
                        .doubleValue())
                .isEqualTo(FIRST);
    }

    @Test
    void typedScorerAnswersOpenInferenceClientsFromNamedFeatureTensors() throws Exception {
        assertHealthy("typed");
        HttpResponse<String> response = infer("typed", featureRequest(""));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        // riskThreshold 220 at deploy: the first patient is under it.
        assertThat(response.body())
                .isEqualTo("{\"model_name\":\"typed\",\"model_version\":\"1\",\"id\":\"patients-1\",\"outputs\":["
                        + "{\"name\":\"progression\",\"datatype\":\"FP64\",\"shape\":[2],\"data\":[217.67978776218715,224.78937091757172]},"
                        + "{\"name\":\"risk\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"low\",\"high\"]}]}");

        // Outputs asked for by name, one of them as binary tensor data.
        HttpResponse<byte[]> binary = HTTP.send(
                HttpRequest.newBuilder(uri("/v2/models/typed/infer"))
                        .header("Authorization", "Bearer " + KEYS.get("typed"))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                featureRequest("\"outputs\": [{\"name\": \"progression\","
                                        + " \"parameters\": {\"binary_data\": true}}],")))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(binary.statusCode()).isEqualTo(200);
        int jsonLength = Integer.parseInt(
                binary.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode header = JSON.readTree(new String(binary.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(header.get("outputs")).hasSize(1);
        assertThat(header.at("/outputs/0/name").asText()).isEqualTo("progression");
        assertThat(header.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(16);
        ByteBuffer values = ByteBuffer.wrap(binary.body(), jsonLength, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(values.getDouble()).isEqualTo(FIRST);
        assertThat(values.getDouble()).isEqualTo(SECOND);

        // The Azure route still reaches run(): one scorer, both protocols.
        assertThat(score("typed", "application/json", "{\"patients\": [{" + ROW1 + "}]}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void typedScorersIllegalArgumentIsA400InTheProtocolsErrorFormat() throws Exception {
        assertHealthy("typed");
        HttpResponse<String> misnamed =
                infer("typed", featureRequest("").replace("\"name\": \"bmi\"", "\"name\": \"bmj\""));
        assertThat(misnamed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(misnamed.body()))
                .isEqualTo(
                        JSON.createObjectNode()
                                .put(
                                        "error",
                                        "input 'bmj' is not a feature: expected the inputs [age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]"));
        HttpResponse<String> unknownOutput = infer("typed", featureRequest("\"outputs\": [{\"name\": \"nope\"}],"));
        assertThat(unknownOutput.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknownOutput.body()).get("error").asText())
                .isEqualTo("output 'nope' is not an output of the scorer: it returned [progression, risk]");
        // A scorer declares no tensors: its metadata names the model version and the runtime.
        assertThat(JSON.readTree(get("/v2/models/typed").body()))
                .isEqualTo(JSON.readTree("{\"name\": \"typed\","
                        + " \"versions\": [\"1\"], \"platform\": \"scoria_java\", \"inputs\": [], \"outputs\": []}"));
    }

    @Test
    void imageScorerMeasuresARealPngFile() throws Exception {
        assertHealthy("image");
        byte[] png = Files.readAllBytes(EXAMPLES.resolve("image-scorer/src/test/resources/gradient-64x48.png"));
        HttpResponse<String> response = score("image", "image/png", png);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode stats = JSON.readTree(response.body());
        assertThat(stats.get("format").asText()).isEqualTo("png");
        assertThat(stats.get("width").asInt()).isEqualTo(64);
        assertThat(stats.get("height").asInt()).isEqualTo(48);
        assertThat(stats.get("mean").get("r").doubleValue()).isEqualTo(126.0);
        assertThat(stats.get("dominantChannel").asText()).isEqualTo("blue");
    }

    @Test
    void imageScorerRefusesJsonWith415AndGarbageWith400() throws Exception {
        assertHealthy("image");
        HttpResponse<String> json = score("image", "application/json", "{\"data\": [[1, 2]]}");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(json.body()).get("status_code").asInt()).isEqualTo(415);
        HttpResponse<String> garbage = score("image", "image/jpeg", "not a jpeg".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(garbage.body()).get("message").asText()).startsWith("the body is not an image");
    }

    @Test
    void multiModelScorerAnswersBothModelsAndTheirMean() throws Exception {
        assertHealthy("multi");
        HttpResponse<String> response = score("multi", "application/json", DATA);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("models")).isEqualTo(JSON.readTree("[\"diabetes:1\", \"diabetes32:1\"]"));
        JsonNode first = answer.get("predictions").get(0);
        assertThat(first.get("diabetes").doubleValue()).isEqualTo(FIRST);
        assertThat(first.get("diabetes32").doubleValue())
                .isCloseTo(FIRST, within(1e-3))
                .isNotEqualTo(FIRST);
        assertThat(first.get("mean").doubleValue())
                .isEqualTo((first.get("diabetes").doubleValue()
                                + first.get("diabetes32").doubleValue())
                        / 2);
        assertThat(answer.get("predictions").get(1).get("diabetes").doubleValue())
                .isEqualTo(SECOND);
    }

    @Test
    void multiModelScorerIsPooledAndAnswersConcurrentRequestsCorrectly() throws Exception {
        assertHealthy("multi");
        // Distinct rows per request: a shared, corrupted cache or a mixed-up instance would hand one
        // request another's prediction.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<double[]>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                double age = i / 1000.0;
                answers.add(pool.submit((Callable<double[]>) () -> {
                    HttpResponse<String> r = score(
                            "multi", "application/json", "{\"data\": [[" + age + ", 0, 0, 0, 0, 0, 0, 0, 0, 0]]}");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    return new double[] {
                        age,
                        JSON.readTree(r.body())
                                .get("predictions")
                                .get(0)
                                .get("diabetes")
                                .doubleValue()
                    };
                }));
            }
            for (Future<double[]> answer : answers) {
                double[] pair = answer.get();
                assertThat(pair[1]).isCloseTo(152.11788558574 + 3.667376236969423 * pair[0], within(1e-9));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRawScorerSetsItsOwnHeadersButNotTheRequestIds() throws Exception {
        assertHealthy("id-headers");
        HttpResponse<String> echoed = send(HttpRequest.newBuilder(uri("/api/v1/service/id-headers/score"))
                .header("Authorization", "Bearer " + KEYS.get("id-headers"))
                .header("x-request-id", "the-clients-id")
                .header("TraceId", "the-clients-trace")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(200);
        assertThat(echoed.body()).isEqualTo("ok");
        assertThat(echoed.headers().firstValue("X-Scorer")).hasValue("its own header");
        assertThat(echoed.headers().allValues("x-request-id")).containsExactly("the-clients-id");
        assertThat(echoed.headers().allValues("x-ms-request-id")).containsExactly("the-clients-id");
        assertThat(echoed.headers().allValues("x-ms-client-request-id")).isEmpty();
        assertThat(echoed.headers().allValues("TraceId")).containsExactly("the-clients-trace");

        HttpResponse<String> made = score("id-headers", "text/plain", "hello");
        assertThat(made.statusCode()).isEqualTo(200);
        String id = made.headers().firstValue("x-request-id").orElseThrow();
        assertThat(id).hasSize(36).isNotEqualTo("set-by-the-scorer");
        assertThat(made.headers().allValues("x-ms-request-id")).containsExactly(id);
        assertThat(made.headers().allValues("x-ms-client-request-id")).isEmpty();
    }

    // ---- samples and API documents given at deploy

    @Test
    void powerBiShapedSamplesBecomeTheSwaggerSchemas() throws Exception {
        assertHealthy("powerbi");
        JsonNode definitions = JSON.readTree(
                        get("/api/v1/service/powerbi/swagger.json").body())
                .get("definitions");
        assertThat(definitions.get("ServiceInput").get("properties").fieldNames())
                .toIterable()
                .containsExactly("Inputs", "GlobalParameters");
        assertThat(definitions
                        .get("ServiceInput")
                        .get("properties")
                        .get("Inputs")
                        .get("properties")
                        .get("data")
                        .get("type")
                        .asText())
                .isEqualTo("array");
        assertThat(definitions.get("ServiceOutput").get("properties").fieldNames())
                .toIterable()
                .containsExactly("Results");
        assertThat(definitions.get("ServiceOutput").get("example"))
                .isEqualTo(JSON.readTree("{\"Results\": [217.67978776218715]}"));
    }

    @Test
    void aUserSwaggerDocumentIsServedAsGiven() throws Exception {
        assertHealthy("own-swagger");
        HttpResponse<String> response = get("/api/v1/service/own-swagger/swagger.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(userSwagger());
    }

    // ---- how a JSON scorer is called

    @Test
    void getQueryParametersAreParsedAsJsonIntoTheInput() throws Exception {
        assertHealthy("echo");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/service/echo/score?a=1&b=%5B1,2%5D"))
                .header("Authorization", "Bearer " + KEYS.get("echo"))
                .GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("{\"a\":1,\"b\":[1,2]}"));
    }

    @Test
    void postedJsonReachesAMapScorerUnchanged() throws Exception {
        assertHealthy("echo");
        String body = "{\"text\": \"héllo\", \"n\": 2.5, \"nested\": {\"list\": [true, null, \"x\"]}}";
        HttpResponse<String> response = score("echo", "application/json; charset=utf-8", body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(body));
        assertThat(score("echo", "text/plain", body).statusCode()).isEqualTo(415);
    }

    @Test
    void aJsonScorerCalledThroughV2GetsTheV2RequestAndItsAnswerIsWrappedAsOutput0() throws Exception {
        assertHealthy("echo");
        String request = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [1, 2]}]}";
        HttpResponse<String> response = infer("echo", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // The echoed request is an object without "outputs": one BYTES element holding its JSON text.
        JsonNode output = JSON.readTree(response.body()).at("/outputs/0");
        assertThat(output.get("name").asText()).isEqualTo("output0");
        assertThat(output.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(output.get("shape").toString()).isEqualTo("[1]");
        assertThat(JSON.readTree(output.at("/data/0").asText())).isEqualTo(JSON.readTree(request));
    }

    @Test
    void aTensorScorerGetsEachDatatypeInItsJavaArrayAndItsArraysTypeTheOutputs() throws Exception {
        assertHealthy("tensors");
        // JSON inputs, and FP16 and BYTES inputs as binary tensor data: 1.0 and -2.0 in half precision,
        // then "hé" and "ok", each after its 4-byte little-endian length.
        String header = "{\"id\": \"types\", \"inputs\": ["
                + "{\"name\": \"f64\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [0.5, 1.5]},"
                + " {\"name\": \"i16\", \"shape\": [2], \"datatype\": \"INT16\", \"data\": [-3, 4]},"
                + " {\"name\": \"u32\", \"shape\": [1], \"datatype\": \"UINT32\", \"data\": [4000000000]},"
                + " {\"name\": \"flag\", \"shape\": [2], \"datatype\": \"BOOL\", \"data\": [true, false]},"
                + " {\"name\": \"half\", \"shape\": [2], \"datatype\": \"FP16\", \"parameters\": {\"binary_data_size\": 4}},"
                + " {\"name\": \"words\", \"shape\": [2], \"datatype\": \"BYTES\", \"parameters\": {\"binary_data_size\": 13}}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(json.length + 17)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(json)
                .putShort((short) 0x3C00)
                .putShort((short) 0xC000)
                .putInt(3)
                .put("hé".getBytes(StandardCharsets.UTF_8))
                .putInt(2)
                .put("ok".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v2/models/tensors/infer"))
                .header("Authorization", "Bearer " + KEYS.get("tensors"))
                .header("Inference-Header-Content-Length", String.valueOf(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.array())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"model_name\":\"tensors\",\"model_version\":\"1\",\"id\":\"types\",\"outputs\":["
                        + "{\"name\":\"f64\",\"datatype\":\"FP64\",\"shape\":[2],\"data\":[0.5,1.5]},"
                        + "{\"name\":\"i16\",\"datatype\":\"INT32\",\"shape\":[2],\"data\":[-3,4]},"
                        + "{\"name\":\"u32\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[4000000000]},"
                        + "{\"name\":\"flag\",\"datatype\":\"BOOL\",\"shape\":[2],\"data\":[true,false]},"
                        + "{\"name\":\"half\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1.0,-2.0]},"
                        + "{\"name\":\"words\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"hé\",\"ok\"]},"
                        + "{\"name\":\"arrays\",\"datatype\":\"BYTES\",\"shape\":[6],"
                        + "\"data\":[\"double[]\",\"int[]\",\"long[]\",\"boolean[]\",\"float[]\",\"String[]\"]}]}");

        HttpResponse<String> refused = infer(
                "tensors",
                "{\"inputs\": [{\"name\": \"refuse\", \"shape\": [1]," + " \"datatype\": \"INT64\", \"data\": [1]}]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()))
                .isEqualTo(JSON.createObjectNode().put("error", "input 'refuse' is refused: expected any other name"));

        // The Azure route hands a tensor-only scorer the "data" rows as an FP64 tensor named "data".
        HttpResponse<String> azure = score("tensors", "application/json", "{\"data\": [[1, 2], [3, 4]]}");
        assertThat(azure.statusCode()).as(azure.body()).isEqualTo(200);
        assertThat(azure.body()).isEqualTo("{\"data\":[[1.0,2.0],[3.0,4.0]],\"arrays\":[\"double[]\"]}");
    }

    @Test
    void aTensorScorersDeclaredTensorsAreItsMetadataAndRequestsAreCheckedAgainstThem() throws Exception {
        assertHealthy("declared");
        JsonNode metadata = JSON.readTree(get("/v2/models/declared").body());
        assertThat(metadata.get("inputs"))
                .isEqualTo(JSON.readTree("[{\"name\": \"rows\", \"datatype\": \"FP64\", \"shape\": [-1, 4]}]"));
        assertThat(metadata.get("outputs"))
                .isEqualTo(JSON.readTree("[{\"name\": \"sums\", \"datatype\": \"FP64\", \"shape\": [-1]}]"));

        HttpResponse<String> sums = infer(
                "declared",
                "{\"inputs\": [{\"name\": \"rows\", \"shape\": [2, 4], \"datatype\": \"FP64\","
                        + " \"data\": [1, 2, 3, 4, 5, 6, 7, 8]}]}");
        assertThat(sums.statusCode()).as(sums.body()).isEqualTo(200);
        assertThat(JSON.readTree(sums.body()).get("outputs"))
                .isEqualTo(JSON.readTree(
                        "[{\"name\": \"sums\", \"datatype\": \"FP64\", \"shape\": [2], \"data\": [10.0, 26.0]}]"));

        assertRefused(
                "{\"inputs\": [{\"name\": \"rows\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
                "input 'rows' has datatype FP32: the model expects FP64");
        assertRefused(
                "{\"inputs\": [{\"name\": \"rows\", \"shape\": [2, 3], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4, 5, 6]}]}",
                "input 'rows' has shape [2, 3]: the model expects [-1, 4] (-1: any size)");
        assertRefused(
                "{\"inputs\": [{\"name\": \"cols\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]}",
                "input 'cols' is not an input of the model: expected ['rows']");
        assertRefused(
                "{\"inputs\": [], \"outputs\": []}", "input 'rows' is missing: the model expects 'rows' FP64 [-1, 4]");
        assertRefused(
                "{\"inputs\": [{\"name\": \"rows\", \"shape\": [1, 4], \"datatype\": \"FP64\", \"data\": [1, 2, 3, 4]}],"
                        + " \"outputs\": [{\"name\": \"products\"}]}",
                "output 'products' is not an output of the model: expected ['sums']");

        // Azure's "data" rows arrive as the one declared input, and are checked against its width.
        HttpResponse<String> azure =
                score("declared", "application/json", "{\"data\": [[1, 2, 3, 4], [0.5, 0.5, 0.5, 0.5]]}");
        assertThat(azure.statusCode()).as(azure.body()).isEqualTo(200);
        assertThat(azure.body()).isEqualTo("[10.0,2.0]");
        HttpResponse<String> narrow = score("declared", "application/json", "{\"data\": [[1, 2]]}");
        assertThat(narrow.statusCode()).as(narrow.body()).isEqualTo(400);
        assertThat(JSON.readTree(narrow.body()))
                .isEqualTo(JSON.createObjectNode()
                        .put("status_code", 400)
                        .put("message", "data[0] has 2 values: input 'rows' double[N, 4] expects 4 per row"));
    }

    private static void assertRefused(String request, String message) throws Exception {
        HttpResponse<String> refused = infer("declared", request);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()))
                .isEqualTo(JSON.createObjectNode().put("error", message));
    }

    @Test
    void aScorerDeclaringADatatypeTheProtocolLacksFailsItsDeploymentNamingIt() {
        JsonNode service = DEPLOYED.get("misdeclared");
        assertThat(service.get("state").asText()).as(service.toString()).isEqualTo("Failed");
        assertThat(service.get("error").get("message").asText())
                .contains("the datatype of 'x' in the scorer's inputs() is 'DOUBLE': expected one of [")
                .contains("FP64");
    }

    // ---- when user code goes wrong

    @Test
    void aThrowingScorerIs502WithAGenericMessageAndItsStackTraceInTheLog() throws Exception {
        assertHealthy("throws");
        HttpResponse<String> response = score("throws", "application/json", "{\"x\": 1}");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-ms-run-function-failed")).hasValue("True");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("status_code").asInt()).isEqualTo(502);
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(response.body())
                .doesNotContain("hunter2")
                .doesNotContain("IllegalStateException")
                .doesNotContain("ThrowingScorer");
        String log = JSON.readTree(
                        admin("GET", "/api/v1/services/throws/logs", null).body())
                .get("content")
                .asText();
        assertThat(log)
                .contains("java.lang.IllegalStateException: " + ThrowingScorer.SECRET)
                .contains(ThrowingScorer.class.getName() + ".run(ThrowingScorer.java:");
    }

    @Test
    void aScorerWhoseInitFailsLeavesTheServiceFailedWithTheCause() throws Exception {
        JsonNode service = DEPLOYED.get("init-fails");
        assertThat(service.get("state").asText()).as(service.toString()).isEqualTo("Failed");
        assertThat(service.get("error").get("message").asText()).contains(FailingInitScorer.FIRST_LINE);
        HttpResponse<String> health = get("/api/v1/service/init-fails/");
        assertThat(health.statusCode()).isEqualTo(503);
    }

    @Test
    void aHangingScorerIs504AtItsTimeoutAndTheServiceKeepsServing() throws Exception {
        assertHealthy("hangs");
        long start = System.nanoTime();
        HttpResponse<String> hung = score("hangs", "application/json", "{\"hangMs\": 30000}");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(hung.statusCode()).as(hung.body()).isEqualTo(504);
        assertThat(JSON.readTree(hung.body()).get("status_code").asInt()).isEqualTo(504);
        assertThat(tookMs)
                .as("answered after the 1000 ms timeout, well before the scorer would finish")
                .isBetween(900L, 10_000L);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> next = score("hangs", "application/json", "{}");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(JSON.readTree(next.body())).isEqualTo(JSON.readTree("{\"ok\": true}"));
        }
        assertThat(JSON.readTree(admin("GET", "/api/v1/services/hangs", null).body())
                        .get("state")
                        .asText())
                .isEqualTo("Healthy");
    }

    // ---- helpers

    static void assertHealthy(String name) {
        JsonNode service = DEPLOYED.get(name);
        assertThat(service.path("state").asText())
                .as("service %s: %s", name, service)
                .isEqualTo("Healthy");
    }

    static ObjectNode service(String name, JsonNode code, String entry, String... models) {
        ObjectNode deploy = JSON.createObjectNode();
        deploy.put("name", name);
        var modelList = deploy.putArray("models");
        for (String model : models) {
            modelList.add(model);
        }
        deploy.put("runtime", "java");
        deploy.putObject("code")
                .put("sha256", code.get("sha256").asText())
                .put("fileName", code.get("fileName").asText());
        deploy.put("entry", entry);
        if (name.equals("typed")) {
            deploy.putObject("config").put("riskThreshold", "220");
        }
        return deploy;
    }

    static JsonNode userSwagger() throws IOException {
        return JSON.readTree("{\"swagger\": \"2.0\", \"info\": {\"title\": \"hand-written\", \"version\": \"7\"},"
                + " \"paths\": {\"/api/v1/service/own-swagger/score\": {\"post\": {\"operationId\": \"Echo\","
                + " \"responses\": {\"200\": {\"description\": \"what was sent\"}}}}}}");
    }

    /** Deploys and answers the operation's location. */
    static String deploy(ObjectNode request) throws Exception {
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

    static void registerModel(String name, Path file) throws Exception {
        HttpResponse<String> response = multipart("/api/v1/models", Map.of("name", name), file);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).get("id").asText()).isEqualTo(name + ":1");
    }

    static JsonNode uploadCode(Path jar) throws Exception {
        assertThat(jar).as("built by the reactor before scoria-it").isRegularFile();
        HttpResponse<String> response = multipart("/api/v1/code", Map.of(), jar);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode code = JSON.readTree(response.body());
        assertThat(code.get("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(code.get("size").asLong()).isEqualTo(Files.size(jar));
        return code;
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

    /** The test scorers, packed from test-classes as a user's build would pack them. */
    static Path testScorersJar() throws Exception {
        return testScorersJar(scratch.resolve("test-scorers.jar"));
    }

    /** The scorers of {@code dev.scoria.it.scorers}, packed into {@code jar} as a user's build would. */
    static Path testScorersJar(Path jar) throws Exception {
        Path classes = Path.of(EchoScorer.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path packageDir = classes.resolve("dev/scoria/it/scorers");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> entries = Files.list(packageDir)) {
            for (Path clazz : entries.filter(p -> p.toString().endsWith(".class"))
                    .sorted()
                    .toList()) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(clazz).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(clazz));
                out.closeEntry();
            }
        }
        return jar;
    }

    static Path resource(String name) throws Exception {
        return Path.of(JavaScorerTest.class.getResource(name).toURI());
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

    static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
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

    /**
     * The two documented patients as an Open Inference Protocol request: one FP64 input [2] per feature,
     * {@code extra} placed before "inputs".
     */
    static String featureRequest(String extra) throws IOException {
        JsonNode rows = JSON.readTree(DATA).get("data");
        StringBuilder inputs = new StringBuilder();
        List<String> features = List.of("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6");
        for (int f = 0; f < features.size(); f++) {
            inputs.append(f == 0 ? "" : ", ")
                    .append("{\"name\": \"")
                    .append(features.get(f))
                    .append("\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [")
                    .append(rows.get(0).get(f))
                    .append(", ")
                    .append(rows.get(1).get(f))
                    .append("]}");
        }
        return "{\"id\": \"patients-1\", " + extra + " \"inputs\": [" + inputs + "]}";
    }

    static HttpResponse<String> infer(String service, String request) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v2/models/" + service + "/infer"))
                .header("Authorization", "Bearer " + KEYS.get(service))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
