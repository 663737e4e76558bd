package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every credential against every auth mode, on the real jar in its own process, so that what is
 * tested is what ships (routing, shading, logging configuration) and the server's own log output can
 * be searched for leaked secrets afterwards.
 *
 * <p>Expectations are a hand-written table taken from the contract (docs/api.md, DESIGN §2-3), never
 * derived from the server's logic: a test that computed "should this open?" the way the server does
 * would agree with the server's bugs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthMatrixTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REQUEST =
            "{\"data\": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635,"
                    + " -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597,"
                    + " 0.0403433716478807]]}";
    /** The ridge model's answer for REQUEST: a 200 must be a real score, not an empty page that happens to be 200. */
    static final String EXPECTED_SCORE = "[217.67978776218715]";

    static final String C01 = "1 no Authorization header";
    static final String C02 = "2 'Bearer ' with nothing after";
    static final String C03 = "3 wrong key (random 43 chars)";
    static final String C04 = "4 another service's key (okey primary)";
    static final String C05 = "5 this service's primary key";
    static final String C06 = "6 this service's secondary key";
    static final String C07 = "7 regenerated-away primary key";
    static final String C08 = "8 valid token (own; otoken's for key/none)";
    static final String C09 = "9 expired token for this service";
    static final String C10 = "10 token for another service (otoken)";
    static final String C11 = "11 tampered token (payload changed)";
    static final String C12 = "12 alg:none token, valid claims";
    static final String C13 = "13 token signed by a retired key";
    static final String C13B = "13b token signed by a key never in the workspace";
    static final String C14 = "14 admin token on the data plane";
    static final String C15 = "15 this service's key on the management API";

    record Row(String mode, String credential, int expected) {}

    /**
     * Key auth opens with either key and nothing else; token auth with a valid token for this very
     * service and nothing else (a retired signing key still verifies its tokens until they expire);
     * none opens with anything, because it does not look at credentials. Service keys never open the
     * management API, whatever the mode.
     */
    static final List<Row> TABLE = List.of(
            new Row("key", C01, 401),
            new Row("key", C02, 401),
            new Row("key", C03, 401),
            new Row("key", C04, 401),
            new Row("key", C05, 200),
            new Row("key", C06, 200),
            new Row("key", C07, 401),
            new Row("key", C08, 401),
            new Row("key", C09, 401),
            new Row("key", C10, 401),
            new Row("key", C11, 401),
            new Row("key", C12, 401),
            new Row("key", C13, 401),
            new Row("key", C13B, 401),
            new Row("key", C14, 401),
            new Row("key", C15, 401),
            new Row("token", C01, 401),
            new Row("token", C02, 401),
            new Row("token", C03, 401),
            new Row("token", C04, 401),
            new Row("token", C05, 401),
            new Row("token", C06, 401),
            new Row("token", C07, 401),
            new Row("token", C08, 200),
            new Row("token", C09, 401),
            new Row("token", C10, 401),
            new Row("token", C11, 401),
            new Row("token", C12, 401),
            new Row("token", C13, 200),
            new Row("token", C13B, 401),
            new Row("token", C14, 401),
            new Row("token", C15, 401),
            new Row("none", C01, 200),
            new Row("none", C02, 200),
            new Row("none", C03, 200),
            new Row("none", C04, 200),
            new Row("none", C05, 200),
            new Row("none", C06, 200),
            new Row("none", C07, 200),
            new Row("none", C08, 200),
            new Row("none", C09, 200),
            new Row("none", C10, 200),
            new Row("none", C11, 200),
            new Row("none", C12, 200),
            new Row("none", C13, 200),
            new Row("none", C13B, 200),
            new Row("none", C14, 200),
            new Row("none", C15, 401));

    static final Map<String, String> SERVICE_OF_MODE = Map.of("key", "mkey", "token", "mtoken", "none", "mnone");

    @TempDir
    static Path work;

    static CliProcess.Server server;
    static HttpClient http;
    static String adminToken;
    /**
     * Every credential this test has held or sent (value to a name for it): none may show up in any
     * log. Failures name the secret, never print it, since CI keeps test reports.
     */
    static final Map<String, String> secrets = new ConcurrentHashMap<>();

    @BeforeAll
    static void startServerAndDeploy() throws Exception {
        server = new CliProcess.Server(work);
        adminToken = Files.readString(dataDir().resolve("admin-token"), StandardCharsets.UTF_8)
                .trim();
        remember("the admin token", adminToken);
        // HTTP/1.1 only: the default would try an h2c upgrade, a second code path nobody asked to test here.
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        String modelId = registerModel("ridge").get("id").asText();
        Map<String, String> deployments = new LinkedHashMap<>();
        deployments.put("mkey", "key");
        deployments.put("mtoken", "token");
        deployments.put("mnone", "none");
        deployments.put("okey", "key");
        deployments.put("otoken", "token");
        for (var d : deployments.entrySet()) {
            manage(
                    "POST",
                    "/api/v1/services",
                    "{\"name\":\"" + d.getKey() + "\",\"models\":[\"" + modelId + "\"],\"authMode\":\"" + d.getValue()
                            + "\"}",
                    202);
        }
        for (var d : deployments.entrySet()) {
            JsonNode service = awaitHealthy(d.getKey());
            assertThat(service.get("authMode").asText()).as(d.getKey()).isEqualTo(d.getValue());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void everyCredentialAgainstEveryAuthMode() throws Exception {
        JsonNode workspace = manage("GET", "/api/v1/workspace", null, 200);
        String issuer = workspace.get("issuer").asText();
        String kidBefore = workspace.get("activeSigningKey").asText();

        // Row 13 must reach the server's signature check with a retired key. Verified tokens are cached
        // by value, so these two are taken before the rotation and never sent before their row.
        String preRotationOwn = token("mtoken");
        String preRotationOther = token("otoken");
        assertThat(AuthMatrixJwt.kid(preRotationOwn)).isEqualTo(kidBefore);

        JsonNode rotated = manage("POST", "/api/v1/workspace/rotate-signing-key", null, 200);
        String kidAfter = rotated.get("activeSigningKey").asText();
        assertThat(kidAfter).isNotEqualTo(kidBefore);
        assertThat(rotated.get("retiredSigningKey").asText()).isEqualTo(kidBefore);
        assertThat(manage("GET", "/api/v1/workspace", null, 200)
                        .get("activeSigningKey")
                        .asText())
                .isEqualTo(kidAfter);
        assertJwksPublishesOnlyPublicKeys(kidBefore, kidAfter);

        Map<String, String> primary = new LinkedHashMap<>();
        Map<String, String> secondary = new LinkedHashMap<>();
        Map<String, String> oldPrimary = new LinkedHashMap<>();
        for (String service : List.of("mkey", "mtoken", "mnone")) {
            JsonNode before = keys(service);
            JsonNode after =
                    manage("POST", "/api/v1/services/" + service + "/regenerateKeys", "{\"keyType\":\"Primary\"}", 200);
            remember(service, after);
            assertThat(after.get("primaryKey").asText())
                    .isNotEqualTo(before.get("primaryKey").asText());
            assertThat(after.get("secondaryKey").asText())
                    .isEqualTo(before.get("secondaryKey").asText());
            assertThat(keys(service)).isEqualTo(after);
            oldPrimary.put(service, before.get("primaryKey").asText());
            primary.put(service, after.get("primaryKey").asText());
            secondary.put(service, after.get("secondaryKey").asText());
        }
        String otherKey = keys("okey").get("primaryKey").asText();
        keys("otoken");

        String ownToken = token("mtoken");
        String otherToken = token("otoken");
        String tamperSource = token("mtoken");
        assertThat(AuthMatrixJwt.kid(ownToken)).isEqualTo(kidAfter);
        for (String service : List.of("mkey", "mnone", "okey")) {
            // Tokens exist only for token services; if this opened, rows 8/10 would no longer cover key/none.
            HttpResponse<String> refused = send(adminRequest("POST", "/api/v1/services/" + service + "/token", null));
            assertThat(refused.statusCode())
                    .as("token for " + service + ": " + refused.body())
                    .isEqualTo(400);
        }

        List<AuthMatrixJwt.StoredKey> stored =
                AuthMatrixJwt.signingKeys(dataDir().resolve("scoria.db"));
        stored.forEach(k -> remember("signing private key " + k.kid(), k.privateKeyBase64()));
        List<AuthMatrixJwt.StoredKey> active =
                stored.stream().filter(AuthMatrixJwt.StoredKey::active).toList();
        assertThat(active).as("active signing keys in the store").hasSize(1);
        assertThat(active.get(0).kid()).isEqualTo(kidAfter);
        assertThat(stored).extracting(AuthMatrixJwt.StoredKey::kid).contains(kidBefore);
        var signingKey = active.get(0).privateKey();
        var foreignKey = AuthMatrixJwt.foreignKey();

        Instant now = Instant.now();
        // Positive control: a token crafted here with a live lifetime opens mtoken. Without it, rows 9, 12
        // and 13b could be refused because the crafting is wrong rather than for the reason they test.
        String control = remember(
                "crafted control token for mtoken",
                AuthMatrixJwt.sign(
                        AuthMatrixJwt.claims(
                                issuer, "mtoken", createdMillis("mtoken"), now.minusSeconds(60), now.plusSeconds(3600)),
                        signingKey,
                        kidAfter));
        HttpResponse<String> controlAnswer = score("mtoken", "Bearer " + control);
        assertThat(controlAnswer.statusCode())
                .as("control token: " + controlAnswer.body())
                .isEqualTo(200);

        String wrongKey = remember("random wrong key", randomKey());
        Map<String, Map<String, Attempt>> attempts = new LinkedHashMap<>();
        for (var mode : SERVICE_OF_MODE.entrySet()) {
            String service = mode.getValue();
            boolean tokenMode = mode.getKey().equals("token");
            Map<String, Attempt> a = new LinkedHashMap<>();
            a.put(C01, Attempt.dataPlane(null));
            a.put(C02, Attempt.dataPlane("Bearer "));
            a.put(C03, Attempt.bearer(wrongKey));
            a.put(C04, Attempt.bearer(otherKey));
            a.put(C05, Attempt.bearer(primary.get(service)));
            a.put(C06, Attempt.bearer(secondary.get(service)));
            a.put(C07, Attempt.bearer(oldPrimary.get(service)));
            a.put(C08, Attempt.bearer(tokenMode ? ownToken : otherToken));
            a.put(
                    C09,
                    Attempt.bearer(remember(
                            "expired token for " + service,
                            AuthMatrixJwt.sign(
                                    AuthMatrixJwt.claims(
                                            issuer,
                                            service,
                                            createdMillis(service),
                                            now.minus(Duration.ofHours(2)),
                                            now.minus(Duration.ofHours(1))),
                                    signingKey,
                                    kidAfter))));
            a.put(C10, Attempt.bearer(otherToken));
            a.put(
                    C11,
                    Attempt.bearer(remember(
                            "tampered token for row 11 of " + service,
                            AuthMatrixJwt.tamperPayload(tokenMode ? tamperSource : otherToken))));
            a.put(
                    C12,
                    Attempt.bearer(remember(
                            "alg:none token for " + service,
                            AuthMatrixJwt.unsigned(AuthMatrixJwt.claims(
                                    issuer,
                                    service,
                                    createdMillis(service),
                                    now.minusSeconds(60),
                                    now.plusSeconds(3600))))));
            // Tokens outlive a signing-key rotation until they expire (TokenService keeps retired keys for
            // verification): rotating must not log every client out, so the retired-key token opens mtoken.
            a.put(C13, Attempt.bearer(tokenMode ? preRotationOwn : preRotationOther));
            a.put(
                    C13B,
                    Attempt.bearer(remember(
                            "foreign-key token for " + service,
                            AuthMatrixJwt.sign(
                                    AuthMatrixJwt.claims(
                                            issuer,
                                            service,
                                            createdMillis(service),
                                            now.minusSeconds(60),
                                            now.plusSeconds(3600)),
                                    foreignKey,
                                    kidAfter))));
            a.put(C14, Attempt.bearer(adminToken));
            a.put(C15, Attempt.management(primary.get(service)));
            attempts.put(mode.getKey(), a);
        }

        int passed = 0;
        int failed = 0;
        int wronglyAccepted = 0;
        List<String> failures = new ArrayList<>();
        System.out.println();
        System.out.println(
                String.format("%-5s | %-50s | %-8s | %-3s | %s", "mode", "case", "expected", "got", "result"));
        for (Row row : TABLE) {
            Attempt attempt = attempts.get(row.mode()).get(row.credential());
            if (attempt == null) {
                throw new AssertionError("no credential defined for " + row);
            }
            HttpResponse<String> answer = attempt.management()
                    ? send(requestWithAuthorization("GET", "/api/v1/services", attempt.authorization()))
                    : score(SERVICE_OF_MODE.get(row.mode()), attempt.authorization());
            List<String> problems = check(row, attempt, answer);
            boolean ok = problems.isEmpty();
            if (ok) {
                passed++;
            } else {
                failed++;
                failures.add(row + ": " + problems);
            }
            if (row.expected() != 200 && answer.statusCode() == 200) {
                wronglyAccepted++;
            }
            System.out.println(String.format(
                    "%-5s | %-50s | %-8d | %-3d | %s%s",
                    row.mode(),
                    row.credential(),
                    row.expected(),
                    answer.statusCode(),
                    ok ? "PASS" : "FAIL " + problems,
                    refusalMessage(answer)));
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.out.println(wronglyAccepted + " requests that should have failed got 200");

        assertThat(passed + failed).isEqualTo(TABLE.size());
        assertThat(failures).as("matrix failures").isEmpty();
        assertThat(failed).isZero();
        assertThat(wronglyAccepted).isZero();
    }

    /**
     * The documented zero-downtime procedure (docs/api.md: "the other key keeps working, so clients can
     * move over without a failed request"): clients on the secondary while the primary is regenerated,
     * then on the new primary while the secondary is regenerated. One sequential client, so that once it
     * has finished a request with the new key no request with the old one is still in flight.
     */
    @Test
    @Order(2)
    void keysRotateWithoutAFailedRequest() throws Exception {
        JsonNode initial = keys("mkey");
        String p1 = initial.get("primaryKey").asText();
        String s1 = initial.get("secondaryKey").asText();

        AtomicReference<String> current = new AtomicReference<>(s1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        Map<String, AtomicInteger> completedWith = new ConcurrentHashMap<>();
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        long clientDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Thread client = new Thread(
                () -> {
                    while (!stop.get() && sent.get() < 2000 && System.nanoTime() < clientDeadline) {
                        String key = current.get();
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> r = score("mkey", "Bearer " + key);
                            if (r.statusCode() != 200 || !r.body().equals(EXPECTED_SCORE)) {
                                refusals.add("request " + sent.get() + " with " + label(key, p1, s1) + ": "
                                        + r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            refusals.add("request " + sent.get() + " with " + label(key, p1, s1) + ": " + e);
                        }
                        completedWith
                                .computeIfAbsent(key, k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                },
                "auth-matrix-rotating-client");
        client.setDaemon(true);
        client.start();
        try {
            awaitCompleted(client, refusals, completedWith, s1, 20);
            JsonNode afterPrimary =
                    manage("POST", "/api/v1/services/mkey/regenerateKeys", "{\"keyType\":\"Primary\"}", 200);
            remember("mkey", afterPrimary);
            String p2 = afterPrimary.get("primaryKey").asText();
            assertThat(p2).isNotEqualTo(p1);
            assertThat(afterPrimary.get("secondaryKey").asText()).isEqualTo(s1);
            awaitCompleted(client, refusals, completedWith, s1, 20);

            current.set(p2);
            awaitCompleted(client, refusals, completedWith, p2, 20);
            JsonNode afterSecondary =
                    manage("POST", "/api/v1/services/mkey/regenerateKeys", "{\"keyType\":\"Secondary\"}", 200);
            remember("mkey", afterSecondary);
            String s2 = afterSecondary.get("secondaryKey").asText();
            assertThat(s2).isNotEqualTo(s1);
            assertThat(afterSecondary.get("primaryKey").asText()).isEqualTo(p2);
            awaitCompleted(client, refusals, completedWith, p2, 20);

            current.set(s2);
            awaitCompleted(client, refusals, completedWith, s2, 20);
            stop.set(true);
            client.join(30_000);
            assertThat(client.isAlive()).as("client thread stopped").isFalse();

            System.out.println("key rotation: " + sent.get() + " requests (old secondary " + count(completedWith, s1)
                    + ", new primary " + count(completedWith, p2) + ", new secondary " + count(completedWith, s2)
                    + "), "
                    + refusals.size() + " not 200");
            assertThat(refusals).as("answers other than 200 during rotation").isEmpty();

            // Without these the test would pass against a server that ignores regenerateKeys altogether.
            assertThat(score("mkey", "Bearer " + p1).statusCode())
                    .as("old primary after rotation")
                    .isEqualTo(401);
            assertThat(score("mkey", "Bearer " + s1).statusCode())
                    .as("old secondary after rotation")
                    .isEqualTo(401);
            assertThat(score("mkey", "Bearer " + p2).statusCode())
                    .as("new primary")
                    .isEqualTo(200);
            assertThat(score("mkey", "Bearer " + s2).statusCode())
                    .as("new secondary")
                    .isEqualTo(200);
        } finally {
            stop.set(true);
            client.join(30_000);
        }
    }

    /**
     * Runs last and stops the server, so that its log and standard output are complete. The admin
     * token is printed once on standard output at the first start, by design (DESIGN §3 "printed once");
     * that single banner line is the only place any secret may appear.
     */
    @Test
    @Order(3)
    void noSecretIsLoggedAndSecretFilesAreOwnerOnly() throws Exception {
        for (String file : List.of("admin-token", "scoria.db", "scoria.db-wal", "scoria.db-shm")) {
            Path path = dataDir().resolve(file);
            if (file.endsWith("-wal") || file.endsWith("-shm")) {
                // SQLite's side files hold the same rows as the database while they exist.
                if (!Files.exists(path)) {
                    continue;
                }
            }
            assertThat(Files.getPosixFilePermissions(path))
                    .as(file + " permissions")
                    .isEqualTo(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }

        String stdout = server.out + stopAndReadRemainingStdout();
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(
                "server stderr (serve-" + server.port + ".err)",
                Files.readString(work.resolve("serve-" + server.port + ".err"), StandardCharsets.UTF_8));
        Path logs = dataDir().resolve("logs");
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                outputs.put(work.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertThat(outputs.keySet()).as("service log files").anyMatch(name -> name.contains("mkey"));
        assertThat(String.join("\n", outputs.values()))
                .as("the logs read are the ones the server wrote")
                .contains("Primary key regenerated");

        Map<String, String> needles = new LinkedHashMap<>(secrets);
        for (var secret : secrets.entrySet()) {
            String signature = AuthMatrixJwt.signature(secret.getKey());
            if (signature.length() >= 40) {
                needles.put(signature, "the signature of " + secret.getValue());
            }
        }
        assertThat(secrets).as("secrets collected").containsKey(adminToken).hasSizeGreaterThan(20);

        List<String> leaks = new ArrayList<>();
        for (var output : outputs.entrySet()) {
            for (var needle : needles.entrySet()) {
                if (output.getValue().contains(needle.getKey())) {
                    leaks.add(output.getKey() + " contains " + needle.getValue());
                }
            }
        }
        String adminLine = "  " + adminToken;
        List<String> outLines = stdout.lines().toList();
        int bannerAt = outLines.indexOf(adminLine);
        assertThat(bannerAt).as("admin token shown in the first-start banner").isPositive();
        assertThat(outLines.get(bannerAt - 1)).startsWith("Admin token (created now; shown once");
        String stdoutWithoutBanner = String.join("\n", outLines.subList(0, bannerAt)) + "\n"
                + String.join("\n", outLines.subList(bannerAt + 1, outLines.size()));
        for (var needle : needles.entrySet()) {
            if (stdoutWithoutBanner.contains(needle.getKey())) {
                leaks.add("server stdout (outside the one admin-token banner line) contains " + needle.getValue());
            }
        }
        System.out.println("secrets searched: " + needles.size() + " in " + (outputs.size() + 1) + " outputs: "
                + outputs.keySet() + " + stdout; leaks: " + leaks.size());
        assertThat(leaks).as("secrets in logs or output").isEmpty();
    }

    /**
     * CliProcess.Server stops reading standard output after the banner, and Process.destroy() closes the
     * pipe; a SIGTERM through the ProcessHandle leaves it open, so whatever the server printed after the
     * banner, shutdown included, can still be read to the end.
     */
    static String stopAndReadRemainingStdout() throws Exception {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        InputStream in = server.process.getInputStream();
        Thread reader = new Thread(
                () -> {
                    try {
                        in.transferTo(rest);
                    } catch (IOException e) {
                        // The pipe closed under us: what was read so far is all there is.
                    }
                },
                "auth-matrix-stdout");
        reader.setDaemon(true);
        reader.start();
        server.process.toHandle().destroy();
        assertThat(server.process.waitFor(20, TimeUnit.SECONDS))
                .as("server stopped on SIGTERM")
                .isTrue();
        reader.join(10_000);
        server.close();
        return rest.toString(StandardCharsets.UTF_8);
    }

    // ---- credentials and checks

    /** What goes in the Authorization header (null: none), and which API it is sent to. */
    record Attempt(String authorization, boolean management) {
        static Attempt dataPlane(String authorization) {
            return new Attempt(authorization, false);
        }

        static Attempt bearer(String credential) {
            return new Attempt("Bearer " + credential, false);
        }

        static Attempt management(String credential) {
            return new Attempt("Bearer " + credential, true);
        }

        String credential() {
            return authorization == null || authorization.length() <= 7 ? null : authorization.substring(7);
        }
    }

    static List<String> check(Row row, Attempt attempt, HttpResponse<String> answer) {
        List<String> problems = new ArrayList<>();
        int status = answer.statusCode();
        if (status != row.expected()) {
            problems.add("status " + status + " body " + answer.body());
        }
        if (status == 401) {
            String challenge = answer.headers().firstValue("WWW-Authenticate").orElse(null);
            if (challenge == null || !challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
                problems.add("WWW-Authenticate is " + challenge);
            }
            if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                problems.add("Content-Type "
                        + answer.headers().firstValue("Content-Type").orElse(null));
            }
            try {
                JsonNode body = JSON.readTree(answer.body());
                if (body == null
                        || !body.path("status_code").isInt()
                        || body.get("status_code").asInt() != 401
                        || !body.path("message").isTextual()
                        || body.get("message").asText().isBlank()) {
                    problems.add("401 body is not {status_code: 401, message}: " + answer.body());
                }
            } catch (Exception e) {
                problems.add("401 body is not JSON: " + answer.body());
            }
        }
        if (status == 200 && !attempt.management() && !answer.body().equals(EXPECTED_SCORE)) {
            problems.add("200 body is " + answer.body() + ", not the score " + EXPECTED_SCORE);
        }
        String credential = attempt.credential();
        if (credential != null && !credential.isBlank() && answer.body().contains(credential)) {
            problems.add("answer echoes the credential");
        }
        return problems;
    }

    /** Printed so a reviewer can see each refusal is for the reason its row tests; not asserted, wording may change. */
    static String refusalMessage(HttpResponse<String> answer) {
        if (answer.statusCode() == 200) {
            return "";
        }
        try {
            return "  (" + JSON.readTree(answer.body()).path("message").asText() + ")";
        } catch (Exception e) {
            return "  (" + answer.body() + ")";
        }
    }

    static String remember(String name, String secret) {
        secrets.putIfAbsent(secret, name);
        return secret;
    }

    static void remember(String service, JsonNode keys) {
        remember("a primary key of " + service, keys.get("primaryKey").asText());
        remember("a secondary key of " + service, keys.get("secondaryKey").asText());
    }

    static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThat(key).hasSize(43);
        return key;
    }

    static String label(String key, String p1, String s1) {
        return key.equals(p1) ? "old primary" : key.equals(s1) ? "old secondary" : "a regenerated key";
    }

    static int count(Map<String, AtomicInteger> counts, String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    /** Waits, bounded, until the client has finished {@code more} further requests with {@code key}. */
    static void awaitCompleted(
            Thread client, List<String> refusals, Map<String, AtomicInteger> completedWith, String key, int more)
            throws InterruptedException {
        int target = count(completedWith, key) + more;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (count(completedWith, key) < target) {
            // A refusal is the failure this test exists for: report it rather than the budget it burns.
            if (!refusals.isEmpty()) {
                throw new AssertionError(
                        refusals.size() + " answers other than 200 during rotation, first: " + refusals.get(0));
            }
            if (!client.isAlive()) {
                throw new AssertionError("the scoring client stopped (request or time budget spent) before " + more
                        + " requests with the current key");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the scoring client made no progress with the current key");
            }
            Thread.sleep(2);
        }
    }

    // ---- HTTP

    static Path dataDir() {
        return work.resolve("scoria-data");
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        if (!"127.0.0.1".equals(request.uri().getHost())) {
            throw new IllegalStateException("loopback only: " + request.uri());
        }
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> score(String service, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/api/v1/service/" + service + "/score"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    static HttpRequest requestWithAuthorization(String method, String path, String authorization) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
    }

    static HttpRequest adminRequest(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    static JsonNode manage(String method, String path, String json, int expectedStatus) throws Exception {
        HttpResponse<String> r = send(adminRequest(method, path, json));
        assertThat(r.statusCode()).as(method + " " + path + " -> " + r.body()).isEqualTo(expectedStatus);
        return JSON.readTree(r.body());
    }

    /** When the service was created, which every token for it is bound to. */
    static long createdMillis(String service) throws Exception {
        return Instant.parse(manage("GET", "/api/v1/services/" + service, null, 200)
                        .get("createdTime")
                        .asText())
                .toEpochMilli();
    }

    static JsonNode keys(String service) throws Exception {
        JsonNode keys = manage("POST", "/api/v1/services/" + service + "/listkeys", null, 200);
        remember(service, keys);
        return keys;
    }

    static String token(String service) throws Exception {
        JsonNode t = manage("POST", "/api/v1/services/" + service + "/token", null, 200);
        assertThat(t.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(t.get("expiryOn").asLong())
                .isGreaterThan(t.get("refreshAfter").asLong());
        return remember("an access token for " + service, t.get("accessToken").asText());
    }

    static JsonNode registerModel(String name) throws Exception {
        byte[] model;
        try (InputStream in = AuthMatrixTest.class.getResourceAsStream("/diabetes-ridge.onnx")) {
            model = in.readAllBytes();
        }
        String boundary = "scoria-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n"
                        + "--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(model);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/models"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build());
        assertThat(r.statusCode()).as("register model: " + r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    static JsonNode awaitHealthy(String service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode s;
        do {
            s = manage("GET", "/api/v1/services/" + service, null, 200);
            String state = s.get("state").asText();
            if (state.equals("Healthy")) {
                return s;
            }
            if (state.equals("Failed")) {
                throw new AssertionError(service + " failed to deploy: " + s.get("error"));
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(service + " not Healthy after 120 s: " + s);
    }

    /** The JWKS is public, so it must carry the public halves only, of the active key and the retired one. */
    static void assertJwksPublishesOnlyPublicKeys(String retiredKid, String activeKid) throws Exception {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/.well-known/jwks.json"))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build());
        assertThat(r.statusCode()).as("JWKS without credentials").isEqualTo(200);
        JsonNode jwks = JSON.readTree(r.body());
        List<String> kids = new ArrayList<>();
        for (JsonNode key : jwks.get("keys")) {
            kids.add(key.get("kid").asText());
            assertThat(key.has("d"))
                    .as("private part of " + key.get("kid") + " in the JWKS")
                    .isFalse();
        }
        assertThat(kids).contains(retiredKid, activeKid);
    }
}
