package dev.scoria.core.store;

import dev.scoria.core.access.AccessCredential;
import dev.scoria.core.access.AuditEntry;
import dev.scoria.core.auth.SigningKeyRecord;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.replica.ReplicaRecord;
import dev.scoria.core.replica.ReplicaReport;
import dev.scoria.core.service.LogLine;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.ServiceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Durable state of a workspace: the desired state every replica reconciles to. Every method commits
 * before it returns, so a change that was acknowledged survives a crash; every change is announced
 * to the other replicas when it commits.
 */
public interface Store extends AutoCloseable {

    /** Inserts the next version of model {@code name}, built by {@code factory} from that version number. */
    ModelRecord insertModel(String name, IntFunction<ModelRecord> factory);

    Optional<ModelRecord> findModel(String name, int version);

    /** All models, or all versions of one name when {@code name} is not null; by name then version. */
    List<ModelRecord> listModels(String name);

    void deleteModel(String name, int version);

    /** Names of the services that use the model version. */
    List<String> servicesUsingModel(ModelRef ref);

    /** Inserts a service and the operation that creates it, together; fails with CONFLICT if the name is taken. */
    void insertService(ServiceRecord service, Operation operation);

    /**
     * Changes a service under a row lock: {@code change} sees the committed row and the operation running
     * on it (if any), and its result is written in the same transaction, so two replicas changing one
     * service never lose each other's change. NOT_FOUND when there is no such service.
     */
    ServiceChange.Result changeService(String name, ServiceChange change);

    Optional<ServiceRecord> findService(String name);

    List<ServiceRecord> listServices();

    void insertOperation(Operation operation);

    /** Ends an operation unless it has ended already; returns whether this call ended it. */
    boolean finishOperation(String id, Operation.State state, String error);

    Optional<Operation> findOperation(String id);

    /** Operations still running, oldest first. */
    List<Operation> runningOperations();

    /** A workspace-wide setting, or empty. */
    Optional<String> setting(String name);

    /** Stores {@code value} unless the setting exists; returns the value now stored (first writer wins). */
    String putSettingIfAbsent(String name, String value);

    /** Stores {@code value}, replacing any earlier one. */
    void putSetting(String name, String value);

    /** Every signing key, active and retired, oldest first. */
    List<SigningKeyRecord> signingKeys();

    /** Retires every active signing key at {@code now} and adds {@code next}, in one transaction. */
    void rotateSigningKey(SigningKeyRecord next, Instant now);

    /** Deletes every retired signing key: tokens they signed can no longer be verified. */
    void deleteRetiredSigningKeys();

    /** Stores a new access token; false (nothing stored) when its id is taken. */
    boolean insertCredential(AccessCredential credential);

    Optional<AccessCredential> findCredential(String id);

    /** Every access token, revoked and expired ones too, oldest first. */
    List<AccessCredential> listCredentials();

    /** Marks the access token revoked at {@code at} unless it already is; false when there is no such token. */
    boolean revokeCredential(String id, Instant at);

    /** Appends one audit entry, trimming the log to its newest {@code kept} entries now and then. */
    void appendAudit(AuditEntry entry, int kept);

    /** The newest {@code limit} audit entries at or after {@code since} (null: any time), oldest first. */
    List<AuditEntry> readAudit(Instant since, int limit);

    /** Records that the replica is alive (inserting it on its first heartbeat). */
    void heartbeat(ReplicaRecord replica);

    List<ReplicaRecord> listReplicas();

    /** Removes a replica that stopped for good, with its reports. */
    void deleteReplica(String id);

    /** Replaces everything the replica reported before with {@code reports}. */
    void reportServices(String replicaId, List<ReplicaReport> reports);

    /** The reports of every replica about {@code service}, or about every service when it is null. */
    List<ReplicaReport> serviceReports(String service);

    /** Appends service log lines (written by a replica in batches, never on the scoring path). */
    void appendLogLines(List<LogLine> lines);

    /** The last {@code limit} lines of a service's log, every replica's, oldest first. */
    List<LogLine> tailLog(String service, int limit);

    /** The blobs kept in the database, or empty when models live in local files only (the embedded store). */
    Optional<BlobStore> blobs();

    /**
     * Calls {@code listener} when another replica commits a change; the returned handle stops it. A store
     * with one process (SQLite) never calls it.
     */
    AutoCloseable listen(ChangeListener listener);

    /** Whether the database is shared by several replicas (PostgreSQL) rather than embedded in one (SQLite). */
    boolean shared();

    @Override
    void close();
}
