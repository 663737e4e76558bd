package dev.scoria.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceState;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlStoreTest {

    @TempDir
    Path dir;

    private static ModelRecord model(String name, int version) {
        return new ModelRecord(name, version, "Onnx", "ridge", Map.of("team", "a"), Map.of("r2", "0.33"),
                List.of(new ModelFile("model.onnx", "ab".repeat(32), 399)), "ab".repeat(32), 399,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static ServiceRecord service(String name, ModelRef ref) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new ServiceRecord(name, "demo", Map.of("env", "test"), Map.of(),
                new dev.scoria.core.service.InferenceSpec("java", new ModelFile("scorer.jar", "cd".repeat(32), 1234),
                        "com.acme.MyScorer", Map.of("threshold", "0.5")), List.of(ref), AuthMode.KEY,
                new ServiceKeys("primary-key", "secondary-key"), new ServiceLimits(1000, 2, 300),
                List.of("https://app.example.com"),
                new dev.scoria.core.service.SchemaSpec("{\"data\":[[1]]}", "[1.5]", "{\"swagger\":\"2.0\"}"),
                ServiceState.Healthy, null, now, now);
    }

    @Test
    void everythingCommittedIsFoundAfterReopeningTheDatabase() {
        Path db = dir.resolve("scoria.db");
        ModelRecord m1;
        ModelRecord m2;
        ServiceRecord svc;
        Operation op = new Operation("op-1", "mysvc", "Create", Operation.State.Running, null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        try (SqlStore store = SqlStore.openSqlite(db)) {
            m1 = store.insertModel("diabetes", v -> model("diabetes", v));
            m2 = store.insertModel("diabetes", v -> model("diabetes", v));
            svc = service("mysvc", m2.ref());
            store.insertService(svc, op);
            store.updateService(svc.withKeys(new ServiceKeys("rotated", "secondary-key")));
        }
        assertThat(m1.version()).isEqualTo(1);
        assertThat(m2.version()).isEqualTo(2);
        try (SqlStore reopened = SqlStore.openSqlite(db)) {
            assertThat(reopened.listModels("diabetes")).containsExactly(m1, m2);
            ServiceRecord found = reopened.findService("mysvc").orElseThrow();
            assertThat(found.keys()).isEqualTo(new ServiceKeys("rotated", "secondary-key"));
            assertThat(found.models()).containsExactly(new ModelRef("diabetes", 2));
            assertThat(found.limits()).isEqualTo(new ServiceLimits(1000, 2, 300));
            assertThat(found.inputExample()).isEqualTo("{\"data\":[[1]]}");
            assertThat(found.schema().outputExample()).isEqualTo("[1.5]");
            assertThat(found.schema().swagger()).isEqualTo("{\"swagger\":\"2.0\"}");
            assertThat(found.inference().code()).isEqualTo(new ModelFile("scorer.jar", "cd".repeat(32), 1234));
            assertThat(found.inference().entry()).isEqualTo("com.acme.MyScorer");
            assertThat(found.inference().config()).isEqualTo(Map.of("threshold", "0.5"));
            assertThat(found.tags()).isEqualTo(Map.of("env", "test"));
            assertThat(found.corsOrigins()).containsExactly("https://app.example.com");
            assertThat(reopened.findOperation("op-1")).contains(op);
            assertThat(reopened.servicesUsingModel(m2.ref())).containsExactly("mysvc");
            assertThat(reopened.failRunningOperations("restart")).isEqualTo(1);
            assertThat(reopened.findOperation("op-1").orElseThrow().state()).isEqualTo(Operation.State.Failed);
        }
    }

    @Test
    void aDeletedModelVersionNumberIsNeverHandedOutAgain() {
        try (SqlStore store = SqlStore.openSqlite(dir.resolve("scoria.db"))) {
            store.insertModel("m", v -> model("m", v));
            store.insertModel("m", v -> model("m", v));
            store.deleteModel("m", 2);
            assertThat(store.insertModel("m", v -> model("m", v)).version()).isEqualTo(3);
        }
    }

    @Test
    void settingsAndSigningKeysSurviveAReopenAndRotationRetiresTheActiveKey() {
        Path db = dir.resolve("scoria.db");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqlStore store = SqlStore.openSqlite(db)) {
            assertThat(store.putSettingIfAbsent("workspace_id", "first")).isEqualTo("first");
            assertThat(store.putSettingIfAbsent("workspace_id", "second")).isEqualTo("first");
            store.rotateSigningKey(new dev.scoria.core.auth.SigningKeyRecord("k1", "ES256", "priv1", "pub1", t0, null), t0);
            store.rotateSigningKey(new dev.scoria.core.auth.SigningKeyRecord("k2", "ES256", "priv2", "pub2", t0.plusSeconds(1), null),
                    t0.plusSeconds(1));
        }
        try (SqlStore store = SqlStore.openSqlite(db)) {
            assertThat(store.setting("workspace_id")).contains("first");
            var keys = store.signingKeys();
            assertThat(keys).extracting(dev.scoria.core.auth.SigningKeyRecord::kid).containsExactly("k1", "k2");
            assertThat(keys.get(0).retiredTime()).isEqualTo(t0.plusSeconds(1));
            assertThat(keys.get(1).active()).isTrue();
        }
        assertThat(db.toFile()).exists();
        try {
            assertThat(java.nio.file.Files.getPosixFilePermissions(db))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aServiceNameCanOnlyBeTakenOnce() {
        try (SqlStore store = SqlStore.openSqlite(dir.resolve("scoria.db"))) {
            ModelRecord m = store.insertModel("m", v -> model("m", v));
            Operation op = new Operation("a", "svc", "Create", Operation.State.Running, null, Instant.now(), Instant.now());
            store.insertService(service("svc", m.ref()), op);
            Operation op2 = new Operation("b", "svc", "Create", Operation.State.Running, null, Instant.now(), Instant.now());
            assertThatThrownBy(() -> store.insertService(service("svc", m.ref()), op2))
                    .isInstanceOf(ScoriaException.class)
                    .extracting(e -> ((ScoriaException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
            // The failed insert rolled back whole: the second operation was not written.
            assertThat(store.findOperation("b")).isEmpty();
        }
    }

    @Test
    void aModelInUseCannotBeDeletedByTheDatabaseEither() {
        try (SqlStore store = SqlStore.openSqlite(dir.resolve("scoria.db"))) {
            ModelRecord m = store.insertModel("m", v -> model("m", v));
            store.insertService(service("svc", m.ref()),
                    new Operation("a", "svc", "Create", Operation.State.Running, null, Instant.now(), Instant.now()));
            assertThatThrownBy(() -> store.deleteModel("m", 1)).isInstanceOf(ScoriaException.class);
            store.deleteService("svc");
            store.deleteModel("m", 1);
            assertThat(store.listModels(null)).isEmpty();
        }
    }
}
