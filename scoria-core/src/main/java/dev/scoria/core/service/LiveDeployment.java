package dev.scoria.core.service;

import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.scheduling.ServiceScheduler;
import java.nio.file.Path;

/**
 * One deployment of a service on this replica: its spec as last committed, its state here, its
 * predictor once loaded, its admission control, and what its last load cost. Immutable: a change
 * replaces the whole object; the scheduler is carried over so queued requests survive a swap.
 *
 * @param workDir the folder the predictor was loaded from, removed when the predictor is retired
 */
public record LiveDeployment(
        DeploymentSpec spec,
        ServiceState state,
        String error,
        Predictor predictor,
        ServiceScheduler scheduler,
        long loadMillis,
        Path workDir) {

    public String name() {
        return spec.name();
    }

    public boolean healthy() {
        return state == ServiceState.Healthy && predictor != null;
    }

    /**
     * This deployment as clients should see it: a Healthy one whose predictor reports a health problem is
     * Unhealthy with that problem as its error, until the predictor recovers.
     */
    public LiveDeployment current() {
        if (predictor == null || state != ServiceState.Healthy) {
            return this;
        }
        String problem = predictor.healthProblem();
        return problem == null
                ? this
                : new LiveDeployment(spec, ServiceState.Unhealthy, problem, predictor, scheduler, loadMillis, workDir);
    }

    LiveDeployment withSpec(DeploymentSpec newSpec) {
        return new LiveDeployment(newSpec, state, error, predictor, scheduler, loadMillis, workDir);
    }

    LiveDeployment withState(ServiceState newState, String newError) {
        return new LiveDeployment(spec, newState, newError, predictor, scheduler, loadMillis, workDir);
    }
}
