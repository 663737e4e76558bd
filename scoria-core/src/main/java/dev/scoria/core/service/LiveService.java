package dev.scoria.core.service;

import dev.scoria.core.auth.Secrets;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.scheduling.ServiceScheduler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One deployed service on this replica, everything the data plane reads for a request: its record
 * (settings, keys and traffic as last committed, state as served here) and its deployments. Immutable: a
 * change replaces the whole object, so a request sees one consistent view.
 *
 * @param deployments by name, in the service's order
 */
public record LiveService(ServiceRecord record, Map<String, LiveDeployment> deployments) {

    public LiveService {
        deployments = Map.copyOf(deployments);
    }

    /** A one-deployment view around {@code predictor}, for tests of the state rules. */
    public LiveService(ServiceRecord record, Predictor predictor) {
        this(
                record,
                Map.of(
                        record.primary().name(),
                        new LiveDeployment(
                                record.primary(), record.state(), record.error(), predictor, null, 0, null)));
    }

    /** The named deployment as clients should see it (health applied), or null. */
    public LiveDeployment deployment(String name) {
        LiveDeployment d = deployments.get(name);
        return d == null ? null : d.current();
    }

    /** The primary deployment (the one with the most traffic), health applied; null while it is not known here. */
    public LiveDeployment primary() {
        return deployment(record.primary().name());
    }

    /**
     * This view as clients should see it: the service's state here is its primary deployment's, with a
     * predictor's health problem applied (never stored: it comes back by itself when the predictor recovers).
     */
    public LiveService current() {
        LiveDeployment primary = primary();
        if (primary == null || primary.state() == record.state() && equalsNullable(primary.error(), record.error())) {
            return this;
        }
        return new LiveService(record.withState(primary.state(), primary.error()), deployments);
    }

    private static boolean equalsNullable(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    /** Whether the service answers here: its primary deployment is loaded and Healthy. */
    public boolean healthy() {
        LiveDeployment primary = primary();
        return primary != null && primary.healthy();
    }

    /** The primary deployment's predictor, or null. */
    public Predictor predictor() {
        LiveDeployment primary = primary();
        return primary == null ? null : primary.predictor();
    }

    /** The primary deployment's admission control, or null. */
    public ServiceScheduler scheduler() {
        LiveDeployment primary = deployments.get(record.primary().name());
        return primary == null ? null : primary.scheduler();
    }

    /** Whether {@code presented} is one of this service's keys (both compared, in constant time). */
    public boolean keyMatches(String presented) {
        boolean primary = Secrets.matches(presented, record.keys().primary());
        boolean secondary = Secrets.matches(presented, record.keys().secondary());
        return primary | secondary;
    }

    LiveService withRecord(ServiceRecord newRecord) {
        return new LiveService(newRecord, deployments);
    }

    LiveService withDeployment(LiveDeployment deployment) {
        Map<String, LiveDeployment> next = new LinkedHashMap<>(deployments);
        next.put(deployment.name(), deployment);
        return new LiveService(record, next);
    }

    LiveService withoutDeployment(String name) {
        Map<String, LiveDeployment> next = new LinkedHashMap<>(deployments);
        next.remove(name);
        return new LiveService(record, next);
    }
}
