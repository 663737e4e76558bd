package dev.scoria.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.access.AccessCredential;
import dev.scoria.core.access.AccessTokens;
import dev.scoria.core.access.AuditEntry;
import dev.scoria.core.access.Caller;
import dev.scoria.core.access.IssuedToken;
import dev.scoria.core.access.Role;
import dev.scoria.core.access.ServicePatterns;
import dev.scoria.core.auth.SigningKeyRecord;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.replica.ReplicaRecord;
import dev.scoria.core.replica.ReplicaReport;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.DeploymentSpec;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.core.service.LogLine;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceSettings;
import dev.scoria.core.service.ServiceState;
import dev.scoria.core.service.SettingsPatch;
import dev.scoria.core.store.ServiceChange;
import dev.scoria.core.traffic.TrafficSplit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every store must do, run against the real databases: SQLite ({@link SqliteStoreTest}) and
 * PostgreSQL ({@link PostgresStoreTest}). Concurrency is tested through two stores opened on the
 * same database, as two replicas (or a reopened process) would.
 */
abstract class StoreContract {

    /** A new store on this test's database; every call opens the same database again. */
    abstract SqlStore open();

    static ModelRecord model(String name, int version) {
        return new ModelRecord(
                name,
                version,
                "Onnx",
                null,
                "ridge",
                Map.of("team", "a"),
                Map.of("r2", "0.33"),
                List.of(new ModelFile("model.onnx", "ab".repeat(32), 399)),
                "ab".repeat(32),
                399,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    static ServiceRecord service(String name, ModelRef ref) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ServiceSettings settings = new ServiceSettings(
                "demo",
                Map.of("env", "test"),
                Map.of(),
                new InferenceSpec(
                        "java",
                        new ModelFile("scorer.jar", "cd".repeat(32), 1234),
                        "com.acme.MyScorer",
                        Map.of("threshold", "0.5")),
                AuthMode.KEY,
                new ServiceLimits(1000, 2, 300),
                List.of("https://app.example.com"));
        return ServiceRecord.single(
                name,
                settings,
                List.of(ref),
                new ServiceKeys("primary-key", "secondary-key"),
                new SchemaSpec("{\"data\":[[1]]}", "[1.5]", "{\"swagger\":\"2.0\"}"),
                ServiceState.Healthy,
                null,
                now,
                now,
                1);
    }

    static Operation op(String id, String service) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new Operation(id, service, "default", "Create", Operation.State.Running, null, now, now, 1);
    }

