package dev.scoria.store.sql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.access.AccessCredential;
import dev.scoria.core.access.AuditEntry;
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
import dev.scoria.core.store.BlobStore;
import dev.scoria.core.store.ChangeListener;
import dev.scoria.core.store.ServiceChange;
import dev.scoria.core.store.Store;
import dev.scoria.core.traffic.TrafficSplit;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The workspace store on SQLite (one process, the embedded default) or PostgreSQL (shared by
 * replicas), through a HikariCP pool. The SQL is the same for both; {@link Dialect} holds the few
 * differences. Changes that other replicas must see are announced with {@code pg_notify} inside
 * the transaction that makes them, so a notification is sent if and only if the change commits.
 */
public final class SqlStore implements Store {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final TypeReference<List<ModelFile>> FILES = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    /** Kept in the order written, so that a split reads back as it was given. */
    private static final TypeReference<LinkedHashMap<String, Integer>> TRAFFIC = new TypeReference<>() {};

    private static final int BLOB_CHUNK_BYTES = 4 * 1024 * 1024;
    /** Lines kept per service in the database log; older ones are trimmed. */
    private static final int LOG_LINES_KEPT = 20_000;

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final DatabaseUrl postgres;
    private int appendsSinceTrim;
    private int auditsSinceTrim;

    private SqlStore(HikariDataSource pool, Dialect dialect, DatabaseUrl postgres) {
        this.pool = pool;
        this.dialect = dialect;
        this.postgres = postgres;
    }

