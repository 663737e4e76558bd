package dev.scoria.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.store.sql.PostgresServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas in one JVM sharing a real PostgreSQL workspace, each on its own loopback port. */
class ReplicasHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "replicas-test-admin-token-0123456789";

    @TempDir
    Path dir;

    private TestServer a;
    private TestServer b;

    @BeforeEach
    void startTwoReplicas() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        a = TestServer.start(config(url, "a"));
        b = TestServer.start(config(url, "b"));
        waitUntil(
                () -> state(b, "myservice").path("replicas").size() == 2
                        && state(b, "myservice").path("state").asText().equals("Healthy"),
                15_000);
    }

    private ServerConfig config(String url, String id) {
        return ServerConfig.builder()
                .port(0)
                .dataDir(dir.resolve(id))
                .databaseUrl(url)
                .replicaId(id)
                .adminTokenFromEnvironment(ADMIN)
                .build();
    }

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void bothReplicasServeTheServiceAndReportIt() throws Exception {
        for (TestServer replica : List.of(a, b)) {
            HttpResponse<String> r = replica.score(a.primaryKey(), "application/json", DemoService.sampleRequest());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(TestServer.EXPECTED);
        }
        JsonNode service = state(a, "myservice");
        assertThat(service.path("replicas").findValuesAsText("replicaId")).containsExactly("a", "b");
        assertThat(service.path("replicas").findValuesAsText("state")).containsExactly("Healthy", "Healthy");
        assertThat(service.path("numReplicas").asInt()).isEqualTo(2);
        JsonNode replicas =
                JSON.readTree(b.admin("GET", "/api/v1/replicas", null).body());
        assertThat(replicas.path("value").findValuesAsText("id")).containsExactly("a", "b");
        assertThat(replicas.path("value").findValuesAsText("live")).containsExactly("true", "true");
        assertThat(a.server.adminTokenCreated()).isFalse();
    }

    @Test
    void aKeyRegeneratedOnOneReplicaIsRefusedByTheOtherWithinASecond() throws Exception {
        String old = a.primaryKey();
        HttpResponse<String> regen =
                a.admin("POST", "/api/v1/services/myservice/regenerateKeys", "{\"keyType\": \"Primary\"}");
        assertThat(regen.statusCode()).isEqualTo(200);
        long regenerated = System.nanoTime();
        String fresh = JSON.readTree(regen.body()).path("primaryKey").asText();
        waitUntil(
                () -> b.score(old, "application/json", DemoService.sampleRequest())
                                .statusCode()
                        == 401,
                1000);
        long tookMs = (System.nanoTime() - regenerated) / 1_000_000;
        assertThat(tookMs).isLessThan(1000);
        assertThat(b.score(fresh, "application/json", DemoService.sampleRequest())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anAdminTokenRotatedOnOneReplicaStopsWorkingOnTheOther() throws Exception {
        HttpResponse<String> rotated = a.admin("POST", "/api/v1/workspace/rotate-admin-token", null);
        assertThat(rotated.statusCode()).isEqualTo(200);
        waitUntil(() -> b.admin("GET", "/api/v1/replicas", null).statusCode() == 401, 1000);
        String token = JSON.readTree(rotated.body()).path("adminToken").asText();
        assertThat(b.send(b.request("/api/v1/replicas")
                                .header("Authorization", "Bearer " + token)
                                .GET()
                                .build())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void anAccessTokenRevokedOnOneReplicaIsRefusedByTheOtherAtOnceAndAuditsMeetInTheStore() throws Exception {
        HttpResponse<String> created =
                a.admin("POST", "/api/v1/access/tokens", "{\"role\": \"keys\", \"expiresIn\": \"1h\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String token = JSON.readTree(created.body()).path("token").asText();
        String id = JSON.readTree(created.body()).path("id").asText();
        // Created on a, accepted by b with no wait: b reads the token's row on each call.
        assertThat(withToken(b, token, "POST", "/api/v1/services/myservice/listkeys")
                        .statusCode())
                .isEqualTo(200);

        assertThat(a.admin("DELETE", "/api/v1/access/tokens/" + id, null).statusCode())
                .isEqualTo(200);
        HttpResponse<String> refused = withToken(b, token, "POST", "/api/v1/services/myservice/listkeys");
        assertThat(refused.statusCode())
                .as("the first call on b after the revoke on a")
                .isEqualTo(401);
        assertThat(refused.body()).contains("access token " + id + " was revoked");

        HttpResponse<String> brief =
                b.admin("POST", "/api/v1/access/tokens", "{\"role\": \"reader\", \"expiresIn\": \"1s\"}");
        String briefToken = JSON.readTree(brief.body()).path("token").asText();
        assertThat(withToken(a, briefToken, "GET", "/api/v1/services").statusCode())
                .isEqualTo(200);
        Thread.sleep(1100);
        assertThat(withToken(a, briefToken, "GET", "/api/v1/services").body()).contains("expired at");

        // Both replicas' calls are in the one audit log, each tagged with the replica that answered it.
        JsonNode audit =
                JSON.readTree(a.admin("GET", "/api/v1/audit?limit=100000", null).body());
        Set<String> answeredBy = new HashSet<>();
        for (JsonNode e : audit.path("value")) {
            if (id.equals(e.path("credentialId").asText())) {
                answeredBy.add(
                        e.path("replica").asText() + " " + e.path("status").asInt());
            }
        }
        assertThat(answeredBy).contains("b 200", "b 401");
        assertThat(audit.toString()).doesNotContain(token.substring("scoria_".length() + 13));
    }

    private static HttpResponse<String> withToken(TestServer server, String token, String method, String path)
            throws Exception {
        return server.send(server.request(path)
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());
    }

    @Test
    void twoDeploysOfOneNameOnTwoReplicasGiveOneSuccessAndOneConflict() throws Exception {
        String body = "{\"name\": \"race\", \"models\": [\"diabetes:1\"]}";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<Integer>> calls = List.of(
                    () -> a.admin("POST", "/api/v1/services", body).statusCode(),
                    () -> b.admin("POST", "/api/v1/services", body).statusCode());
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                codes.add(f.get());
            }
            assertThat(codes).containsExactlyInAnyOrder(202, 409);
        } finally {
            pool.shutdownNow();
        }
        // The operation succeeds once both replicas have loaded it, and both then serve it.
        waitUntil(() -> state(a, "race").path("state").asText().equals("Healthy"), 15_000);
        assertThat(b.server.live().get("race").healthy()).isTrue();
        assertThat(a.server.live().get("race").healthy()).isTrue();
    }

    @Test
    void serviceLogsShowEveryReplicasLinesTaggedWithItsId() throws Exception {
        waitUntil(
                () -> {
                    String content = JSON.readTree(a.admin("GET", "/api/v1/services/myservice/logs", null)
                                    .body())
                            .path("content")
                            .asText();
                    Set<String> ids = new HashSet<>();
                    content.lines()
                            .map(l -> l.split(" "))
                            .filter(p -> p.length > 2)
                            .forEach(p -> ids.add(p[1]));
                    return ids.containsAll(Set.of("a", "b"));
                },
                5000);
    }

    private static JsonNode state(TestServer server, String name) throws Exception {
        return JSON.readTree(
                server.admin("GET", "/api/v1/services/" + name, null).body());
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Check check, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!check.ok()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + timeoutMs + " ms");
            }
            Thread.sleep(20);
        }
    }
}
