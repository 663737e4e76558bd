package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.store.sql.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scoria workspace migrate}: a single-machine workspace moved into PostgreSQL is served by a
 * replica with the same service, key, admin token and token issuer, without redeploying anything.
 */
class WorkspaceMigrateTest {

    private static final Path REQUEST =
            Path.of("..", "scoria-server", "src", "main", "resources", "demo", "diabetes-ridge", "request.json");
    private static final String EXPECTED = "[217.67978776218715,224.78937091757172]";

    @TempDir
    Path dir;

    @Test
    void aMigratedWorkspaceServesTheSameKeysFromPostgres() throws Exception {
        Path single = dir.resolve("single");
        Files.createDirectories(single);
        String key;
        String issuer;
        String readerToken;
        try (CliProcess.Server server = new CliProcess.Server(dir, "--demo", "--data-dir", single.toString())) {
            key = server.printed("Primary key:");
            issuer = CliProcess.run(
                            dir,
                            Map.of("SCORIA_URL", server.baseUrl(), "SCORIA_TOKEN", adminToken(single)),
                            "workspace",
                            "show",
                            "-o",
                            "json")
                    .out();
            CliProcess.Result reader = CliProcess.run(
                    dir,
                    Map.of("SCORIA_URL", server.baseUrl(), "SCORIA_TOKEN", adminToken(single)),
                    "access",
                    "create",
                    "--role",
                    "reader",
                    "-o",
                    "json");
            assertThat(reader.exitCode()).as(reader.toString()).isZero();
            readerToken = new ObjectMapper().readTree(reader.out()).get("token").asText();
        }
        String url = PostgresServer.shared().createDatabase();
        CliProcess.Result bad = CliProcess.run(
                dir,
                Map.of(),
                "workspace",
                "migrate",
                "--from",
                dir.resolve("nope").toString(),
                "--to",
                url);
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err()).contains("is not a Scoria data directory");

        CliProcess.Result moved =
                CliProcess.run(dir, Map.of(), "workspace", "migrate", "--from", single.toString(), "--to", url);
        assertThat(moved.exitCode()).as(moved.toString()).isZero();
        assertThat(moved.out())
                .contains("1 model version(s), 1 service(s), 1 file(s)")
                .contains("admin token")
                .doesNotContain(PostgresServer.PASSWORD);

        // The same for a script, into another empty database: the counts as JSON.
        CliProcess.Result json = CliProcess.run(
                dir,
                Map.of(),
                "workspace",
                "migrate",
                "--from",
                single.toString(),
                "--to",
                PostgresServer.shared().createDatabase(),
                "-o",
                "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode counts = new ObjectMapper().readTree(json.out());
        assertThat(counts.path("models").asInt()).isEqualTo(1);
        assertThat(counts.path("services").asInt()).isEqualTo(1);
        assertThat(counts.path("files").asInt()).isEqualTo(1);
        assertThat(counts.path("adminToken").asBoolean()).isTrue();
        assertThat(counts.path("to").asText()).doesNotContain(PostgresServer.PASSWORD);

        CliProcess.Result again =
                CliProcess.run(dir, Map.of(), "workspace", "migrate", "--from", single.toString(), "--to", url);
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains("not empty");

        Path replicaDir = dir.resolve("replica");
        Files.createDirectories(replicaDir);
        try (CliProcess.Server replica =
                new CliProcess.Server(dir, "--data-dir", replicaDir.toString(), "--database", url)) {
            assertThat(replica.out.toString()).doesNotContain("Admin token (created now");
            assertThat(Files.exists(replicaDir.resolve("admin-token"))).isFalse();
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.currentTimeMillis() + 30_000;
            HttpResponse<String> scored;
            do {
                scored = http.send(
                        HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/api/v1/service/myservice/score"))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofFile(REQUEST))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (scored.statusCode() != 200) {
                    Thread.sleep(200);
                }
            } while (scored.statusCode() != 200 && System.currentTimeMillis() < deadline);
            assertThat(scored.body()).isEqualTo(EXPECTED);
            // The old admin token manages the migrated workspace; tokens keep their issuer.
            CliProcess.Result show = CliProcess.run(
                    dir,
                    Map.of("SCORIA_URL", replica.baseUrl(), "SCORIA_TOKEN", adminToken(single)),
                    "workspace",
                    "show",
                    "-o",
                    "json");
            assertThat(show.exitCode()).as(show.toString()).isZero();
            JsonNode before = new ObjectMapper().readTree(issuer);
            JsonNode after = new ObjectMapper().readTree(show.out());
            assertThat(after.path("issuer").asText())
                    .isNotEmpty()
                    .isEqualTo(before.path("issuer").asText());
            assertThat(after.path("activeSigningKey").asText())
                    .isNotEmpty()
                    .isEqualTo(before.path("activeSigningKey").asText());
            // Access tokens move with the workspace, role and all.
            CliProcess.Result asReader = CliProcess.run(
                    dir, Map.of("SCORIA_URL", replica.baseUrl(), "SCORIA_TOKEN", readerToken), "service", "list");
            assertThat(asReader.exitCode()).as(asReader.toString()).isZero();
            assertThat(asReader.out()).contains("myservice");
            CliProcess.Result readerKeys = CliProcess.run(
                    dir,
                    Map.of("SCORIA_URL", replica.baseUrl(), "SCORIA_TOKEN", readerToken),
                    "service",
                    "keys",
                    "myservice");
            assertThat(readerKeys.exitCode()).as(readerKeys.toString()).isEqualTo(1);
            assertThat(readerKeys.err()).contains("HTTP 403");
            CliProcess.Result replicas = CliProcess.run(
                    dir,
                    Map.of("SCORIA_URL", replica.baseUrl(), "SCORIA_TOKEN", adminToken(single)),
                    "replica",
                    "list");
            assertThat(replicas.exitCode()).as(replicas.toString()).isZero();
            assertThat(replicas.out())
                    .contains("ID")
                    .contains("LAST HEARTBEAT")
                    .contains(":" + replica.port)
                    .contains("yes");
        }
    }

    private static String adminToken(Path dataDir) throws Exception {
        return Files.readString(dataDir.resolve("admin-token")).trim();
    }
}