    @Test
    void aModelsFrameworkAndItsVersionAreKept() {
        ModelRecord sklearn;
        try (SqlStore store = open()) {
            store.insertModel("diabetes", v -> model("diabetes", v));
            sklearn = store.insertModel(
                    "sk",
                    v -> new ModelRecord(
                            "sk",
                            v,
                            "ScikitLearn",
                            "1.2",
                            "",
                            Map.of(),
                            Map.of(),
                            List.of(new ModelFile("model.pkl", "ef".repeat(32), 611)),
                            "ef".repeat(32),
                            611,
                            Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        }
        try (SqlStore reopened = open()) {
            ModelRecord found = reopened.findModel("sk", 1).orElseThrow();
            assertThat(found).isEqualTo(sklearn);
            assertThat(found.framework()).isEqualTo("ScikitLearn");
            assertThat(found.frameworkVersion()).isEqualTo("1.2");
            assertThat(reopened.findModel("diabetes", 1).orElseThrow().frameworkVersion())
                    .isNull();
        }
    }

    @Test
    void aServiceWithNoModelIsKept() {
        ServiceRecord record = service("scriptonly", new ModelRef("unused", 1));
        ServiceRecord noModel = record.withDeployment(record.primary().withModels(List.of()));
        try (SqlStore store = open()) {
            store.insertService(noModel, op("op-none", "scriptonly"));
        }
        try (SqlStore reopened = open()) {
            ServiceRecord found = reopened.findService("scriptonly").orElseThrow();
            assertThat(found.primary().models()).isEmpty();
            assertThat(found.deployments()).hasSize(1);
        }
    }

    @Test
    void everythingCommittedIsFoundAfterReopeningTheDatabase() {
        ModelRecord m1;
        ModelRecord m2;
        Operation op = op("op-1", "mysvc");
        try (SqlStore store = open()) {
            m1 = store.insertModel("diabetes", v -> model("diabetes", v));
            m2 = store.insertModel("diabetes", v -> model("diabetes", v));
            store.insertService(service("mysvc", m2.ref()), op);
            store.changeService(
                    "mysvc",
                    (current, running) -> new ServiceChange.Result(
                            current.withKeys(new ServiceKeys("rotated", "secondary-key"))
                                    .nextGeneration(),
                            null));
        }
        assertThat(m1.version()).isEqualTo(1);
        assertThat(m2.version()).isEqualTo(2);
        try (SqlStore reopened = open()) {
            assertThat(reopened.listModels("diabetes")).containsExactly(m1, m2);
            ServiceRecord found = reopened.findService("mysvc").orElseThrow();
            assertThat(found.keys()).isEqualTo(new ServiceKeys("rotated", "secondary-key"));
            assertThat(found.generation()).isEqualTo(2);
            assertThat(found.models()).containsExactly(new ModelRef("diabetes", 2));
            assertThat(found.limits()).isEqualTo(new ServiceLimits(1000, 2, 300));
            assertThat(found.schema()).isEqualTo(new SchemaSpec("{\"data\":[[1]]}", "[1.5]", "{\"swagger\":\"2.0\"}"));
            assertThat(found.inference())
                    .isEqualTo(new InferenceSpec(
                            "java",
                            new ModelFile("scorer.jar", "cd".repeat(32), 1234),
                            "com.acme.MyScorer",
                            Map.of("threshold", "0.5")));
            assertThat(found.settings().tags()).isEqualTo(Map.of("env", "test"));
            assertThat(found.corsOrigins()).containsExactly("https://app.example.com");
            assertThat(reopened.findOperation("op-1")).contains(op);
            assertThat(reopened.runningOperations()).containsExactly(op);
            assertThat(reopened.servicesUsingModel(m2.ref())).containsExactly("mysvc");
            assertThat(reopened.finishOperation("op-1", Operation.State.Succeeded, null))
                    .isTrue();
            assertThat(reopened.finishOperation("op-1", Operation.State.Failed, "late"))
                    .isFalse();
            assertThat(reopened.findOperation("op-1").orElseThrow().state()).isEqualTo(Operation.State.Succeeded);
        }
    }

    @Test
    void aServiceWithTwoDeploymentsASplitAndAMirrorComesBackAsItWasWritten() {
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        InferenceSpec onnx = InferenceSpec.of("onnx");
        ServiceRecord written;
        try (SqlStore store = open()) {
            ModelRecord v1 = store.insertModel("diabetes", v -> model("diabetes", v));
            ModelRecord v2 = store.insertModel("diabetes", v -> model("diabetes", v));
            ModelRecord scaler = store.insertModel("scaler", v -> model("scaler", v));
            ServiceRecord single = service("svc", v1.ref());
            DeploymentSpec green = new DeploymentSpec(
                    "green",
                    onnx,
                    new ServiceLimits(5000, 4, 100, 16, 500),
                    List.of(v2.ref(), scaler.ref()),
                    new SchemaSpec("{\"data\":[[2]]}", null, null),
                    3,
                    created);
            DeploymentSpec shadow = new DeploymentSpec(
                    "shadow", onnx, ServiceLimits.DEFAULTS, List.of(v2.ref()), SchemaSpec.NONE, 1, created);
            // The green split is written first: the order a user gave is the order it is shown in.
            written = new ServiceRecord(
                    single.name(),
                    single.settings(),
                    single.keys(),
                    ServiceState.Healthy,
                    null,
                    single.createdTime(),
                    single.updatedTime(),
                    List.of(single.deployment("default"), green, shadow),
                    new TrafficSplit(orderedSplit("green", 60, "default", 40), "shadow", 25)
                            .checkedAgainst(List.of("default", "green", "shadow")));
            store.insertService(written, op("o", "svc"));
            assertThat(store.servicesUsingModel(scaler.ref())).containsExactly("svc");
            assertThatThrownBy(() -> store.deleteModel("scaler", 1))
                    .as("a model used by any deployment cannot be deleted")
                    .isInstanceOf(ScoriaException.class)
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.CONFLICT);
        }
        try (SqlStore reopened = open()) {
            ServiceRecord found = reopened.findService("svc").orElseThrow();
            assertThat(found.sameSettings(written)).as(found.toString()).isTrue();
            assertThat(found.deployments()).isEqualTo(written.deployments());
            assertThat(found.traffic().live()).containsExactly(Map.entry("green", 60), Map.entry("default", 40));
            assertThat(found.traffic().mirror()).isEqualTo("shadow");
            assertThat(found.traffic().mirrorPercent()).isEqualTo(25);
            // The service shows its primary deployment (the one with the most traffic).
            assertThat(found.primary().name()).isEqualTo("green");
            assertThat(found.limits()).isEqualTo(new ServiceLimits(5000, 4, 100, 16, 500));
            assertThat(found.generation()).isEqualTo(3);

            // Mirror off, then the mirrored deployment removed: its rows go, the rest is untouched.
            reopened.changeService(
                    "svc",
                    (current, running) -> new ServiceChange.Result(
                            current.withTraffic(current.traffic().withMirror(null, 0))
                                    .withoutDeployment("shadow"),
                            null));
        }
        try (SqlStore reopened = open()) {
            ServiceRecord found = reopened.findService("svc").orElseThrow();
            assertThat(found.deploymentNames()).containsExactly("default", "green");
            assertThat(found.traffic()).isEqualTo(new TrafficSplit(orderedSplit("green", 60, "default", 40), null, 0));
            assertThat(reopened.servicesUsingModel(new ModelRef("scaler", 1))).containsExactly("svc");
        }
    }

    private static Map<String, Integer> orderedSplit(String first, int firstPercent, String second, int secondPercent) {
        Map<String, Integer> split = new LinkedHashMap<>();
        split.put(first, firstPercent);
        split.put(second, secondPercent);
        return split;
    }

    @Test
    void aDeletedModelVersionNumberIsNeverHandedOutAgain() {
        try (SqlStore store = open()) {
            store.insertModel("m", v -> model("m", v));
            store.insertModel("m", v -> model("m", v));
            store.deleteModel("m", 2);
            assertThat(store.insertModel("m", v -> model("m", v)).version()).isEqualTo(3);
        }
    }

    @Test
    void settingsAndSigningKeysSurviveAReopenAndRotationRetiresTheActiveKey() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqlStore store = open()) {
            assertThat(store.putSettingIfAbsent("workspace_id", "first")).isEqualTo("first");
            assertThat(store.putSettingIfAbsent("workspace_id", "second")).isEqualTo("first");
            store.putSetting("admin", "h1");
            store.putSetting("admin", "h2");
            store.rotateSigningKey(new SigningKeyRecord("k1", "ES256", "priv1", "pub1", t0, null), t0);
            store.rotateSigningKey(
                    new SigningKeyRecord("k2", "ES256", "priv2", "pub2", t0.plusSeconds(1), null), t0.plusSeconds(1));
        }
        try (SqlStore store = open()) {
            assertThat(store.setting("workspace_id")).contains("first");
            assertThat(store.setting("admin")).contains("h2");
            List<SigningKeyRecord> keys = store.signingKeys();
            assertThat(keys).extracting(SigningKeyRecord::kid).containsExactly("k1", "k2");
            assertThat(keys.get(0).retiredTime()).isEqualTo(t0.plusSeconds(1));
            assertThat(keys.get(1).active()).isTrue();
            store.deleteRetiredSigningKeys();
            assertThat(store.signingKeys()).extracting(SigningKeyRecord::kid).containsExactly("k2");
        }
    }

    @Test
    void aServiceNameCanOnlyBeTakenOnceAndAFailedInsertLeavesNothing() {
        try (SqlStore store = open()) {
            ModelRecord m = store.insertModel("m", v -> model("m", v));
            store.insertService(service("svc", m.ref()), op("a", "svc"));
            assertThatThrownBy(() -> store.insertService(service("svc", m.ref()), op("b", "svc")))
                    .isInstanceOf(ScoriaException.class)
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.CONFLICT);
            assertThat(store.findOperation("b")).isEmpty();
        }
    }

    @Test
    void aModelInUseCannotBeDeletedByTheDatabaseEither() {
        try (SqlStore store = open()) {
            ModelRecord m = store.insertModel("m", v -> model("m", v));
            store.insertService(service("svc", m.ref()), op("a", "svc"));
            assertThatThrownBy(() -> store.deleteModel("m", 1))
                    .isInstanceOf(ScoriaException.class)
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.CONFLICT);
            store.changeService("svc", (current, running) -> new ServiceChange.Result(null, null));
            assertThat(store.findService("svc")).isEmpty();
            assertThat(store.findOperation("a").orElseThrow().state()).isEqualTo(Operation.State.Failed);
            store.deleteModel("m", 1);
            assertThat(store.listModels(null)).isEmpty();
        }
    }

    @Test
    void aKeyAnotherServiceHoldsIsRefusedButKeysSharedBeforeDoNotBlockOtherChanges() {
        try (SqlStore store = open()) {
            ModelRecord m = store.insertModel("m", v -> model("m", v));
            // service() gives every service the same keys, as a workspace made before the check may hold.
            store.insertService(service("a", m.ref()), op("a", "a"));
            store.insertService(service("b", m.ref()), op("b", "b"));
            store.changeService(
                    "b",
                    (c, r) -> new ServiceChange.Result(
                            c.withSettings(SettingsPatch.builder()
                                    .description("still shares its keys")
                                    .build()
                                    .applyTo(c.settings())),
                            null));
            store.changeService(
                    "a",
                    (c, r) -> new ServiceChange.Result(c.withKeys(new ServiceKeys("a-primary", "a-secondary")), null));

            for (ServiceKeys taken : List.of(
                    new ServiceKeys("fresh-key", "a-primary"), new ServiceKeys("a-secondary", "secondary-key"))) {
                assertThatThrownBy(() ->
                                store.changeService("b", (c, r) -> new ServiceChange.Result(c.withKeys(taken), null)))
                        .isInstanceOf(ScoriaException.class)
                        .hasMessage("keyValue is already in use by another service: choose a different value")
                        .extracting(e -> ((ScoriaException) e).kind())
                        .isEqualTo(ErrorKind.CONFLICT);
            }
            assertThat(store.findService("b").orElseThrow().keys())
                    .isEqualTo(new ServiceKeys("primary-key", "secondary-key"));

            store.changeService(
                    "b",
                    (c, r) -> new ServiceChange.Result(c.withKeys(new ServiceKeys("b-primary", "b-secondary")), null));
            assertThat(store.findService("b").orElseThrow().keys())
                    .isEqualTo(new ServiceKeys("b-primary", "b-secondary"));
        }
    }

    @Test
    void servicesTakingOneNewKeyAtOnceThroughTwoStoresLetExactlyOneHaveIt() throws Exception {
        try (SqlStore a = open();
                SqlStore b = open()) {
            ModelRecord m = a.insertModel("m", v -> model("m", v));
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "svc-" + i;
                a.insertService(service(name, m.ref()), op("op-" + i, name));
                SqlStore s = i % 2 == 0 ? a : b;
                calls.add(() -> {
                    try {
                        s.changeService(
                                name,
                                (c, r) -> new ServiceChange.Result(
                                        c.withKeys(new ServiceKeys(
                                                "contested-key", c.keys().secondary())),
                                        null));
                        return 1;
                    } catch (ScoriaException e) {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                        return 0;
                    }
                });
            }
            assertThat(runAll(calls).stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
            assertThat(a.listServices().stream().filter(r -> r.keys().primary().equals("contested-key")))
                    .hasSize(1);
        }
    }

    @Test
    void changingAMissingServiceIsNotFound() {
        try (SqlStore store = open()) {
            assertThatThrownBy(() -> store.changeService("nope", (c, r) -> new ServiceChange.Result(c, null)))
                    .isInstanceOf(ScoriaException.class)
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.NOT_FOUND);
        }
    }

    @Test
    void concurrentRegistersThroughTwoStoresGetDistinctVersions() throws Exception {
        try (SqlStore a = open();
                SqlStore b = open()) {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                SqlStore s = i % 2 == 0 ? a : b;
                calls.add(() -> s.insertModel("shared", v -> model("shared", v)).version());
            }
            List<Integer> versions = runAll(calls);
            Collections.sort(versions);
            List<Integer> expected = new ArrayList<>();
            for (int v = 1; v <= 40; v++) {
                expected.add(v);
            }
            assertThat(versions).isEqualTo(expected);
        }
    }

    @Test
    void concurrentDeploysOfOneNameThroughTwoStoresLetExactlyOneWin() throws Exception {
        try (SqlStore a = open();
                SqlStore b = open()) {
            ModelRecord m = a.insertModel("m", v -> model("m", v));
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                SqlStore s = i % 2 == 0 ? a : b;
                String id = "op-" + i;
                calls.add(() -> {
                    try {
                        s.insertService(service("race", m.ref()), op(id, "race"));
                        return 1;
                    } catch (ScoriaException e) {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                        return 0;
                    }
                });
            }
            assertThat(runAll(calls).stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);
            assertThat(a.listServices()).hasSize(1);
        }
    }

    @Test
    void concurrentChangesToOneServiceUnderItsRowLockLoseNothing() throws Exception {
        try (SqlStore a = open();
                SqlStore b = open()) {
            ModelRecord m = a.insertModel("m", v -> model("m", v));
            a.insertService(service("svc", m.ref()), op("a", "svc"));
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                SqlStore s = i % 2 == 0 ? a : b;
                calls.add(() -> {
                    s.changeService("svc", (current, running) -> {
                        Map<String, String> tags =
                                new HashMap<>(current.settings().tags());
                        tags.merge("count", "1", (x, y) -> Integer.toString(Integer.parseInt(x) + 1));
                        return new ServiceChange.Result(
                                current.withSettings(SettingsPatch.builder()
                                        .tags(tags)
                                        .build()
                                        .applyTo(current.settings())),
                                null);
                    });
                    return 1;
                });
            }
            runAll(calls);
            assertThat(a.findService("svc").orElseThrow().settings().tags()).containsEntry("count", "30");
        }
    }

    @Test
    void replicasHeartbeatAndReportWhatTheyServe() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqlStore store = open()) {
            store.heartbeat(new ReplicaRecord("r1", "http://127.0.0.1:1", "0.1.0", now, now));
            store.heartbeat(new ReplicaRecord("r2", "http://127.0.0.1:2", "0.1.0", now, now));
            store.heartbeat(new ReplicaRecord("r1", "http://127.0.0.1:1", "0.1.0", now, now.plusSeconds(1)));
            assertThat(store.listReplicas()).extracting(ReplicaRecord::id).containsExactly("r1", "r2");
            assertThat(store.listReplicas().get(0).heartbeatAt()).isEqualTo(now.plusSeconds(1));
            ReplicaReport ok = new ReplicaReport("r1", "svc", "default", 3, ServiceState.Healthy, null, now);
            ReplicaReport bad = new ReplicaReport("r2", "svc", "default", 3, ServiceState.Failed, "no model", now);
            store.reportServices("r1", List.of(ok));
            store.reportServices("r2", List.of(bad));
            assertThat(store.serviceReports("svc")).containsExactly(ok, bad);
            store.reportServices("r1", List.of());
            assertThat(store.serviceReports(null)).containsExactly(bad);
            store.deleteReplica("r2");
            assertThat(store.serviceReports(null)).isEmpty();
            assertThat(store.listReplicas()).extracting(ReplicaRecord::id).containsExactly("r1");
        }
    }

    @Test
    void logLinesOfEveryReplicaAreKeptInOrder() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqlStore store = open()) {
            store.appendLogLines(List.of(
                    new LogLine("svc", now, "r1", "INFO", "one"), new LogLine("svc", now, "r2", "INFO", "two")));
            store.appendLogLines(List.of(
                    new LogLine("svc", now, "r1", "ERROR", "three"), new LogLine("other", now, "r1", "INFO", "x")));
            assertThat(store.tailLog("svc", 0)).extracting(LogLine::message).containsExactly("one", "two", "three");
            assertThat(store.tailLog("svc", 2))
                    .extracting(LogLine::format)
                    .containsExactly(now + " r2 INFO two", now + " r1 ERROR three");
        }
    }

    @Test
    void accessTokensAreStoredHashedFoundByIdAndRevokedForEveryStoreOnTheDatabase() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqlStore a = open();
                SqlStore b = open()) {
            AccessTokens tokens = new AccessTokens(a, Clock.fixed(now, ZoneOffset.UTC));
            IssuedToken issued = tokens.create(
                    Role.DEPLOYER,
                    new ServicePatterns(List.of("fraud-*", "risk")),
                    Optional.of(Duration.ofDays(30)),
                    "ci",
                    Caller.ADMIN_TOKEN);
            AccessCredential stored = b.findCredential(issued.credential().id()).orElseThrow();
            assertThat(stored).isEqualTo(issued.credential());
            assertThat(stored.expiresTime()).isEqualTo(now.plus(Duration.ofDays(30)));
            assertThat(stored.services().globs()).containsExactly("fraud-*", "risk");
            assertThat(stored.createdBy()).isEqualTo("admin");
            String secret = issued.token().substring("scoria_".length() + 13);
            assertThat(stored.secretSha256()).hasSize(64).doesNotContain(secret);
            assertThat(stored.toString()).doesNotContain(stored.secretSha256());
            // The same id twice is refused, not overwritten.
            assertThat(a.insertCredential(stored)).isFalse();

            Caller caller = new AccessTokens(b, Clock.systemUTC()).authenticate(issued.token());
            assertThat(caller.credentialId()).isEqualTo(stored.id());
            assertThat(caller.role()).isEqualTo(Role.DEPLOYER);

            IssuedToken never =
                    tokens.create(Role.READER, ServicePatterns.ALL, Optional.empty(), "", Caller.ADMIN_TOKEN);
            assertThat(b.listCredentials())
                    .extracting(AccessCredential::id)
                    .containsExactlyInAnyOrder(stored.id(), never.credential().id());
            assertThat(b.findCredential(never.credential().id()).orElseThrow().expiresTime())
                    .isNull();

            assertThat(b.revokeCredential(stored.id(), now.plusSeconds(5))).isTrue();
            // A second revoke keeps the first time.
            assertThat(a.revokeCredential(stored.id(), now.plusSeconds(60))).isTrue();
            assertThat(a.findCredential(stored.id()).orElseThrow().revokedTime())
                    .isEqualTo(now.plusSeconds(5));
            assertThat(a.revokeCredential("nosuchtoken0", now)).isFalse();
            assertThatThrownBy(() -> new AccessTokens(a, Clock.systemUTC()).authenticate(issued.token()))
                    .isInstanceOf(ScoriaException.class)
                    .hasMessageContaining("revoked")
                    .extracting(e -> ((ScoriaException) e).kind())
                    .isEqualTo(ErrorKind.UNAUTHORIZED);
            assertThat(a.findCredential(never.credential().id()).orElseThrow().revokedTime())
                    .isNull();
        }
    }

    @Test
    void theAuditLogKeepsEntriesInOrderReadsFromATimeAndTrimsToTheNewest() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqlStore a = open();
                SqlStore b = open()) {
            a.appendAudit(
                    new AuditEntry(t0, "admin", Role.ADMIN, "POST", "/api/v1/services", "svc", null, 202, "r1"), 1000);
            b.appendAudit(
                    new AuditEntry(t0.plusSeconds(1), null, null, "GET", "/api/v1/models", null, null, 401, "r2"),
                    1000);
            a.appendAudit(
                    new AuditEntry(
                            t0.plusSeconds(2),
                            "abcdefghijkl",
                            Role.READER,
                            "DELETE",
                            "/api/v1/models/m/1",
                            null,
                            "m:1",
                            403,
                            "r1"),
                    1000);
            List<AuditEntry> all = b.readAudit(null, 0);
            assertThat(all).extracting(AuditEntry::status).containsExactly(202, 401, 403);
            assertThat(all.get(0))
                    .isEqualTo(new AuditEntry(
                            t0, "admin", Role.ADMIN, "POST", "/api/v1/services", "svc", null, 202, "r1"));
            assertThat(all.get(1).credentialId()).isNull();
            assertThat(all.get(1).role()).isNull();
            assertThat(all.get(2).model()).isEqualTo("m:1");
            assertThat(b.readAudit(null, 2)).extracting(AuditEntry::status).containsExactly(401, 403);
            assertThat(b.readAudit(t0.plusSeconds(1), 0))
                    .extracting(AuditEntry::status)
                    .containsExactly(401, 403);
            assertThat(b.readAudit(t0.plusSeconds(3), 0)).isEmpty();

            // Trimming runs once every thousand appends and keeps the newest ones.
            for (int i = 0; i < 1000; i++) {
                a.appendAudit(
                        new AuditEntry(
                                t0.plusSeconds(10 + i), "admin", Role.ADMIN, "GET", "/x/" + i, null, null, 200, "r1"),
                        10);
            }
            List<AuditEntry> kept = b.readAudit(null, 0);
            assertThat(kept.size()).isBetween(10, 12);
            assertThat(kept.get(kept.size() - 1).path()).isEqualTo("/x/999");
        }
    }

    static <T> List<T> runAll(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
