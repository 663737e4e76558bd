package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One deployment of a service, as stored: what it loads (models, runtime, code, runtime settings,
 * samples) and how it is admitted (limits and batching). A service made the simple way has one,
 * named {@code default}; blue/green rollouts add more and share the traffic between them.
 *
 * @param generation counts the versions of what this deployment loads: a replica that loaded an older
 *     generation loads the new one beside it and swaps
 */
public record DeploymentSpec(
        String name,
        InferenceSpec inference,
        ServiceLimits limits,
        List<ModelRef> models,
        SchemaSpec schema,
        long generation,
        Instant createdTime) {

    /** The deployment of a service made without naming one. */
    public static final String DEFAULT = "default";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]|[a-z]");

    public DeploymentSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inference, "inference");
        Objects.requireNonNull(limits, "limits");
        models = List.copyOf(models);
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(createdTime, "createdTime");
    }

    /** Checks a deployment name a user gave: 1-32 lowercase letters, digits or dashes, starting with a letter. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ScoriaException.badInput(
                    "deployment name " + (name == null ? "is missing" : "'" + name + "' is not valid")
                            + ": expected 1-32 lowercase letters, digits or dashes, starting with a letter and not ending with a dash"
                            + " (e.g. blue, green-2)");
        }
        return name;
    }

    public String runtime() {
        return inference.runtime();
    }

    public DeploymentSpec withLimits(ServiceLimits newLimits) {
        return new DeploymentSpec(name, inference, newLimits, models, schema, generation, createdTime);
    }

    /** With new models, as the next generation (what is loaded changes). */
    public DeploymentSpec withModels(List<ModelRef> newModels) {
        return new DeploymentSpec(name, inference, limits, newModels, schema, generation + 1, createdTime);
    }

    /** With another runtime, code or runtime settings, as the next generation. */
    public DeploymentSpec withInference(InferenceSpec newInference) {
        return new DeploymentSpec(name, newInference, limits, models, schema, generation + 1, createdTime);
    }

    /** The same spec as the next generation: reloaded everywhere. */
    public DeploymentSpec nextGeneration() {
        return new DeploymentSpec(name, inference, limits, models, schema, generation + 1, createdTime);
    }
}
