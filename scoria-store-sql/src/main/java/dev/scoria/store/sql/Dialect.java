package dev.scoria.store.sql;

import java.sql.SQLException;
import java.util.Map;

/** What differs between the two databases a workspace can live in; the SQL itself is shared. */
enum Dialect {
    SQLITE(Map.of("blob_type", "BLOB", "serial_id", "INTEGER PRIMARY KEY AUTOINCREMENT"), "", null),
    POSTGRESQL(
            Map.of("blob_type", "BYTEA", "serial_id", "BIGSERIAL PRIMARY KEY"),
            " FOR UPDATE",
            "SELECT pg_advisory_xact_lock(7305546216845829229)");

    /** The channel replicas LISTEN on; the payload is not used: any change triggers a resync. */
    static final String CHANNEL = "scoria_changes";

    final Map<String, String> migrationPlaceholders;
    /** Appended to a SELECT that reads a row about to be changed: SQLite already serialises writers. */
    final String lockRow;
    /**
     * Run before checking that a new service key is held by no other service, or null where writers are
     * serialised already (SQLite). Two services' row locks do not exclude each other, so without it two
     * replicas could each find a value free and both commit it; the lock is held to the end of the
     * transaction.
     */
    final String lockKeyChanges;

    Dialect(Map<String, String> migrationPlaceholders, String lockRow, String lockKeyChanges) {
        this.migrationPlaceholders = migrationPlaceholders;
        this.lockRow = lockRow;
        this.lockKeyChanges = lockKeyChanges;
    }

    boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s
                    && ("23505".equals(s.getSQLState())
                            || this == SQLITE
                                    && s.getErrorCode() == 19
                                    && String.valueOf(s.getMessage()).contains("UNIQUE"))) {
                return true;
            }
        }
        return false;
    }
}
