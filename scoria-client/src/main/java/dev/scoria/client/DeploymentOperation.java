package dev.scoria.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A deployment the server is creating or reloading, as {@link Webservice#createDeployment} and
 * {@link Webservice#updateDeployment} return it: call {@link #waitForDeployment(boolean)} to wait until it is
 * Healthy (or Failed), as for a service deploy. Safe to share between threads.
 */
public final class DeploymentOperation {

    private final Webservice service;
    private final String deploymentName;
    private final String operationLocation;
    private volatile Deployment deployment;

    DeploymentOperation(Webservice service, Deployment deployment, String operationLocation) {
        this.service = service;
        this.deploymentName = deployment.name();
        this.deployment = deployment;
        this.operationLocation = operationLocation;
    }

    /** The service the deployment belongs to. */
    public Webservice service() {
        return service;
    }

    public String deploymentName() {
        return deploymentName;
    }

    /** The deployment as the server last described it: at the start, then after {@link #waitForDeployment}. */
    public Deployment deployment() {
        return deployment;
    }

    /**
     * The id of the server's operation ({@code GET /api/v1/operations/{id}}); empty when the change needed no
     * reload (new limits apply at once).
     */
    public Optional<String> operationId() {
        return Optional.ofNullable(operationLocation)
                .map(location -> location.substring(location.lastIndexOf('/') + 1));
    }

    /**
     * Waits up to {@link Webservice#DEFAULT_DEPLOYMENT_TIMEOUT}; see {@link #waitForDeployment(boolean, Duration)}.
     */
    public Deployment waitForDeployment(boolean showOutput) {
        return waitForDeployment(showOutput, Webservice.DEFAULT_DEPLOYMENT_TIMEOUT);
    }

    /**
     * Waits until the deployment is no longer {@link WebserviceState#Transitioning}, polling every 250 ms, and
     * returns it as it then is; the service handle is refreshed too. With {@code showOutput}, prints progress
     * to {@code System.out} as {@link Webservice#waitForDeployment(boolean)} does.
     *
     * @throws WebserviceException if the deployment failed (its {@link WebserviceException#serverMessage()} is
     *     the server's explanation, and {@link #deployment()} shows the Failed state), or did not finish within
     *     {@code timeout}
     */
    public Deployment waitForDeployment(boolean showOutput, Duration timeout) {
        return waitForDeployment(showOutput, timeout, null);
    }

    /**
     * As {@link #waitForDeployment(boolean, Duration)}, but a failure's progress output ends with {@code logsHint}
     * rather than the pointer to {@link Webservice#getLogs()}: a program that wraps the SDK (the {@code scoria}
     * CLI) names its own way to read the logs.
     */
    public Deployment waitForDeployment(boolean showOutput, Duration timeout, String logsHint) {
        Objects.requireNonNull(timeout, "timeout");
        Deployment done;
        try {
            done = new DeploymentWaiter(service.workspace().transport(), showOutput ? System.out : null, logsHint)
                    .await(
                            DeploymentWaiter.Subject.deployment(service.name(), deploymentName),
                            operationLocation,
                            () -> {
                                Deployment fresh = service.deployment(deploymentName);
                                deployment = fresh;
                                return fresh;
                            },
                            d -> new DeploymentWaiter.Status(
                                    d.state(), d.error().orElse(null)),
                            timeout);
        } catch (WebserviceException e) {
            try {
                service.refresh();
            } catch (WebserviceException refreshFailed) {
                e.addSuppressed(refreshFailed);
            }
            throw e;
        }
        service.refresh();
        return done;
    }

    @Override
    public String toString() {
        return "DeploymentOperation[" + service.name() + "/" + deploymentName + ", "
                + operationId().orElse("no operation") + "]";
    }
}
