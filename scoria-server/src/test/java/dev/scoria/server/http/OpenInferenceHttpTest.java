package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Open Inference Protocol (v2) REST routes as a client meets them, against a real server with the demo service. */
class OpenInferenceHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final double[] ROWS = {
        0.0199132141783263,
        0.0506801187398187,
        0.104808689473925,
        0.0700725447072635,
        -0.0359677812752396,
        -0.0266789028311707,
        -0.0249926566315915,
        -0.00259226199818282,
        0.00371173823343597,
        0.0403433716478807,
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
    };
    static final String INFER = "/v2/models/myservice/infer";

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .maxBodyBytes(1024 * 1024)
                .build());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static String flatRequest(String extra) {
        return "{\"id\": \"req-1\"," + extra
                + " \"inputs\": [{\"name\": \"input\", \"shape\": [2, 10], \"datatype\": \"FP64\"," + " \"data\": "
                + Arrays.toString(ROWS) + "}]}";
    }

    HttpResponse<String> infer(String path, String body) throws Exception {
        return t.send(t.request(path)
                .header("Authorization", "Bearer " + t.primaryKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    static JsonNode errorOf(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.fieldNames()).toIterable().containsExactly("error");
        return error;
    }

    @Test
    void theDemoServiceAnswersTheDocumentedRowsWithTheSameDoublesAsTheAzureRoute() throws Exception {
        HttpResponse<String> r = infer(INFER, flatRequest(""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body())
                .isEqualTo(
                        "{\"model_name\":\"myservice\",\"model_version\":\"1\",\"id\":\"req-1\",\"outputs\":"
                                + "[{\"name\":\"output\",\"datatype\":\"FP64\",\"shape\":[2],\"data\":[217.67978776218715,224.78937091757172]}]}");
        assertThat(r.headers().firstValue("x-request-id")).isPresent();

        // Nested data is row-major too, and the /versions/{v} form names the deployed model version.
        String nested = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 10], \"datatype\": \"FP64\", \"data\": ["
                + Arrays.toString(Arrays.copyOfRange(ROWS, 0, 10)) + ", "
                + Arrays.toString(Arrays.copyOfRange(ROWS, 10, 20)) + "]}]}";
        HttpResponse<String> versioned = infer("/v2/models/myservice/versions/1/infer", nested);
        assertThat(versioned.statusCode()).as(versioned.body()).isEqualTo(200);
        assertThat(JSON.readTree(versioned.body()).at("/outputs/0/data").toString())
                .isEqualTo(TestServer.EXPECTED);
        assertThat(JSON.readTree(versioned.body()).has("id")).isFalse();
        assertThat(t.score(t.primaryKey(), "application/json", DataPlaneHttpTest.BODY)
                        .body())
                .isEqualTo(TestServer.EXPECTED);
    }

    @Test
    void healthAndServerMetadataArePublic() throws Exception {
        assertThat(t.send(t.request("/v2/health/live").GET().build()).statusCode())
                .isEqualTo(200);
        assertThat(t.send(t.request("/v2/health/ready").GET().build()).statusCode())
                .isEqualTo(200);
        JsonNode server = JSON.readTree(t.send(t.request("/v2").GET().build()).body());
        assertThat(server.get("name").asText()).isEqualTo("scoria");
        assertThat(server.get("version").asText()).isNotBlank();
        assertThat(server.get("extensions").toString()).contains("binary_tensor_data");
    }

    @Test
    void modelMetadataNamesTheTensorsWithMinusOneForVariableDimensions() throws Exception {
        HttpResponse<String> r = t.send(t.request("/v2/models/myservice").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode meta = JSON.readTree(r.body());
        assertThat(meta.get("name").asText()).isEqualTo("myservice");
        assertThat(meta.get("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(meta.get("platform").asText()).isEqualTo("onnxruntime_onnx");
        assertThat(meta.get("inputs").toString())
                .isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP64\",\"shape\":[-1,10]}]");
        assertThat(meta.at("/outputs/0/name").asText()).isEqualTo("output");
        assertThat(meta.at("/outputs/0/shape").toString()).isEqualTo("[-1]");
        assertThat(t.send(t.request("/v2/models/myservice/versions/1").GET().build())
                        .body())
                .isEqualTo(r.body());
        assertThat(errorOf(
                                t.send(t.request("/v2/models/myservice/versions/7")
                                        .GET()
                                        .build()),
                                404)
                        .get("error")
                        .asText())
                .isEqualTo("model 'myservice' has no version 7: it serves version 1");
        assertThat(errorOf(t.send(t.request("/v2/models/nosuch").GET().build()), 404)
                        .get("error")
                        .asText())
                .contains("'nosuch'");
        assertThat(t.send(t.request("/v2/models/myservice/ready").GET().build()).statusCode())
                .isEqualTo(200);
        assertThat(t.send(t.request("/v2/models/myservice/versions/1/ready")
                                .GET()
                                .build())
                        .statusCode())
                .isEqualTo(200);
        errorOf(t.send(t.request("/v2/models/nosuch/ready").GET().build()), 404);
    }

    @Test
    void inferenceTakesTheServicesKeyLikeTheAzureRoute() throws Exception {
        HttpResponse<String> none = t.send(t.request(INFER)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(flatRequest("")))
                .build());
        errorOf(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        HttpResponse<String> wrong = t.send(t.request(INFER)
                .header("Authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.ofString(flatRequest("")))
                .build());
        errorOf(wrong, 401);
        HttpResponse<String> secondary = t.send(t.request(INFER)
                .header("Authorization", "Bearer " + t.secondaryKey())
                .POST(HttpRequest.BodyPublishers.ofString(flatRequest("")))
                .build());
        assertThat(secondary.statusCode()).isEqualTo(200);
        errorOf(infer("/v2/models/nosuch/infer", flatRequest("")), 404);
        errorOf(infer("/v2/models/myservice/versions/2/infer", flatRequest("")), 404);
    }

    /** {@code rows} of the documentation's two rows, over and over, as the values of a flat list. */
    static List<String> manyRows(int rows) {
        List<String> values = new ArrayList<>(rows * 10);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 10; c++) {
                values.add(String.valueOf(ROWS[(r % 2) * 10 + c]));
            }
        }
        return values;
    }

    @Test
    void aLargeFlatRequestScoredInPartsAnswersAsTheAzureRouteAndTheNestedFormDo() throws Exception {
        int rows = 3000;
        List<String> values = manyRows(rows);
        // About 600 KB: large enough to be cut into parts of whole rows while the service has a slot to spare.
        String flat = "{\"id\": \"big-1\", \"inputs\": [{\"name\": \"input\", \"shape\": [" + rows
                + ", 10], \"datatype\": \"FP64\", \"data\": [" + String.join(", ", values) + "]}]}";
        List<String> nestedRows = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            nestedRows.add("[" + String.join(", ", values.subList(r * 10, r * 10 + 10)) + "]");
        }
        String data = "[" + String.join(", ", nestedRows) + "]";
        String nested = "{\"inputs\": [{\"name\": \"input\", \"shape\": [" + rows
                + ", 10], \"datatype\": \"FP64\", \"data\": " + data + "}]}";
        HttpResponse<String> azure = t.score(t.primaryKey(), "application/json", "{\"data\": " + data + "}");
        assertThat(azure.statusCode()).as(azure.body()).isEqualTo(200);
        for (int round = 0; round < 3; round++) {
            HttpResponse<String> r = infer(INFER, flat);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(r.body());
            assertThat(answer.get("id").asText()).isEqualTo("big-1");
            assertThat(answer.at("/outputs/0/shape").toString()).isEqualTo("[" + rows + "]");
            assertThat(answer.at("/outputs/0/data").toString()).isEqualTo(azure.body());
            HttpResponse<String> whole = infer(INFER, nested);
            assertThat(JSON.readTree(whole.body()).at("/outputs/0/data").toString())
                    .isEqualTo(azure.body());
        }
        // A bad value far into the list: the part that holds it fails, the request is read whole, and the answer
        // is the whole reader's.
        List<String> bad = new ArrayList<>(values);
        bad.set(25_001, "\"a\"");
        String badFlat = flat.replace(String.join(", ", values), String.join(", ", bad));
        assertThat(errorOf(infer(INFER, badFlat), 400).get("error").asText())
                .isEqualTo("input 'input' data mixes numbers (from data[0]) and strings (at data[25001]): an input's"
                        + " data is all numbers, all booleans or all strings");
        List<String> short1 = values.subList(0, values.size() - 1);
        assertThat(errorOf(infer(INFER, flat.replace(String.join(", ", values), String.join(", ", short1))), 400)
                        .get("error")
                        .asText())
                .isEqualTo("input 'input' has 29999 values: shape [3000, 10] holds 30000");
    }

    /** Read as a double, 1e999 is Infinity, which was scored and answered as the string "Infinity" in FP64 data. */
    @Test
    void aNumberBeyondADoublesRangeIs400InSmallAndLargeRequests() throws Exception {
        String small = flatRequest("").replaceFirst("\"data\": \\[[^,]*,", "\"data\": [1e999,");
        assertThat(errorOf(infer(INFER, small), 400).get("error").asText())
                .isEqualTo("input 'input' data[0] is 1e999, beyond the range of a double (about ±1.8e308)");
        // Nested, and with "parameters": the general reader's path.
        String nested = "{\"parameters\": {}, \"inputs\": [{\"name\": \"input\", \"shape\": [1, 10],"
                + " \"datatype\": \"FP64\", \"data\": [[1, 2, 3, 4, 5, 6, 7, 8, 9, -1e400]]}]}";
        assertThat(errorOf(infer(INFER, nested), 400).get("error").asText())
                .isEqualTo("input 'input' data[9] is -1e400, beyond the range of a double (about ±1.8e308)");
        // 3,000 rows, flat: cut into parts; the one holding the number fails and the request is read whole.
        int rows = 3000;
        List<String> values = new ArrayList<>(manyRows(rows));
        values.set(27_003, "1e999");
        String large = "{\"inputs\": [{\"name\": \"input\", \"shape\": [" + rows
                + ", 10], \"datatype\": \"FP64\", \"data\": [" + String.join(", ", values) + "]}]}";
        assertThat(errorOf(infer(INFER, large), 400).get("error").asText())
                .isEqualTo("input 'input' data[27003] is 1e999, beyond the range of a double (about ±1.8e308)");
    }

    @Test
    void wrongNamesShapesDatatypesAndJsonAreClear400s() throws Exception {
        assertThat(errorOf(infer(INFER, flatRequest("").replace("\"name\": \"input\"", "\"name\": \"x\"")), 400)
                        .get("error")
                        .asText())
                .isEqualTo("input 'x' is not an input of the model: expected ['input']");
        assertThat(errorOf(infer(INFER, flatRequest("").replace("[2, 10]", "[4, 5]")), 400)
                        .get("error")
                        .asText())
                .isEqualTo("input 'input' has shape [4, 5]: the model expects [-1, 10] (-1: any size)");
        assertThat(errorOf(infer(INFER, flatRequest("").replace("[2, 10]", "[2, 9]")), 400)
                        .get("error")
                        .asText())
                .isEqualTo("input 'input' has 20 values: shape [2, 9] holds 18");
        assertThat(errorOf(infer(INFER, flatRequest("").replace("FP64", "FP32")), 400)
                        .get("error")
                        .asText())
                .isEqualTo("input 'input' has datatype FP32: the model expects FP64");
        assertThat(errorOf(infer(INFER, flatRequest("").replace("FP64", "FLOAT")), 400)
                        .get("error")
                        .asText())
                .startsWith("input 'input' datatype is 'FLOAT': expected one of [BOOL, UINT8");
        assertThat(errorOf(infer(INFER, flatRequest("").replace("FP64", "INT64")), 400)
                        .get("error")
                        .asText())
                .isEqualTo("input 'input' is INT64 but its data has numbers that are not whole");
        assertThat(errorOf(
                                infer(
                                        INFER,
                                        "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"FP64\","
                                                + " \"data\": [1, \"a\"]}]}"),
                                400)
                        .get("error")
                        .asText())
                .isEqualTo("input 'input' data mixes numbers (from data[0]) and strings (at data[1]): an input's data"
                        + " is all numbers, all booleans or all strings");
        assertThat(errorOf(infer(INFER, "{\"inputs\": [{\"name\": \"input\""), 400)
                        .get("error")
                        .asText())
                .startsWith("the inference request is not valid JSON");
        assertThat(errorOf(infer(INFER, "{}"), 400).get("error").asText()).startsWith("\"inputs\" is missing");
        assertThat(errorOf(infer(INFER, "[1]"), 400).get("error").asText())
                .isEqualTo("the inference request must be a JSON object with \"inputs\", saw a list");
        assertThat(errorOf(infer(INFER, flatRequest("\"outputs\": [{\"name\": \"nope\"}],")), 400)
                        .get("error")
                        .asText())
                .isEqualTo("output 'nope' is not an output of the model: expected ['output']");
        assertThat(errorOf(infer(INFER, flatRequest("").replace("[2, 10]", "[2, -10]")), 400)
                        .get("error")
                        .asText())
                .isEqualTo("inputs[0].shape[1] is -10: dimensions of a request are sizes, 0 or more");
        assertThat(errorOf(infer(INFER, flatRequest("").replace("[2, 10]", "[99999999999999999999999, 10]")), 400)
                        .get("error")
                        .asText())
                .isEqualTo("inputs[0].shape[0] is 99999999999999999999999: too large for a dimension (at most "
                        + Long.MAX_VALUE + ")");
        assertThat(errorOf(
                                infer(
                                        INFER,
                                        "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 10], \"datatype\": \"FP64\","
                                                + " \"parameters\": {\"binary_data_size\": \"80\"}}]}"),
                                400)
                        .get("error")
                        .asText())
                .isEqualTo("inputs[0].parameters.binary_data_size must be a byte count (a whole number, 0 or more), saw"
                        + " a string");
    }

    @Test
    void theBinaryTensorExtensionCarriesInputsAndOutputs() throws Exception {
        String header = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 10], \"datatype\": \"FP64\","
                + " \"parameters\": {\"binary_data_size\": 160}}], \"outputs\": [{\"name\": \"output\","
                + " \"parameters\": {\"binary_data\": true}}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer values = ByteBuffer.allocate(160).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : ROWS) {
            values.putDouble(v);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(json);
        body.write(values.array());
        HttpResponse<byte[]> r = t.http.send(
                t.request(INFER)
                        .header("Authorization", "Bearer " + t.primaryKey())
                        .header("Content-Type", "application/octet-stream")
                        .header("Inference-Header-Content-Length", String.valueOf(json.length))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode())
                .as(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        int jsonLength = Integer.parseInt(
                r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode answer = JSON.readTree(new String(r.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(answer.at("/outputs/0/parameters/binary_data_size").asInt()).isEqualTo(16);
        assertThat(answer.at("/outputs/0/data").isMissingNode()).isTrue();
        ByteBuffer out = ByteBuffer.wrap(r.body(), jsonLength, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(out.getDouble()).isEqualTo(217.67978776218715);
        assertThat(out.getDouble()).isEqualTo(224.78937091757172);

        // binary_data_output asks for every output in binary; JSON inputs may come with it.
        HttpResponse<byte[]> all = t.http.send(
                t.request(INFER)
                        .header("Authorization", "Bearer " + t.primaryKey())
                        .POST(HttpRequest.BodyPublishers.ofString(
                                flatRequest("\"parameters\": {\"binary_data_output\": true},")))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Inference-Header-Content-Length")).isPresent();

        // Sizes that do not add up are the client's mistake.
        HttpResponse<String> shortBody = t.send(t.request(INFER)
                .header("Authorization", "Bearer " + t.primaryKey())
                .header("Inference-Header-Content-Length", String.valueOf(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(body.toByteArray(), json.length + 80)))
                .build());
        assertThat(errorOf(shortBody, 400).get("error").asText())
                .isEqualTo(
                        "input 'input' has binary_data_size 160 but only 80 bytes of binary data are left in the body");
        HttpResponse<String> badHeader = t.send(t.request(INFER)
                .header("Authorization", "Bearer " + t.primaryKey())
                .header("Inference-Header-Content-Length", "lots")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
        assertThat(errorOf(badHeader, 400).get("error").asText())
                .isEqualTo("Inference-Header-Content-Length is 'lots': expected a byte count");
    }

    @Test
    void aBodyOverTheLimitIsA413InTheProtocolsFormat() throws Exception {
        errorOf(infer(INFER, "{\"inputs\": [], \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}"), 413);
    }

    @Test
    void metricsCountEachProtocolApart() throws Exception {
        infer(INFER, flatRequest(""));
        t.score(t.primaryKey(), "application/json", DataPlaneHttpTest.BODY);
        HttpResponse<String> metrics = t.admin("GET", "/metrics", null);
        assertThat(metrics.body())
                .contains(
                        "scoria_score_requests_total{deployment=\"default\",protocol=\"v2\",service=\"myservice\",status=\"200\"}")
                .contains(
                        "scoria_score_requests_total{deployment=\"default\",protocol=\"azure\",service=\"myservice\",status=\"200\"}");
    }
}
