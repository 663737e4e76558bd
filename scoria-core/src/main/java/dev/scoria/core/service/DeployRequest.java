package dev.scoria.core.service;

import dev.scoria.core.model.ModelRef;
import java.util.List;
import java.util.Map;

/** What a user asks for when deploying a service. Null fields take their defaults. */
public record DeployRequest(
        String name,
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        InferenceSpec inference,
        List<ModelRef> models,
        AuthMode authMode,
        ServiceLimits limits,
        List<String> corsOrigins,
        SchemaSpec schema) {}
