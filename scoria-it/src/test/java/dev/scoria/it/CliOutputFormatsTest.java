package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o table|json|tsv} on every command that prints data, with the real jar against one server: JSON
 * parses to an object for one item and an array for a list, the table has its header (or a show command's
 * description), TSV has no header and the table's columns on every line, one line per item, its first column
 * the item's value in the JSON. Commands that only act print a confirmation in the table format and nothing
 * with {@code -o json} or {@code -o tsv}.
 */
class CliOutputFormatsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FORMATS = List.of("table", "json", "tsv");

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
        DemoService.ensure(server, 30_000);
        env = Map.of("SCORIA_URL", server.baseUrl());
        Files.copy(CliOutputFormatsTest.class.getResourceAsStream("/diabetes-ridge.onnx"), work.resolve("model.onnx"));
        Files.writeString(work.resolve("request.json"), DemoService.sampleRequest());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * What a data-printing command's output must look like in each format. {@code firstColumnField}: the JSON
     * field that TSV's first column repeats, for a command that reads (one that changes something gives another
     * value on each run); null to leave that unchecked.
     */
    record Expect(
            boolean list,
            String tablePattern,
            int columns,
            String firstColumnField,
            boolean tsvRowPerItem,
            Function<String, String[]> args) {

        Expect(
                boolean list,
                String tablePattern,
                int columns,
                String firstColumnField,
                Function<String, String[]> args) {
            this(list, tablePattern, columns, firstColumnField, true, args);
        }

        /** A command run with the same arguments in each format. */
        static Expect of(boolean list, String tablePattern, int columns, String firstColumnField, String... args) {
            return new Expect(list, tablePattern, columns, firstColumnField, format -> args);
        }

        /** A service's traffic: one JSON object (the split and the mirror), a table and TSV row per deployment. */
        static Expect traffic(String tablePattern, String... args) {
            return new Expect(false, tablePattern, 7, null, false, format -> args);
        }
    }

    /** What a command printed with {@code -o json} and with {@code -o tsv}. */
    record Outputs(JsonNode json, List<String> tsv) {
        String tsvCell(int line, int column) {
            return tsv.get(line).split("\t", -1)[column];
        }
    }

    /** Runs the command in each format and checks each output. */
    static Outputs run(Expect expect) throws Exception {
        JsonNode json = null;
        List<String> tsvLines = null;
        for (String format : FORMATS) {
            List<String> args = new ArrayList<>(List.of(expect.args().apply(format)));
            args.addAll(List.of("-o", format));
            CliProcess.Result r = CliProcess.run(work, env, args.toArray(String[]::new));
            String what = String.join(" ", args) + "\n" + r;
            assertThat(r.exitCode()).as(what).isZero();
            switch (format) {
                case "json" -> {
                    json = JSON.readTree(r.out());
                    assertThat(json.isArray()).as(what).isEqualTo(expect.list());
                    assertThat(json.isObject()).as(what).isEqualTo(!expect.list());
                }
                case "tsv" -> {
                    tsvLines = r.out().lines().toList();
                    for (String line : tsvLines) {
                        assertThat(line.split("\t", -1)).as(what).hasSize(expect.columns());
                        assertThat(line).as(what).doesNotContainPattern(expect.tablePattern());
                    }
                }
                default -> assertThat(r.out()).as(what).containsPattern(expect.tablePattern());
            }
        }
        List<JsonNode> items = new ArrayList<>();
        if (expect.list()) {
            json.forEach(items::add);
        } else {
            items.add(json);
        }
        if (expect.tsvRowPerItem()) {
            assertThat(tsvLines).as("one TSV line per item of " + json).hasSize(items.size());
        } else {
            assertThat(tsvLines).as("TSV lines").isNotEmpty();
        }
        if (expect.firstColumnField() != null) {
            for (int i = 0; i < items.size(); i++) {
                assertThat(tsvLines.get(i).split("\t", -1)[0])
                        .isEqualTo(items.get(i).path(expect.firstColumnField()).asText());
            }
        }
        return new Outputs(json, tsvLines);
    }

    static JsonNode check(Expect expect) throws Exception {
        return run(expect).json();
    }

    /** A command that only acts: a confirmation for a person, nothing for scripts. */
    static void checkQuiet(String confirmation, Function<String, String[]> args) throws Exception {
        for (String format : FORMATS) {
            List<String> all = new ArrayList<>(List.of(args.apply(format)));
            all.addAll(List.of("-o", format));
            CliProcess.Result r = CliProcess.run(work, env, all.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            if (format.equals("table")) {
                assertThat(r.out()).as(r.toString()).startsWith(confirmation);
            } else {
                assertThat(r.out()).as(r.toString()).isEmpty();
            }
        }
    }

    static CliProcess.Result ok(String... args) throws Exception {
        CliProcess.Result r = CliProcess.run(work, env, args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void modelsInEveryFormat() throws Exception {
        Outputs registered = run(new Expect(false, "^Registered model formats:\\d+ \\(sha256 ", 6, null, format ->
                new String[] {"model", "register", "formats", "model.onnx", "--tag", "format=" + format}));
        assertThat(registered.json().path("id").asText()).isEqualTo("formats:2");
        assertThat(registered.tsvCell(0, 0)).isEqualTo("formats:3");
        JsonNode listed = check(Expect.of(
                true,
                "(?m)^ID\\s+FRAMEWORK\\s+SIZE\\s+SHA256\\s+CREATED\\s+DESCRIPTION$",
                6,
                "id",
                "model",
                "list",
                "--name",
                "formats"));
        assertThat(listed.findValuesAsText("id")).containsExactlyInAnyOrder("formats:1", "formats:2", "formats:3");
        // TSV has the whole digest where the table shows 12 characters.
        Outputs shown = run(Expect.of(false, "(?m)^Model:\\s+formats:1$", 6, "id", "model", "show", "formats:1"));
        assertThat(shown.tsvCell(0, 3))
                .isEqualTo(shown.json().path("sha256").asText())
                .hasSize(64);
        checkQuiet("Deleted model formats:", format ->
                new String[] {"model", "delete", "formats:" + (FORMATS.indexOf(format) + 1)});
    }

    @Test
    void servicesKeysTokensAndLogsInEveryFormat() throws Exception {
        Outputs deployed = run(new Expect(false, "(?m)^Service:\\s+fmt-table$", 5, null, format ->
                new String[] {"service", "deploy", "fmt-" + format, "-m", "diabetes:1", "--auth", "token", "--wait"}));
        assertThat(deployed.json().path("name").asText()).isEqualTo("fmt-json");
        assertThat(deployed.json().path("state").asText()).isEqualTo("Healthy");
        // With --wait, the progress is for a person only: TSV is the one row.
        assertThat(deployed.tsvCell(0, 0)).isEqualTo("fmt-tsv");
        assertThat(deployed.tsvCell(0, 1)).isEqualTo("Healthy");
        check(new Expect(false, "(?m)^Description:\\s+updated$", 5, null, format ->
                new String[] {"service", "update", "fmt-" + format, "--description", "updated"}));
        JsonNode services = check(
                Expect.of(true, "(?m)^NAME\\s+STATE\\s+AUTH\\s+MODELS\\s+SCORING URI$", 5, "name", "service", "list"));
        assertThat(services.findValuesAsText("name")).contains("myservice", "fmt-table", "fmt-json", "fmt-tsv");
        JsonNode shown =
                check(Expect.of(false, "(?m)^Scoring URI:\\s+http://", 5, "name", "service", "show", "myservice"));
        assertThat(shown.path("deployments").findValuesAsText("name")).contains("default");

        JsonNode keys =
                check(Expect.of(false, "(?m)^Primary key:\\s+\\S+$", 2, "primaryKey", "service", "keys", "myservice"));
        assertThat(keys.fieldNames()).toIterable().containsExactly("primaryKey", "secondaryKey");
        Outputs regenerated = run(Expect.of(
                false,
                "(?m)^Secondary key:\\s+\\S+$",
                2,
                null,
                "service",
                "regen-key",
                "myservice",
                "--key",
                "secondary"));
        // The primary key stays; the secondary one is new on each run.
        assertThat(regenerated.json().path("primaryKey").asText())
                .isEqualTo(keys.path("primaryKey").asText());
        assertThat(regenerated.tsvCell(0, 0)).isEqualTo(keys.path("primaryKey").asText());
        assertThat(regenerated.tsvCell(0, 1))
                .isNotEqualTo(regenerated.json().path("secondaryKey").asText());

        Outputs token = run(Expect.of(
                false,
                "(?m)^ACCESS TOKEN\\s+TOKEN TYPE\\s+REFRESH AFTER\\s+EXPIRY ON$",
                4,
                null,
                "service",
                "get-access-token",
                "-n",
                "fmt-json"));
        assertThat(token.json().fieldNames())
                .toIterable()
                .containsExactly("accessToken", "tokenType", "refreshAfter", "expiryOn");
        assertThat(token.json().path("tokenType").asText()).isEqualTo("Bearer");
        assertThat(token.json().path("expiryOn").asLong())
                .isGreaterThan(token.json().path("refreshAfter").asLong());
        // The table shows the instants; TSV and JSON have epoch seconds, as Azure's get_token() gives them.
        assertThat(token.tsvCell(0, 1)).isEqualTo("Bearer");
        assertThat(token.tsvCell(0, 3)).matches("\\d{10}");

        // The log is lines: table and TSV print them as they are; JSON is the API's {"content": ...}.
        JsonNode log =
                JSON.readTree(ok("service", "logs", "myservice", "-o", "json").out());
        assertThat(log.fieldNames()).toIterable().containsExactly("content");
        assertThat(log.path("content").asText()).contains("service is Healthy");
        assertThat(ok("service", "logs", "myservice", "-o", "tsv").out())
                .isEqualTo(ok("service", "logs", "myservice").out())
                .contains("service is Healthy");

        checkQuiet("Deleted service fmt-", format -> new String[] {"service", "delete", "fmt-" + format});
    }

    @Test
    void deploymentsTrafficAndScoresInEveryFormat() throws Exception {
        String deploymentsHeader = "(?m)^NAME\\s+STATE\\s+TRAFFIC\\s+MIRROR\\s+RUNTIME\\s+MODELS\\s+GENERATION$";
        Outputs created = run(new Expect(false, "(?m)^Deployment:\\s+dep-table$", 7, null, format ->
                new String[] {"deployment", "create", "myservice", "dep-" + format, "-m", "diabetes:1", "--wait"}));
        assertThat(created.json().path("name").asText()).isEqualTo("dep-json");
        assertThat(created.json().path("state").asText()).isEqualTo("Healthy");
        assertThat(created.tsvCell(0, 0)).isEqualTo("dep-tsv");
        check(new Expect(false, "(?m)^Batching:\\s+maxBatchSize=2 ", 7, null, format ->
                new String[] {"deployment", "update", "myservice", "dep-" + format, "--max-batch-size", "2"}));
        JsonNode listed = check(Expect.of(true, deploymentsHeader, 7, "name", "deployment", "list", "myservice"));
        assertThat(listed.findValuesAsText("name")).containsExactly("default", "dep-table", "dep-json", "dep-tsv");
        assertThat(listed.findValuesAsText("maxBatchSize")).containsExactly("32", "2", "2", "2");
        check(Expect.of(
                false, "(?m)^Deployment:\\s+default$", 7, "name", "deployment", "show", "myservice", "default"));

        // The split: JSON is the service's two maps, the table and TSV a line per deployment.
        JsonNode split = check(
                Expect.traffic(deploymentsHeader, "service", "traffic", "myservice", "default=90", "dep-json=10"));
        assertThat(split.path("traffic").path("dep-json").asInt()).isEqualTo(10);
        JsonNode mirror = check(Expect.traffic(deploymentsHeader, "service", "mirror", "myservice", "dep-tsv=20"));
        assertThat(mirror.path("mirrorTraffic").path("dep-tsv").asInt()).isEqualTo(20);
        // TSV has the shares as whole numbers where the table shows 90% and -.
        assertThat(ok("service", "traffic", "myservice").out())
                .containsPattern("(?m)^default\\s+Healthy\\s+90%\\s+-\\s+onnx");
        assertThat(ok("service", "traffic", "myservice", "-o", "tsv").out())
                .containsPattern("(?m)^default\tHealthy\t90\t0\tonnx\tdiabetes:1\t\\d+$")
                .containsPattern("(?m)^dep-tsv\tHealthy\t0\t20\t");
        ok("service", "mirror", "myservice", "--off");
        ok("service", "traffic", "myservice", "default=100");
        checkQuiet("Deleted deployment dep-", format ->
                new String[] {"deployment", "delete", "myservice", "dep-" + format});

        // A service's answer: as it came in the table format, JSON with the digits the service sent, one
        // value a line in TSV.
        assertThat(ok("score", "myservice", "-d", "@request.json").out().strip())
                .isEqualTo(CliTest.EXPECTED);
        JsonNode scored = JSON.readTree(
                ok("score", "myservice", "-d", "@request.json", "-o", "json").out());
        assertThat(scored.toString()).isEqualTo(CliTest.EXPECTED);
        assertThat(ok("score", "myservice", "-d", "@request.json", "-o", "tsv").out())
                .isEqualTo("217.67978776218715\n224.78937091757172\n");
    }

    @Test
    void workspaceReplicasAndRuntimesInEveryFormat() throws Exception {
        JsonNode info = check(Expect.of(
                false,
                "(?m)^ISSUER\\s+ACTIVE SIGNING KEY\\s+JWKS URI\\s+TOKEN REFRESH AFTER S\\s+TOKEN LIFETIME S$",
                5,
                "issuer",
                "workspace",
                "show"));
        assertThat(info.path("jwksUri").asText()).endsWith("/jwks.json");
        Outputs rotated = run(Expect.of(false, "(?m)^ACTIVE SIGNING KEY$", 1, null, "workspace", "rotate-signing-key"));
        assertThat(rotated.json().path("activeSigningKey").asText())
                .isNotEqualTo(info.path("activeSigningKey").asText());
        // The TSV run rotated last: its key is the workspace's now.
        assertThat(rotated.tsvCell(0, 0))
                .isEqualTo(JSON.readTree(ok("workspace", "show", "-o", "json").out())
                        .path("activeSigningKey")
                        .asText());
        // Each run rotates the admin token; the next command reads the new one from the data directory.
        Outputs admin = run(Expect.of(
                false,
                "(?m)^New admin token \\(the old one no longer works\\):$",
                2,
                null,
                "workspace",
                "rotate-admin-token"));
        assertThat(admin.json().path("tokenFile").asText()).endsWith("admin-token");
        assertThat(admin.tsvCell(0, 0))
                .isEqualTo(Files.readString(work.resolve("scoria-data/admin-token"))
                        .trim());

        JsonNode replicas = check(Expect.of(
                true, "(?m)^ID\\s+ADDRESS\\s+VERSION\\s+LAST HEARTBEAT\\s+LIVE$", 5, "id", "replica", "list"));
        assertThat(replicas).isNotEmpty();
        JsonNode runtimes = check(Expect.of(
                true, "(?m)^NAME\\s+CODE\\s+MODELS WITH NO CODE\\s+DESCRIPTION$", 4, "name", "runtime", "list"));
        assertThat(runtimes.findValuesAsText("name")).contains("onnx");
    }

    @Test
    void anUnknownFormatIsExitTwoWithTheChoices() throws Exception {
        CliProcess.Result r = CliProcess.run(work, env, "service", "list", "-o", "yaml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("table, json, tsv");
    }
}
