package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scoria access create|list|revoke} and {@code scoria audit} as a user runs them: the real jar
 * in its own process, with the admin token found in {@code ./scoria-data}, and the tokens it creates
 * used through {@code SCORIA_TOKEN} by the other commands.
 */
class AccessCliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static ScoriaServer server;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        server = ScoriaServer.start(ServerConfig.builder()
                .port(0)
                .host("127.0.0.1")
                .dataDir(work.resolve("scoria-data"))
                .build());
        DemoService.ensure(server, 60_000);
        env = Map.of("SCORIA_URL", server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CliProcess.Result scoria(String... args) throws Exception {
        return CliProcess.run(work, env, args);
    }

    static CliProcess.Result as(String token, String... args) throws Exception {
        return CliProcess.run(work, Map.of("SCORIA_URL", server.baseUrl(), "SCORIA_TOKEN", token), args);
    }

    static CliProcess.Result ok(CliProcess.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void createUseListRevokeAndAudit() throws Exception {
        JsonNode deployer = JSON.readTree(ok(scoria(
                        "access",
                        "create",
                        "--role",
                        "deployer",
                        "--services",
                        "fraud-*",
                        "--expires",
                        "30d",
                        "--description",
                        "ci pipeline",
                        "-o",
                        "json"))
                .out());
        assertThat(deployer.get("role").asText()).isEqualTo("deployer");
        assertThat(deployer.get("services")).hasSize(1);
        assertThat(deployer.get("services").get(0).asText()).isEqualTo("fraud-*");
        assertThat(deployer.get("state").asText()).isEqualTo("Active");
        String deployerToken = deployer.get("token").asText();
        String deployerId = deployer.get("id").asText();
        assertThat(deployerToken).startsWith("scoria_" + deployerId + "_");

        CliProcess.Result readerCreated = ok(scoria("access", "create", "--role", "reader", "--expires", "12h"));
        List<String> lines = readerCreated.out().lines().toList();
        assertThat(lines.get(0)).startsWith("Access token ").contains("(role reader, services *, expires 20");
        assertThat(lines.get(1)).startsWith("  scoria_");
        assertThat(readerCreated.out()).contains("shown this once");
        String readerToken = lines.get(1).trim();
        String readerId = lines.get(0).split(" ")[2];
        assertThat(readerToken).startsWith("scoria_" + readerId + "_");

        String list = ok(scoria("access", "list")).out();
        assertThat(list)
                .containsPattern("ID\\s+ROLE\\s+SERVICES\\s+STATE\\s+EXPIRES\\s+CREATED BY\\s+DESCRIPTION")
                .containsPattern(deployerId + "\\s+deployer\\s+fraud-\\*\\s+Active\\s+\\S+\\s+admin\\s+ci pipeline")
                .containsPattern(readerId + "\\s+reader\\s+\\*\\s+Active")
                .doesNotContain(deployerToken.substring(20))
                .doesNotContain(readerToken.substring(20));
        JsonNode listed =
                JSON.readTree(ok(scoria("access", "list", "-o", "json")).out());
        assertThat(listed).hasSize(2);
        assertThat(listed.toString()).doesNotContain(deployerToken.substring(20));

        // A reader browses but gets no keys; the refusal names the right it lacks.
        assertThat(ok(as(readerToken, "service", "list")).out()).contains("myservice");
        CliProcess.Result noKeys = as(readerToken, "service", "keys", "myservice");
        assertThat(noKeys.exitCode()).as(noKeys.toString()).isEqualTo(1);
        assertThat(noKeys.err())
                .contains("this token's role 'reader' cannot read the keys of service 'myservice' (needs role keys or"
                        + " admin)")
                .contains("HTTP 403");
        CliProcess.Result noList = as(readerToken, "access", "list");
        assertThat(noList.exitCode()).isEqualTo(1);
        assertThat(noList.err()).contains("cannot list access tokens (needs role admin)");

        // A deployer limited to fraud-* cannot touch myservice.
        CliProcess.Result outside = as(deployerToken, "service", "delete", "myservice");
        assertThat(outside.exitCode()).as(outside.toString()).isEqualTo(1);
        assertThat(outside.err()).contains("is limited to services 'fraud-*' and cannot delete service 'myservice'");
        assertThat(server.services().get("myservice")).isNotNull();

        CliProcess.Result revoked = ok(scoria("access", "revoke", readerId));
        assertThat(revoked.out()).startsWith("Revoked access token " + readerId + " (role reader) at 20");
        CliProcess.Result afterRevoke = as(readerToken, "service", "list");
        assertThat(afterRevoke.exitCode()).isEqualTo(1);
        assertThat(afterRevoke.err())
                .contains("access token " + readerId + " was revoked")
                .contains("HTTP 401");
        assertThat(ok(scoria("access", "list")).out()).containsPattern(readerId + "\\s+reader\\s+\\*\\s+Revoked");
        CliProcess.Result unknown = scoria("access", "revoke", "nosuchtoken0");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err())
                .contains("access token 'nosuchtoken0' does not exist")
                .contains("HTTP 404");

        String audit = ok(scoria("audit", "--limit", "20")).out();
        assertThat(audit)
                .containsPattern("TIME\\s+CREDENTIAL\\s+ROLE\\s+CALL\\s+STATUS\\s+REPLICA")
                .containsPattern(readerId + "\\s+reader\\s+POST /api/v1/services/myservice/listkeys\\s+403")
                .containsPattern(deployerId + "\\s+deployer\\s+DELETE /api/v1/services/myservice\\s+403")
                .containsPattern(readerId + "\\s+-\\s+GET /api/v1/services\\s+401")
                .containsPattern("admin\\s+admin\\s+DELETE /api/v1/access/tokens/" + readerId + "\\s+200");
        JsonNode entries = JSON.readTree(ok(scoria("audit", "--since", "1h", "--limit", "1000", "-o", "json"))
                .out());
        List<String> calls = new ArrayList<>();
        for (JsonNode e : entries) {
            calls.add(e.get("credentialId").asText() + " " + e.get("method").asText() + " "
                    + e.get("path").asText() + " " + e.get("status").asInt());
        }
        assertThat(calls)
                .contains(
                        "admin POST /api/v1/access/tokens 201",
                        readerId + " GET /api/v1/services 200",
                        readerId + " GET /api/v1/access/tokens 403",
                        deployerId + " DELETE /api/v1/services/myservice 403");
        for (JsonNode e : entries) {
            if (e.get("path").asText().equals("/api/v1/services/myservice")
                    && e.get("method").asText().equals("DELETE")) {
                assertThat(e.get("service").asText()).isEqualTo("myservice");
                assertThat(e.get("role").asText()).isEqualTo("deployer");
            }
        }
        assertThat(entries.toString())
                .doesNotContain(deployerToken.substring(20))
                .doesNotContain(readerToken.substring(20))
                .doesNotContain(server.adminToken());
        assertThat(JSON.readTree(ok(scoria("audit", "--since", "2999-01-01T00:00:00Z", "-o", "json"))
                        .out()))
                .isEmpty();
    }

    @Test
    void wrongOptionsSayWhatIsExpected() throws Exception {
        CliProcess.Result expires = scoria("access", "create", "--role", "reader", "--expires", "soon");
        assertThat(expires.exitCode()).isEqualTo(2);
        assertThat(expires.err()).contains("--expires must be a whole number followed by s, m, h, d or w");

        CliProcess.Result role = scoria("access", "create", "--role", "owner");
        assertThat(role.exitCode()).isEqualTo(2);
        assertThat(role.err()).contains("--role").contains("owner");

        CliProcess.Result limitedReader = scoria("access", "create", "--role", "reader", "--services", "fraud-*");
        assertThat(limitedReader.exitCode()).isEqualTo(1);
        assertThat(limitedReader.err())
                .contains("limits deployer and keys tokens only")
                .contains("HTTP 400");

        CliProcess.Result since = scoria("audit", "--since", "yesterday");
        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.err()).contains("--since must be a time ago (90m, 12h, 7d) or an instant");
    }
}
