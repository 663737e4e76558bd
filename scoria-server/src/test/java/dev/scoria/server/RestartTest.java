package dev.scoria.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.core.service.KeyType;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceState;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart loses no model, service, deployment, traffic setting or key, and the admin token is kept private. */
class RestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENT_HEADER = "azureml-model-deployment";

    @TempDir
    Path dir;

    @Test
    void aRestartedServerServesTheSameServiceWithTheSameKeys() throws Exception {
        ServiceKeys keys;
        String token;
        try (TestServer first = TestServer.start(dir)) {
            assertThat(first.server.adminTokenCreated()).isTrue();
            first.server.services().regenerateKey(DemoService.SERVICE, KeyType.Secondary, null);
            keys = first.server.services().get(DemoService.SERVICE).keys();
            token = first.server.adminToken();
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("admin-token")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try (TestServer second = TestServer.start(dir)) {
            assertThat(second.server.adminTokenCreated()).isFalse();
            assertThat(second.server.adminToken()).isEqualTo(token);
            assertThat(second.server.models().list(null, Map.of(), false)).hasSize(1);
            assertThat(second.server.services().get(DemoService.SERVICE).state())
                    .isEqualTo(ServiceState.Healthy);
            assertThat(second.server.services().get(DemoService.SERVICE).keys()).isEqualTo(keys);
            HttpResponse<String> r = second.score(keys.secondary(), "application/json", DemoService.sampleRequest());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
        }
    }

    @Test
    void deploymentsTheirSplitAndTheMirrorSurviveARestart() throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            for (String deployment : List.of("green", "shadow")) {
                HttpResponse<String> created = first.admin(
                        "POST",
                        "/api/v1/services/myservice/deployments",
                        "{\"name\": \"" + deployment + "\", \"models\": [\"diabetes:1\"], \"maxBatchSize\": 4}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
                String location =
                        created.headers().firstValue("Operation-Location").orElseThrow();
                assertThat(first.waitForOperation(location).path("state").asText())
                        .isEqualTo("Succeeded");
            }
            assertThat(first.admin("PUT", "/api/v1/services/myservice/traffic", "{\"default\": 80, \"green\": 20}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(first.admin("PUT", "/api/v1/services/myservice/mirror", "{\"shadow\": 30}")
                            .statusCode())
                    .isEqualTo(200);
        }
        try (TestServer second = TestServer.start(dir)) {
            JsonNode deployments = waitForDeployments(second, 3);
            assertThat(field(deployments, "name")).containsExactly("default", "green", "shadow");
            assertThat(field(deployments, "state")).containsOnly("Healthy");
            assertThat(deployments.at("/value/1/maxBatchSize").asInt()).isEqualTo(4);
            assertThat(deployments.at("/value/1/trafficPercent").asInt()).isEqualTo(20);
            assertThat(deployments.at("/value/2/mirrorTrafficPercent").asInt()).isEqualTo(30);
            JsonNode service = JSON.readTree(
                    second.admin("GET", "/api/v1/services/myservice", null).body());
            assertThat(service.path("state").asText()).isEqualTo("Healthy");
            assertThat(service.path("traffic").toString()).isEqualTo("{\"default\":80,\"green\":20}");
            assertThat(service.path("mirrorTraffic").toString()).isEqualTo("{\"shadow\":30}");

            for (String pinned : List.of("default", "green", "shadow")) {
                HttpResponse<String> r = second.send(second.request("/api/v1/service/myservice/score")
                        .header("Authorization", "Bearer " + second.primaryKey())
                        .header("Content-Type", "application/json")
                        .header(DEPLOYMENT_HEADER, pinned)
                        .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                        .build());
                assertThat(r.statusCode()).as(pinned + ": " + r.body()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
                assertThat(r.headers().firstValue(DEPLOYMENT_HEADER)).hasValue(pinned);
            }
            Map<String, Integer> answeredBy = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                HttpResponse<String> r =
                        second.score(second.primaryKey(), "application/json", DemoService.sampleRequest());
                assertThat(r.statusCode()).isEqualTo(200);
                answeredBy.merge(r.headers().firstValue(DEPLOYMENT_HEADER).orElseThrow(), 1, Integer::sum);
            }
            assertThat(answeredBy.keySet())
                    .as("the mirrored deployment answers nobody")
                    .containsExactlyInAnyOrder("default", "green");
            assertThat(answeredBy.get("green")).as(answeredBy.toString()).isBetween(30, 90);
            Pattern copies = Pattern.compile("scoria_mirror_requests_total\\{deployment=\"shadow\",protocol=\"azure\","
                    + "service=\"myservice\",status=\"200\"} ([0-9.]+)");
            double mirrored = 0;
            for (int tries = 0; tries < 50 && mirrored < 45; tries++) {
                Matcher m = copies.matcher(second.admin("GET", "/metrics", null).body());
                mirrored = m.find() ? Double.parseDouble(m.group(1)) : 0;
                Thread.sleep(50);
            }
            assertThat(mirrored)
                    .as("about 30% of 300 requests copied to shadow")
                    .isBetween(45.0, 135.0);
        }
    }

    /** One field of each deployment in a list of them. */
    private static List<String> field(JsonNode list, String name) {
        List<String> values = new ArrayList<>();
        list.path("value").forEach(d -> values.add(d.path(name).asText()));
        return values;
    }

    /** Polls the service's deployments until there are {@code count} and none is Transitioning (30 s at most). */
    private static JsonNode waitForDeployments(TestServer t, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            JsonNode list = JSON.readTree(t.admin("GET", "/api/v1/services/myservice/deployments", null)
                    .body());
            boolean settled =
                    list.path("value").size() == count && !field(list, "state").contains("Transitioning");
            if (settled || System.currentTimeMillis() > deadline) {
                return list;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aCorruptedModelFileIsReportedNotServed() throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            assertThat(first.server.services().get(DemoService.SERVICE).state()).isEqualTo(ServiceState.Healthy);
        }
        String sha = null;
        try (var files = Files.walk(dir.resolve("artifacts"))) {
            for (Path p : files.filter(Files::isRegularFile)
                    .filter(p -> !p.getParent().getFileName().toString().equals("tmp"))
                    .toList()) {
                Files.write(p, new byte[] {1, 2, 3});
                sha = p.getFileName().toString();
            }
        }
        try (TestServer second = TestServer.start(dir)) {
            var service = second.server.services().get(DemoService.SERVICE);
            assertThat(service.state()).isEqualTo(ServiceState.Failed);
            assertThat(service.error()).contains("is corrupted: expected sha256 " + sha);
        }
    }
}
