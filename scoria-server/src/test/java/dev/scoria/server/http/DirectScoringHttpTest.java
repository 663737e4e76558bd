package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring fast path answers exactly as the router does. Each request is sent twice: with its length
 * declared, all on one keep-alive connection (the fast path takes those that will be let in), and
 * chunked, each on a connection of its own (the router takes them all). The two answers must agree in
 * status, body and every header but the scoring time, and {@code Connection: close}, which the router
 * sends when it refuses a chunked body before reading it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DirectScoringHttpTest {

    static final String SCORE = "/api/v1/service/myservice/score";
    static final String INFER = "/v2/models/myservice/infer";
    static final String V2_BODY = "{\"id\": \"r1\", \"inputs\": [{\"name\": \"input\", \"shape\": [1, 10],"
            + " \"datatype\": \"FP64\", \"data\": [0.01, 0.05, 0.1, 0.07, -0.03, -0.02, -0.02, -0.002, 0.003, 0.04]}]}";

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(
                ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dir).build());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    record Call(String path, String body, Map<String, String> headers) {}

    static Map<String, String> headers(String... pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + t.primaryKey());
        headers.put("Content-Type", "application/json");
        headers.put("x-request-id", "fixed-id");
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                headers.remove(pairs[i]);
            } else {
                headers.put(pairs[i], pairs[i + 1]);
            }
        }
        return headers;
    }

    @Test
    void answersEveryKindOfScoringRequestAsTheRouterDoes() throws Exception {
        String rows = DemoService.sampleRequest();
        List<Call> calls = List.of(
                new Call(SCORE, rows, headers()),
                new Call(SCORE, rows, headers("x-request-id", null)),
                new Call(SCORE, rows, headers("x-ms-client-request-id", "client-1", "TraceId", "trace-1")),
                new Call(SCORE, rows, headers("x-ms-request-id", "legacy-1")),
                new Call(SCORE, rows, headers("azureml-model-deployment", "default")),
                new Call(SCORE, rows, headers("azureml-model-deployment", "nosuch")),
                new Call(SCORE, "{\"data\": [[1, 2]]}", headers()),
                new Call(SCORE, "{\"data\": ", headers()),
                new Call(SCORE, "", headers()),
                new Call(SCORE, rows, headers("Content-Type", "text/plain")),
                new Call(SCORE, rows, headers("Content-Type", null)),
                new Call(SCORE, rows, headers("Authorization", "Bearer wrong")),
                new Call(SCORE, rows, headers("Authorization", null)),
                new Call("/api/v1/service/nosuch/score", rows, headers()),
                new Call(SCORE, rows, headers("x-ms-client-request-id", "x".repeat(101))),
                new Call(INFER, V2_BODY, headers()),
                new Call("/v2/models/myservice/versions/1/infer", V2_BODY, headers()),
                new Call("/v2/models/myservice/versions/9/infer", V2_BODY, headers()),
                new Call(INFER, V2_BODY.replace("FP64", "FP32"), headers()),
                new Call(INFER, V2_BODY, headers("Authorization", "Bearer wrong")));
        try (RawHttp c = new RawHttp(t.server.port())) {
            for (Call call : calls) {
                RawHttp.Answer whole = c.send("POST", call.path(), withLength(call), bytes(call.body()))
                        .read();
                RawHttp.Answer chunked;
                try (RawHttp other = new RawHttp(t.server.port())) {
                    chunked = other.send("POST", call.path(), chunkedHeaders(call), chunked(call.body()))
                            .read();
                }
                String what = call.path() + " " + call.headers() + " " + call.body();
                assertThat(whole.status()).as(what).isEqualTo(chunked.status());
                assertThat(whole.body()).as(what).isEqualTo(chunked.body());
                assertThat(comparable(whole, call)).as(what).isEqualTo(comparable(chunked, call));
            }
        }
    }

    @Test
    void scoresTheDocumentedRowsAndKeepsTheConnection() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Answer answer = c.send(
                                "POST",
                                SCORE,
                                withLength(new Call(SCORE, DemoService.sampleRequest(), headers())),
                                bytes(DemoService.sampleRequest()))
                        .read();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo(TestServer.EXPECTED);
                assertThat(answer.header("x-request-id")).isEqualTo("fixed-id");
                assertThat(answer.header("azureml-model-deployment")).isEqualTo("default");
                assertThat(answer.header("x-ms-run-function-failed")).isEqualTo("False");
            }
        }
    }

    @Test
    void aBodyThatArrivesInPiecesIsScoredWhole() throws Exception {
        byte[] body = bytes(DemoService.sampleRequest());
        Call call = new Call(SCORE, DemoService.sampleRequest(), headers());
        try (RawHttp c = new RawHttp(t.server.port())) {
            c.send("POST", SCORE, withLength(call), Arrays.copyOfRange(body, 0, 10));
            for (int from = 10; from < body.length; from += 100) {
                Thread.sleep(20);
                c.write(Arrays.copyOfRange(body, from, Math.min(body.length, from + 100)));
            }
            RawHttp.Answer answer = c.read();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(TestServer.EXPECTED);
        }
    }

    /**
     * Bodies long enough to be copied into arrays the pool lends again, each shorter than the one before in
     * the same array, sent in pieces: every answer is the router's, so no byte of an earlier body is read.
     */
    @Test
    void largeBodiesInPiecesAreAnsweredAsTheRouterDoes() throws Exception {
        Random random = new Random(11);
        try (RawHttp c = new RawHttp(t.server.port())) {
            for (int rows : new int[] {3_000, 2_500, 2_000, 1_600, 3_000, 1_200}) {
                StringBuilder json = new StringBuilder("{\"data\": [");
                for (int r = 0; r < rows; r++) {
                    json.append(r == 0 ? "[" : ", [");
                    for (int k = 0; k < 10; k++) {
                        json.append(k == 0 ? "" : ", ").append((random.nextInt(2000) - 1000) / 10_000.0);
                    }
                    json.append(']');
                }
                answeredInPiecesAsTheRouterDoes(
                        c, new Call(SCORE, json.append("]}").toString(), headers()), rows);
            }
        }
        if (Runtime.getRuntime().availableProcessors() > 1) {
            // Only the split path, taken on several cores, says when a body is read.
            assertThat(DirectScoring.bodies().kept())
                    .as("arrays given back once read")
                    .isPositive();
        }
    }

    /** The same for the Open Inference Protocol's route, whose reader gives its body back once it has read it. */
    @Test
    void largeV2BodiesInPiecesAreAnsweredAsTheRouterDoes() throws Exception {
        Random random = new Random(12);
        long givenBefore = DirectScoring.bodies().givenBack();
        try (RawHttp c = new RawHttp(t.server.port())) {
            for (int rows : new int[] {3_000, 2_500, 2_000, 1_600, 3_000, 1_200}) {
                StringBuilder json = new StringBuilder("{\"inputs\": [{\"name\": \"input\", \"shape\": [" + rows
                        + ", 10], \"datatype\": \"FP64\", \"data\": [");
                for (int i = 0; i < rows * 10; i++) {
                    json.append(i == 0 ? "" : ", ").append((random.nextInt(2000) - 1000) / 10_000.0);
                }
                answeredInPiecesAsTheRouterDoes(
                        c, new Call(INFER, json.append("]}]}").toString(), headers()), rows);
            }
        }
        // Each body lent an array, and each was given back once read (other tests' bodies may add to the count).
        assertThat(DirectScoring.bodies().givenBack() - givenBefore)
                .as("arrays given back once read")
                .isGreaterThanOrEqualTo(6);
    }

    /**
     * Sends the call's body in pieces on the kept connection (the fast path, into a pooled array) and whole but
     * chunked on a new one (the router): both answers must be 200 and the same.
     */
    private static void answeredInPiecesAsTheRouterDoes(RawHttp c, Call call, int rows) throws Exception {
        byte[] body = bytes(call.body());
        c.send("POST", call.path(), withLength(call), Arrays.copyOfRange(body, 0, 1000));
        for (int from = 1000; from < body.length; from += 30_000) {
            c.write(Arrays.copyOfRange(body, from, Math.min(body.length, from + 30_000)));
        }
        RawHttp.Answer whole = c.read();
        RawHttp.Answer chunked;
        try (RawHttp other = new RawHttp(t.server.port())) {
            chunked = other.send("POST", call.path(), chunkedHeaders(call), chunked(call.body()))
                    .read();
        }
        assertThat(whole.status()).as("%d rows", rows).isEqualTo(200);
        assertThat(whole.body()).as("%d rows", rows).isEqualTo(chunked.body());
    }

    @Test
    void aLargeBodyCutShortFreesTheRoomItWasLent() throws Exception {
        long before = DirectScoring.bodies().filling();
        try (RawHttp c = new RawHttp(t.server.port())) {
            Call call = new Call(SCORE, "", headers());
            Map<String, String> declared = new LinkedHashMap<>(call.headers());
            declared.put("Content-Length", "1000000");
            c.send("POST", SCORE, declared, bytes("{\"data\": [[0.1, 0.2"));
            c.write(new byte[20_000]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (DirectScoring.bodies().filling() == before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(DirectScoring.bodies().filling()).isGreaterThan(before);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (DirectScoring.bodies().filling() != before && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(DirectScoring.bodies().filling()).isEqualTo(before);
    }

    /** The headers to compare: all but the scoring time, and a made-up request id (which differs per request). */
    private static Map<String, String> comparable(RawHttp.Answer answer, Call call) {
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        headers.remove("x-ms-run-fn-exec-ms");
        headers.remove("content-length");
        headers.remove("connection");
        if (!call.headers().containsKey("x-request-id")) {
            assertThat(headers.remove("x-request-id")).isNotNull();
            headers.remove("x-ms-request-id");
        }
        return headers;
    }

    private static Map<String, String> withLength(Call call) {
        Map<String, String> headers = new LinkedHashMap<>(call.headers());
        headers.put("Content-Length", String.valueOf(bytes(call.body()).length));
        return headers;
    }

    private static Map<String, String> chunkedHeaders(Call call) {
        Map<String, String> headers = new LinkedHashMap<>(call.headers());
        headers.put("Transfer-Encoding", "chunked");
        return headers;
    }

    private static byte[] chunked(String body) {
        byte[] bytes = bytes(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (bytes.length > 0) {
            out.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
