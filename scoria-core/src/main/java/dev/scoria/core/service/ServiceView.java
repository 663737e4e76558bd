package dev.scoria.core.service;

import dev.scoria.core.replica.ReplicaReport;
import java.util.List;
import java.util.Map;

/**
 * A service as the management API shows it: its record with the overall state, what each live replica
 * reports about its primary deployment, and each deployment's own state.
 */
public record ServiceView(
        ServiceRecord record, List<ReplicaReport> replicas, Map<String, ServiceStatus.DeploymentStatus> deployments) {

    /** The state of one deployment. */
    public ServiceStatus.DeploymentStatus deploymentStatus(String name) {
        ServiceStatus.DeploymentStatus d = deployments.get(name);
        return d != null ? d : new ServiceStatus.DeploymentStatus(ServiceState.Transitioning, null, List.of());
    }
}
