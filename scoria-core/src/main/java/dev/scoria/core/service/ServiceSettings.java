package dev.scoria.core.service;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a user chooses for a service, besides its name, its models and its API samples: its description
 * and labels, how it scores (runtime, code, runtime settings), who may call it, its limits and batching,
 * and which browser origins may call it. Immutable, and valid once built: every field is checked here, and
 * a bad one is refused with a message naming it, what was expected and what was seen. A deploy starts from
 * {@link #DEFAULTS}; an update is a {@link SettingsPatch} applied to the current value.
 *
 * @param tags free-form labels ({@code kvTags} on the management API); services can be listed by them
 * @param inference the runtime and, for code runtimes, the code, its entry point and its runtime settings;
 *     fixed at deploy
 * @param corsOrigins origins whose browser pages may call the service ({@code *} for any); empty for none.
 *     Kept as checked by {@link CorsOrigins#validate}: trimmed and lower-cased
 */
public record ServiceSettings(
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        InferenceSpec inference,
        AuthMode authMode,
        ServiceLimits limits,
        List<String> corsOrigins) {

    /** A new service's settings: no description or labels, the {@code onnx} runtime, key auth, default limits, no CORS. */
    public static final ServiceSettings DEFAULTS = new ServiceSettings(
            "", Map.of(), Map.of(), InferenceSpec.of("onnx"), AuthMode.KEY, ServiceLimits.DEFAULTS, List.of());

    public ServiceSettings {
        Objects.requireNonNull(description, "description");
        tags = Map.copyOf(Objects.requireNonNull(tags, "tags"));
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        Objects.requireNonNull(inference, "inference");
        Objects.requireNonNull(authMode, "authMode");
        Objects.requireNonNull(limits, "limits");
        corsOrigins = CorsOrigins.validate(Objects.requireNonNull(corsOrigins, "corsOrigins"));
    }

    /** These settings with other limits. */
    public ServiceSettings withLimits(ServiceLimits newLimits) {
        return new ServiceSettings(description, tags, properties, inference, authMode, newLimits, corsOrigins);
    }

    /** These settings with another runtime, code or runtime settings. */
    public ServiceSettings withInference(InferenceSpec newInference) {
        return new ServiceSettings(description, tags, properties, newInference, authMode, limits, corsOrigins);
    }
}
