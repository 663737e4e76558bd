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
 * @param inputExample a sample request body (JSON text) shown in the swagger document, or null
 */
public record ServiceRecord(
        String name,
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        String runtime,
        List<ModelRef> models,
        AuthMode authMode,
        ServiceKeys keys,
        ServiceLimits limits,
        List<String> corsOrigins,
        String inputExample,
        ServiceState state,
        String error,
        Instant createdTime,
        Instant updatedTime) {

    public ServiceRecord withState(ServiceState newState, String newError) {
        return new ServiceRecord(name, description, tags, properties, runtime, models, authMode, keys, limits,
                corsOrigins, inputExample, newState, newError, createdTime, Instant.now());
    }

    public ServiceRecord withKeys(ServiceKeys newKeys) {
        return new ServiceRecord(name, description, tags, properties, runtime, models, authMode, newKeys, limits,
                corsOrigins, inputExample, state, error, createdTime, Instant.now());
    }

    public ServiceRecord withSettings(String newDescription, Map<String, String> newTags,
            Map<String, String> newProperties, AuthMode newAuth, ServiceLimits newLimits) {
        return new ServiceRecord(name, newDescription, newTags, newProperties, runtime, models, newAuth, keys, newLimits,
                corsOrigins, inputExample, state, error, createdTime, Instant.now());
    }

    public ServiceRecord withCorsOrigins(List<String> origins) {
        return new ServiceRecord(name, description, tags, properties, runtime, models, authMode, keys, limits,
                List.copyOf(origins), inputExample, state, error, createdTime, Instant.now());
    }

    public ServiceRecord withModels(List<ModelRef> newModels) {
        return new ServiceRecord(name, description, tags, properties, runtime, newModels, authMode, keys, limits,
                corsOrigins, inputExample, state, error, createdTime, Instant.now());
    }
}
