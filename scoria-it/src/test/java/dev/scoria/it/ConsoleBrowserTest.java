package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser: {@code scoria-console/e2e/console.e2e.mjs} (Playwright driving
 * Debian's Chromium) signs in, reveals and regenerates a key, scores from the Test tab, shows the
 * demo service's deployments, adds a second one ({@code green}) through the API and changes the
 * traffic split and mirror from the Deployments tab (each after its confirmation), pins the Test tab to
 * {@code green} and sees {@code green} answer, runs the copied Python snippet, deploys a service from
 * the form and checks phone widths. Screenshots of each page land in
 * {@code scoria-it/target/console-screenshots}.
 */
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CONSOLE = Path.of("..", "scoria-console").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theConsoleWorksEndToEndInChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (.ci/run installs Debian's chromium)");
        assumeTrue(onPath("node"), "node is not installed: the browser test runs Playwright on Node.js");
        assumeTrue(
                Files.isDirectory(CONSOLE.resolve("node_modules/playwright-core")),
                "scoria-console's npm packages are not installed (the scoria-console module's build runs npm ci)");
        try (ScoriaServer server = ScoriaServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir.resolve("data"))
                .build())) {
            DemoService.ensure(server, 30_000);
            // One scoring request first, so that the services page has a rate and a p99 to show.
            String key = server.services().get(DemoService.SERVICE).keys().primary();
            HttpResponse<String> scored = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/service/myservice/score"))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + key)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(scored.statusCode()).isEqualTo(200);

            Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
            Process node = new ProcessBuilder(
                            "node", "e2e/console.e2e.mjs", server.baseUrl(), server.adminToken(), shots.toString())
                    .directory(CONSOLE.toFile())
                    .redirectErrorStream(true)
                    .start();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append("(output lost: ").append(e).append(')');
                }
            });
            reader.start();
            boolean finished = node.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                node.destroyForcibly();
            }
            reader.join(10_000);
            System.out.println(output);
            assertThat(finished)
                    .as("the browser scenario finished in time:\n" + output)
                    .isTrue();
            assertThat(node.exitValue())
                    .as("node e2e/console.e2e.mjs exit code; its output:\n" + output)
                    .isZero();
            assertThat(output)
                    .contains("python snippet")
                    .contains(ClientCompatibilityTest.EXPECTED)
                    .contains("pinned test answered by green");
        }
    }

    private static boolean onPath(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
