package dev.scoria.core.service;

import dev.scoria.core.replica.ReplicaReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The overall state of a service, made from what each live replica reports about it: Healthy when
 * every live replica serves the current generation, Failed as soon as one could not load it,
 * Transitioning while any is still loading (or has not reported yet).
 *
 * @param replicas one report per live replica, in replica order; a missing report is Transitioning
 */
public record ServiceStatus(ServiceState state, String error, List<ReplicaReport> replicas) {

    /**
     * @param reports the latest report of each live replica about this service, by replica id (a live
     *     replica without one is still loading it)
     */
    public static ServiceStatus of(
            ServiceRecord service, List<String> liveReplicas, Map<String, ReplicaReport> reports) {
        List<ReplicaReport> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String unhealthy = null;
        boolean transitioning = liveReplicas.isEmpty();
        for (String replica : liveReplicas) {
            ReplicaReport report = reports.get(replica);
            if (report == null) {
                report = new ReplicaReport(
                        replica, service.name(), 0, ServiceState.Transitioning, null, service.updatedTime());
            }
            rows.add(report);
            boolean current = report.generation() == service.generation();
            if (current && report.state() == ServiceState.Failed) {
                failures.add(liveReplicas.size() == 1 ? report.error() : "replica " + replica + ": " + report.error());
            } else if (!current || report.state() == ServiceState.Transitioning) {
                transitioning = true;
            } else if (report.state() == ServiceState.Unhealthy && unhealthy == null) {
                unhealthy = liveReplicas.size() == 1 ? report.error() : "replica " + replica + ": " + report.error();
            }
        }
        if (!failures.isEmpty()) {
            return new ServiceStatus(ServiceState.Failed, String.join("; ", failures), rows);
        }
        if (transitioning) {
            return new ServiceStatus(ServiceState.Transitioning, null, rows);
        }
        if (unhealthy != null) {
            return new ServiceStatus(ServiceState.Unhealthy, unhealthy, rows);
        }
        return new ServiceStatus(ServiceState.Healthy, null, rows);
    }

    /** The service record with this state and error, as the management API shows it. */
    public ServiceRecord applyTo(ServiceRecord service) {
        return new ServiceRecord(
                service.name(),
                service.settings(),
                service.models(),
                service.keys(),
                service.schema(),
                state,
                error,
                service.createdTime(),
                service.updatedTime(),
                service.generation());
    }
}
