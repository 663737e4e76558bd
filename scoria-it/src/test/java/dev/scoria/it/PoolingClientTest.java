package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's {@code requests.Session}, the pooling client most Azure ML users score with, keeps working
 * on its one keep-alive connection after answers the server gives before reading a body (401 with a
 * 1 MB body, 413, 415, 431, 404), and reconnects cleanly after the HTTP codec's 431, which closes it.
 * (Java's pooling {@code HttpClient} and the same connection driven by hand: scoria-server's
 * KeepAliveHttpTest.)
 */
class PoolingClientTest {

    /** Debian's interpreter, which has python3-requests; the python3 on PATH may be another one. */
    static final String PYTHON = "/usr/bin/python3";

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EXPECTED = "[217.67978776218715,224.78937091757172]";
    static final int LIMIT = 64 * 1024;

    @TempDir
    static Path dir;

    static ScoriaServer server;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        server = ScoriaServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir.resolve("data"))
                .maxBodyBytes(LIMIT)
                .build());
        key = DemoService.ensure(server, 30_000).keys().primary();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRequestsSessionScoresOnItsConnectionAfterEachRefusal() throws Exception {
        Path good = dir.resolve("request.json");
        Files.writeString(good, DemoService.sampleRequest());
        Path script = Path.of("src", "test", "resources", "keepalive", "refusals_then_scores.py");
        Process p = new ProcessBuilder(
                        PYTHON, script.toString(), server.baseUrl(), key, String.valueOf(LIMIT), good.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        JsonNode results = JSON.readTree(out);
        List<Integer> statuses = List.of(401, 413, 415, 431, 404, 431);
        assertThat(results).hasSize(statuses.size());
        for (int i = 0; i < statuses.size(); i++) {
            JsonNode r = results.get(i);
            String refusal = r.get("case").asText();
            assertThat(r.get("status").asInt()).as(refusal).isEqualTo(statuses.get(i));
            assertThat(r.get("contentType").asText()).as(refusal).isEqualTo("application/json");
            assertThat(r.get("error").get("status_code").asInt()).as(refusal).isEqualTo(statuses.get(i));
            assertThat(r.get("error").get("message").asText()).as(refusal).isNotBlank();
            assertThat(r.get("after").asInt())
                    .as("the score after the " + refusal)
                    .isEqualTo(200);
            assertThat(r.get("answer").asText())
                    .as("the score after the " + refusal)
                    .isEqualTo(EXPECTED);
        }
        // One connection for everything the server answered early, read to the end; the codec's 431 closes it.
        for (int i = 0; i < 5; i++) {
            assertThat(results.get(i).get("connection").isNull()).isTrue();
            assertThat(results.get(i).get("connects").asInt())
                    .as("connections opened by the end of: "
                            + results.get(i).get("case").asText())
                    .isEqualTo(1);
        }
        assertThat(results.get(5).get("connection").asText()).isEqualTo("close");
        assertThat(results.get(5).get("connects").asInt()).isEqualTo(2);
    }
}
