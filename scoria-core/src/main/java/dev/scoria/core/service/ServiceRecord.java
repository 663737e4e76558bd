package dev.scoria.core.service;

import dev.scoria.core.model.ModelRef;
import java.time.Instant;
import java.util.List;

/**
 * A deployed service as stored. Immutable: every change makes a new record through a {@code with…}
 * method, and is committed to the store before it is acknowledged.
 *
 * @param settings what the user chose: description, labels, runtime, auth, limits, CORS
 * @param schema samples or a swagger document given at deploy
 * @param generation counts the versions of what must be loaded (models, runtime, code): a replica whose
 *     predictor was loaded for an older generation loads the new one beside it and swaps
 */
public record ServiceRecord(
        String name,
        ServiceSettings settings,
        List<ModelRef> models,
        ServiceKeys keys,
        SchemaSpec schema,
        ServiceState state,
        String error,
        Instant createdTime,
        Instant updatedTime,
        long generation) {

    /** The runtime and, for code runtimes, the code, its entry point and its runtime settings. */
    public InferenceSpec inference() {
        return settings.inference();
    }

    public String runtime() {
        return settings.inference().runtime();
    }

    public AuthMode authMode() {
        return settings.authMode();
    }

    public ServiceLimits limits() {
        return settings.limits();
    }

    /** Origins whose browser pages may call the service ({@code *} for any); empty for none. */
    public List<String> corsOrigins() {
        return settings.corsOrigins();
    }

    public String inputExample() {
        return schema.inputExample();
    }

    public ServiceRecord withState(ServiceState newState, String newError) {
        return new ServiceRecord(
                name, settings, models, keys, schema, newState, newError, createdTime, Instant.now(), generation);
    }

    public ServiceRecord withKeys(ServiceKeys newKeys) {
        return new ServiceRecord(
                name, settings, models, newKeys, schema, state, error, createdTime, Instant.now(), generation);
    }

    public ServiceRecord withSettings(ServiceSettings newSettings) {
        return new ServiceRecord(
                name, newSettings, models, keys, schema, state, error, createdTime, Instant.now(), generation);
    }

    public ServiceRecord withModels(List<ModelRef> newModels) {
        return new ServiceRecord(
                name, settings, newModels, keys, schema, state, error, createdTime, Instant.now(), generation);
    }

    /**
     * This record with the models and generation of {@code loaded}: what a replica answers with while a
     * newer generation loads beside the one it serves, or after that one failed to load.
     */
    public ServiceRecord withModelsOf(ServiceRecord loaded) {
        return new ServiceRecord(
                name, settings, loaded.models, keys, schema, state, error, createdTime, updatedTime, loaded.generation);
    }

    /** The next generation: every replica loads it beside the one it serves, then swaps. */
    public ServiceRecord nextGeneration() {
        return new ServiceRecord(
                name, settings, models, keys, schema, state, error, createdTime, Instant.now(), generation + 1);
    }

    /** Whether the two records differ only in state, error and update time (what replicas report, not what users set). */
    public boolean sameSettings(ServiceRecord other) {
        return other != null
                && name.equals(other.name)
                && settings.equals(other.settings)
                && models.equals(other.models)
                && keys.equals(other.keys)
                && schema.equals(other.schema)
                && generation == other.generation
                && createdTime.equals(other.createdTime);
    }
}
