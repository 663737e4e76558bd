package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments within a service, as an operator and a client meet them over HTTP: a second deployment
 * beside the demo's {@code default}, tested through the pin header before it takes traffic, then a
 * traffic split, mirror traffic, and removal, with the scoring URI and keys unchanged throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentsHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BODY = DemoService.sampleRequest();
    static final String HEADER = "azureml-model-deployment";

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

    static HttpResponse<String> score(String pinned) throws Exception {
        HttpRequest.Builder b = t.request("/api/v1/service/myservice/score")
                .header("Authorization", "Bearer " + t.primaryKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (pinned != null) {
            b.header(HEADER, pinned);
        }
        return t.send(b.build());
    }

    @Test
    @Order(1)
    void aNewDeploymentTakesNoTrafficUntilTheSplitGivesItSome() throws Exception {
        HttpResponse<String> created = t.admin(
                "POST",
                "/api/v1/services/myservice/deployments",
                "{\"name\": \"green\", \"models\": [\"diabetes:1\"], \"maxBatchSize\": 4}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String location = created.headers().firstValue("Operation-Location").orElseThrow();
        assertThat(t.waitForOperation(location).path("state").asText()).isEqualTo("Succeeded");

        JsonNode list = JSON.readTree(
                t.admin("GET", "/api/v1/services/myservice/deployments", null).body());
        assertThat(list.path("value")).hasSize(2);
        assertThat(list.at("/value/0/name").asText()).isEqualTo("default");
        assertThat(list.at("/value/0/trafficPercent").asInt()).isEqualTo(100);
        assertThat(list.at("/value/1/name").asText()).isEqualTo("green");
        assertThat(list.at("/value/1/trafficPercent").asInt()).isZero();
        assertThat(list.at("/value/1/state").asText()).isEqualTo("Healthy");
        assertThat(list.at("/value/1/maxBatchSize").asInt()).isEqualTo(4);

        JsonNode service =
                JSON.readTree(t.admin("GET", "/api/v1/services/myservice", null).body());
        assertThat(service.path("state").asText()).isEqualTo("Healthy");
        assertThat(service.path("traffic").toString()).isEqualTo("{\"default\":100}");
        assertThat(service.path("deployments")).hasSize(2);

        for (int i = 0; i < 50; i++) {
            HttpResponse<String> r = score(null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue(HEADER)).hasValue("default");
        }
    }

    @Test
    @Order(2)
    void thePinHeaderReachesADeploymentWithNoTrafficThroughTheRealUri() throws Exception {
        HttpResponse<String> pinned = score("green");
        assertThat(pinned.statusCode()).isEqualTo(200);
        assertThat(pinned.body()).isEqualTo(TestServer.EXPECTED);
        assertThat(pinned.headers().firstValue(HEADER)).hasValue("green");
        HttpResponse<String> unknown = score("purple");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("message").asText())
                .isEqualTo("service 'myservice' has no deployment 'purple': its deployments are [default, green]");
        // The Open Inference Protocol route takes the same header.
        HttpResponse<String> v2 = t.send(t.request("/v2/models/myservice/infer")
                .header("Authorization", "Bearer " + t.primaryKey())
                .header(HEADER, "green")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 10],"
                        + " \"datatype\": \"FP64\", \"data\": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}]}"))
                .build());
        assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
        assertThat(v2.headers().firstValue(HEADER)).hasValue("green");
        assertThat(t.send(t.request("/api/v1/service/myservice/swagger.json?deployment=green")
                                .GET()
                                .build())
                        .statusCode())
                .isEqualTo(200);
        assertThat(t.send(t.request("/api/v1/service/myservice/swagger.json?deployment=purple")
                                .GET()
                                .build())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    void theSplitHoldsOverThousandsOfRequests() throws Exception {
        HttpResponse<String> split =
                t.admin("PUT", "/api/v1/services/myservice/traffic", "{\"default\": 70, \"green\": 30}");
        assertThat(split.statusCode()).as(split.body()).isEqualTo(200);
        assertThat(JSON.readTree(split.body()).path("traffic").toString()).isEqualTo("{\"default\":70,\"green\":30}");
        Map<String, Integer> counts = new HashMap<>();
        int n = 3000;
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.add(t.http.sendAsync(
                    t.request("/api/v1/service/myservice/score")
                            .header("Authorization", "Bearer " + t.primaryKey())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(BODY))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
            if (inFlight.size() == 16 || i == n - 1) {
                for (CompletableFuture<HttpResponse<String>> call : inFlight) {
                    HttpResponse<String> r = call.join();
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
                    counts.merge(r.headers().firstValue(HEADER).orElseThrow(), 1, Integer::sum);
                }
                inFlight.clear();
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("default", "green");
        assertThat(counts.get("green") / (double) n).isCloseTo(0.30, within(0.04));

        assertThat(t.admin("PUT", "/api/v1/services/myservice/traffic", "{\"default\": 70, \"green\": 20}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(t.admin("PUT", "/api/v1/services/myservice/traffic", "{\"default\": 70, \"blue\": 30}")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> busy = t.admin("DELETE", "/api/v1/services/myservice/deployments/green", null);
        assertThat(busy.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(busy.body()).path("message").asText()).contains("takes 30% of live traffic");
        // Limits and models now change one deployment at a time.
        assertThat(t.admin("PATCH", "/api/v1/services/myservice", "{\"maxBatchSize\": 2}")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> patched =
                t.admin("PATCH", "/api/v1/services/myservice/deployments/green", "{\"maxBatchSize\": 2}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).path("maxBatchSize").asInt()).isEqualTo(2);
        assertThat(t.admin("PATCH", "/api/v1/services/myservice/deployments/green", "{\"runtime\": \"java\"}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    @Order(4)
    void mirrorTrafficIsScoredBesideTheLiveAnswerAndCountedApart() throws Exception {
        assertThat(t.admin("PUT", "/api/v1/services/myservice/mirror", "{\"green\": 10}")
                        .statusCode())
                .as("green still takes live traffic")
                .isEqualTo(400);
        assertThat(t.admin("PUT", "/api/v1/services/myservice/traffic", "{\"default\": 100, \"green\": 0}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(t.admin("PUT", "/api/v1/services/myservice/mirror", "{\"green\": 60}")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> mirrored = t.admin("PUT", "/api/v1/services/myservice/mirror", "{\"green\": 50}");
        assertThat(mirrored.statusCode()).as(mirrored.body()).isEqualTo(200);
        assertThat(JSON.readTree(mirrored.body()).path("mirrorTraffic").toString())
                .isEqualTo("{\"green\":50}");
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> r = score(null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
            assertThat(r.headers().firstValue(HEADER)).hasValue("default");
        }
        long copies = 0;
        for (int tries = 0; tries < 50 && copies < 60; tries++) {
            Matcher m = Pattern.compile(
                            "scoria_mirror_requests_total\\{deployment=\"green\",protocol=\"azure\",service=\"myservice\","
                                    + "status=\"200\"} ([0-9.]+)")
                    .matcher(t.admin("GET", "/metrics", null).body());
            copies = m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
            Thread.sleep(50);
        }
        assertThat(copies).as("about half of 200 requests were copied to green").isBetween(60L, 140L);
        HttpResponse<String> busy = t.admin("DELETE", "/api/v1/services/myservice/deployments/green", null);
        assertThat(busy.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(busy.body()).path("message").asText()).contains("50% mirror traffic");
    }

    @Test
    @Order(5)
    void aDeploymentWithNoTrafficIsDeletedAndTheServiceIsAsBefore() throws Exception {
        assertThat(t.admin("PUT", "/api/v1/services/myservice/mirror", "{}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> deleted = t.admin("DELETE", "/api/v1/services/myservice/deployments/green", null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        JsonNode service =
                JSON.readTree(t.admin("GET", "/api/v1/services/myservice", null).body());
        assertThat(service.path("deployments")).hasSize(1);
        assertThat(service.path("traffic").toString()).isEqualTo("{\"default\":100}");
        assertThat(service.path("mirrorTraffic").toString()).isEqualTo("{}");
        assertThat(score(null).headers().firstValue(HEADER)).hasValue("default");
        assertThat(t.admin("GET", "/metrics", null).body())
                .as("a deleted deployment leaves no series behind")
                .doesNotContain("deployment=\"green\"")
                .contains("deployment=\"default\"");
        HttpResponse<String> last = t.admin("DELETE", "/api/v1/services/myservice/deployments/default", null);
        assertThat(last.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(last.body()).path("message").asText()).contains("delete the service instead");
        // With one deployment again, the service takes limits as it always did.
        assertThat(t.admin("PATCH", "/api/v1/services/myservice", "{\"maxBatchSize\": 8}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    @Order(6)
    void aDeploymentThatCannotLoadFailsAloneAndTakesNoTraffic() throws Exception {
        HttpResponse<String> created = t.admin(
                "POST",
                "/api/v1/services/myservice/deployments",
                "{\"name\": \"broken\", \"models\": [\"diabetes:1\"], \"inputExample\": {\"data\": [[1]]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode op = t.waitForOperation(
                created.headers().firstValue("Operation-Location").orElseThrow());
        assertThat(op.path("state").asText()).isEqualTo("Failed");
        assertThat(op.at("/error/message").asText()).contains("inputExample does not fit the model");
        JsonNode service =
                JSON.readTree(t.admin("GET", "/api/v1/services/myservice", null).body());
        assertThat(service.path("state").asText())
                .as("the deployments that take traffic answer")
                .isEqualTo("Healthy");
        assertThat(score(null).statusCode()).isEqualTo(200);
        HttpResponse<String> refused =
                t.admin("PUT", "/api/v1/services/myservice/traffic", "{\"default\": 90, \"broken\": 10}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("message").asText())
                .startsWith("deployment 'broken' is Failed (")
                .contains("cannot take more traffic until it is Healthy");
        assertThat(t.admin("DELETE", "/api/v1/services/myservice/deployments/broken", null)
                        .statusCode())
                .isEqualTo(200);
    }
}
