package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.service.DeployRequest;
import dev.scoria.core.service.ServiceSettings;
import dev.scoria.core.service.SettingsPatch;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser (headless Chromium) on a page of an allowed origin calls a service with fetch and
 * reads the answer; a page of another origin is blocked by the browser, as CORS intends.
 */
class BrowserCorsTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    static Path dir;

    static ScoriaServer server;
    static HttpServer allowedSite;
    static HttpServer otherSite;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (.ci/run installs Debian's chromium)");
        allowedSite = site();
        otherSite = site();
        server = ScoriaServer.start(
                ServerConfig.builder().port(0).dataDir(dir.resolve("data")).build());
        DemoService.ensure(server, 30_000);
        ServiceSettings settings = SettingsPatch.builder()
                .corsOrigins(
                        List.of("http://127.0.0.1:" + allowedSite.getAddress().getPort()))
                .build()
                .applyTo(ServiceSettings.DEFAULTS);
        server.services().deploy(new DeployRequest("browser", settings, List.of(new ModelRef("diabetes", 1)), null));
        long deadline = System.currentTimeMillis() + 30_000;
        while (!server.live().get("browser").healthy() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        key = server.services().get("browser").keys().primary();
        String page = page(server.baseUrl() + "/api/v1/service/browser/score", key);
        serve(allowedSite, page);
        serve(otherSite, page);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            allowedSite.stop(0);
            otherSite.stop(0);
        }
    }

    @Test
    void aPageOfAnAllowedOriginCallsTheServiceWithFetch() throws Exception {
        String result =
                resultShownBy("http://127.0.0.1:" + allowedSite.getAddress().getPort() + "/");
        assertThat(result).startsWith("status 200 [217.67978776218715]");
        // The request id header was exposed to the page.
        assertThat(result).matches(".* rid [0-9a-f-]{36}");
    }

    @Test
    void aPageOfAnotherOriginIsBlockedByTheBrowser() throws Exception {
        assertThat(resultShownBy("http://127.0.0.1:" + otherSite.getAddress().getPort() + "/"))
                .startsWith("blocked");
    }

    private static String resultShownBy(String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium");
        Process p = new ProcessBuilder(
                        CHROMIUM.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--virtual-time-budget=10000",
                        "--dump-dom",
                        url)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Matcher m = Pattern.compile("<pre id=\"out\">([^<]*)</pre>").matcher(dom);
        assertThat(m.find()).as("page output in:\n" + dom).isTrue();
        return m.group(1).trim();
    }

    private static String page(String scoringUri, String key) {
        return """
                <!doctype html><html><body><pre id="out">pending</pre><script>
                fetch("%s", {method: "POST",
                  headers: {"Authorization": "Bearer %s", "Content-Type": "application/json"},
                  body: JSON.stringify({data: [[0.0199132141783263, 0.0506801187398187, 0.104808689473925,
                    0.0700725447072635, -0.0359677812752396, -0.0266789028311707, -0.0249926566315915,
                    -0.00259226199818282, 0.00371173823343597, 0.0403433716478807]]})})
                  .then(r => r.text().then(t => document.getElementById("out").textContent =
                    "status " + r.status + " " + t + " rid " + r.headers.get("x-ms-request-id")))
                  .catch(e => document.getElementById("out").textContent = "blocked " + e);
                </script></body></html>
                """.formatted(scoringUri, key);
    }

    private static HttpServer site() throws IOException {
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.start();
        return site;
    }

    private static void serve(HttpServer site, String html) {
        site.createContext("/", exchange -> {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }
}
