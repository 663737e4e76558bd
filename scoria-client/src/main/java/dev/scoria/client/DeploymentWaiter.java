package dev.scoria.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Waits for a deployment (or a reload after an update) to finish: follows the operation named by the
 * {@code Operation-Location} header when there is one, else the service's own state, and prints
 * progress the way Azure ML's {@code wait_for_deployment(show_output=True)} does. One instance per wait:
 * it remembers where its output line stands.
 */
final class DeploymentWaiter {

    static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final Transport transport;
    private final PrintStream out;
    private boolean dotsOnLine;

    /** @param out where progress goes, or null for none */
    DeploymentWaiter(Transport transport, PrintStream out) {
        this.transport = transport;
        this.out = out;
    }

    /**
     * Polls until the deployment is over, then returns the service as {@code refresh} last fetched it.
     *
     * @param refresh fetches the service and makes it the handle's current snapshot
     * @throws WebserviceException if the deployment failed (after {@code refresh}, so the handle shows
     *     the Failed state and its error) or did not finish within {@code timeout}
     */
    ServiceSnapshot await(
            String serviceName, String operationLocation, Supplier<ServiceSnapshot> refresh, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String operationId =
                operationLocation == null ? null : operationLocation.substring(operationLocation.lastIndexOf('/') + 1);
        String operationState = null;
        String operationError = null;
        String lastShown = null;
        String pendingOperation = operationLocation;
        ServiceSnapshot service;
        while (true) {
            String shown;
            if (pendingOperation != null) {
                JsonNode operation = fetchOperation(pendingOperation);
                if (operation == null) {
                    // The server no longer knows the operation (e.g. it restarted): the service's state still tells.
                    pendingOperation = null;
                    continue;
                }
                operationState = Json.required(operation, "state").asText();
                operationError =
                        operation.path("error").isObject() ? Json.text(operation.get("error"), "message") : null;
                if (!"Running".equals(operationState)) {
                    // The operation says how it ended; the service's own state, which callers read, may settle a
                    // moment later, so the wait ends only when the service has left Transitioning too.
                    pendingOperation = null;
                    continue;
                }
                shown = operationState;
            } else {
                service = refresh.get();
                if (service.state() != WebserviceState.Transitioning) {
                    break;
                }
                shown = service.state().name();
            }
            lastShown = progress(lastShown, shown);
            if (Instant.now().isAfter(deadline)) {
                finishLine();
                throw new WebserviceException("waited " + timeout.toSeconds() + " s for service '" + serviceName
                        + "' to deploy; it is still " + shown
                        + (operationId == null ? "" : " (operation " + operationId + ")")
                        + ". Call waitForDeployment again to keep waiting.");
            }
            sleep();
        }
        finishLine();
        boolean failed = "Failed".equals(operationState) || service.state() == WebserviceState.Failed;
        if (out != null) {
            if (operationState != null) {
                out.println(operationState);
                out.println("Scoria service creation operation finished, operation \"" + operationState + "\"");
            }
            out.println("Service " + serviceName + ": " + service.state());
        }
        if (failed) {
            String message = service.error() != null && service.error().message() != null
                    ? service.error().message()
                    : operationError != null ? operationError : "the server gave no reason";
            if (out != null) {
                out.println("Service " + serviceName + " was not deployed: " + message);
                out.println("More information may be in service.getLogs().");
            }
            throw new WebserviceException(
                    "Service deployment polling reached non-successful terminal state, current service state: "
                            + service.state() + (operationId == null ? "" : ". Operation ID: " + operationId)
                            + ". Error: " + message,
                    0,
                    message);
        }
        return service;
    }

    private JsonNode fetchOperation(String operationLocation) {
        String what = "polling deployment operation " + operationLocation;
        Transport.Response response =
                transport.management("GET", operationLocation, null, null, Transport.CALL_TIMEOUT, what);
        if (response.status() == 404) {
            return null;
        }
        return Json.parse(Transport.requireOk(response, what).body(), what);
    }

    /** A state on its own line when it changes, then one dot per poll, as Azure's SDK shows it. */
    private String progress(String lastShown, String shown) {
        if (out != null) {
            if (!shown.equals(lastShown)) {
                finishLine();
                out.println(shown);
            } else {
                out.print('.');
                dotsOnLine = true;
            }
            out.flush();
        }
        return shown;
    }

    /** Ends a line of dots, so that what follows starts on its own line. */
    private void finishLine() {
        if (out != null && dotsOnLine) {
            out.println();
            dotsOnLine = false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebserviceException("waiting for the deployment was interrupted", e);
        }
    }
}
