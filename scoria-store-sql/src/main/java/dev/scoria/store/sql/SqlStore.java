package dev.scoria.store.sql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.auth.SigningKeyRecord;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.flywaydb.core.Flyway;

/**
 * The workspace store on one SQL connection. Management calls are rare and short, and SQLite
 * serialises writers anyway, so one connection under a lock is both the simplest and the fastest
 * choice; the data plane never reads the store.
 */
public final class SqlStore implements dev.scoria.core.store.Store {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<List<ModelFile>> FILES = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final Connection connection;

    private SqlStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating and migrating as needed) the SQLite database {@code file}. */
    public static SqlStore openSqlite(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // Keys and signing keys live in this file: readable by its owner only. SQLite gives the
            // -wal and -shm files the database file's mode.
            restrictToOwner(file);
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            migrate(url);
            Connection c = DriverManager.getConnection(url);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // FULL: a commit is on disk before we acknowledge it, even across a power cut.
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA foreign_keys=ON");
                s.execute("PRAGMA busy_timeout=5000");
            }
            return new SqlStore(c);
        } catch (SQLException | IOException e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "could not open the store at " + file + ": " + e.getMessage(), e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        var ownerOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(ownerOnly));
            } else {
                Files.setPosixFilePermissions(file, ownerOnly);
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own permissions are all we have.
        }
    }

    private static void migrate(String url) {
        Flyway.configure(SqlStore.class.getClassLoader())
                .dataSource(url, null, null)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @Override
    public synchronized ModelRecord insertModel(String name, IntFunction<ModelRecord> factory) {
        return inTransaction(() -> {
            int next;
            try (PreparedStatement q = connection.prepareStatement("SELECT last_version FROM model_names WHERE name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    next = rs.next() ? rs.getInt(1) + 1 : 1;
                }
            }
            try (PreparedStatement u = connection.prepareStatement(next == 1
                    ? "INSERT INTO model_names (last_version, name) VALUES (?, ?)"
                    : "UPDATE model_names SET last_version = ? WHERE name = ?")) {
                u.setInt(1, next);
                u.setString(2, name);
                u.executeUpdate();
            }
            ModelRecord m = factory.apply(next);
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO models (name, version, framework, description,"
                    + " tags, properties, files, sha256, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                s.executeUpdate();
            }
            return m;
        });
    }

    @Override
    public synchronized Optional<ModelRecord> findModel(String name, int version) {
        List<ModelRecord> found = queryModels("SELECT * FROM models WHERE name = ? AND version = ?", name, version);
        return found.stream().findFirst();
    }

    @Override
    public synchronized List<ModelRecord> listModels(String name) {
        return name == null
                ? queryModels("SELECT * FROM models ORDER BY name, version")
                : queryModels("SELECT * FROM models WHERE name = ? ORDER BY version", name);
    }

    @Override
    public synchronized void deleteModel(String name, int version) {
        update("DELETE FROM models WHERE name = ? AND version = ?", name, version);
    }

    @Override
    public synchronized List<String> servicesUsingModel(ModelRef ref) {
        List<String> names = new ArrayList<>();
        query("SELECT DISTINCT service_name FROM service_models WHERE model_name = ? AND model_version = ? ORDER BY service_name",
                rs -> names.add(rs.getString(1)), ref.name(), ref.version());
        return names;
    }

    @Override
    public synchronized void insertService(ServiceRecord service, Operation operation) {
        inTransaction(() -> {
            try (PreparedStatement q = connection.prepareStatement("SELECT 1 FROM services WHERE name = ?")) {
                q.setString(1, service.name());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        throw ScoriaException.conflict("service '" + service.name() + "' already exists");
                    }
                }
            }
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO services (name, description, tags, properties,"
                    + " runtime, auth_mode, primary_key, secondary_key, scoring_timeout_ms, max_concurrent, max_queue_wait_ms,"
                    + " input_example, state, error, created_at, updated_at, cors_origins, code_file, entry_point,"
                    + " scorer_config, output_example, swagger, max_batch_size, max_batch_delay_us)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, service.name());
                bindServiceColumns(s, service, 2);
                s.executeUpdate();
            }
            writeServiceModels(service);
            insertOperationRow(operation);
            return null;
        });
    }

    @Override
    public synchronized void updateService(ServiceRecord service) {
        inTransaction(() -> {
            try (PreparedStatement s = connection.prepareStatement("UPDATE services SET description = ?, tags = ?,"
                    + " properties = ?, runtime = ?, auth_mode = ?, primary_key = ?, secondary_key = ?, scoring_timeout_ms = ?,"
                    + " max_concurrent = ?, max_queue_wait_ms = ?, input_example = ?, state = ?, error = ?, created_at = ?,"
                    + " updated_at = ?, cors_origins = ?, code_file = ?, entry_point = ?, scorer_config = ?,"
                    + " output_example = ?, swagger = ?, max_batch_size = ?, max_batch_delay_us = ? WHERE name = ?")) {
                bindServiceColumns(s, service, 1);
                s.setString(24, service.name());
                if (s.executeUpdate() != 1) {
                    throw ScoriaException.notFound("service '" + service.name() + "' does not exist");
                }
            }
            try (PreparedStatement d = connection.prepareStatement("DELETE FROM service_models WHERE service_name = ?")) {
                d.setString(1, service.name());
                d.executeUpdate();
            }
            writeServiceModels(service);
            return null;
        });
    }

    @Override
    public synchronized Optional<ServiceRecord> findService(String name) {
        return queryServices("SELECT * FROM services WHERE name = ?", name).stream().findFirst();
    }

    @Override
    public synchronized List<ServiceRecord> listServices() {
        return queryServices("SELECT * FROM services ORDER BY name");
    }

    @Override
    public synchronized void deleteService(String name) {
        inTransaction(() -> {
            try (PreparedStatement d = connection.prepareStatement("DELETE FROM service_models WHERE service_name = ?")) {
                d.setString(1, name);
                d.executeUpdate();
            }
            try (PreparedStatement d = connection.prepareStatement("DELETE FROM services WHERE name = ?")) {
                d.setString(1, name);
                d.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized void insertOperation(Operation operation) {
        inTransaction(() -> {
            insertOperationRow(operation);
            return null;
        });
    }

    @Override
    public synchronized void updateOperation(Operation o) {
        update("UPDATE operations SET state = ?, error = ?, updated_at = ? WHERE id = ?",
                o.state().name(), o.error(), o.updatedTime().toEpochMilli(), o.id());
    }

    @Override
    public synchronized Optional<Operation> findOperation(String id) {
        List<Operation> found = new ArrayList<>();
        query("SELECT * FROM operations WHERE id = ?", rs -> found.add(new Operation(rs.getString("id"),
                rs.getString("service_name"), rs.getString("type"), Operation.State.valueOf(rs.getString("state")),
                rs.getString("error"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")))), id);
        return found.stream().findFirst();
    }

    @Override
    public synchronized Optional<String> setting(String name) {
        List<String> found = new ArrayList<>();
        query("SELECT value FROM workspace_settings WHERE name = ?", rs -> found.add(rs.getString(1)), name);
        return found.stream().findFirst();
    }

    @Override
    public synchronized String putSettingIfAbsent(String name, String value) {
        return inTransaction(() -> {
            Optional<String> existing = setting(name);
            if (existing.isPresent()) {
                return existing.get();
            }
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO workspace_settings (name, value) VALUES (?, ?)")) {
                s.setString(1, name);
                s.setString(2, value);
                s.executeUpdate();
            }
            return value;
        });
    }

    @Override
    public synchronized List<SigningKeyRecord> signingKeys() {
        List<SigningKeyRecord> keys = new ArrayList<>();
        query("SELECT * FROM signing_keys ORDER BY created_at, kid", rs -> {
            long retired = rs.getLong("retired_at");
            boolean active = rs.wasNull();
            keys.add(new SigningKeyRecord(rs.getString("kid"), rs.getString("algorithm"), rs.getString("private_key"),
                    rs.getString("public_key"), Instant.ofEpochMilli(rs.getLong("created_at")),
                    active ? null : Instant.ofEpochMilli(retired)));
        });
        return keys;
    }

    @Override
    public synchronized void rotateSigningKey(SigningKeyRecord next, Instant now) {
        inTransaction(() -> {
            try (PreparedStatement r = connection.prepareStatement("UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL")) {
                r.setLong(1, now.toEpochMilli());
                r.executeUpdate();
            }
            try (PreparedStatement s = connection.prepareStatement("INSERT INTO signing_keys (kid, algorithm, private_key,"
                    + " public_key, created_at, retired_at) VALUES (?, ?, ?, ?, ?, NULL)")) {
                s.setString(1, next.kid());
                s.setString(2, next.algorithm());
                s.setString(3, next.privateKey());
                s.setString(4, next.publicKey());
                s.setLong(5, next.createdTime().toEpochMilli());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized void deleteRetiredSigningKeys() {
        update("DELETE FROM signing_keys WHERE retired_at IS NOT NULL");
    }

    @Override
    public synchronized int failRunningOperations(String reason) {
        return update("UPDATE operations SET state = ?, error = ?, updated_at = ? WHERE state = ?",
                Operation.State.Failed.name(), reason, Instant.now().toEpochMilli(), Operation.State.Running.name());
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "could not close the store: " + e.getMessage(), e);
        }
    }

    private void bindServiceColumns(PreparedStatement s, ServiceRecord r, int first) throws Exception {
        int i = first;
        s.setString(i++, r.description());
        s.setString(i++, JSON.writeValueAsString(r.tags()));
        s.setString(i++, JSON.writeValueAsString(r.properties()));
        s.setString(i++, r.inference().runtime());
        s.setString(i++, r.authMode().name());
        s.setString(i++, r.keys().primary());
        s.setString(i++, r.keys().secondary());
        s.setInt(i++, r.limits().scoringTimeoutMs());
        s.setInt(i++, r.limits().maxConcurrentRequestsPerContainer());
        s.setInt(i++, r.limits().maxQueueWaitMs());
        s.setString(i++, r.schema().inputExample());
        s.setString(i++, r.state().name());
        s.setString(i++, r.error());
        s.setLong(i++, r.createdTime().toEpochMilli());
        s.setLong(i++, r.updatedTime().toEpochMilli());
        s.setString(i++, JSON.writeValueAsString(r.corsOrigins()));
        s.setString(i++, r.inference().code() == null ? null : JSON.writeValueAsString(r.inference().code()));
        s.setString(i++, r.inference().entry());
        s.setString(i++, JSON.writeValueAsString(r.inference().config()));
        s.setString(i++, r.schema().outputExample());
        s.setString(i++, r.schema().swagger());
        s.setInt(i++, r.limits().maxBatchSize());
        s.setInt(i, r.limits().maxBatchDelayMicros());
    }

    private void writeServiceModels(ServiceRecord service) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "INSERT INTO service_models (service_name, position, model_name, model_version) VALUES (?, ?, ?, ?)")) {
            int position = 0;
            for (ModelRef ref : service.models()) {
                s.setString(1, service.name());
                s.setInt(2, position++);
                s.setString(3, ref.name());
                s.setInt(4, ref.version());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private void insertOperationRow(Operation o) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO operations (id, service_name, type, state, error,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, o.id());
            s.setString(2, o.serviceName());
            s.setString(3, o.type());
            s.setString(4, o.state().name());
            s.setString(5, o.error());
            s.setLong(6, o.createdTime().toEpochMilli());
            s.setLong(7, o.updatedTime().toEpochMilli());
            s.executeUpdate();
        }
    }

    private List<ModelRecord> queryModels(String sql, Object... args) {
        List<ModelRecord> result = new ArrayList<>();
        query(sql, rs -> result.add(new ModelRecord(rs.getString("name"), rs.getInt("version"), rs.getString("framework"),
                rs.getString("description"), readMap(rs.getString("tags")), readMap(rs.getString("properties")),
                readFiles(rs.getString("files")), rs.getString("sha256"), rs.getLong("size_bytes"),
                Instant.ofEpochMilli(rs.getLong("created_at")))), args);
        return result;
    }

    private List<ServiceRecord> queryServices(String sql, Object... args) {
        List<ServiceRecord> rows = new ArrayList<>();
        query(sql, rs -> rows.add(new ServiceRecord(rs.getString("name"), rs.getString("description"),
                readMap(rs.getString("tags")), readMap(rs.getString("properties")),
                new InferenceSpec(rs.getString("runtime"),
                        rs.getString("code_file") == null ? null : JSON.readValue(rs.getString("code_file"), ModelFile.class),
                        rs.getString("entry_point"), readMap(rs.getString("scorer_config"))),
                List.of(),
                AuthMode.valueOf(rs.getString("auth_mode")),
                new ServiceKeys(rs.getString("primary_key"), rs.getString("secondary_key")),
                new ServiceLimits(rs.getInt("scoring_timeout_ms"), rs.getInt("max_concurrent"), rs.getInt("max_queue_wait_ms"),
                        rs.getInt("max_batch_size"), rs.getInt("max_batch_delay_us")),
                List.copyOf(JSON.readValue(rs.getString("cors_origins"), STRINGS)),
                new SchemaSpec(rs.getString("input_example"), rs.getString("output_example"), rs.getString("swagger")), ServiceState.valueOf(rs.getString("state")), rs.getString("error"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")))), args);
        List<ServiceRecord> result = new ArrayList<>();
        for (ServiceRecord r : rows) {
            List<ModelRef> refs = new ArrayList<>();
            query("SELECT model_name, model_version FROM service_models WHERE service_name = ? ORDER BY position",
                    rs -> refs.add(new ModelRef(rs.getString(1), rs.getInt(2))), r.name());
            result.add(copyWithModels(r, refs));
        }
        return result;
    }

    private static ServiceRecord copyWithModels(ServiceRecord r, List<ModelRef> refs) {
        // withModels would touch updatedTime; a read must return the row as stored.
        return new ServiceRecord(r.name(), r.description(), r.tags(), r.properties(), r.inference(), List.copyOf(refs),
                r.authMode(), r.keys(), r.limits(), r.corsOrigins(), r.schema(), r.state(), r.error(), r.createdTime(), r.updatedTime());
    }

    private interface RowReader {
        void read(ResultSet rs) throws Exception;
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private void query(String sql, RowReader reader, Object... args) {
        try (PreparedStatement q = connection.prepareStatement(sql)) {
            bind(q, args);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (ScoriaException e) {
            throw e;
        } catch (Exception e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "store query failed: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "store update failed: " + e.getMessage(), e);
        }
    }

    private <T> T inTransaction(Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (ScoriaException e) {
            throw e;
        } catch (Exception e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "store transaction failed: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Integer n) {
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