    /** Opens (creating and migrating as needed) the SQLite database {@code file}. */
    public static SqlStore openSqlite(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Keys and signing keys live in this file: readable by its owner only. SQLite gives the
            // -wal and -shm files the database file's mode.
            restrictToOwner(file);
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            // FULL: a commit is on disk before we acknowledge it, even across a power cut.
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.enforceForeignKeys(true);
            config.setBusyTimeout(5000);
            // Take the write lock when a transaction starts: a read-then-write transaction cannot then fail with
            // SQLITE_BUSY half-way when another process (a second store on the file) writes at the same time.
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            SQLiteDataSource sqlite = new SQLiteDataSource(config);
            sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
            migrate(sqlite, Dialect.SQLITE);
            HikariConfig hikari = new HikariConfig();
            hikari.setDataSource(sqlite);
            // SQLite serialises writers anyway: one connection, no lock contention inside the file.
            hikari.setMaximumPoolSize(1);
            hikari.setPoolName("scoria-sqlite");
            return new SqlStore(new HikariDataSource(hikari), Dialect.SQLITE, null);
        } catch (IOException e) {
            throw new ScoriaException(
                    ErrorKind.INTERNAL, "could not open the store at " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a PostgreSQL workspace, creating its tables on first use. Several replicas may do this at once:
     * Flyway takes an advisory lock, so one migrates and the others wait.
     */
    public static SqlStore openPostgres(DatabaseUrl url) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url.jdbcUrl());
        hikari.setUsername(url.user());
        hikari.setPassword(url.password());
        hikari.setPoolName("scoria-postgresql");
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        // Management calls answer 503 quickly while the database is away, instead of hanging.
        hikari.setConnectionTimeout(3000);
        hikari.setValidationTimeout(1000);
        hikari.setInitializationFailTimeout(30_000);
        hikari.addDataSourceProperty("ApplicationName", "scoria");
        hikari.addDataSourceProperty("connectTimeout", "3");
        hikari.addDataSourceProperty("socketTimeout", "60");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new ScoriaException(
                    ErrorKind.STORE_UNAVAILABLE,
                    "could not connect to the workspace database " + url + ": " + rootMessage(e),
                    e);
        }
        try {
            migrate(pool, Dialect.POSTGRESQL);
        } catch (RuntimeException e) {
            pool.close();
            throw new ScoriaException(
                    ErrorKind.STORE_UNAVAILABLE,
                    "could not prepare the workspace database " + url + ": " + rootMessage(e),
                    e);
        }
        return new SqlStore(pool, Dialect.POSTGRESQL, url);
    }

    private static void restrictToOwner(Path file) throws IOException {
        var ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            } else {
                Files.setPosixFilePermissions(file, ownerOnly);
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own permissions are all we have.
        }
    }

    private static void migrate(DataSource dataSource, Dialect dialect) {
        Flyway.configure(SqlStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(dialect.migrationPlaceholders)
                .load()
                .migrate();
    }

    @Override
    public boolean shared() {
        return dialect == Dialect.POSTGRESQL;
    }

    // ---- models

    @Override
    public ModelRecord insertModel(String name, IntFunction<ModelRecord> factory) {
        return inTransaction(c -> {
            // One statement hands out the next version, so concurrent registers never get the same one.
            int next;
            try (PreparedStatement u = c.prepareStatement(
                    "INSERT INTO model_names (name, last_version) VALUES (?, 1)"
                            + " ON CONFLICT (name) DO UPDATE SET last_version = model_names.last_version + 1 RETURNING last_version")) {
                u.setString(1, name);
                try (ResultSet rs = u.executeQuery()) {
                    rs.next();
                    next = rs.getInt(1);
                }
            }
            ModelRecord m = factory.apply(next);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO models (name, version, framework, description, tags, properties, files, sha256,"
                            + " size_bytes, created_at, framework_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, m.name());
                s.setInt(2, m.version());
                s.setString(3, m.framework());
                s.setString(4, m.description());
                s.setString(5, JSON.writeValueAsString(m.tags()));
                s.setString(6, JSON.writeValueAsString(m.properties()));
                s.setString(7, JSON.writeValueAsString(m.files()));
                s.setString(8, m.sha256());
                s.setLong(9, m.size());
                s.setLong(10, m.createdTime().toEpochMilli());
                s.setString(11, m.frameworkVersion());
                s.executeUpdate();
            }
            return m;
        });
    }

    @Override
    public Optional<ModelRecord> findModel(String name, int version) {
        List<ModelRecord> found = queryModels("SELECT * FROM models WHERE name = ? AND version = ?", name, version);
        return found.stream().findFirst();
    }

    @Override
    public List<ModelRecord> listModels(String name) {
        return name == null
                ? queryModels("SELECT * FROM models ORDER BY name, version")
                : queryModels("SELECT * FROM models WHERE name = ? ORDER BY version", name);
    }

    @Override
    public void deleteModel(String name, int version) {
        inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM models WHERE name = ? AND version = ?")) {
                d.setString(1, name);
                d.setInt(2, version);
                d.executeUpdate();
            } catch (SQLException e) {
                if (String.valueOf(e.getSQLState()).startsWith("23") || e.getErrorCode() == 19) {
                    throw ScoriaException.conflict(
                            "model " + name + ":" + version + " is used by a service: delete or update it first");
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public List<String> servicesUsingModel(ModelRef ref) {
        List<String> names = new ArrayList<>();
        query(
                "SELECT DISTINCT service_name FROM deployment_models WHERE model_name = ? AND model_version = ?"
                        + " ORDER BY service_name",
                rs -> names.add(rs.getString(1)),
                ref.name(),
                ref.version());
        return names;
    }

    // ---- services and operations

    @Override
    public void insertService(ServiceRecord service, Operation operation) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO services (name, description, tags, properties,"
                    + " auth_mode, primary_key, secondary_key, state, error, created_at, updated_at, cors_origins, traffic,"
                    + " mirror_deployment, mirror_percent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, service.name());
                bindServiceColumns(s, service, 2);
                s.executeUpdate();
            } catch (SQLException e) {
                if (dialect.isUniqueViolation(e)) {
                    throw ScoriaException.conflict("service '" + service.name() + "' already exists");
                }
                throw e;
            }
            writeDeployments(c, service);
            insertOperationRow(c, operation);
            announce(c);
            return null;
        });
    }

    @Override
    public ServiceChange.Result changeService(String name, ServiceChange change) {
        return inTransaction(c -> {
            List<ServiceRecord> locked =
                    queryServices(c, "SELECT * FROM services WHERE name = ?" + dialect.lockRow, name);
            if (locked.isEmpty()) {
                throw ScoriaException.notFound("service '" + name + "' does not exist");
            }
            List<Operation> running = queryOperations(
                    c,
                    "SELECT * FROM operations WHERE service_name = ? AND state = ?" + " ORDER BY created_at",
                    name,
                    Operation.State.Running.name());
            ServiceChange.Result result = change.apply(locked.get(0), running.isEmpty() ? null : running.get(0));
            ServiceRecord updated = result.updated();
            if (updated != null) {
                requireKeysFree(c, name, locked.get(0).keys(), updated.keys());
            }
            if (updated == null) {
                execute(c, "DELETE FROM deployment_models WHERE service_name = ?", name);
                execute(c, "DELETE FROM deployments WHERE service_name = ?", name);
                execute(c, "DELETE FROM services WHERE name = ?", name);
                execute(c, "DELETE FROM replica_services WHERE service_name = ?", name);
                execute(c, "DELETE FROM service_log_lines WHERE service_name = ?", name);
                execute(
                        c,
                        "UPDATE operations SET state = ?, error = ?, updated_at = ? WHERE service_name = ? AND state = ?",
                        Operation.State.Failed.name(),
                        "the service was deleted",
                        Instant.now().toEpochMilli(),
                        name,
                        Operation.State.Running.name());
            } else {
                try (PreparedStatement s = c.prepareStatement("UPDATE services SET description = ?, tags = ?,"
                        + " properties = ?, auth_mode = ?, primary_key = ?, secondary_key = ?, state = ?, error = ?,"
                        + " created_at = ?, updated_at = ?, cors_origins = ?, traffic = ?, mirror_deployment = ?,"
                        + " mirror_percent = ? WHERE name = ?")) {
                    bindServiceColumns(s, updated, 1);
                    s.setString(15, name);
                    s.executeUpdate();
                }
                execute(c, "DELETE FROM deployment_models WHERE service_name = ?", name);
                execute(c, "DELETE FROM deployments WHERE service_name = ?", name);
                writeDeployments(c, updated);
            }
            if (result.operation() != null) {
                insertOperationRow(c, result.operation());
            }
            announce(c);
            return result;
        });
    }

    /**
     * Refuses a key the change gives the service that another service already holds: a caller holding
     * one service's key would otherwise be let into the other. Only new values are checked, so a
     * workspace that already shares a key (made before this check) can still change everything else.
     */
    private void requireKeysFree(Connection c, String name, ServiceKeys before, ServiceKeys after) throws Exception {
        List<String> added = new ArrayList<>();
        for (String key : List.of(after.primary(), after.secondary())) {
            if (!key.equals(before.primary()) && !key.equals(before.secondary())) {
                added.add(key);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        if (dialect.lockKeyChanges != null) {
            query(c, dialect.lockKeyChanges, rs -> {});
        }
        for (String key : added) {
            boolean[] held = {false};
            query(
                    c,
                    "SELECT 1 FROM services WHERE name <> ? AND (primary_key = ? OR secondary_key = ?)",
                    rs -> held[0] = true,
                    name,
                    key,
                    key);
            if (held[0]) {
                // Neither the value nor the other service is named: the caller may not be allowed to
                // see that service.
                throw ScoriaException.conflict(
                        "keyValue is already in use by another service: choose a different value");
            }
        }
    }

    @Override
    public Optional<ServiceRecord> findService(String name) {
        return readConsistent(c -> queryServices(c, "SELECT * FROM services WHERE name = ?", name)).stream()
                .findFirst();
    }

    @Override
    public List<ServiceRecord> listServices() {
        return readConsistent(c -> queryServices(c, "SELECT * FROM services ORDER BY name"));
    }

    @Override
    public void insertOperation(Operation operation) {
        inTransaction(c -> {
            insertOperationRow(c, operation);
            return null;
        });
    }

    @Override
    public boolean finishOperation(String id, Operation.State state, String error) {
        return inTransaction(c -> execute(
                        c,
                        "UPDATE operations SET state = ?, error = ?, updated_at = ? WHERE id = ? AND state = ?",
                        state.name(),
                        error,
                        Instant.now().toEpochMilli(),
                        id,
                        Operation.State.Running.name())
                == 1);
    }

    @Override
    public Optional<Operation> findOperation(String id) {
        return inTransaction(c -> queryOperations(c, "SELECT * FROM operations WHERE id = ?", id)).stream()
                .findFirst();
    }

    @Override
    public List<Operation> runningOperations() {
        return inTransaction(c -> queryOperations(
                c, "SELECT * FROM operations WHERE state = ? ORDER BY created_at", Operation.State.Running.name()));
    }

    // ---- workspace settings and signing keys

    @Override
    public Optional<String> setting(String name) {
        List<String> found = new ArrayList<>();
        query("SELECT value FROM workspace_settings WHERE name = ?", rs -> found.add(rs.getString(1)), name);
        return found.stream().findFirst();
    }

    @Override
    public String putSettingIfAbsent(String name, String value) {
        return inTransaction(c -> {
            execute(
                    c,
                    "INSERT INTO workspace_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                    name,
                    value);
            List<String> stored = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT value FROM workspace_settings WHERE name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
            announce(c);
            return stored.get(0);
        });
    }

    @Override
    public void putSetting(String name, String value) {
        inTransaction(c -> {
            execute(
                    c,
                    "INSERT INTO workspace_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = ?",
                    name,
                    value,
                    value);
            announce(c);
            return null;
        });
    }

    @Override
    public List<SigningKeyRecord> signingKeys() {
        List<SigningKeyRecord> keys = new ArrayList<>();
        query("SELECT * FROM signing_keys ORDER BY created_at, kid", rs -> {
            long retired = rs.getLong("retired_at");
            boolean active = rs.wasNull();
            keys.add(new SigningKeyRecord(
                    rs.getString("kid"),
                    rs.getString("algorithm"),
                    rs.getString("private_key"),
                    rs.getString("public_key"),
                    Instant.ofEpochMilli(rs.getLong("created_at")),
                    active ? null : Instant.ofEpochMilli(retired)));
        });
        return keys;
    }

    @Override
    public void rotateSigningKey(SigningKeyRecord next, Instant now) {
        inTransaction(c -> {
            execute(c, "UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL", now.toEpochMilli());
            execute(
                    c,
                    "INSERT INTO signing_keys (kid, algorithm, private_key, public_key, created_at, retired_at)"
                            + " VALUES (?, ?, ?, ?, ?, NULL)",
                    next.kid(),
                    next.algorithm(),
                    next.privateKey(),
                    next.publicKey(),
                    next.createdTime().toEpochMilli());
            announce(c);
            return null;
        });
    }

    @Override
    public void deleteRetiredSigningKeys() {
        inTransaction(c -> {
            execute(c, "DELETE FROM signing_keys WHERE retired_at IS NOT NULL");
            announce(c);
            return null;
        });
    }

    // ---- access tokens and the audit log

    @Override
    public boolean insertCredential(AccessCredential a) {
        return inTransaction(c -> execute(
                        c,
                        "INSERT INTO access_tokens (id, role, services, description, created_at, expires_at,"
                                + " revoked_at, created_by, secret_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (id) DO NOTHING",
                        a.id(),
                        a.role().name(),
                        JSON.writeValueAsString(a.services().globs()),
                        a.description(),
                        a.createdTime().toEpochMilli(),
                        a.expiresTime() == null ? null : a.expiresTime().toEpochMilli(),
                        a.revokedTime() == null ? null : a.revokedTime().toEpochMilli(),
                        a.createdBy(),
                        a.secretSha256())
                == 1);
    }

    @Override
    public Optional<AccessCredential> findCredential(String id) {
        return queryCredentials("SELECT * FROM access_tokens WHERE id = ?", id).stream()
                .findFirst();
    }

    @Override
    public List<AccessCredential> listCredentials() {
        return queryCredentials("SELECT * FROM access_tokens ORDER BY created_at, id");
    }

    @Override
    public boolean revokeCredential(String id, Instant at) {
        return inTransaction(c -> {
            execute(
                    c,
                    "UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    at.toEpochMilli(),
                    id);
            List<Integer> found = new ArrayList<>();
            query(c, "SELECT 1 FROM access_tokens WHERE id = ?", rs -> found.add(1), id);
            return !found.isEmpty();
        });
    }

    private List<AccessCredential> queryCredentials(String sql, Object... args) {
        List<AccessCredential> found = new ArrayList<>();
        query(
                sql,
                rs -> found.add(new AccessCredential(
                        rs.getString("id"),
                        Role.valueOf(rs.getString("role")),
                        new ServicePatterns(JSON.readValue(rs.getString("services"), STRINGS)),
                        rs.getString("description"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        instantOrNull(rs, "expires_at"),
                        instantOrNull(rs, "revoked_at"),
                        rs.getString("created_by"),
                        rs.getString("secret_sha256"))),
                args);
        return found;
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public void appendAudit(AuditEntry e, int kept) {
        boolean trim;
        synchronized (this) {
            trim = ++auditsSinceTrim >= 1000;
            if (trim) {
                auditsSinceTrim = 0;
            }
        }
        inTransaction(c -> {
            execute(
                    c,
                    "INSERT INTO audit_log (at, credential_id, role, method, path, service_name, model, status,"
                            + " replica_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    e.time().toEpochMilli(),
                    e.credentialId(),
                    e.role() == null ? null : e.role().name(),
                    e.method(),
                    e.path(),
                    e.service(),
                    e.model(),
                    e.status(),
                    e.replicaId());
            if (trim) {
                execute(
                        c,
                        "DELETE FROM audit_log WHERE id < (SELECT MIN(id) FROM"
                                + " (SELECT id FROM audit_log ORDER BY id DESC LIMIT ?) kept)",
                        kept);
            }
            return null;
        });
    }

    @Override
    public List<AuditEntry> readAudit(Instant since, int limit) {
        List<AuditEntry> entries = new ArrayList<>();
        query(
                "SELECT * FROM audit_log WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?",
                rs -> {
                    String role = rs.getString("role");
                    entries.add(new AuditEntry(
                            Instant.ofEpochMilli(rs.getLong("at")),
                            rs.getString("credential_id"),
                            role == null ? null : Role.valueOf(role),
                            rs.getString("method"),
                            rs.getString("path"),
                            rs.getString("service_name"),
                            rs.getString("model"),
                            rs.getInt("status"),
                            rs.getString("replica_id")));
                },
                since == null ? Long.MIN_VALUE : since.toEpochMilli(),
                limit <= 0 ? Integer.MAX_VALUE : limit);
        Collections.reverse(entries);
        return entries;
    }

    // ---- replicas

    @Override
    public void heartbeat(ReplicaRecord r) {
        inTransaction(c -> execute(
                c,
                "INSERT INTO replicas (id, address, version, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET address = ?, version = ?, started_at = ?, heartbeat_at = ?",
                r.id(),
                r.address(),
                r.version(),
                r.startedAt().toEpochMilli(),
                r.heartbeatAt().toEpochMilli(),
                r.address(),
                r.version(),
                r.startedAt().toEpochMilli(),
                r.heartbeatAt().toEpochMilli()));
    }

    @Override
    public List<ReplicaRecord> listReplicas() {
        List<ReplicaRecord> replicas = new ArrayList<>();
        query(
                "SELECT * FROM replicas ORDER BY id",
                rs -> replicas.add(new ReplicaRecord(
                        rs.getString("id"),
                        rs.getString("address"),
                        rs.getString("version"),
                        Instant.ofEpochMilli(rs.getLong("started_at")),
                        Instant.ofEpochMilli(rs.getLong("heartbeat_at")))));
        return replicas;
    }

    @Override
    public void deleteReplica(String id) {
        inTransaction(c -> {
            execute(c, "DELETE FROM replica_services WHERE replica_id = ?", id);
            execute(c, "DELETE FROM replicas WHERE id = ?", id);
            announce(c);
            return null;
        });
    }

    @Override
    public void reportServices(String replicaId, List<ReplicaReport> reports) {
        inTransaction(c -> {
            execute(c, "DELETE FROM replica_services WHERE replica_id = ?", replicaId);
            try (PreparedStatement s =
                    c.prepareStatement("INSERT INTO replica_services (replica_id, service_name, deployment,"
                            + " generation, state, error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (ReplicaReport r : reports) {
                    s.setString(1, replicaId);
                    s.setString(2, r.service());
                    s.setString(3, r.deployment());
                    s.setLong(4, r.generation());
                    s.setString(5, r.state().name());
                    s.setString(6, r.error());
                    s.setLong(7, r.updatedAt().toEpochMilli());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<ReplicaReport> serviceReports(String service) {
        List<ReplicaReport> reports = new ArrayList<>();
        RowReader reader = rs -> reports.add(new ReplicaReport(
                rs.getString("replica_id"),
                rs.getString("service_name"),
                rs.getString("deployment"),
                rs.getLong("generation"),
                ServiceState.valueOf(rs.getString("state")),
                rs.getString("error"),
                Instant.ofEpochMilli(rs.getLong("updated_at"))));
        if (service == null) {
            query("SELECT * FROM replica_services ORDER BY service_name, deployment, replica_id", reader);
        } else {
            query(
                    "SELECT * FROM replica_services WHERE service_name = ? ORDER BY deployment, replica_id",
                    reader,
                    service);
        }
        return reports;
    }

    // ---- logs

    @Override
    public void appendLogLines(List<LogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        boolean trim;
        synchronized (this) {
            appendsSinceTrim += lines.size();
            trim = appendsSinceTrim > 1000;
            if (trim) {
                appendsSinceTrim = 0;
            }
        }
        inTransaction(c -> {
            try (PreparedStatement s =
                    c.prepareStatement("INSERT INTO service_log_lines (service_name, replica_id, at, level,"
                            + " message) VALUES (?, ?, ?, ?, ?)")) {
                for (LogLine line : lines) {
                    s.setString(1, line.service());
                    s.setString(2, line.replicaId());
                    s.setLong(3, line.at().toEpochMilli());
                    s.setString(4, line.level());
                    s.setString(5, line.message());
                    s.addBatch();
                }
                s.executeBatch();
            }
            if (trim) {
                for (String service :
                        lines.stream().map(LogLine::service).distinct().toList()) {
                    execute(
                            c,
                            "DELETE FROM service_log_lines WHERE service_name = ? AND id < (SELECT MIN(id) FROM"
                                    + " (SELECT id FROM service_log_lines WHERE service_name = ? ORDER BY id DESC LIMIT ?) kept)",
                            service,
                            service,
                            LOG_LINES_KEPT);
                }
            }
            return null;
        });
    }

    @Override
    public List<LogLine> tailLog(String service, int limit) {
        List<LogLine> lines = new ArrayList<>();
        query(
                "SELECT * FROM service_log_lines WHERE service_name = ? ORDER BY id DESC LIMIT ?",
                rs -> lines.add(new LogLine(
                        rs.getString("service_name"),
                        Instant.ofEpochMilli(rs.getLong("at")),
                        rs.getString("replica_id"),
                        rs.getString("level"),
                        rs.getString("message"))),
                service,
                limit <= 0 ? Integer.MAX_VALUE : limit);
        Collections.reverse(lines);
        return lines;
    }

    // ---- blobs

    @Override
    public Optional<BlobStore> blobs() {
        return dialect == Dialect.POSTGRESQL ? Optional.of(new DatabaseBlobs()) : Optional.empty();
    }

    /** Blobs as rows of at most 4 MiB, so that neither side holds a large model in memory at once. */
    private final class DatabaseBlobs implements BlobStore {

        @Override
        public boolean hasBlob(String sha256) {
            List<Integer> found = new ArrayList<>();
            query("SELECT 1 FROM blobs WHERE sha256 = ?", rs -> found.add(1), sha256);
            return !found.isEmpty();
        }

        @Override
        public void putBlob(String sha256, long size, Path file) {
            inTransaction(c -> {
                int chunks = (int) ((size + BLOB_CHUNK_BYTES - 1) / BLOB_CHUNK_BYTES);
                // A concurrent upload of the same content waits on this row, then finds it stored.
                if (execute(
                                c,
                                "INSERT INTO blobs (sha256, size_bytes, chunks) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                                sha256,
                                size,
                                chunks)
                        == 0) {
                    return null;
                }
                try (InputStream in = Files.newInputStream(file);
                        PreparedStatement s =
                                c.prepareStatement("INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)")) {
                    for (int seq = 0; seq < chunks; seq++) {
                        byte[] chunk = in.readNBytes(BLOB_CHUNK_BYTES);
                        s.setString(1, sha256);
                        s.setInt(2, seq);
                        s.setBytes(3, chunk);
                        s.executeUpdate();
                    }
                }
                return null;
            });
        }

        @Override
        public void readBlob(String sha256, Path target) throws IOException {
            List<Integer> chunks = new ArrayList<>();
            query("SELECT chunks FROM blobs WHERE sha256 = ?", rs -> chunks.add(rs.getInt(1)), sha256);
            if (chunks.isEmpty()) {
                throw new ScoriaException(ErrorKind.INTERNAL, "blob " + sha256 + " is not in the workspace database");
            }
            try (OutputStream out = Files.newOutputStream(target)) {
                for (int seq = 0; seq < chunks.get(0); seq++) {
                    List<byte[]> data = new ArrayList<>();
                    query(
                            "SELECT data FROM blob_chunks WHERE sha256 = ? AND seq = ?",
                            rs -> data.add(rs.getBytes(1)),
                            sha256,
                            seq);
                    if (data.isEmpty()) {
                        throw new ScoriaException(ErrorKind.INTERNAL, "blob " + sha256 + " is missing its part " + seq);
                    }
                    out.write(data.get(0));
                }
            }
        }
    }

    // ---- change notifications

    @Override
    public AutoCloseable listen(ChangeListener listener) {
        if (dialect != Dialect.POSTGRESQL) {
            return () -> {};
        }
        ChangeFeed feed = new ChangeFeed(postgres, Dialect.CHANNEL, listener);
        feed.start();
        return feed;
    }

    private void announce(Connection c) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, '')")) {
                s.setString(1, Dialect.CHANNEL);
                s.execute();
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void bindServiceColumns(PreparedStatement s, ServiceRecord r, int first) throws Exception {
        ServiceSettings settings = r.settings();
        int i = first;
        s.setString(i++, settings.description());
        s.setString(i++, JSON.writeValueAsString(settings.tags()));
        s.setString(i++, JSON.writeValueAsString(settings.properties()));
        s.setString(i++, settings.authMode().name());
        s.setString(i++, r.keys().primary());
        s.setString(i++, r.keys().secondary());
        s.setString(i++, r.state().name());
        s.setString(i++, r.error());
        s.setLong(i++, r.createdTime().toEpochMilli());
        s.setLong(i++, r.updatedTime().toEpochMilli());
        s.setString(i++, JSON.writeValueAsString(settings.corsOrigins()));
        s.setString(i++, JSON.writeValueAsString(r.traffic().live()));
        s.setString(i++, r.traffic().mirror());
        s.setInt(i, r.traffic().mirrorPercent());
    }

    /** A service's own settings from its row; its runtime and limits come from its deployments. */
    private static ServiceSettings readSettings(ResultSet rs) throws Exception {
        return new ServiceSettings(
                rs.getString("description"),
                readMap(rs.getString("tags")),
                readMap(rs.getString("properties")),
                ServiceSettings.DEFAULTS.inference(),
                AuthMode.valueOf(rs.getString("auth_mode")),
                ServiceSettings.DEFAULTS.limits(),
                List.copyOf(JSON.readValue(rs.getString("cors_origins"), STRINGS)));
    }

    private static TrafficSplit readTraffic(ResultSet rs) throws Exception {
        Map<String, Integer> live = JSON.readValue(rs.getString("traffic"), TRAFFIC);
        return new TrafficSplit(live, rs.getString("mirror_deployment"), rs.getInt("mirror_percent"));
    }

    private static void writeDeployments(Connection c, ServiceRecord service) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO deployments (service_name, name, position, runtime,"
                        + " code_file, entry_point, scorer_config, scoring_timeout_ms, max_concurrent, max_queue_wait_ms,"
                        + " max_batch_size, max_batch_delay_us, input_example, output_example, swagger, generation,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement m = c.prepareStatement("INSERT INTO deployment_models (service_name, deployment,"
                        + " position, model_name, model_version) VALUES (?, ?, ?, ?, ?)")) {
            int position = 0;
            for (DeploymentSpec d : service.deployments()) {
                InferenceSpec inference = d.inference();
                ServiceLimits limits = d.limits();
                int i = 1;
                s.setString(i++, service.name());
                s.setString(i++, d.name());
                s.setInt(i++, position++);
                s.setString(i++, inference.runtime());
                s.setString(i++, inference.code() == null ? null : JSON.writeValueAsString(inference.code()));
                s.setString(i++, inference.entry());
                s.setString(i++, JSON.writeValueAsString(inference.config()));
                s.setInt(i++, limits.scoringTimeoutMs());
                s.setInt(i++, limits.maxConcurrentRequestsPerContainer());
                s.setInt(i++, limits.maxQueueWaitMs());
                s.setInt(i++, limits.maxBatchSize());
                s.setInt(i++, limits.maxBatchDelayMicros());
                s.setString(i++, d.schema().inputExample());
                s.setString(i++, d.schema().outputExample());
                s.setString(i++, d.schema().swagger());
                s.setLong(i++, d.generation());
                s.setLong(i, d.createdTime().toEpochMilli());
                s.addBatch();
                int modelPosition = 0;
                for (ModelRef ref : d.models()) {
                    m.setString(1, service.name());
                    m.setString(2, d.name());
                    m.setInt(3, modelPosition++);
                    m.setString(4, ref.name());
                    m.setInt(5, ref.version());
                    m.addBatch();
                }
            }
            s.executeBatch();
            m.executeBatch();
        }
    }

    private static void insertOperationRow(Connection c, Operation o) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO operations (id, service_name, deployment, type,"
                + " state, error, created_at, updated_at, generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, o.id());
            s.setString(2, o.serviceName());
            s.setString(3, o.deployment());
            s.setString(4, o.type());
            s.setString(5, o.state().name());
            s.setString(6, o.error());
            s.setLong(7, o.createdTime().toEpochMilli());
            s.setLong(8, o.updatedTime().toEpochMilli());
            s.setLong(9, o.generation());
            s.executeUpdate();
        }
    }

    private List<ModelRecord> queryModels(String sql, Object... args) {
        List<ModelRecord> result = new ArrayList<>();
        query(
                sql,
                rs -> result.add(new ModelRecord(
                        rs.getString("name"),
                        rs.getInt("version"),
                        rs.getString("framework"),
                        rs.getString("framework_version"),
                        rs.getString("description"),
                        readMap(rs.getString("tags")),
                        readMap(rs.getString("properties")),
                        readFiles(rs.getString("files")),
                        rs.getString("sha256"),
                        rs.getLong("size_bytes"),
                        Instant.ofEpochMilli(rs.getLong("created_at")))),
                args);
        return result;
    }

    private static List<ServiceRecord> queryServices(Connection c, String sql, Object... args) throws Exception {
        List<ServiceRow> rows = new ArrayList<>();
        query(
                c,
                sql,
                rs -> rows.add(new ServiceRow(
                        rs.getString("name"),
                        readSettings(rs),
                        new ServiceKeys(rs.getString("primary_key"), rs.getString("secondary_key")),
                        ServiceState.valueOf(rs.getString("state")),
                        rs.getString("error"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("updated_at")),
                        readTraffic(rs))),
                args);
        if (rows.isEmpty()) {
            return List.of();
        }
        String only = rows.size() == 1 ? rows.get(0).name() : null;
        String where = only == null ? "" : " WHERE service_name = ?";
        Object[] whereArgs = only == null ? new Object[0] : new Object[] {only};
        Map<String, List<ModelRef>> refs = new LinkedHashMap<>();
        query(
                c,
                "SELECT service_name, deployment, model_name, model_version FROM deployment_models" + where
                        + " ORDER BY service_name, deployment, position",
                rs -> refs.computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), k -> new ArrayList<>())
                        .add(new ModelRef(rs.getString(3), rs.getInt(4))),
                whereArgs);
        Map<String, List<DeploymentSpec>> deployments = new LinkedHashMap<>();
        query(
                c,
                "SELECT * FROM deployments" + where + " ORDER BY service_name, position",
                rs -> {
                    String service = rs.getString("service_name");
                    String name = rs.getString("name");
                    InferenceSpec inference = new InferenceSpec(
                            rs.getString("runtime"),
                            rs.getString("code_file") == null
                                    ? null
                                    : JSON.readValue(rs.getString("code_file"), ModelFile.class),
                            rs.getString("entry_point"),
                            readMap(rs.getString("scorer_config")));
                    ServiceLimits limits = new ServiceLimits(
                            rs.getInt("scoring_timeout_ms"),
                            rs.getInt("max_concurrent"),
                            rs.getInt("max_queue_wait_ms"),
                            rs.getInt("max_batch_size"),
                            rs.getInt("max_batch_delay_us"));
                    deployments
                            .computeIfAbsent(service, k -> new ArrayList<>())
                            .add(new DeploymentSpec(
                                    name,
                                    inference,
                                    limits,
                                    refs.getOrDefault(service + "/" + name, List.of()),
                                    new SchemaSpec(
                                            rs.getString("input_example"),
                                            rs.getString("output_example"),
                                            rs.getString("swagger")),
                                    rs.getLong("generation"),
                                    Instant.ofEpochMilli(rs.getLong("created_at"))));
                },
                whereArgs);
        List<ServiceRecord> result = new ArrayList<>();
        for (ServiceRow r : rows) {
            result.add(new ServiceRecord(
                    r.name(),
                    r.settings(),
                    r.keys(),
                    r.state(),
                    r.error(),
                    r.createdTime(),
                    r.updatedTime(),
                    deployments.getOrDefault(r.name(), List.of()),
                    r.traffic()));
        }
        return result;
    }

    /** A services row before its deployments are read. */
    private record ServiceRow(
            String name,
            ServiceSettings settings,
            ServiceKeys keys,
            ServiceState state,
            String error,
            Instant createdTime,
            Instant updatedTime,
            TrafficSplit traffic) {}

    private static List<Operation> queryOperations(Connection c, String sql, Object... args) throws Exception {
        List<Operation> found = new ArrayList<>();
        query(
                c,
                sql,
                rs -> found.add(new Operation(
                        rs.getString("id"),
                        rs.getString("service_name"),
                        rs.getString("deployment"),
                        rs.getString("type"),
                        Operation.State.valueOf(rs.getString("state")),
                        rs.getString("error"),
                        Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("updated_at")),
                        rs.getLong("generation"))),
                args);
        return found;
    }

    private interface RowReader {
        void read(ResultSet rs) throws Exception;
    }

    interface Work<T> {
        T run(Connection c) throws Exception;
    }

    private static void query(Connection c, String sql, RowReader reader, Object... args) throws Exception {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, args);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    private void query(String sql, RowReader reader, Object... args) {
        inTransaction(c -> {
            query(c, sql, reader, args);
            return null;
        });
    }

    private static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    /** Reads with one snapshot (a service row and its model list must agree with each other). */
    private <T> T readConsistent(Work<T> work) {
        return inTransaction(c -> {
            if (dialect == Dialect.POSTGRESQL) {
                try (var s = c.createStatement()) {
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
                }
            }
            return work.run(c);
        });
    }

    <T> T inTransaction(Work<T> work) {
        try {
            return attempt(work);
        } catch (StaleConnection stale) {
            // A pooled connection that died with the server it was opened to (a database restart): the
            // transaction never reached the server, so it is safe to run it once more on a fresh connection.
            try {
                return attempt(work);
            } catch (StaleConnection again) {
                throw translate(again.cause);
            }
        }
    }

    private static final class StaleConnection extends Exception {
        final Exception cause;

        StaleConnection(Exception cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private <T> T attempt(Work<T> work) throws StaleConnection {
        boolean committing = false;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                committing = true;
                c.commit();
                return result;
            } catch (Exception e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (ScoriaException e) {
            throw e;
        } catch (Exception e) {
            if (!committing && unreachable(e) && !(e instanceof SQLTransientConnectionException)) {
                throw new StaleConnection(e);
            }
            throw translate(e);
        }
    }

    /** A lost or refused connection is the database being away (503), anything else a failure of ours (500). */
    private ScoriaException translate(Exception e) {
        if (unreachable(e)) {
            return new ScoriaException(
                    ErrorKind.STORE_UNAVAILABLE,
                    "the workspace database is unreachable ("
                            + rootMessage(e)
                            + "): scoring goes on with the services as they were, management calls will work"
                            + " again once it is back",
                    e);
        }
        return new ScoriaException(ErrorKind.INTERNAL, "store operation failed: " + rootMessage(e), e);
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof ConnectException
                    || t instanceof EOFException
                    || t instanceof SocketException) {
                return true;
            }
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                s.setNull(i + 1, Types.NULL);
            } else if (a instanceof Integer n) {
                s.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                s.setLong(i + 1, n);
            } else {
                s.setString(i + 1, (String) a);
            }
        }
    }

    private static Map<String, String> readMap(String json) throws IOException {
        return json == null ? Map.of() : new LinkedHashMap<>(JSON.readValue(json, STRING_MAP));
    }

    private static List<ModelFile> readFiles(String json) throws IOException {
        return JSON.readValue(json, FILES);
    }
}
