package dev.scoria.core.service;

import dev.scoria.core.replica.ReplicaReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The overall state of a service and of each of its deployments, made from what each live replica
 * reports: a deployment is Healthy when every live replica serves its current generation, Failed as
 * soon as one could not load it, Transitioning while any is still loading (or has not reported yet).
 * The service's state is that of the deployments that take traffic (live or mirrored): a new deployment
 * that fails to load does not make a service that keeps answering from the others Failed.
 *
 * @param replicas the live replicas' reports about the primary deployment, in replica order
 * @param deployments each deployment's own state, by name, in the service's order
 */
public record ServiceStatus(
        ServiceState state, String error, List<ReplicaReport> replicas, Map<String, DeploymentStatus> deployments) {

    /** One deployment's state, with the live replicas' reports it is made from. */
    public record DeploymentStatus(ServiceState state, String error, List<ReplicaReport> replicas) {}

    /**
     * @param reports the latest report of each live replica, by deployment then replica id (a live replica
     *     without one is still loading it)
     */
    public static ServiceStatus of(
            ServiceRecord service, List<String> liveReplicas, Map<String, Map<String, ReplicaReport>> reports) {
        Map<String, DeploymentStatus> byDeployment = new LinkedHashMap<>();
        for (DeploymentSpec d : service.deployments()) {
            byDeployment.put(d.name(), deployment(service, d, liveReplicas, reports.getOrDefault(d.name(), Map.of())));
        }
        List<String> inUse = service.deploymentNames().stream()
                .filter(service.traffic()::uses)
                .toList();
        if (inUse.isEmpty()) {
            inUse = service.deploymentNames();
        }
        boolean several = service.deployments().size() > 1;
        List<String> failures = new ArrayList<>();
        String unhealthy = null;
        boolean transitioning = false;
        for (String name : inUse) {
            DeploymentStatus d = byDeployment.get(name);
            String error = several ? "deployment '" + name + "': " + d.error() : d.error();
            switch (d.state()) {
                case Failed -> failures.add(error);
                case Transitioning -> transitioning = true;
                case Unhealthy -> unhealthy = unhealthy == null ? error : unhealthy;
                default -> {
                    // Healthy: adds nothing.
                }
            }
        }
        List<ReplicaReport> primaryReplicas =
                byDeployment.get(service.primary().name()).replicas();
        if (!failures.isEmpty()) {
            return new ServiceStatus(ServiceState.Failed, String.join("; ", failures), primaryReplicas, byDeployment);
        }
        if (transitioning) {
            return new ServiceStatus(ServiceState.Transitioning, null, primaryReplicas, byDeployment);
        }
        if (unhealthy != null) {
            return new ServiceStatus(ServiceState.Unhealthy, unhealthy, primaryReplicas, byDeployment);
        }
        return new ServiceStatus(ServiceState.Healthy, null, primaryReplicas, byDeployment);
    }

    private static DeploymentStatus deployment(
            ServiceRecord service, DeploymentSpec d, List<String> liveReplicas, Map<String, ReplicaReport> reports) {
        List<ReplicaReport> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String unhealthy = null;
        boolean transitioning = liveReplicas.isEmpty();
        for (String replica : liveReplicas) {
            ReplicaReport report = reports.get(replica);
            if (report == null) {
                report = new ReplicaReport(
                        replica, service.name(), d.name(), 0, ServiceState.Transitioning, null, service.updatedTime());
            }
            rows.add(report);
            boolean current = report.generation() == d.generation();
            if (current && report.state() == ServiceState.Failed) {
                failures.add(liveReplicas.size() == 1 ? report.error() : "replica " + replica + ": " + report.error());
            } else if (!current || report.state() == ServiceState.Transitioning) {
                transitioning = true;
            } else if (report.state() == ServiceState.Unhealthy && unhealthy == null) {
                unhealthy = liveReplicas.size() == 1 ? report.error() : "replica " + replica + ": " + report.error();
            }
        }
        if (!failures.isEmpty()) {
            return new DeploymentStatus(ServiceState.Failed, String.join("; ", failures), rows);
        }
        if (transitioning) {
            return new DeploymentStatus(ServiceState.Transitioning, null, rows);
        }
        if (unhealthy != null) {
            return new DeploymentStatus(ServiceState.Unhealthy, unhealthy, rows);
        }
        return new DeploymentStatus(ServiceState.Healthy, null, rows);
    }

    /** The state of one deployment (Transitioning for one the status does not know). */
    public DeploymentStatus of(String deployment) {
        DeploymentStatus d = deployments.get(deployment);
        return d != null ? d : new DeploymentStatus(ServiceState.Transitioning, null, List.of());
    }

    /** The service record with this state and error, as the management API shows it. */
    public ServiceRecord applyTo(ServiceRecord service) {
        return new ServiceRecord(
                service.name(),
                service.settings(),
                service.keys(),
                state,
                error,
                service.createdTime(),
                service.updatedTime(),
                service.deployments(),
                service.traffic());
    }
}
