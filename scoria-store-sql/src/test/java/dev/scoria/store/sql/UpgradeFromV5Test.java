package dev.scoria.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.DeploymentSpec;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.core.service.LogLine;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceState;
import dev.scoria.core.store.ServiceChange;
import dev.scoria.core.traffic.TrafficSplit;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace made by the previous version (schema V5: one set of models, runtime and limits per
 * service) opened by this one: each service becomes one deployment, {@code default}, with everything it
 * had, taking all its traffic, with no mirror. The V5 rows are written with the SQL the V5 store used.
 */
class UpgradeFromV5Test {

    private static final String CODE = "{\"path\":\"scorer.jar\",\"sha256\":\"" + "cd".repeat(32) + "\",\"size\":1234}";
    private static final Instant CREATED = Instant.ofEpochMilli(1_700_000_000_000L);
    private static final Instant UPDATED = Instant.ofEpochMilli(1_700_000_600_000L);

    @TempDir
    Path dir;

    @Test
    void aSqliteWorkspaceMadeByTheV5StoreOpensWithEachServiceAsOneDefaultDeployment() throws Exception {
        Path file = dir.resolve("scoria.db");
        String jdbc = "jdbc:sqlite:" + file.toAbsolutePath();
        makeV5Workspace(jdbc, null, null, Dialect.SQLITE);
        checkUpgraded(() -> SqlStore.openSqlite(file));
    }

