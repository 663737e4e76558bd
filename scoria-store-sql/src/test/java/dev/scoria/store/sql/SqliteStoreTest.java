package dev.scoria.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite file. */
class SqliteStoreTest extends StoreContract {

    @TempDir
    Path dir;

    @Override
    SqlStore open() {
        return SqlStore.openSqlite(dir.resolve("scoria.db"));
    }

    @Test
    void theDatabaseFileIsReadableByItsOwnerOnlyAndHasNoBlobTable() throws IOException {
        try (SqlStore store = open()) {
            assertThat(store.shared()).isFalse();
            assertThat(store.blobs()).isEmpty();
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("scoria.db")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
