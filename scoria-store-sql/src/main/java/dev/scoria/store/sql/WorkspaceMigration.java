package dev.scoria.store.sql;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.auth.AdminToken;
import dev.scoria.core.store.BlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Moves a single-machine workspace (a data directory with SQLite and model files) into an empty
 * PostgreSQL database, so that replicas can serve it: models and code packages (as blobs), services
 * with their keys, signing keys and the workspace's identity (tokens issued before keep verifying),
 * the admin token (as its hash) and access tokens (hashed, as they are stored). Nothing in the data directory is changed.
 */
public final class WorkspaceMigration {

    /**
     * Tables copied row by row, parents before children; operations, replica state and the audit log are not
     * carried over.
     */
    private static final List<String> TABLES = List.of(
            "workspace_settings",
            "model_names",
            "models",
            "services",
            "deployments",
            "deployment_models",
            "signing_keys",
            "access_tokens");

    /** What was moved. */
    public record Summary(int models, int services, int blobs, long blobBytes, boolean adminToken) {}

    private WorkspaceMigration() {}

    public static Summary migrate(Path dataDir, DatabaseUrl target) {
        Path db = dataDir.resolve("scoria.db");
        if (!Files.isRegularFile(db)) {
            throw ScoriaException.badInput(
                    "--from " + dataDir + " is not a Scoria data directory: " + db + " does not exist");
        }
        try (SqlStore source = SqlStore.openSqlite(db);
                SqlStore destination = SqlStore.openPostgres(target)) {
            int models = destination.listModels(null).size();
            int services = destination.listServices().size();
            if (models > 0 || services > 0) {
                throw ScoriaException.conflict("the target workspace is not empty (" + models + " model(s), " + services
                        + " service(s)): migrate into an empty database");
            }
            BlobStore blobs = destination.blobs().orElseThrow();
            int blobCount = 0;
            long blobBytes = 0;
            Path artifacts = dataDir.resolve("artifacts");
            if (Files.isDirectory(artifacts)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(artifacts)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}"))
                            .toList();
                }
                for (Path file : files) {
                    String sha = file.getFileName().toString();
                    String actual = ArtifactStore.sha256Of(file);
                    if (!actual.equals(sha)) {
                        throw new ScoriaException(
                                ErrorKind.INTERNAL,
                                "artifact " + file + " is corrupted (its sha256 is " + actual
                                        + "): nothing was migrated");
                    }
                    long size = Files.size(file);
                    blobs.putBlob(sha, size, file);
                    blobCount++;
                    blobBytes += size;
                }
            }
            int[] counts = new int[2];
            source.inTransaction(from -> destination.inTransaction(to -> {
                // A replica started on the empty database made an identity and a signing key of its own: the
                // migrated workspace's replace them, so tokens issued before the move keep verifying.
                try (var clear = to.createStatement()) {
                    clear.execute("DELETE FROM signing_keys");
                    clear.execute("DELETE FROM workspace_settings");
                }
                for (String table : TABLES) {
                    int copied = copyTable(from, to, table);
                    if (table.equals("models")) {
                        counts[0] = copied;
                    } else if (table.equals("services")) {
                        counts[1] = copied;
                    }
                }
                return null;
            }));
            boolean admin = false;
            Path tokenFile = dataDir.resolve(AdminToken.FILE_NAME);
            if (Files.exists(tokenFile)) {
                destination.putSetting(AdminToken.HASH_SETTING, AdminToken.sha256(AdminToken.read(tokenFile)));
                admin = true;
            }
            return new Summary(counts[0], counts[1], blobCount, blobBytes, admin);
        } catch (IOException e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "migration failed: " + e.getMessage(), e);
        }
    }

    private static int copyTable(Connection from, Connection to, String table) throws Exception {
        int rows = 0;
        try (PreparedStatement select = from.prepareStatement("SELECT * FROM " + table);
                ResultSet rs = select.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement insert = to.prepareStatement(sql)) {
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        insert.setObject(i, rs.getObject(i));
                    }
                    insert.addBatch();
                    rows++;
                }
                insert.executeBatch();
            }
        }
        return rows;
    }
}