    @Test
    void aPostgresWorkspaceMadeByTheV5StoreOpensWithEachServiceAsOneDefaultDeployment() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(PostgresServer.shared().createDatabase());
        makeV5Workspace(url.jdbcUrl(), url.user(), url.password(), Dialect.POSTGRESQL);
        checkUpgraded(() -> SqlStore.openPostgres(url));
    }

    /** Schema V5 exactly as SqlStore migrates (same locations and placeholders), then rows as V5 wrote them. */
    private static void makeV5Workspace(String jdbc, String user, String password, Dialect dialect) throws Exception {
        Flyway.configure(SqlStore.class.getClassLoader())
                .dataSource(jdbc, user, password)
                .locations("classpath:db/migration")
                .placeholders(dialect.migrationPlaceholders)
                .target("5")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(jdbc, user, password)) {
            assertThat(c.getMetaData()
                            .getColumns(null, null, "services", "runtime")
                            .next())
                    .as("the V5 services table still has its runtime column")
                    .isTrue();
            insertModel(c, "diabetes", 1);
            insertModel(c, "diabetes", 2);
            insertModel(c, "scaler", 1);
            update(c, "INSERT INTO model_names (name, last_version) VALUES (?, ?)", "diabetes", 2);
            update(c, "INSERT INTO model_names (name, last_version) VALUES (?, ?)", "scaler", 1);
            // The V5 store's insertService: every column of the service, then its models in order.
            String insertService = "INSERT INTO services (name, description, tags, properties,"
                    + " runtime, auth_mode, primary_key, secondary_key, scoring_timeout_ms, max_concurrent, max_queue_wait_ms,"
                    + " input_example, state, error, created_at, updated_at, cors_origins, code_file, entry_point,"
                    + " scorer_config, output_example, swagger, max_batch_size, max_batch_delay_us, generation)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            update(
                    c,
                    insertService,
                    "legacy",
                    "made by 0.1",
                    "{\"env\":\"prod\"}",
                    "{\"owner\":\"team-a\"}",
                    "java",
                    "KEY",
                    "pk-legacy",
                    "sk-legacy",
                    1000,
                    2,
                    300,
                    "{\"data\":[[1]]}",
                    "Healthy",
                    null,
                    CREATED.toEpochMilli(),
                    UPDATED.toEpochMilli(),
                    "[\"https://app.example.com\"]",
                    CODE,
                    "com.acme.MyScorer",
                    "{\"threshold\":\"0.5\"}",
                    "[1.5]",
                    "{\"swagger\":\"2.0\"}",
                    8,
                    250,
                    7L);
            update(
                    c,
                    insertService,
                    "plain",
                    "",
                    "{}",
                    "{}",
                    "onnx",
                    "NONE",
                    "pk-plain",
                    "sk-plain",
                    60000,
                    4,
                    500,
                    null,
                    "Failed",
                    "model diabetes:1 is corrupted",
                    CREATED.toEpochMilli(),
                    CREATED.toEpochMilli(),
                    "[]",
                    null,
                    null,
                    "{}",
                    null,
                    null,
                    32,
                    0,
                    1L);
            String insertModelRef = "INSERT INTO service_models (service_name, position, model_name, model_version)"
                    + " VALUES (?, ?, ?, ?)";
            update(c, insertModelRef, "legacy", 0, "diabetes", 2);
            update(c, insertModelRef, "legacy", 1, "scaler", 1);
            update(c, insertModelRef, "plain", 0, "diabetes", 1);
            update(
                    c,
                    "INSERT INTO operations (id, service_name, type, state, error, created_at, updated_at, generation)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    "op-1",
                    "legacy",
                    "Update",
                    "Succeeded",
                    null,
                    CREATED.toEpochMilli(),
                    UPDATED.toEpochMilli(),
                    7L);
            update(
                    c,
                    "INSERT INTO replica_services (replica_id, service_name, generation, state, error, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)",
                    "r1",
                    "legacy",
                    7L,
                    "Healthy",
                    null,
                    UPDATED.toEpochMilli());
            update(
                    c,
                    "INSERT INTO service_log_lines (service_name, replica_id, at, level, message) VALUES (?, ?, ?, ?, ?)",
                    "legacy",
                    "r1",
                    UPDATED.toEpochMilli(),
                    "INFO",
                    "loaded generation 7");
        }
    }

    private static void checkUpgraded(Supplier<SqlStore> open) {
        InferenceSpec java = new InferenceSpec(
                "java",
                new ModelFile("scorer.jar", "cd".repeat(32), 1234),
                "com.acme.MyScorer",
                Map.of("threshold", "0.5"));
        ServiceLimits legacyLimits = new ServiceLimits(1000, 2, 300, 8, 250);
        SchemaSpec legacySchema = new SchemaSpec("{\"data\":[[1]]}", "[1.5]", "{\"swagger\":\"2.0\"}");
        try (SqlStore store = open.get()) {
            ServiceRecord legacy = store.findService("legacy").orElseThrow();
            assertThat(legacy.deployments())
                    .containsExactly(new DeploymentSpec(
                            DeploymentSpec.DEFAULT,
                            java,
                            legacyLimits,
                            List.of(new ModelRef("diabetes", 2), new ModelRef("scaler", 1)),
                            legacySchema,
                            7,
                            CREATED));
            assertThat(legacy.traffic()).isEqualTo(TrafficSplit.allTo(DeploymentSpec.DEFAULT));
            assertThat(legacy.traffic().live()).containsExactly(Map.entry("default", 100));
            assertThat(legacy.traffic().mirror()).isNull();
            assertThat(legacy.traffic().mirrorPercent()).isZero();
            // What the service shows (its primary deployment's) is what it had.
            assertThat(legacy.inference()).isEqualTo(java);
            assertThat(legacy.limits()).isEqualTo(legacyLimits);
            assertThat(legacy.models()).containsExactly(new ModelRef("diabetes", 2), new ModelRef("scaler", 1));
            assertThat(legacy.schema()).isEqualTo(legacySchema);
            assertThat(legacy.generation()).isEqualTo(7);
            assertThat(legacy.keys()).isEqualTo(new ServiceKeys("pk-legacy", "sk-legacy"));
            assertThat(legacy.authMode()).isEqualTo(AuthMode.KEY);
            assertThat(legacy.state()).isEqualTo(ServiceState.Healthy);
            assertThat(legacy.settings().description()).isEqualTo("made by 0.1");
            assertThat(legacy.settings().tags()).isEqualTo(Map.of("env", "prod"));
            assertThat(legacy.settings().properties()).isEqualTo(Map.of("owner", "team-a"));
            assertThat(legacy.corsOrigins()).containsExactly("https://app.example.com");
            assertThat(legacy.createdTime()).isEqualTo(CREATED);
            assertThat(legacy.updatedTime()).isEqualTo(UPDATED);

            ServiceRecord plain = store.findService("plain").orElseThrow();
            assertThat(plain.deploymentNames()).containsExactly("default");
            DeploymentSpec d = plain.deployment("default");
            assertThat(d.inference()).isEqualTo(new InferenceSpec("onnx", null, null, Map.of()));
            assertThat(d.limits()).isEqualTo(new ServiceLimits(60000, 4, 500, 32, 0));
            assertThat(d.models()).containsExactly(new ModelRef("diabetes", 1));
            assertThat(d.schema()).isEqualTo(SchemaSpec.NONE);
            assertThat(d.generation()).isEqualTo(1);
            assertThat(plain.state()).isEqualTo(ServiceState.Failed);
            assertThat(plain.error()).isEqualTo("model diabetes:1 is corrupted");
            assertThat(plain.authMode()).isEqualTo(AuthMode.NONE);
            assertThat(plain.traffic()).isEqualTo(TrafficSplit.allTo("default"));

            assertThat(store.listServices()).extracting(ServiceRecord::name).containsExactly("legacy", "plain");
            // The models stay in use: found through the deployments, and the database still refuses to delete them.
            assertThat(store.servicesUsingModel(new ModelRef("diabetes", 2))).containsExactly("legacy");
            assertThat(store.servicesUsingModel(new ModelRef("diabetes", 1))).containsExactly("plain");
            assertThatThrownBy(() -> store.deleteModel("scaler", 1))
                    .isInstanceOf(ScoriaException.class)
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.CONFLICT);
            // Operations and logs are kept; replica reports are not (each replica writes its own again).
            Operation op = store.findOperation("op-1").orElseThrow();
            assertThat(op.state()).isEqualTo(Operation.State.Succeeded);
            assertThat(op.generation()).isEqualTo(7);
            assertThat(op.deployment()).isNull();
            assertThat(store.tailLog("legacy", 0)).extracting(LogLine::message).containsExactly("loaded generation 7");
            assertThat(store.serviceReports(null)).isEmpty();
            assertThat(store.insertModel("diabetes", v -> StoreContract.model("diabetes", v))
                            .version())
                    .as("model versions continue where they were")
                    .isEqualTo(3);

            // The upgraded service takes a second deployment, a split and a mirror like any other.
            DeploymentSpec green = new DeploymentSpec(
                    "green", java, legacyLimits, List.of(new ModelRef("diabetes", 3)), legacySchema, 1, UPDATED);
            DeploymentSpec shadow = new DeploymentSpec(
                    "shadow", java, legacyLimits, List.of(new ModelRef("diabetes", 1)), legacySchema, 1, UPDATED);
            store.changeService(
                    "legacy",
                    (current, running) -> new ServiceChange.Result(
                            current.withDeployment(green)
                                    .withDeployment(shadow)
                                    .withTraffic(new TrafficSplit(Map.of("default", 90, "green", 10), "shadow", 20)),
                            null));
        }
        try (SqlStore reopened = open.get()) {
            ServiceRecord legacy = reopened.findService("legacy").orElseThrow();
            assertThat(legacy.deploymentNames()).containsExactly("default", "green", "shadow");
            assertThat(legacy.traffic().percentOf("default")).isEqualTo(90);
            assertThat(legacy.traffic().percentOf("green")).isEqualTo(10);
            assertThat(legacy.traffic().mirror()).isEqualTo("shadow");
            assertThat(legacy.traffic().mirrorPercent()).isEqualTo(20);
            assertThat(legacy.deployment("default").generation()).isEqualTo(7);
            assertThat(reopened.servicesUsingModel(new ModelRef("diabetes", 1))).containsExactly("legacy", "plain");
        }
    }

    private static void insertModel(Connection c, String name, int version) throws Exception {
        update(
                c,
                "INSERT INTO models (name, version, framework, description, tags, properties, files, sha256, size_bytes,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                name,
                version,
                "Onnx",
                "ridge",
                "{}",
                "{}",
                "[{\"path\":\"model.onnx\",\"sha256\":\"" + "ab".repeat(32) + "\",\"size\":399}]",
                "ab".repeat(32),
                399L,
                CREATED.toEpochMilli());
    }

    private static void update(Connection c, String sql, Object... args) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
