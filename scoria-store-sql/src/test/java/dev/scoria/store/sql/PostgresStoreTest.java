package dev.scoria.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.store.BlobStore;
import dev.scoria.core.store.ChangeListener;
import dev.scoria.core.store.ServiceChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real PostgreSQL server, plus what only a shared database does: blobs, notifications, outages. */
class PostgresStoreTest extends StoreContract {

    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void newDatabase() {
        url = PostgresServer.shared().createDatabase();
    }

    @Override
    SqlStore open() {
        return SqlStore.openPostgres(DatabaseUrl.parse(url));
    }

    @Test
    void manyReplicasMigratingAnEmptyDatabaseAtOnceDoNotRace() throws Exception {
        String fresh = PostgresServer.shared().createDatabase();
        var calls = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < 4; i++) {
            calls.add(() -> {
                try (SqlStore s = SqlStore.openPostgres(DatabaseUrl.parse(fresh))) {
                    return s.putSettingIfAbsent(
                                    "workspace_id",
                                    "id-" + Thread.currentThread().getId())
                            .length();
                }
            });
        }
        runAll(calls);
        try (SqlStore s = SqlStore.openPostgres(DatabaseUrl.parse(fresh))) {
            assertThat(s.listServices()).isEmpty();
            assertThat(s.setting("workspace_id")).isPresent();
        }
    }

    @Test
    void blobsLargerThanOneChunkComeBackWhole() throws Exception {
        byte[] content = new byte[9 * 1024 * 1024 + 123];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("model.bin");
        Files.write(file, content);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        try (SqlStore store = open()) {
            BlobStore blobs = store.blobs().orElseThrow();
            assertThat(blobs.hasBlob(sha)).isFalse();
            blobs.putBlob(sha, content.length, file);
            blobs.putBlob(sha, content.length, file);
            assertThat(blobs.hasBlob(sha)).isTrue();
        }
        try (SqlStore other = open()) {
            Path back = dir.resolve("back.bin");
            other.blobs().orElseThrow().readBlob(sha, back);
            assertThat(Files.readAllBytes(back)).isEqualTo(content);
        }
    }

    @Test
    void aChangeCommittedByOneReplicaWakesTheOthers() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch changed = new CountDownLatch(1);
        try (SqlStore a = open();
                SqlStore b = open();
                AutoCloseable feed = b.listen(listener(connected, changed, new AtomicInteger()))) {
            assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
            ModelRecord m = a.insertModel("m", v -> model("m", v));
            a.insertService(service("svc", m.ref()), op("o", "svc"));
            assertThat(changed.await(2, TimeUnit.SECONDS))
                    .as("notified within 2 s")
                    .isTrue();
        }
    }

    @Test
    void afterTheDatabaseRestartsListenersReconnectAndCallsFailAsUnavailableMeanwhile() throws Exception {
        try (PostgresServer own = PostgresServer.start()) {
            String ownUrl = own.createDatabase();
            CountDownLatch connected = new CountDownLatch(1);
            AtomicInteger reconnects = new AtomicInteger();
            try (SqlStore store = SqlStore.openPostgres(DatabaseUrl.parse(ownUrl));
                    AutoCloseable feed = store.listen(listener(connected, new CountDownLatch(1), reconnects))) {
                assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
                ModelRecord m = store.insertModel("m", v -> model("m", v));
                own.stopServer();
                assertThatThrownBy(() -> store.listModels(null))
                        .isInstanceOf(ScoriaException.class)
                        .extracting(e -> ((ScoriaException) e).kind())
                        .isEqualTo(ErrorKind.STORE_UNAVAILABLE);
                own.startServer();
                long deadline = System.currentTimeMillis() + 20_000;
                while (reconnects.get() < 2 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(reconnects.get())
                        .as("a full resync is asked for after reconnecting")
                        .isGreaterThanOrEqualTo(2);
                // Nothing committed before the outage is lost, and the pool recovers by itself.
                assertThat(store.listModels(null)).containsExactly(m);
                store.insertService(service("after", m.ref()), op("o2", "after"));
                store.changeService("after", (c, r) -> new ServiceChange.Result(c, null));
            }
        }
    }

    private static ChangeListener listener(CountDownLatch connected, CountDownLatch changed, AtomicInteger reconnects) {
        return new ChangeListener() {
            @Override
            public void changed() {
                changed.countDown();
            }

            @Override
            public void reconnected() {
                reconnects.incrementAndGet();
                connected.countDown();
            }
        };
    }

    @Test
    void databaseUrlsAreReadInEveryFormUsersWriteThem() {
        assertThat(DatabaseUrl.parse("postgresql://u:p%40ss@db:5432/scoria?sslmode=require"))
                .isEqualTo(new DatabaseUrl("jdbc:postgresql://db:5432/scoria?sslmode=require", "u", "p@ss"));
        assertThat(DatabaseUrl.parse("jdbc:postgresql://db/scoria"))
                .isEqualTo(new DatabaseUrl("jdbc:postgresql://db/scoria", null, null));
        assertThat(DatabaseUrl.parse("postgres://u@db/x").user()).isEqualTo("u");
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:secret@db/x"))
                .hasMessageContaining("must start with")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:p@db"))
                .hasMessageContaining("name a host and a database");
        assertThat(DatabaseUrl.redact("postgresql://u:secret@db/x")).isEqualTo("postgresql://u:***@db/x");
    }
}
