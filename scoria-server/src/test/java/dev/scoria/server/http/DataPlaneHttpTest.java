package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring contract as a client meets it, against a real server on a loopback port. */
class DataPlaneHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BODY = DemoService.sampleRequest();

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

    static JsonNode errorOf(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.get("status_code").asInt()).isEqualTo(status);
        assertThat(error.get("message").asText()).isNotBlank();
        return error;
    }

    @Test
    void theDocumentedRequestGetsTheDocumentedAnswerBitForBit() throws Exception {
        HttpResponse<String> r = t.score(t.primaryKey(), "application/json", BODY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
        assertThat(JSON.readTree(r.body()).get(0).doubleValue()).isEqualTo(217.67978776218715);
        assertThat(JSON.readTree(r.body()).get(1).doubleValue()).isEqualTo(224.78937091757172);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("x-ms-run-function-failed")).hasValue("False");
        assertThat(r.headers().firstValue("x-ms-run-fn-exec-ms"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isNotNegative());
        assertThat(r.headers().firstValue("x-request-id"))
                .hasValueSatisfying(v -> assertThat(v).hasSize(36));
        assertThat(r.headers().firstValue("x-ms-request-id"))
                .isEqualTo(r.headers().firstValue("x-request-id"));
        assertThat(r.headers().firstValue("x-ms-client-request-id")).isEmpty();
    }

    @Test
    void theSecondaryKeyAndCharsetParametersAreAccepted() throws Exception {
        HttpResponse<String> r = t.score(t.secondaryKey(), "application/json; charset=utf-8", BODY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
    }

    @Test
    void requestIdsAreEchoedAndLongOnesRefused() throws Exception {
        HttpResponse<String> r = t.send(t.request("/api/v1/service/myservice/score")
                .header("Authorization", "Bearer " + t.primaryKey())
                .header("Content-Type", "application/json")
                .header("x-request-id", "my-id-1")
                .header("x-ms-client-request-id", "client-7")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-request-id")).hasValue("my-id-1");
        // The client's own id goes in both client-id headers, as Azure's server answers (RequestIdsHttpTest).
        assertThat(r.headers().firstValue("x-ms-request-id")).hasValue("client-7");
        assertThat(r.headers().firstValue("x-ms-client-request-id")).hasValue("client-7");

        HttpResponse<String> tooLong = t.send(t.request("/api/v1/service/myservice/score")
                .header("Authorization", "Bearer " + t.primaryKey())
                .header("Content-Type", "application/json")
                .header("x-request-id", "x".repeat(101))
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build());
        assertThat(errorOf(tooLong, 431).get("message").asText())
                .contains("x-request-id must not exceed 100 characters");
    }

    @Test
    void missingOrWrongCredentialsAre401NeverAnAnswer() throws Exception {
        JsonNode none = errorOf(t.score(null, "application/json", BODY), 401);
        assertThat(none.get("message").asText()).contains("Authorization: Bearer");
        HttpResponse<String> wrong = t.score("not-the-key", "application/json", BODY);
        errorOf(wrong, 401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        errorOf(t.score(t.server.adminToken(), "application/json", BODY), 401);
        errorOf(t.score(t.primaryKey().substring(1), "application/json", BODY), 401);
        HttpResponse<String> basic = t.send(t.request("/api/v1/service/myservice/score")
                .header("Authorization", "Basic " + t.primaryKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build());
        // The scheme is named, never the value: it may be the key itself.
        assertThat(errorOf(basic, 401).get("message").asText())
                .isEqualTo("the Authorization header uses the 'Basic' scheme: send 'Authorization: Bearer <key>' for"
                        + " service 'myservice'")
                .doesNotContain(t.primaryKey());
        HttpResponse<String> emptyBearer = t.send(t.request("/api/v1/service/myservice/score")
                .header("Authorization", "Bearer ")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build());
        errorOf(emptyBearer, 401);
    }

    @Test
    void aMethodTheScoringUriDoesNotTakeIsA405WithAllow() throws Exception {
        HttpResponse<String> put = t.send(t.request("/api/v1/service/myservice/score")
                .header("Authorization", "Bearer " + t.primaryKey())
                .PUT(HttpRequest.BodyPublishers.ofString(BODY))
                .build());
        assertThat(errorOf(put, 405).get("message").asText())
                .startsWith("The method PUT is not allowed for the requested URL: it takes ")
                .contains("POST");
        assertThat(put.headers().firstValue("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow.split(", ")).contains("GET", "POST"));
    }

    @Test
    void badBodiesAre400SayingWhatIsWrong() throws Exception {
        String key = t.primaryKey();
        assertThat(errorOf(t.score(key, "application/json", "{\"data\": [[1, 2"), 400)
                        .get("message")
                        .asText())
                .contains("not valid JSON")
                .doesNotContain("Source");
        assertThat(errorOf(t.score(key, "application/json", "{\"data\": [[NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9]]}"), 400)
                        .get("message")
                        .asText())
                .isEqualTo("request body is not valid JSON: 'NaN' is not a JSON value: JSON numbers are finite, so send"
                        + " a number (line 1, column 15)");
        assertThat(errorOf(t.score(key, "application/json", "{\"data\": [[1, 2, 3]]}"), 400)
                        .get("message")
                        .asText())
                .isEqualTo("data[0] has 3 values: input 'input' double[N, 10] expects 10 per row");
        assertThat(errorOf(t.score(key, "application/json", "{\"rows\": [[1]]}"), 400)
                        .get("message")
                        .asText())
                .contains("field \"data\" is missing");
        assertThat(errorOf(t.score(key, "application/json", "[1, 2]"), 400)
                        .get("message")
                        .asText())
                .contains("must be a JSON object");
        assertThat(errorOf(t.score(key, "application/json", ""), 400)
                        .get("message")
                        .asText())
                .contains("request body is empty");
        assertThat(errorOf(t.score(key, "application/json", "{\"data\": [[1,2,3,4,5,6,7,8,9,true]]}"), 400)
                        .get("message")
                        .asText())
                .isEqualTo("data[0][9] must be a number, saw a boolean");
        HttpResponse<String> notUtf8 = t.send(t.request("/api/v1/service/myservice/score")
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}))
                .build());
        errorOf(notUtf8, 400);
    }

    /** The documented rows repeated {@code times} times, one row given instead by {@code badRow} at {@code at}. */
    static String documentedRowsRepeated(int times, int at, String badRow) throws Exception {
        JsonNode rows = JSON.readTree(BODY).get("data");
        StringBuilder body = new StringBuilder("{\"data\": [");
        for (int i = 0; i < times * rows.size(); i++) {
            body.append(i == 0 ? "" : ", ")
                    .append(i == at ? badRow : rows.get(i % rows.size()).toString());
        }
        return body.append("]}").toString();
    }

    @Test
    void aLargeRequestScoredInPartsGetsTheAnswerAndTheErrorsItGetsWhole() throws Exception {
        // 2,000 rows (~400 KB): cut into parts on as many cores as there are, and joined in order.
        String key = t.primaryKey();
        HttpResponse<String> r = t.score(key, "application/json", documentedRowsRepeated(1000, -1, null));
        assertThat(r.statusCode()).isEqualTo(200);
        String pair = TestServer.EXPECTED.substring(1, TestServer.EXPECTED.length() - 1);
        assertThat(r.body()).isEqualTo("[" + String.join(",", Collections.nCopies(1000, pair)) + "]");
        assertThat(errorOf(t.score(key, "application/json", documentedRowsRepeated(1000, 1234, "[1, 2, 3]")), 400)
                        .get("message")
                        .asText())
                .isEqualTo("data[1234] has 3 values: input 'input' double[N, 10] expects 10 per row");
        assertThat(errorOf(
                                t.score(
                                        key,
                                        "application/json",
                                        documentedRowsRepeated(1000, 1999, "[1,2,3,4,5,6,7,8,9,true]")),
                                400)
                        .get("message")
                        .asText())
                .isEqualTo("data[1999][9] must be a number, saw a boolean");
        assertThat(errorOf(
                                t.score(
                                        key,
                                        "application/json",
                                        documentedRowsRepeated(1000, 10, "[1,2,3,4,5,6,7,8,9,\"],[\"]")),
                                400)
                        .get("message")
                        .asText())
                .isEqualTo("data[10][9] must be a number, saw a string");
    }

    /**
     * Read as a double, 1e999 is Infinity: scored, and answered as the string "Infinity". It is refused, read
     * whole or in parts, naming where it is and what it says.
     */
    @Test
    void aNumberBeyondADoublesRangeIs400InSmallAndLargeRequests() throws Exception {
        String key = t.primaryKey();
        assertThat(errorOf(t.score(key, "application/json", "{\"data\": [[1e999,2,3,4,5,6,7,8,9,10]]}"), 400)
                        .get("message")
                        .asText())
                .isEqualTo("data[0][0] is 1e999, beyond the range of a double (about ±1.8e308)");
        assertThat(errorOf(t.score(key, "application/json", "{\"data\": [[1,2,3,4,5,6,7,8,9,-2e308]]}"), 400)
                        .get("message")
                        .asText())
                .isEqualTo("data[0][9] is -2e308, beyond the range of a double (about ±1.8e308)");
        // 3,000 rows: cut into parts, of which the one holding the number fails and the body is read whole.
        assertThat(errorOf(
                                t.score(
                                        key,
                                        "application/json",
                                        documentedRowsRepeated(1500, 2500, "[1,2,3,4,5,6,7,8,1e999,10]")),
                                400)
                        .get("message")
                        .asText())
                .isEqualTo("data[2500][8] is 1e999, beyond the range of a double (about ±1.8e308)");
    }

    @Test
    void aJsonServiceRefusesOtherContentTypesWith415() throws Exception {
        assertThat(errorOf(t.score(t.primaryKey(), "text/plain", BODY), 415)
                        .get("message")
                        .asText())
                .contains("expects Content-Type: application/json, saw text/plain");
        errorOf(t.score(t.primaryKey(), null, BODY), 415);
    }

    @Test
    void unknownServicesRoutesAndMethodsAreAnsweredInTheErrorFormat() throws Exception {
        assertThat(errorOf(
                                t.send(t.request("/api/v1/service/nosuch/score")
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(BODY))
                                        .build()),
                                404)
                        .get("message")
                        .asText())
                .isEqualTo("service 'nosuch' does not exist");
        errorOf(t.send(t.request("/no/such/route").GET().build()), 404);
        errorOf(
                t.send(t.request("/api/v1/service/myservice/score")
                        .method("PUT", HttpRequest.BodyPublishers.ofString(BODY))
                        .build()),
                405);
        errorOf(t.send(t.request("/api/v1/service/myservice/score").DELETE().build()), 405);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", t.server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/service/myservice/score HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                            + t.primaryKey()
                            + "\r\nContent-Type: application/json\r\nContent-Length: 500000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
        // A chunked body without a length is cut off once it passes the limit.
        HttpResponse<String> r =
                t.score(t.primaryKey(), "application/json", "{\"data\": [[" + "0.1, ".repeat(400_000) + "0.1]]}");
        assertThat(errorOf(r, 413).get("message").asText()).contains("exceeds the limit of 1048576 bytes");
    }

    @Test
    void getWithQueryParametersScoresAsAzureDoes() throws Exception {
        String data = JSON.readTree(BODY).get("data").toString();
        HttpResponse<String> r = t.send(
                t.request("/api/v1/service/myservice/score?data=" + URLEncoder.encode(data, StandardCharsets.UTF_8))
                        .header("Authorization", "Bearer " + t.primaryKey())
                        .GET()
                        .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
    }

    @Test
    void healthChecks() throws Exception {
        HttpResponse<String> root = t.send(t.request("/").GET().build());
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).isEqualTo("Healthy");
        assertThat(t.send(t.request("/api/v1/service/myservice/").GET().build()).body())
                .isEqualTo("Healthy");
        assertThat(t.send(t.request("/ready").GET().build()).statusCode()).isEqualTo(200);
        errorOf(t.send(t.request("/api/v1/service/nosuch/").GET().build()), 404);
    }

    @Test
    void optionsOnScoreIsAnsweredWithoutTheModel() throws Exception {
        HttpResponse<String> r = t.send(t.request("/api/v1/service/myservice/score")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }
}
