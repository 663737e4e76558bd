package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics and overload behaviour as an operator and a client meet them. */
class ServingBehaviourHttpTest {

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .accessLog(true)
                .build());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void metricsCountRequestsByStatusAndNeedTheAdminToken() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(t.score(t.primaryKey(), "application/json", DemoService.sampleRequest())
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(t.score("wrong", "application/json", DemoService.sampleRequest())
                        .statusCode())
                .isEqualTo(401);
        assertThat(t.send(t.request("/metrics").GET().build()).statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = t.admin("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        String text = metrics.body();
        assertThat(text)
                .containsPattern(
                        "scoria_score_requests_total\\{deployment=\"default\",protocol=\"azure\",service=\"myservice\",status=\"200\"} [3-9]");
        assertThat(text)
                .contains(
                        "scoria_score_requests_total{deployment=\"none\",protocol=\"azure\",service=\"myservice\",status=\"401\"} 1.0");
        assertThat(text)
                .contains(
                        "scoria_score_duration_seconds_bucket{deployment=\"default\",protocol=\"azure\",service=\"myservice\"");
        assertThat(text).contains("scoria_queue_depth{deployment=\"default\",service=\"myservice\"}");
        assertThat(text)
                .containsPattern("scoria_model_load_seconds\\{deployment=\"default\",service=\"myservice\"} [0-9.]+");
        assertThat(text).contains("jvm_memory_used_bytes").contains("process_cpu_usage");
    }

    @Test
    void anOverloadedServiceAnswers503WithRetryAfterAndNothingElseFails() throws Exception {
        t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"tight\", \"models\": [\"diabetes:1\"], \"authMode\": \"none\","
                        + " \"maxConcurrentRequestsPerContainer\": 1, \"maxQueueWaitMs\": 0}");
        t.waitForService("tight");
        StringBuilder rows = new StringBuilder("{\"data\": [");
        for (int i = 0; i < 20_000; i++) {
            rows.append(i == 0 ? "" : ",").append("[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0]");
        }
        String big = rows.append("]}").toString();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(t.http.sendAsync(
                    t.request("/api/v1/service/tight/score")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(big))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int overloaded = 0;
        for (var call : calls) {
            HttpResponse<String> r = call.join();
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(r.body()).contains("Too many requests for service 'tight' (overloaded)");
                overloaded++;
            }
        }
        assertThat(ok).isPositive();
        assertThat(overloaded).isPositive();
        assertThat(t.admin("GET", "/metrics", null).body())
                .contains("scoria_requests_rejected{deployment=\"default\",service=\"tight\"}");
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsExactlyItsOwnAnswer() throws Exception {
        t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"batched\", \"models\": [\"diabetes:1\"], \"authMode\": \"none\","
                        + " \"maxConcurrentRequestsPerContainer\": 1, \"maxBatchSize\": 16, \"maxQueueWaitMs\": 10000}");
        t.waitForService("batched");
        Random random = new Random(7);
        List<String> bodies = new ArrayList<>();
        List<String> alone = new ArrayList<>();
        // Bodies over the inline limit (16 KiB), so every request goes through the queue and can be merged.
        for (int i = 0; i < 60; i++) {
            StringBuilder b = new StringBuilder("{\"data\": [");
            for (int r = 0; r < 120; r++) {
                b.append(r == 0 ? "[" : ",[");
                for (int c = 0; c < 10; c++) {
                    b.append(c == 0 ? "" : ",").append(random.nextGaussian() * 0.05);
                }
                b.append(']');
            }
            bodies.add(b.append("]}").toString());
            alone.add(t.send(t.request("/api/v1/service/batched/score")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i)))
                            .build())
                    .body());
        }
        for (int round = 0; round < 5; round++) {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (String body : bodies) {
                calls.add(t.http.sendAsync(
                        t.request("/api/v1/service/batched/score")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < calls.size(); i++) {
                HttpResponse<String> r = calls.get(i).join();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).as("request " + i).isEqualTo(alone.get(i));
            }
        }
        String metrics = t.admin("GET", "/metrics", null).body();
        Matcher count = Pattern.compile(
                        "scoria_batch_size_count\\{deployment=\"default\",service=\"batched\"} ([0-9.]+)")
                .matcher(metrics);
        Matcher sum = Pattern.compile("scoria_batch_size_sum\\{deployment=\"default\",service=\"batched\"} ([0-9.]+)")
                .matcher(metrics);
        assertThat(count.find() && sum.find()).as(metrics).isTrue();
        // More requests went through batches than batches ran: some were merged.
        assertThat(Double.parseDouble(sum.group(1))).isGreaterThan(Double.parseDouble(count.group(1)));
    }
}
