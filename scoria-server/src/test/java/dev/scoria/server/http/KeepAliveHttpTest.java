package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers given before a request's body is read (401, 404, 413, 415, 431) and errors of the HTTP
 * codec itself (414, 431), as a keep-alive client meets them: on one connection driven by hand, and with
 * Java's pooling {@code HttpClient}. Either the next request on the connection gets its own answer, or
 * the answer said {@code Connection: close} and the server closed it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KeepAliveHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCORE = "/api/v1/service/myservice/score";
    static final byte[] GOOD = DemoService.sampleRequest().getBytes(StandardCharsets.UTF_8);
    static final int LIMIT = 64 * 1024;

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .maxBodyBytes(LIMIT)
                .build());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    /** A JSON array of that many bytes (spaces inside): valid, so only the check under test can refuse it. */
    static byte[] jsonOf(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        body[0] = '[';
        body[size - 1] = ']';
        return body;
    }

    static RawHttp.Answer scoreOn(RawHttp connection, String key, String contentType, byte[] body, String... extra)
            throws Exception {
        Map<String, String> headers = headers(
                "Authorization",
                "Bearer " + key,
                "Content-Type",
                contentType,
                "Content-Length",
                String.valueOf(body.length));
        headers.putAll(headers(extra));
        return connection.send("POST", SCORE, headers, body).read();
    }

    static void assertGoodAnswerFollows(RawHttp connection) throws Exception {
        RawHttp.Answer good = scoreOn(connection, t.primaryKey(), "application/json", GOOD);
        assertThat(good.status()).as(good.body()).isEqualTo(200);
        assertThat(good.body()).isEqualTo(TestServer.EXPECTED);
    }

    static JsonNode jsonError(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        return JSON.readTree(answer.body());
    }

    // ---- early answers to bodies of known, modest length: the body is read, the connection kept

    @Test
    void a401WithAMegabyteBodyKeepsTheConnectionInStep() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer refused = scoreOn(c, "wrong", "application/json", jsonOf(1024 * 1024));
            assertThat(jsonError(refused, 401).get("status_code").asInt()).isEqualTo(401);
            assertThat(refused.header("Connection")).isNull();
            assertGoodAnswerFollows(c);
        }
    }

    @Test
    void a413ForADeclaredLengthOverTheLimitKeepsTheConnectionInStep() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer refused = scoreOn(c, t.primaryKey(), "application/json", jsonOf(LIMIT + 1));
            assertThat(jsonError(refused, 413).get("message").asText())
                    .isEqualTo("request body exceeds the limit of 65536 bytes");
            assertThat(refused.header("Connection")).isNull();
            assertGoodAnswerFollows(c);
        }
    }

    @Test
    void a415And431And404KeepTheConnectionInStep() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            jsonError(scoreOn(c, t.primaryKey(), "text/plain", jsonOf(200 * 1024)), 415);
            assertGoodAnswerFollows(c);
            jsonError(
                    scoreOn(c, t.primaryKey(), "application/json", jsonOf(200 * 1024), "x-request-id", "x".repeat(101)),
                    431);
            assertGoodAnswerFollows(c);
            RawHttp.Answer unknown = c.send(
                            "POST",
                            "/api/v1/service/nosuch/score",
                            headers("Content-Type", "application/json", "Content-Length", "300000"),
                            jsonOf(300_000))
                    .read();
            jsonError(unknown, 404);
            assertGoodAnswerFollows(c);
        }
    }

    @Test
    void aPathWithABadPercentEscapeIsA400SayingSo() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer bad = c.send(
                            "POST",
                            "/api/v1/service/my%ZZservice/score",
                            headers("Content-Type", "application/json", "Content-Length", "" + GOOD.length),
                            GOOD)
                    .read();
            assertThat(jsonError(bad, 400).get("message").asText())
                    .isEqualTo("the request path has a '%' at character 19 not followed by two hexadecimal digits:"
                            + " escape a '%' itself as %25");
        }
    }

    // ---- bodies too long to read, of unknown length, or held back: Connection: close

    @Test
    void aBodyDeclaredOverTheDrainLimitIsAnsweredWithConnectionCloseAndTheConnectionClosed() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            // The client declares 500 MB and sends the first 64 KiB, as a client still sending would.
            c.send(
                    "POST",
                    SCORE,
                    headers(
                            "Authorization",
                            "Bearer wrong",
                            "Content-Type",
                            "application/json",
                            "Content-Length",
                            "500000000"),
                    jsonOf(64 * 1024));
            RawHttp.Answer refused = c.read();
            jsonError(refused, 401);
            assertThat(refused.header("Connection")).isEqualTo("close");
            long started = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .as("closed once no more of the body came for %d ms", EarlyAnswers.LINGER_IDLE_MS)
                    .isLessThan(EarlyAnswers.LINGER_IDLE_MS + 2_000);
        }
    }

    @Test
    void aClientStillSendingARefusedBodyIsNotCutOffMidway() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            c.send(
                    "POST",
                    SCORE,
                    headers(
                            "Authorization",
                            "Bearer wrong",
                            "Content-Type",
                            "application/json",
                            "Content-Length",
                            "500000000"),
                    jsonOf(64 * 1024));
            RawHttp.Answer refused = c.read();
            jsonError(refused, 401);
            assertThat(refused.header("Connection")).isEqualTo("close");
            // A slow client goes on sending for longer than the idle limit: the server goes on reading.
            long sending = System.nanoTime();
            while (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sending) < EarlyAnswers.LINGER_IDLE_MS + 1_500) {
                c.write(new byte[64 * 1024]);
                assertThat(c.closedWithin(500))
                        .as("closed while the client was sending")
                        .isFalse();
            }
            assertThat(c.closedWithin((int) EarlyAnswers.LINGER_IDLE_MS + 2_000))
                    .isTrue();
        }
    }

    @Test
    void aChunkedBodyAnsweredEarlyIsAnsweredWithConnectionCloseAndClosedOnceItEnds() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            byte[] chunk = jsonOf(1000);
            byte[] chunked = ("3e8\r\n" + new String(chunk, StandardCharsets.US_ASCII) + "\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            RawHttp.Answer refused = c.send(
                            "POST",
                            SCORE,
                            headers("Content-Type", "application/json", "Transfer-Encoding", "chunked"),
                            chunked)
                    .read();
            jsonError(refused, 401);
            assertThat(refused.header("Connection")).isEqualTo("close");
            long started = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .as("the whole body was sent: no need to linger")
                    .isLessThan(EarlyAnswers.LINGER_IDLE_MS);
        }
    }

    @Test
    void aBodyHeldBackFor100ContinueIsNeverMistakenForTheNextRequest() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            // The client waits for "100 Continue" before it sends the body; a 401 comes instead, so it never sends it.
            RawHttp.Answer refused = c.send(
                            "POST",
                            SCORE,
                            headers(
                                    "Authorization", "Bearer wrong",
                                    "Content-Type", "application/json",
                                    "Content-Length", String.valueOf(GOOD.length),
                                    "Expect", "100-continue"),
                            new byte[0])
                    .read();
            jsonError(refused, 401);
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    // ---- errors of the HTTP codec, before any route

    @Test
    void headersOverTheLimitAre431InTheErrorFormatAndCloseTheConnection() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer refused = scoreOn(c, t.primaryKey(), "application/json", GOOD, "X-Big", "x".repeat(10_000));
            assertThat(jsonError(refused, 431))
                    .isEqualTo(JSON.readTree("{\"status_code\": 431,"
                            + " \"message\": \"the request headers are larger than 8192 bytes in all\"}"));
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer refused = c.send(
                            "POST",
                            "/v2/models/myservice/infer",
                            headers("X-Big", "x".repeat(10_000), "Content-Length", "2"),
                            "{}".getBytes(StandardCharsets.US_ASCII))
                    .read();
            assertThat(jsonError(refused, 431).get("error").asText())
                    .isEqualTo("the request headers are larger than 8192 bytes in all");
        }
    }

    @Test
    void aRequestLineOverTheLimitIs414InTheErrorFormatAndClosesTheConnection() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer refused = c.send("GET", SCORE + "?data=" + "1".repeat(5_000), headers(), new byte[0])
                    .read();
            assertThat(jsonError(refused, 414).get("message").asText())
                    .isEqualTo("the request line (method, URI and version) is longer than 4096 bytes:"
                            + " send a shorter URI, and large inputs in a POST body");
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aRequestLineOverTheLimitOnV2Is414InItsErrorFormat() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer refused = c.send("GET", "/v2/models/" + "a".repeat(5_000), headers(), new byte[0])
                    .read();
            JsonNode error = jsonError(refused, 414);
            assertThat(error.has("status_code")).isFalse();
            assertThat(error.get("error").asText())
                    .startsWith("the request line (method, URI and version) is longer than 4096 bytes");
            assertThat(c.closedByServer()).isTrue();
        }
        // Over twice the limit the codec refuses the line before its path is known: still a 414, and closed.
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer refused = c.send("GET", "/v2/models/" + "a".repeat(10_000), headers(), new byte[0])
                    .read();
            assertThat(refused.status()).isEqualTo(414);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aMalformedChunkedBodyIs400InTheRoutesErrorFormatAndClosesTheConnection() throws Exception {
        byte[] broken = "ZZ\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (String path : new String[] {SCORE, "/v2/models/myservice/infer"}) {
            try (RawHttp c = new RawHttp(t.server.port())) {
                Map<String, String> headers = headers(
                        "Authorization",
                        "Bearer " + t.primaryKey(),
                        "Content-Type",
                        "application/json",
                        "Transfer-Encoding",
                        "chunked");
                JsonNode error = jsonError(c.send("POST", path, headers, broken).read(), 400);
                String message = path.startsWith("/v2/")
                        ? error.get("error").asText()
                        : error.get("message").asText();
                assertThat(message)
                        .as(path)
                        .isEqualTo("the request body is not valid chunked encoding: expected each chunk to start"
                                + " with its size in hexadecimal, saw: Invalid character in chunk size");
                assertThat(c.closedByServer()).isTrue();
            }
            // Without a key the 401 was given before the body was read; it still reaches the client.
            try (RawHttp c = new RawHttp(t.server.port())) {
                Map<String, String> headers =
                        headers("Content-Type", "application/json", "Transfer-Encoding", "chunked");
                JsonNode error = jsonError(c.send("POST", path, headers, broken).read(), 401);
                assertThat(path.startsWith("/v2/") ? error.has("error") : error.has("status_code"))
                        .as(path)
                        .isTrue();
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void somethingThatIsNotHttpIs400InTheErrorFormat() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            RawHttp.Answer refused = c.send("POST", SCORE, headers("Content-Length", "twelve"), new byte[0])
                    .read();
            assertThat(jsonError(refused, 400).get("message").asText()).startsWith("the request is not valid HTTP/1.1");
            assertThat(refused.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    // ---- a pooling client

    @Test
    void javasPooledHttpClientGetsTheRightAnswerAfterEachRefusal() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        URI score = URI.create(t.url(SCORE));
        String key = t.primaryKey();
        HttpRequest[] refusals = {
            post(score, "wrong", "application/json", jsonOf(1024 * 1024)).build(),
            post(score, key, "application/json", jsonOf(LIMIT * 2)).build(),
            post(score, key, "text/plain", jsonOf(100 * 1024)).build(),
            post(score, key, "application/json", jsonOf(100 * 1024))
                    .header("x-request-id", "x".repeat(101))
                    .build(),
            post(score, key, "application/json", GOOD)
                    .header("X-Big", "x".repeat(10_000))
                    .build(),
        };
        int[] statuses = {401, 413, 415, 431, 431};
        for (int i = 0; i < refusals.length; i++) {
            HttpResponse<String> refused = client.send(refusals[i], HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(statuses[i]);
            assertThat(JSON.readTree(refused.body()).get("status_code").asInt()).isEqualTo(statuses[i]);
            for (int j = 0; j < 2; j++) {
                HttpResponse<String> good = client.send(
                        post(score, key, "application/json", GOOD).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(good.statusCode())
                        .as("after a " + statuses[i] + ": " + good.body())
                        .isEqualTo(200);
                assertThat(good.body()).isEqualTo(TestServer.EXPECTED);
            }
        }
    }

    static HttpRequest.Builder post(URI uri, String key, String contentType, byte[] body) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
}
