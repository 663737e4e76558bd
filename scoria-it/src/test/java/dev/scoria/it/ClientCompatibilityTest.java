package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients written against Azure ML's contract, in several languages (examples/clients), get the
 * documented answer from Scoria with only the URI and key changed.
 */
class ClientCompatibilityTest {

    static final String EXPECTED = "[217.67978776218715,224.78937091757172]";
    static final Path CLIENTS =
            Path.of("..", "examples", "clients").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    static ScoriaServer server;
    static String uri;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        server = ScoriaServer.start(ServerConfig.builder().port(0).dataDir(dir).build());
        key = DemoService.ensure(server, 30_000).keys().primary();
        uri = server.baseUrl() + "/api/v1/service/myservice/score";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void curl() throws Exception {
        assertThat(run(List.of("bash", CLIENTS.resolve("consume.sh").toString(), uri, key)))
                .isEqualTo(EXPECTED);
    }

    @Test
    void pythonRequests() throws Exception {
        String python = firstWorking(List.of("python3", "/usr/bin/python3"), "import requests");
        assumeTrue(python != null, "no python3 with the requests package (.ci/run installs python3-requests)");
        assertThat(run(List.of(python, CLIENTS.resolve("consume.py").toString(), uri, key)))
                .isEqualTo(EXPECTED);
    }

    @Test
    void goNetHttp() throws Exception {
        assumeTrue(works(List.of("go", "version")), "no Go toolchain (.ci/run installs golang-go)");
        assertThat(run(List.of("go", "run", CLIENTS.resolve("consume.go").toString(), uri, key)))
                .isEqualTo(EXPECTED);
    }

    @Test
    void javascriptFetch() throws Exception {
        assumeTrue(works(List.of("node", "--version")), "no Node.js");
        assertThat(run(List.of("node", CLIENTS.resolve("consume.mjs").toString(), uri, key)))
                .isEqualTo(EXPECTED);
    }

    @Test
    void javaApacheHttpClient() throws Exception {
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            HttpPost post = new HttpPost(uri);
            post.setHeader("Authorization", "Bearer " + key);
            post.setEntity(new StringEntity(DemoService.sampleRequest(), ContentType.APPLICATION_JSON));
            String body = client.execute(post, response -> {
                assertThat(response.getCode()).isEqualTo(200);
                return EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            });
            assertThat(body).isEqualTo(EXPECTED);
        }
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    static String firstWorking(List<String> interpreters, String code) {
        for (String python : interpreters) {
            if (works(List.of(python, "-c", code))) {
                return python;
            }
        }
        return null;
    }

    static boolean works(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
