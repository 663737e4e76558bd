package dev.scoria.core.store;

import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.ServiceRecord;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Durable state of a workspace. Every method commits before it returns, so a change that was
 * acknowledged survives a crash.
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

    void updateService(ServiceRecord service);

    Optional<ServiceRecord> findService(String name);

    List<ServiceRecord> listServices();

    void deleteService(String name);

    void insertOperation(Operation operation);

    void updateOperation(Operation operation);

    Optional<Operation> findOperation(String id);

    /** A workspace-wide setting, or empty. */
    Optional<String> setting(String name);

    /** Stores {@code value} unless the setting exists; returns the value now stored (first writer wins). */
    String putSettingIfAbsent(String name, String value);

    /** Every signing key, active and retired, oldest first. */
    List<dev.scoria.core.auth.SigningKeyRecord> signingKeys();

    /** Retires every active signing key at {@code now} and adds {@code next}, in one transaction. */
    void rotateSigningKey(dev.scoria.core.auth.SigningKeyRecord next, java.time.Instant now);

    /** Deletes every retired signing key: tokens they signed can no longer be verified. */
    void deleteRetiredSigningKeys();

    /** Marks every operation still Running as Failed: after a restart nothing is running them. */
    int failRunningOperations(String reason);

    @Override
    void close();
}
