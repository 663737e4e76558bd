package dev.scoria.core.service;

import dev.scoria.core.scheduling.ServiceScheduler;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The services this replica serves, by name: what the data plane reads on every request, without
 * touching the database. Only the {@link Reconciler} writes it.
 */
public final class LiveServices {

    private final ConcurrentHashMap<String, LiveService> byName = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, String>> removalListeners = new CopyOnWriteArrayList<>();

    /** Calls {@code listener} with the service and deployment names whenever a deployment stops being served here. */
    public void onDeploymentRemoved(BiConsumer<String, String> listener) {
        removalListeners.add(listener);
    }

    void deploymentRemoved(String service, String deployment) {
        for (BiConsumer<String, String> listener : removalListeners) {
            listener.accept(service, deployment);
        }
    }

    /** The service as clients should see it (health applied), or null when this replica does not serve it. */
    public LiveService get(String name) {
        LiveService service = byName.get(name);
        return service == null ? null : service.current();
    }

    LiveService raw(String name) {
        return byName.get(name);
    }

    void put(LiveService service) {
        byName.put(service.record().name(), service);
    }

    LiveService remove(String name) {
        return byName.remove(name);
    }

    /** Every live service, health applied. */
    public List<LiveService> all() {
        return byName.values().stream().map(LiveService::current).toList();
    }

    /** The admission control of a deployment (kept across swaps), or null for one this replica does not serve. */
    public ServiceScheduler scheduler(String name, String deployment) {
        LiveService service = byName.get(name);
        LiveDeployment d = service == null ? null : service.deployments().get(deployment);
        return d == null ? null : d.scheduler();
    }

    /** How long the deployment's last successful load took here, in milliseconds (0 if none yet). */
    public long loadMillis(String name, String deployment) {
        LiveService service = byName.get(name);
        LiveDeployment d = service == null ? null : service.deployments().get(deployment);
        return d == null ? 0 : d.loadMillis();
    }
}
