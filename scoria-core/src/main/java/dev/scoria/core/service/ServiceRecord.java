package dev.scoria.core.service;

import dev.scoria.core.model.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A deployed service as stored. Immutable: every change makes a new record through a {@code with…}
 * method, and is committed to the store before it is acknowledged.
 *
 * @param corsOrigins origins whose browser pages may call the service ({@code *} for any); empty for none
 * @param inference the runtime and, for code runtimes, the code and its entry point
 * @param schema samples or a swagger document given at deploy
 * @param generation counts the versions of what must be loaded (models, runtime, code): a replica whose
 *     predictor was loaded for an older generation loads the new one beside it and swaps
 */
public record ServiceRecord(
        String name,
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        InferenceSpec inference,
        List<ModelRef> models,
        AuthMode authMode,
        ServiceKeys keys,
        ServiceLimits limits,
        List<String> corsOrigins,
        SchemaSpec schema,
        ServiceState state,
        String error,
        Instant createdTime,
        Instant updatedTime,
        long generation) {

    public String runtime() {
        return inference.runtime();
    }

    public String inputExample() {
        return schema.inputExample();
    }

    public ServiceRecord withState(ServiceState newState, String newError) {
        return new ServiceRecord(
                name,
                description,
                tags,
                properties,
                inference,
                models,
                authMode,
                keys,
                limits,
                corsOrigins,
                schema,
                newState,
                newError,
                createdTime,
                Instant.now(),
                generation);
    }

    public ServiceRecord withKeys(ServiceKeys newKeys) {
        return new ServiceRecord(
                name,
                description,
                tags,
                properties,
                inference,
                models,
                authMode,
                newKeys,
                limits,
                corsOrigins,
                schema,
                state,
                error,
                createdTime,
                Instant.now(),
                generation);
    }

    public ServiceRecord withSettings(
            String newDescription,
            Map<String, String> newTags,
            Map<String, String> newProperties,
            AuthMode newAuth,
            ServiceLimits newLimits) {
        return new ServiceRecord(
                name,
                newDescription,
                newTags,
                newProperties,
                inference,
                models,
                newAuth,
                keys,
                newLimits,
                corsOrigins,
                schema,
                state,
                error,
                createdTime,
                Instant.now(),
                generation);
    }

    public ServiceRecord withCorsOrigins(List<String> origins) {
        return new ServiceRecord(
                name,
                description,
                tags,
                properties,
                inference,
                models,
                authMode,
                keys,
                limits,
                List.copyOf(origins),
                schema,
                state,
                error,
                createdTime,
                Instant.now(),
                generation);
    }

    public ServiceRecord withModels(List<ModelRef> newModels) {
        return new ServiceRecord(
                name,
                description,
                tags,
                properties,
                inference,
                newModels,
                authMode,
                keys,
                limits,
                corsOrigins,
                schema,
                state,
                error,
                createdTime,
                Instant.now(),
                generation);
    }

    /** The next generation: every replica loads it beside the one it serves, then swaps. */
    public ServiceRecord nextGeneration() {
        return new ServiceRecord(
                name,
                description,
                tags,
                properties,
                inference,
                models,
                authMode,
                keys,
                limits,
                corsOrigins,
                schema,
                state,
                error,
                createdTime,
                Instant.now(),
                generation + 1);
    }

    /** Whether the two records differ only in state, error and update time (what replicas report, not what users set). */
    public boolean sameSettings(ServiceRecord other) {
        return other != null
                && name.equals(other.name)
                && description.equals(other.description)
                && tags.equals(other.tags)
                && properties.equals(other.properties)
                && inference.equals(other.inference)
                && models.equals(other.models)
                && authMode == other.authMode
                && keys.equals(other.keys)
                && limits.equals(other.limits)
                && corsOrigins.equals(other.corsOrigins)
                && schema.equals(other.schema)
                && generation == other.generation
                && createdTime.equals(other.createdTime);
    }
}
