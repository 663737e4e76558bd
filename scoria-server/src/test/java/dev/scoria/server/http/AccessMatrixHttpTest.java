package dev.scoria.server.http;

import static dev.scoria.server.http.DataPlaneHttpTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every management route against every role, allowed and refused, on a real server. The expectations
 * are a hand-written table from the contract (docs/access.md), never computed the way the server
 * decides: a test that asked the server's own code "may this role do that?" would share its bugs.
 *
 * <p>A call that is let through must get the route's own answer (200, 201, or the 404/415 of a target
 * that does not exist, chosen so that nothing the rest of the table needs is destroyed); a refused call
 * gets 403 in the contract's error format.
 */
class AccessMatrixHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The credentials tried on every route: the admin token, and an access token of each role and scope. */
    enum Cred {
        ADMIN_TOKEN,
        ADMIN,
        READER,
        DEPLOYER,
        DEPLOYER_FRAUD,
        KEYS,
        KEYS_FRAUD
    }

    static final Set<Cred> EVERYONE = EnumSet.allOf(Cred.class);
    static final Set<Cred> ADMINS = EnumSet.of(Cred.ADMIN_TOKEN, Cred.ADMIN);
    static final Set<Cred> ALL_DEPLOYERS = EnumSet.of(Cred.ADMIN_TOKEN, Cred.ADMIN, Cred.DEPLOYER, Cred.DEPLOYER_FRAUD);
    static final Set<Cred> UNLIMITED_DEPLOYERS = EnumSet.of(Cred.ADMIN_TOKEN, Cred.ADMIN, Cred.DEPLOYER);
    static final Set<Cred> ALL_KEYS = EnumSet.of(Cred.ADMIN_TOKEN, Cred.ADMIN, Cred.KEYS, Cred.KEYS_FRAUD);
    static final Set<Cred> UNLIMITED_KEYS = EnumSet.of(Cred.ADMIN_TOKEN, Cred.ADMIN, Cred.KEYS);

    /** One management call, who may make it, and what the route answers those it lets through. */
    record Row(String method, String path, String body, Set<Cred> allowed, int allowedStatus) {}

    /** Service routes twice: on a service inside the limited tokens' 'fraud-*' and on one outside it. */
    static final List<Row> TABLE = List.of(
            new Row("GET", "/api/v1/workspace", null, EVERYONE, 200),
            new Row("GET", "/api/v1/models", null, EVERYONE, 200),
            new Row("GET", "/api/v1/models/nosuch/1", null, EVERYONE, 404),
            new Row("POST", "/api/v1/models", "MULTIPART", ALL_DEPLOYERS, 201),
            new Row("DELETE", "/api/v1/models/nosuch/1", null, UNLIMITED_DEPLOYERS, 404),
            new Row("POST", "/api/v1/code", null, ALL_DEPLOYERS, 415),
            new Row("GET", "/api/v1/services", null, EVERYONE, 200),
            new Row(
                    "POST",
                    "/api/v1/services",
                    "{\"name\": \"fraud-new\", \"models\": [\"nosuch:1\"]}",
                    ALL_DEPLOYERS,
                    404),
            new Row(
                    "POST",
                    "/api/v1/services",
                    "{\"name\": \"other-new\", \"models\": [\"nosuch:1\"]}",
                    UNLIMITED_DEPLOYERS,
                    404),
            new Row("GET", "/api/v1/services/fraud-a", null, EVERYONE, 200),
            new Row("GET", "/api/v1/services/other-a", null, EVERYONE, 200),
            new Row("PATCH", "/api/v1/services/fraud-none", "{\"description\": \"x\"}", ALL_DEPLOYERS, 404),
            new Row("PATCH", "/api/v1/services/other-none", "{\"description\": \"x\"}", UNLIMITED_DEPLOYERS, 404),
            new Row("DELETE", "/api/v1/services/fraud-none", null, ALL_DEPLOYERS, 404),
            new Row("DELETE", "/api/v1/services/other-none", null, UNLIMITED_DEPLOYERS, 404),
            new Row("POST", "/api/v1/services/fraud-a/listkeys", null, ALL_KEYS, 200),
            new Row("POST", "/api/v1/services/other-a/listkeys", null, UNLIMITED_KEYS, 200),
            new Row("POST", "/api/v1/services/fraud-none/regenerateKeys", "{\"keyType\": \"Primary\"}", ALL_KEYS, 404),
            new Row(
                    "POST",
                    "/api/v1/services/other-none/regenerateKeys",
                    "{\"keyType\": \"Primary\"}",
                    UNLIMITED_KEYS,
                    404),
            new Row("POST", "/api/v1/services/fraud-a/token", null, ALL_KEYS, 200),
            new Row("POST", "/api/v1/services/other-a/token", null, UNLIMITED_KEYS, 200),
            new Row("GET", "/api/v1/services/fraud-a/logs", null, EVERYONE, 200),
            new Row("GET", "/api/v1/services/other-a/logs", null, EVERYONE, 200),
            new Row("GET", "/api/v1/operations/nosuch", null, EVERYONE, 404),
            new Row("GET", "/api/v1/replicas", null, EVERYONE, 200),
            new Row("GET", "/api/v1/runtimes", null, EVERYONE, 200),
            new Row("GET", "/api/v1/services/other-a/deployments", null, EVERYONE, 200),
            new Row("GET", "/api/v1/services/other-a/deployments/default", null, EVERYONE, 200),
            new Row(
                    "POST",
                    "/api/v1/services/fraud-none/deployments",
                    "{\"name\": \"blue\", \"models\": [\"nosuch:1\"]}",
                    ALL_DEPLOYERS,
                    404),
            new Row(
                    "POST",
                    "/api/v1/services/other-none/deployments",
                    "{\"name\": \"blue\", \"models\": [\"nosuch:1\"]}",
                    UNLIMITED_DEPLOYERS,
                    404),
            new Row("PATCH", "/api/v1/services/fraud-none/deployments/default", "{}", ALL_DEPLOYERS, 404),
            new Row("PATCH", "/api/v1/services/other-none/deployments/default", "{}", UNLIMITED_DEPLOYERS, 404),
            new Row("DELETE", "/api/v1/services/fraud-none/deployments/blue", null, ALL_DEPLOYERS, 404),
            new Row("DELETE", "/api/v1/services/other-none/deployments/blue", null, UNLIMITED_DEPLOYERS, 404),
            new Row("PUT", "/api/v1/services/fraud-none/traffic", "{\"default\": 100}", ALL_DEPLOYERS, 404),
            new Row("PUT", "/api/v1/services/other-none/traffic", "{\"default\": 100}", UNLIMITED_DEPLOYERS, 404),
            new Row("PUT", "/api/v1/services/fraud-none/mirror", "{}", ALL_DEPLOYERS, 404),
            new Row("PUT", "/api/v1/services/other-none/mirror", "{}", UNLIMITED_DEPLOYERS, 404),
            new Row("GET", "/metrics", null, EVERYONE, 200),
            new Row("POST", "/api/v1/workspace/rotate-signing-key", null, ADMINS, 200),
            new Row("POST", "/api/v1/workspace/rotate-admin-token", null, ADMINS, 200),
            new Row("POST", "/api/v1/access/tokens", "{\"role\": \"reader\", \"expiresIn\": \"1h\"}", ADMINS, 201),
            new Row("GET", "/api/v1/access/tokens", null, ADMINS, 200),
            new Row("DELETE", "/api/v1/access/tokens/nosuchtoken0", null, ADMINS, 404),
            new Row("GET", "/api/v1/audit", null, ADMINS, 200));

    /** Every management route the server has, by method and path pattern: the table must try each. */
    static final List<String> ROUTES = List.of(
            "GET /api/v1/workspace",
            "POST /api/v1/workspace/rotate-admin-token",
            "POST /api/v1/workspace/rotate-signing-key",
            "POST /api/v1/models",
            "POST /api/v1/code",
            "GET /api/v1/models",
            "GET /api/v1/models/:name/:version",
            "DELETE /api/v1/models/:name/:version",
            "POST /api/v1/services",
            "GET /api/v1/services",
            "GET /api/v1/services/:name",
            "PATCH /api/v1/services/:name",
            "DELETE /api/v1/services/:name",
            "POST /api/v1/services/:name/listkeys",
            "POST /api/v1/services/:name/regenerateKeys",
            "GET /api/v1/services/:name/logs",
            "POST /api/v1/services/:name/token",
            "GET /api/v1/operations/:id",
            "GET /api/v1/replicas",
            "GET /api/v1/services/:name/deployments",
            "POST /api/v1/services/:name/deployments",
            "GET /api/v1/services/:name/deployments/:deployment",
            "PATCH /api/v1/services/:name/deployments/:deployment",
            "DELETE /api/v1/services/:name/deployments/:deployment",
            "PUT /api/v1/services/:name/traffic",
            "PUT /api/v1/services/:name/mirror",
            "GET /api/v1/runtimes",
            "POST /api/v1/access/tokens",
            "GET /api/v1/access/tokens",
            "DELETE /api/v1/access/tokens/:id",
            "GET /api/v1/audit",
            "GET /metrics");

    @TempDir
    static Path dir;

    static TestServer t;
    static final Map<Cred, String> tokens = new EnumMap<>(Cred.class);
    static final Map<Cred, String> ids = new EnumMap<>(Cred.class);

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir);
        for (String service : List.of("fraud-a", "other-a")) {
            HttpResponse<String> deployed = t.admin(
                    "POST",
                    "/api/v1/services",
                    "{\"name\": \"" + service + "\", \"models\": [\"diabetes:1\"], \"authMode\": \"token\"}");
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
            assertThat(t.waitForOperation(deployed.headers()
                                    .firstValue("Operation-Location")
                                    .orElseThrow())
                            .get("state")
                            .asText())
                    .isEqualTo("Succeeded");
        }
        create(Cred.ADMIN, "{\"role\": \"admin\", \"expiresIn\": \"1d\"}");
        create(Cred.READER, "{\"role\": \"reader\"}");
        create(Cred.DEPLOYER, "{\"role\": \"deployer\", \"expiresIn\": \"30d\", \"description\": \"ci\"}");
        create(Cred.DEPLOYER_FRAUD, "{\"role\": \"deployer\", \"services\": [\"fraud-*\"], \"expiresIn\": \"30d\"}");
        create(Cred.KEYS, "{\"role\": \"keys\", \"expiresIn\": \"never\"}");
        create(Cred.KEYS_FRAUD, "{\"role\": \"keys\", \"services\": [\"fraud-?\", \"fraud-*\"]}");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static void create(Cred cred, String body) throws Exception {
        HttpResponse<String> r = t.admin("POST", "/api/v1/access/tokens", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(r.body());
        assertThat(created.get("token").asText())
                .startsWith("scoria_" + created.get("id").asText() + "_");
        tokens.put(cred, created.get("token").asText());
        ids.put(cred, created.get("id").asText());
    }

    /** A token's secret part: after {@code scoria_}, the 12-character id and '_' (the secret may hold '_' too). */
    static String secretOf(String token) {
        assertThat(token).hasSize("scoria_".length() + 12 + 1 + 43);
        return token.substring("scoria_".length() + 13);
    }

    /** The admin token is read afresh: one row rotates it. */
    static String credential(Cred cred) {
        return cred == Cred.ADMIN_TOKEN ? t.server.adminToken() : tokens.get(cred);
    }

    static HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
        if ("MULTIPART".equals(body)) {
            return uploadModel(token);
        }
        HttpRequest.Builder b = t.request(path)
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return t.send(b.build());
    }

    static HttpResponse<String> uploadModel(String token) throws Exception {
        String boundary = "scoria-access-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nuploaded\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        try (var in = DemoService.class.getResourceAsStream("/demo/diabetes-ridge/model.onnx")) {
            body.writeBytes(in.readAllBytes());
        }
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return t.send(t.request("/api/v1/models")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
    }

    @Test
    void everyRoleOnEveryManagementRoute() throws Exception {
        List<String> covered = new ArrayList<>();
        for (Row row : TABLE) {
            String pattern = row.path()
                    .replaceAll("^/api/v1/(models)/[^/]+/[^/]+$", "/api/v1/$1/:name/:version")
                    .replaceAll("^/api/v1/services/[^/]+", "/api/v1/services/:name")
                    .replaceAll("/deployments/[^/]+$", "/deployments/:deployment")
                    .replaceAll("^/api/v1/operations/[^/]+$", "/api/v1/operations/:id")
                    .replaceAll("^/api/v1/access/tokens/[^/]+$", "/api/v1/access/tokens/:id");
            covered.add(row.method() + " " + pattern);
        }
        assertThat(covered).as("routes the table tries").containsAll(ROUTES);

        List<String> failures = new ArrayList<>();
        int calls = 0;
        int wronglyAllowed = 0;
        System.out.printf("%n%-62s | %-14s | %-8s | %-3s%n", "route", "credential", "expected", "got");
        for (Row row : TABLE) {
            for (Cred cred : Cred.values()) {
                boolean allowed = row.allowed().contains(cred);
                int expected = allowed ? row.allowedStatus() : 403;
                HttpResponse<String> r = call(credential(cred), row.method(), row.path(), row.body());
                calls++;
                System.out.printf(
                        "%-62s | %-14s | %-8d | %-3d%s%n",
                        row.method() + " " + row.path(),
                        cred,
                        expected,
                        r.statusCode(),
                        r.statusCode() == 403
                                ? "  ("
                                        + JSON.readTree(r.body())
                                                .path("message")
                                                .asText() + ")"
                                : "");
                if (r.statusCode() != expected) {
                    failures.add(row.method() + " " + row.path() + " as " + cred + ": expected " + expected + ", got "
                            + r.statusCode() + " " + r.body());
                }
                if (!allowed && r.statusCode() != 403) {
                    wronglyAllowed++;
                }
                if (r.statusCode() == 403) {
                    JsonNode error = errorOf(r, 403);
                    if (!error.get("message").asText().contains("needs")
                            && !error.get("message").asText().contains("limited to services")) {
                        failures.add(row.method() + " " + row.path() + " as " + cred
                                + ": the refusal does not name the missing right: " + r.body());
                    }
                }
            }
        }
        System.out.println(calls + " calls, " + failures.size() + " failed, " + wronglyAllowed + " wrongly allowed");
        assertThat(failures).as("matrix failures").isEmpty();
        assertThat(calls).isEqualTo(TABLE.size() * Cred.values().length);
    }

    @Test
    void aRefusalNamesTheRoleTheActionAndTheRolesThatMay() throws Exception {
        JsonNode error = errorOf(
                call(
                        tokens.get(Cred.READER),
                        "POST",
                        "/api/v1/services/fraud-a/regenerateKeys",
                        "{\"keyType\": \"Primary\"}"),
                403);
        assertThat(error.get("message").asText())
                .isEqualTo(
                        "this token's role 'reader' cannot regenerate keys of service 'fraud-a' (needs role keys or admin)");
        JsonNode limited =
                errorOf(call(tokens.get(Cred.DEPLOYER_FRAUD), "DELETE", "/api/v1/services/other-a", null), 403);
        assertThat(limited.get("message").asText())
                .isEqualTo("this token (role deployer) is limited to services 'fraud-*' and cannot delete service"
                        + " 'other-a'");
        // other-a is untouched.
        assertThat(t.admin("GET", "/api/v1/services/other-a", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void tokensAreListedWithoutTheirSecretAndLimitsOnlyFitDeployerAndKeys() throws Exception {
        HttpResponse<String> list = t.admin("GET", "/api/v1/access/tokens", null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode listed = JSON.readTree(list.body()).get("value");
        List<String> listedIds = new ArrayList<>();
        listed.forEach(n -> listedIds.add(n.get("id").asText()));
        assertThat(listedIds).containsAll(ids.values());
        for (String token : tokens.values()) {
            assertThat(list.body()).doesNotContain(token).doesNotContain(secretOf(token));
        }
        for (JsonNode n : listed) {
            if (n.get("id").asText().equals(ids.get(Cred.DEPLOYER_FRAUD))) {
                assertThat(n.get("role").asText()).isEqualTo("deployer");
                assertThat(n.get("services").get(0).asText()).isEqualTo("fraud-*");
                assertThat(n.get("state").asText()).isEqualTo("Active");
                assertThat(n.get("createdBy").asText()).isEqualTo("admin");
                assertThat(n.has("token")).isFalse();
            }
            if (n.get("id").asText().equals(ids.get(Cred.KEYS))) {
                assertThat(n.get("expiresTime").isNull()).isTrue();
            }
        }

        JsonNode readerLimited = errorOf(
                t.admin("POST", "/api/v1/access/tokens", "{\"role\": \"reader\", \"services\": [\"fraud-*\"]}"), 400);
        assertThat(readerLimited.get("message").asText()).contains("limits deployer and keys tokens only");
        assertThat(errorOf(t.admin("POST", "/api/v1/access/tokens", "{\"role\": \"owner\"}"), 400)
                        .get("message")
                        .asText())
                .contains("field 'role' must be one of reader, deployer, keys, admin, saw 'owner'");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/access/tokens",
                                        "{\"role\": \"keys\", \"expiresIn\": \"soon\"}"),
                                400)
                        .get("message")
                        .asText())
                .contains("field 'expiresIn' must be a whole number followed by s, m, h, d or w");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/access/tokens",
                                        "{\"role\": \"keys\", \"services\": [\"Fraud/*\"]}"),
                                400)
                        .get("message")
                        .asText())
                .contains("saw 'Fraud/*'");
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceAndAnExpiredOneWhenItsTimeComes() throws Exception {
        HttpResponse<String> created =
                t.admin("POST", "/api/v1/access/tokens", "{\"role\": \"keys\", \"expiresIn\": \"1h\"}");
        JsonNode token = JSON.readTree(created.body());
        String value = token.get("token").asText();
        String id = token.get("id").asText();
        assertThat(call(value, "POST", "/api/v1/services/fraud-a/listkeys", null)
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> revoked = t.admin("DELETE", "/api/v1/access/tokens/" + id, null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).get("state").asText()).isEqualTo("Revoked");
        JsonNode refused = errorOf(call(value, "POST", "/api/v1/services/fraud-a/listkeys", null), 401);
        assertThat(refused.get("message").asText()).contains("access token " + id + " was revoked");

        HttpResponse<String> shortLived =
                t.admin("POST", "/api/v1/access/tokens", "{\"role\": \"reader\", \"expiresIn\": \"1s\"}");
        String brief = JSON.readTree(shortLived.body()).get("token").asText();
        assertThat(call(brief, "GET", "/api/v1/services", null).statusCode()).isEqualTo(200);
        Thread.sleep(1200);
        assertThat(errorOf(call(brief, "GET", "/api/v1/services", null), 401)
                        .get("message")
                        .asText())
                .contains("expired at");

        // A token with a right id and a wrong secret, and one that is not of the form at all.
        String forged = value.substring(0, value.length() - secretOf(value).length()) + "x".repeat(43);
        assertThat(errorOf(call(forged, "GET", "/api/v1/services", null), 401)
                        .get("message")
                        .asText())
                .contains("is not valid for this workspace");
        assertThat(errorOf(call("scoria_nonsense", "GET", "/api/v1/services", null), 401)
                        .get("message")
                        .asText())
                .contains("scoria_<id>_<secret>");
        // Scoring is unaffected: service keys and tokens open it, access tokens do not.
        assertThat(t.score(tokens.get(Cred.ADMIN), "application/json", "{\"data\": [[1,2,3,4,5,6,7,8,9,10]]}")
                        .statusCode())
                .isEqualTo(401);
        assertThat(t.score(t.primaryKey(), "application/json", "{\"data\": [[1,2,3,4,5,6,7,8,9,10]]}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void everyManagementCallIsAuditedWithoutASecret() throws Exception {
        String reader = tokens.get(Cred.READER);
        assertThat(call(reader, "POST", "/api/v1/services/fraud-a/listkeys", null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(call(reader, "GET", "/api/v1/services/fraud-a", null).statusCode())
                .isEqualTo(200);
        assertThat(call("wrong", "GET", "/api/v1/models", null).statusCode()).isEqualTo(401);
        assertThat(call(
                                tokens.get(Cred.DEPLOYER),
                                "POST",
                                "/api/v1/services",
                                "{\"name\": \"fraud-z\", \"models\": [\"nosuch:1\"]}")
                        .statusCode())
                .isEqualTo(404);

        HttpResponse<String> registered = uploadModel(tokens.get(Cred.DEPLOYER_FRAUD));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String registeredId = JSON.readTree(registered.body()).get("id").asText();

        HttpResponse<String> read = t.admin("GET", "/api/v1/audit?limit=6", null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode entries = JSON.readTree(read.body()).get("value");
        assertThat(entries).hasSize(6);
        JsonNode upload = entries.get(5);
        assertThat(upload.get("model").asText()).as("a model upload's name").isEqualTo("uploaded");
        assertThat(upload.get("status").asInt()).isEqualTo(201);
        assertThat(upload.get("credentialId").asText()).isEqualTo(ids.get(Cred.DEPLOYER_FRAUD));
        assertThat(registeredId).startsWith("uploaded:");
        // Oldest first; the read itself is not in its own answer.
        JsonNode refused = entries.get(1);
        assertThat(refused.get("credentialId").asText()).isEqualTo(ids.get(Cred.READER));
        assertThat(refused.get("role").asText()).isEqualTo("reader");
        assertThat(refused.get("method").asText()).isEqualTo("POST");
        assertThat(refused.get("path").asText()).isEqualTo("/api/v1/services/fraud-a/listkeys");
        assertThat(refused.get("service").asText()).isEqualTo("fraud-a");
        assertThat(refused.get("status").asInt()).isEqualTo(403);
        assertThat(refused.get("replica").asText()).isEqualTo(t.server.replicaId());
        assertThat(entries.get(2).get("status").asInt()).isEqualTo(200);
        JsonNode unauthenticated = entries.get(3);
        assertThat(unauthenticated.get("status").asInt()).isEqualTo(401);
        assertThat(unauthenticated.get("credentialId").isNull()).isTrue();
        assertThat(unauthenticated.get("role").isNull()).isTrue();
        JsonNode deploy = entries.get(4);
        assertThat(deploy.get("service").asText())
                .as("a deploy's service comes from its body")
                .isEqualTo("fraud-z");
        assertThat(deploy.get("credentialId").asText()).isEqualTo(ids.get(Cred.DEPLOYER));

        HttpResponse<String> all = t.admin("GET", "/api/v1/audit?limit=100000", null);
        for (String token : tokens.values()) {
            assertThat(all.body()).doesNotContain(secretOf(token));
        }
        assertThat(all.body()).doesNotContain(t.server.adminToken()).doesNotContain(t.primaryKey());
        assertThat(errorOf(t.admin("GET", "/api/v1/audit?since=yesterday", null), 400)
                        .get("message")
                        .asText())
                .contains("query parameter 'since'");
        assertThat(JSON.readTree(t.admin("GET", "/api/v1/audit?since=1h&limit=3", null)
                                .body())
                        .get("value"))
                .hasSize(3);
        assertThat(JSON.readTree(t.admin("GET", "/api/v1/audit?since=2999-01-01T00:00:00Z", null)
                                .body())
                        .get("value"))
                .isEmpty();
    }
}
