package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection whose client stalls is closed after the idle timeout (1 s here), and the room its body held in
 * the body budget is given back; a keep-alive client that keeps sending is served as before.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class IdleConnectionsHttpTest {

    static final String SCORE = "/api/v1/service/myservice/score";
    static final byte[] GOOD = DemoService.sampleRequest().getBytes(StandardCharsets.UTF_8);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern HELD = Pattern.compile("(?m)^scoria_request_bodies_held_bytes (\\S+)$");

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .idleTimeoutSeconds(1)
                .build());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static Map<String, String> scoreHeaders(String... more) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + t.primaryKey());
        headers.put("Content-Type", "application/json");
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    static double bodiesHeld() throws Exception {
        Matcher held = HELD.matcher(t.admin("GET", "/metrics", null).body());
        assertThat(held.find()).as("the body budget's gauge").isTrue();
        return Double.parseDouble(held.group(1));
    }

    /** The gauge once it settles at 0, or what it still shows after 3 s. */
    static double bodiesHeldOnceReleased() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        double held = bodiesHeld();
        while (held != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            held = bodiesHeld();
        }
        return held;
    }

    @Test
    void aBodyThatStopsComingIsClosedAndItsRoomGivenBack() throws Exception {
        // The fast path's request, its length declared: 27 MB, of which 9 bytes come.
        try (RawHttp c = new RawHttp(t.server.port())) {
            c.send(
                    "POST",
                    SCORE,
                    scoreHeaders("Content-Length", "27000000"),
                    "{\"data\": ".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(200);
            assertThat(bodiesHeld()).isEqualTo(27_000_000);
            assertThat(c.closedWithin(5_000)).isTrue();
            assertThat(bodiesHeldOnceReleased()).isZero();
        }
        // The routed path's: a chunked body, which counts as 1 MiB, stalled partway through a chunk.
        try (RawHttp c = new RawHttp(t.server.port())) {
            c.send(
                    "POST",
                    SCORE,
                    scoreHeaders("Transfer-Encoding", "chunked"),
                    "20\r\n{\"data\"".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(200);
            assertThat(bodiesHeld()).isEqualTo(1024 * 1024);
            assertThat(c.closedWithin(5_000)).isTrue();
            assertThat(bodiesHeldOnceReleased()).isZero();
        }
    }

    @Test
    void aRequestScoredForLongerThanTheTimeoutGetsItsAnswer(@TempDir Path scratch) throws Exception {
        // A python entry script that takes 2.5 s, over twice the idle timeout, to answer.
        Path script = scratch.resolve("slow.py");
        Files.writeString(
                script,
                "import time\n\ndef init():\n    pass\n\ndef run(raw_data):\n"
                        + "    time.sleep(2.5)\n    return {\"slept\": True}\n");
        JsonNode code = JSON.readTree(uploadCode(script));
        ObjectNode deploy = JSON.createObjectNode().put("name", "slow").put("runtime", "python");
        deploy.putArray("models").add(DemoService.MODEL + ":1");
        deploy.putObject("code")
                .put("sha256", code.get("sha256").asText())
                .put("fileName", code.get("fileName").asText());
        deploy.putObject("config").put("python", "python3");
        HttpResponse<String> deployed = t.admin("POST", "/api/v1/services", JSON.writeValueAsString(deploy));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
        String key = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode service =
                    JSON.readTree(t.admin("GET", "/api/v1/services/slow", null).body());
            if (!service.path("state").asText().equals("Transitioning")) {
                assertThat(service.path("state").asText())
                        .as(service.toString())
                        .isEqualTo("Healthy");
                key = t.server.services().get("slow").keys().primary();
                break;
            }
            Thread.sleep(100);
        }
        assertThat(key).as("the slow service came up").isNotNull();
        try (RawHttp c = new RawHttp(t.server.port())) {
            byte[] body = "{}".getBytes(StandardCharsets.US_ASCII);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", "Bearer " + key);
            headers.put("Content-Type", "application/json");
            headers.put("Content-Length", "" + body.length);
            RawHttp.Answer answer =
                    c.send("POST", "/api/v1/service/slow/score", headers, body).read();
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"slept\": true}");
        }
    }

    static String uploadCode(Path file) throws Exception {
        String boundary = "scoria-idle-test";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                + Files.readString(file) + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> uploaded = t.send(t.request("/api/v1/code")
                .header("Authorization", "Bearer " + t.server.adminToken())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        return uploaded.body();
    }

    @Test
    void aRequestHeadThatIsNeverFinishedIsClosed() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            c.write("GET /ready HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            assertThat(c.closedWithin(5_000)).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void aKeepAliveClientIsServedUntilItStaysIdlePastTheTimeout() throws Exception {
        try (RawHttp c = new RawHttp(t.server.port())) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Answer answer = c.send("POST", SCORE, scoreHeaders("Content-Length", "" + GOOD.length), GOOD)
                        .read();
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo(TestServer.EXPECTED);
                // Idle between requests, but for less than the timeout.
                Thread.sleep(400);
            }
            assertThat(c.closedWithin(5_000)).isTrue();
        }
    }
}
