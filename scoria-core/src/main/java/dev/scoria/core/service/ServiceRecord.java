package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.traffic.TrafficSplit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A deployed service as stored: its own settings, keys and state, its deployments and how traffic is
 * shared between them. Immutable: every change makes a new record through a {@code with…} method, and is
 * committed to the store before it is acknowledged.
 *
 * <p>The service's {@link #settings()} carry its primary deployment's (the one with the most traffic)
 * runtime and limits, which is what the service's JSON shows and what a service with one deployment (the
 * Azure ML v1 shape) is; {@link #models()}, {@link #schema()} and {@link #generation()} are the primary's
 * too.
 *
 * @param settings what the user chose for the service: description, labels, auth, CORS (runtime and
 *     limits: the primary deployment's)
 * @param deployments in creation order, never empty
 * @param traffic the live and mirror shares of the deployments
 */
public record ServiceRecord(
        String name,
        ServiceSettings settings,
        ServiceKeys keys,
        ServiceState state,
        String error,
        Instant createdTime,
        Instant updatedTime,
        List<DeploymentSpec> deployments,
        TrafficSplit traffic) {

    public ServiceRecord {
        Objects.requireNonNull(name, "name");
        deployments = List.copyOf(deployments);
        if (deployments.isEmpty()) {
            throw new IllegalArgumentException("service '" + name + "' has no deployment");
        }
        Objects.requireNonNull(traffic, "traffic");
        DeploymentSpec primary = primaryOf(deployments, traffic);
        settings = settings.withInference(primary.inference()).withLimits(primary.limits());
    }

    /** A service with one deployment, {@code default}, taking all its traffic: a service made the simple way. */
    public static ServiceRecord single(
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
        DeploymentSpec deployment = new DeploymentSpec(
                DeploymentSpec.DEFAULT,
                settings.inference(),
                settings.limits(),
                models,
                schema,
                generation,
                createdTime);
        return new ServiceRecord(
                name,
                settings,
                keys,
                state,
                error,
                createdTime,
                updatedTime,
                List.of(deployment),
                TrafficSplit.allTo(DeploymentSpec.DEFAULT));
    }

    private static DeploymentSpec primaryOf(List<DeploymentSpec> deployments, TrafficSplit traffic) {
        String primary = traffic.primary();
        for (DeploymentSpec d : deployments) {
            if (d.name().equals(primary)) {
                return d;
            }
        }
        return deployments.get(0);
    }

    /** The deployment with the most live traffic (the first one when none has any). */
    public DeploymentSpec primary() {
        return primaryOf(deployments, traffic);
    }

    /** The named deployment, or null. */
    public DeploymentSpec deployment(String deploymentName) {
        for (DeploymentSpec d : deployments) {
            if (d.name().equals(deploymentName)) {
                return d;
            }
        }
        return null;
    }

    /** The named deployment; NOT_FOUND naming the service's deployments when it has no such one. */
    public DeploymentSpec requireDeployment(String deploymentName) {
        DeploymentSpec d = deployment(deploymentName);
        if (d == null) {
            throw ScoriaException.notFound("service '" + name + "' has no deployment '" + deploymentName
                    + "': its deployments are " + deploymentNames());
        }
        return d;
    }

    public List<String> deploymentNames() {
        return deployments.stream().map(DeploymentSpec::name).toList();
    }

    /** The runtime and, for code runtimes, the code, its entry point and its runtime settings (the primary's). */
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

    public List<ModelRef> models() {
        return primary().models();
    }

    public SchemaSpec schema() {
        return primary().schema();
    }

    public long generation() {
        return primary().generation();
    }

    public String inputExample() {
        return schema().inputExample();
    }

    public ServiceRecord withState(ServiceState newState, String newError) {
        return new ServiceRecord(
                name, settings, keys, newState, newError, createdTime, Instant.now(), deployments, traffic);
    }

    public ServiceRecord withKeys(ServiceKeys newKeys) {
        return new ServiceRecord(
                name, settings, newKeys, state, error, createdTime, Instant.now(), deployments, traffic);
    }

    /** With new service settings; a change of limits applies to the primary deployment. */
    public ServiceRecord withSettings(ServiceSettings newSettings) {
        ServiceRecord changed = new ServiceRecord(
                name, newSettings, keys, state, error, createdTime, Instant.now(), deployments, traffic);
        return newSettings.limits().equals(settings.limits())
                ? changed
                : changed.withDeployment(primary().withLimits(newSettings.limits()));
    }

    /** With {@code deployment} added, or replacing the one of its name. */
    public ServiceRecord withDeployment(DeploymentSpec deployment) {
        List<DeploymentSpec> next = new ArrayList<>(deployments.size() + 1);
        boolean replaced = false;
        for (DeploymentSpec d : deployments) {
            if (d.name().equals(deployment.name())) {
                next.add(deployment);
                replaced = true;
            } else {
                next.add(d);
            }
        }
        if (!replaced) {
            next.add(deployment);
        }
        return new ServiceRecord(name, settings, keys, state, error, createdTime, Instant.now(), next, traffic);
    }

    /** Without the named deployment, which must take no traffic and must not be the last one. */
    public ServiceRecord withoutDeployment(String deploymentName) {
        List<DeploymentSpec> next = deployments.stream()
                .filter(d -> !d.name().equals(deploymentName))
                .toList();
        return new ServiceRecord(
                name, settings, keys, state, error, createdTime, Instant.now(), next, traffic.without(deploymentName));
    }

    public ServiceRecord withTraffic(TrafficSplit newTraffic) {
        return new ServiceRecord(
                name,
                settings,
                keys,
                state,
                error,
                createdTime,
                Instant.now(),
                deployments,
                newTraffic.checkedAgainst(deploymentNames()));
    }

    /** The primary deployment as its next generation: reloaded everywhere. */
    public ServiceRecord nextGeneration() {
        return withDeployment(primary().nextGeneration());
    }

    /** The primary deployment with new models, as its next generation. */
    public ServiceRecord withModels(List<ModelRef> newModels) {
        return withDeployment(primary().withModels(newModels));
    }

    /**
     * This service as one of its deployments is served: that deployment alone, taking all the traffic,
     * with the service's name, keys and settings. What a runtime is given to load.
     */
    public ServiceRecord only(String deploymentName) {
        DeploymentSpec d = requireDeployment(deploymentName);
        return new ServiceRecord(
                name, settings, keys, state, error, createdTime, updatedTime, List.of(d), TrafficSplit.allTo(d.name()));
    }

    /** Whether the two records differ only in state, error and update time (what replicas report, not what users set). */
    public boolean sameSettings(ServiceRecord other) {
        return other != null
                && name.equals(other.name)
                && settings.equals(other.settings)
                && keys.equals(other.keys)
                && deployments.equals(other.deployments)
                && traffic.equals(other.traffic)
                && createdTime.equals(other.createdTime);
    }
}
