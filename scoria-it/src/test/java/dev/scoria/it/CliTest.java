package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user runs it: the real jar in its own process, next to a server whose data directory
 * is {@code ./scoria-data}, so no token or URL needs to be given but {@code SCORIA_URL}.
 */
class CliTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EXPECTED = "[217.67978776218715,224.78937091757172]";

    @TempDir
    static Path work;

    static ScoriaServer server;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        server = ScoriaServer.start(ServerConfig.builder()
                .port(0)
                .dataDir(work.resolve("scoria-data"))
                .build());
        env = Map.of("SCORIA_URL", server.baseUrl());
        Files.copy(CliTest.class.getResourceAsStream("/diabetes-ridge.onnx"), work.resolve("model.onnx"));
        Files.writeString(work.resolve("request.json"), DemoService.sampleRequest());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CliProcess.Result scoria(String... args) throws Exception {
        return CliProcess.run(work, env, args);
    }

    static CliProcess.Result ok(String... args) throws Exception {
        CliProcess.Result r = scoria(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void registerDeployConsumeRotateAndDeleteFromTheCommandLine() throws Exception {
        assertThat(ok("model", "register", "ridge", "model.onnx", "--tag", "team=risk")
                        .out())
                .startsWith("Registered model ridge:1");
        JsonNode models = JSON.readTree(
                ok("model", "list", "--name", "ridge", "-o", "json").out());
        assertThat(models).hasSize(1);
        assertThat(models.get(0).get("id").asText()).isEqualTo("ridge:1");
        assertThat(models.get(0).at("/kvTags/team").asText()).isEqualTo("risk");
        assertThat(ok("model", "show", "ridge:1").out())
                .contains("Model:       ridge:1")
                .contains("model.onnx");

        CliProcess.Result deployed = ok("service", "deploy", "mysvc", "--model", "ridge:1", "--wait");
        assertThat(deployed.out())
                .contains("Healthy")
                .contains("Scoring URI:  " + server.baseUrl() + "/api/v1/service/mysvc/score");

        assertThat(ok("service", "list").out()).containsPattern("mysvc\\s+Healthy\\s+key\\s+ridge:1");
        String show = ok("service", "show", "mysvc").out();
        assertThat(show)
                .contains("State:        Healthy")
                .contains("Swagger URI:  " + server.baseUrl() + "/api/v1/service/mysvc/swagger.json")
                .contains("Auth:         key");
        JsonNode shown =
                JSON.readTree(ok("service", "show", "mysvc", "-o", "json").out());
        assertThat(shown.get("state").asText()).isEqualTo("Healthy");
        assertThat(shown.get("scoringUri").asText()).endsWith("/api/v1/service/mysvc/score");
        assertThat(JSON.readTree(ok("service", "list", "-o", "json").out()).findValuesAsText("name"))
                .contains("mysvc");

        JsonNode keys =
                JSON.readTree(ok("service", "keys", "mysvc", "-o", "json").out());
        assertThat(keys.fieldNames()).toIterable().containsExactly("primaryKey", "secondaryKey");
        assertThat(ok("score", "mysvc", "--data", "@request.json").out().trim()).isEqualTo(EXPECTED);
        assertThat(ok("score", "mysvc", "-d", DemoService.sampleRequest()).out().trim())
                .isEqualTo(EXPECTED);

        JsonNode rotated = JSON.readTree(ok("service", "regen-key", "mysvc", "--key", "primary", "-o", "json")
                .out());
        assertThat(rotated.get("primaryKey").asText())
                .isNotEqualTo(keys.get("primaryKey").asText());
        assertThat(rotated.get("secondaryKey").asText())
                .isEqualTo(keys.get("secondaryKey").asText());
        assertThat(ok("score", "mysvc", "--data", "@request.json").out().trim()).isEqualTo(EXPECTED);

        assertThat(ok("service", "logs", "mysvc").out())
                .contains("service is Healthy")
                .contains("Primary key regenerated");
        assertThat(ok("service", "delete", "mysvc").out()).contains("Deleted service mysvc");
        CliProcess.Result gone = scoria("service", "show", "mysvc");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("service 'mysvc' does not exist");
        assertThat(ok("model", "delete", "ridge:1").out()).contains("Deleted model ridge:1");
    }

    @Test
    void tokenAuthCorsAndWorkspaceRotationFromTheCommandLine() throws Exception {
        DemoService.ensure(server, 30_000);
        CliProcess.Result deployed = ok(
                "service",
                "deploy",
                "tokensvc",
                "--model",
                "diabetes:1",
                "--auth",
                "token",
                "--cors-origin",
                "https://app.example.com",
                "--wait");
        assertThat(deployed.out()).contains("Auth:         token").contains("CORS origins: https://app.example.com");

        JsonNode token = JSON.readTree(ok("service", "get-access-token", "-n", "tokensvc", "-o", "json")
                .out());
        assertThat(token.get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(token.get("expiryOn").asLong())
                .isGreaterThan(token.get("refreshAfter").asLong());
        assertThat(token.get("accessToken").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        // score fetches a token by itself for a token-auth service.
        assertThat(ok("score", "tokensvc", "--data", "@request.json").out().trim())
                .isEqualTo(EXPECTED);

        CliProcess.Result keyService = scoria("service", "get-access-token", "-n", "myservice");
        assertThat(keyService.exitCode()).isEqualTo(1);
        assertThat(keyService.err()).contains("uses key auth: token auth is not enabled");

        assertThat(ok("service", "update", "tokensvc", "--auth", "key").out()).contains("Auth:         key");
        assertThat(ok("score", "tokensvc", "--data", "@request.json").out().trim())
                .isEqualTo(EXPECTED);

        String kidBefore = JSON.readTree(ok("workspace", "show", "-o", "json").out())
                .get("activeSigningKey")
                .asText();
        String kidAfter = JSON.readTree(
                        ok("workspace", "rotate-signing-key", "-o", "json").out())
                .get("activeSigningKey")
                .asText();
        assertThat(kidAfter).isNotEqualTo(kidBefore);

        String oldToken =
                Files.readString(work.resolve("scoria-data/admin-token")).trim();
        CliProcess.Result rotated = ok("workspace", "rotate-admin-token");
        String newToken =
                Files.readString(work.resolve("scoria-data/admin-token")).trim();
        assertThat(newToken).isNotEqualTo(oldToken);
        assertThat(rotated.out()).contains(newToken);
        // Commands next to the server pick the new token up from the data directory.
        ok("service", "list");
        CliProcess.Result stale = CliProcess.run(
                work, Map.of("SCORIA_URL", server.baseUrl(), "SCORIA_TOKEN", oldToken), "service", "list");
        assertThat(stale.exitCode()).isEqualTo(1);
        ok("service", "delete", "tokensvc");
    }

    @Test
    void aFailedDeploymentExitsNonZeroWithTheReason() throws Exception {
        Files.writeString(work.resolve("broken.onnx"), "not a model");
        ok("model", "register", "broken", "broken.onnx");
        CliProcess.Result r = scoria("service", "deploy", "broken-svc", "--model", "broken:1", "--wait");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        // The operation ended Failed; no HTTP call failed, so no HTTP status is shown.
        assertThat(r.err())
                .startsWith("scoria: service 'broken-svc' is Failed: ")
                .contains("is not a model ONNX Runtime can load")
                .doesNotContain("HTTP");
        assertThat(r.out())
                .contains("More information may be in its log: scoria service logs broken-svc")
                .doesNotContain("getLogs");
        ok("service", "delete", "broken-svc");
    }

    @Test
    void commandLineMistakesTheSdkWouldRefuseExitWithTheUsageCode() throws Exception {
        Map<List<String>, String> mistakes = new LinkedHashMap<>();
        mistakes.put(
                List.of("service", "update", "mysvc"),
                "scoria: No parameters provided to update: give --model or a setting to change");
        mistakes.put(
                List.of("service", "update", "mysvc", "--scoring-timeout-ms", "0"),
                "scoria: scoringTimeoutMs is 0: it must be greater than 0");
        mistakes.put(
                List.of("service", "logs", "mysvc", "--tail", "-5"),
                "scoria: --tail is -5: expected a number of lines greater than 0");
        for (Map.Entry<List<String>, String> mistake : mistakes.entrySet()) {
            CliProcess.Result r = scoria(mistake.getKey().toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).startsWith(mistake.getValue());
        }

        CliProcess.Result notAUrl = CliProcess.run(work, Map.of("SCORIA_URL", "notaurl"), "service", "list");
        assertThat(notAUrl.exitCode()).as(notAUrl.toString()).isEqualTo(2);
        assertThat(notAUrl.err())
                .startsWith("scoria: SCORIA_URL is 'notaurl': expected an http:// or https:// URL with a host");
        CliProcess.Result badServer = scoria("service", "list", "--server", "ftp://example.com");
        assertThat(badServer.exitCode()).as(badServer.toString()).isEqualTo(2);
        assertThat(badServer.err()).startsWith("scoria: --server is 'ftp://example.com': expected an http://");
    }

    @Test
    void badInputIsAClearErrorWithAMeaningfulExitCode() throws Exception {
        DemoService.ensure(server, 30_000);
        CliProcess.Result badShape = scoria("score", "myservice", "-d", "{\"data\": [[1, 2]]}");
        assertThat(badShape.exitCode()).isEqualTo(1);
        assertThat(badShape.err()).contains("data[0] has 2 values").contains("HTTP 400");

        CliProcess.Result usage = scoria("service", "deploy", "x");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("nothing to deploy: give --model NAME:VERSION");

        CliProcess.Result noFile = scoria("score", "myservice", "--data", "@missing.json");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("file missing.json does not exist");

        CliProcess.Result unreachable =
                CliProcess.run(work, Map.of("SCORIA_URL", "http://127.0.0.1:1"), "service", "list");
        assertThat(unreachable.exitCode()).isEqualTo(3);
        assertThat(unreachable.err()).contains("could not be reached");

        CliProcess.Result wrongToken = CliProcess.run(
                work, Map.of("SCORIA_URL", server.baseUrl(), "SCORIA_TOKEN", "wrong"), "service", "list");
        assertThat(wrongToken.exitCode()).isEqualTo(1);
        assertThat(wrongToken.err())
                .contains("admin token presented is not valid")
                .contains("HTTP 401");

        CliProcess.Result noToken = CliProcess.run(work.resolve("scoria-data"), env, "service", "list");
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).contains("no admin token");

        CliProcess.Result explicit = CliProcess.run(
                work.resolve("scoria-data"),
                Map.of(),
                "service",
                "list",
                "--server",
                server.baseUrl(),
                "--data-dir",
                ".");
        assertThat(explicit.exitCode()).as(explicit.toString()).isZero();
        assertThat(explicit.out()).contains("myservice");
    }
}
