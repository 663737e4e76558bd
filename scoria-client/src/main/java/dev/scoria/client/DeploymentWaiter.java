package dev.scoria.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Waits for a deployment (or a reload after an update) to finish: follows the operation named by the
 * {@code Operation-Location} header when there is one, else the state of what is deployed (a service, or
 * one deployment of a service), and prints progress the way Azure ML's
 * {@code wait_for_deployment(show_output=True)} does. One instance per wait: it remembers where its output
 * line stands.
 */
final class DeploymentWaiter {

    /**
     * What is being deployed, as progress and errors name it.
     *
     * @param kind {@code service} or {@code deployment}
     * @param label e.g. {@code Service myservice}, starting a progress line
     * @param quoted e.g. {@code service 'myservice'}, inside a sentence
     * @param polling e.g. {@code Service deployment}, starting the failure's message
     */
    record Subject(String kind, String label, String quoted, String polling) {

        static Subject service(String name) {
            return new Subject("service", "Service " + name, "service '" + name + "'", "Service deployment");
        }

        static Subject deployment(String service, String name) {
            return new Subject(
                    "deployment",
                    "Deployment " + name + " of service " + service,
                    "deployment '" + name + "' of service '" + service + "'",
                    "Deployment");
        }
    }

    /** The state of what is deployed, and why it failed. */
    record Status(WebserviceState state, WebserviceError error) {}

    static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    /** Where an SDK user finds the logs of a deployment that failed. */
    static final String SDK_LOGS_HINT = "More information may be in service.getLogs().";

    private final Transport transport;
    private final PrintStream out;
    private final String logsHint;
    private boolean dotsOnLine;

    /**
     * @param out where progress goes, or null for none
     * @param logsHint the line printed after a failure saying where the logs are, or null for {@link #SDK_LOGS_HINT}
     */
    DeploymentWaiter(Transport transport, PrintStream out, String logsHint) {
        this.transport = transport;
        this.out = out;
        this.logsHint = logsHint == null ? SDK_LOGS_HINT : logsHint;
    }

    /** Polls until the service's deployment is over, then returns the service as {@code refresh} last fetched it. */
    ServiceSnapshot await(
            String serviceName, String operationLocation, Supplier<ServiceSnapshot> refresh, Duration timeout) {
        return await(
                Subject.service(serviceName),
                operationLocation,
                refresh,
                s -> new Status(s.state(), s.error()),
                timeout);
    }

    /**
     * Polls until the deployment is over, then returns what {@code refresh} last fetched.
     *
     * @param refresh fetches what is deployed (and makes it the handle's current snapshot)
     * @param status its state and error
     * @throws WebserviceException if the deployment failed (after {@code refresh}, so a handle shows the
     *     Failed state and its error) or did not finish within {@code timeout}
     */
    <T> T await(
            Subject subject,
            String operationLocation,
            Supplier<T> refresh,
            Function<T, Status> status,
            Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String operationId =
                operationLocation == null ? null : operationLocation.substring(operationLocation.lastIndexOf('/') + 1);
        String operationState = null;
        String operationError = null;
        String lastShown = null;
        String pendingOperation = operationLocation;
        T fetched;
        Status last;
        while (true) {
            String shown;
            if (pendingOperation != null) {
                JsonNode operation = fetchOperation(pendingOperation);
                if (operation == null) {
                    // The server no longer knows the operation (e.g. it restarted): the state of what it deploys
                    // still tells.
                    pendingOperation = null;
                    continue;
                }
                operationState = Json.required(operation, "state").asText();
                operationError =
                        operation.path("error").isObject() ? Json.text(operation.get("error"), "message") : null;
                if (!"Running".equals(operationState)) {
                    // The operation says how it ended; the state of what it deploys, which callers read, may settle
                    // a moment later, so the wait ends only when that has left Transitioning too.
                    pendingOperation = null;
                    continue;
                }
                shown = operationState;
            } else {
                fetched = refresh.get();
                last = status.apply(fetched);
                if (last.state() != WebserviceState.Transitioning) {
                    break;
                }
                shown = last.state().name();
            }
            lastShown = progress(lastShown, shown);
            if (Instant.now().isAfter(deadline)) {
                finishLine();
                throw new WebserviceException("waited " + timeout.toSeconds() + " s for " + subject.quoted()
                        + " to deploy; it is still " + shown
                        + (operationId == null ? "" : " (operation " + operationId + ")")
                        + ". Call waitForDeployment again to keep waiting.");
            }
            sleep();
        }
        finishLine();
        boolean failed = "Failed".equals(operationState) || last.state() == WebserviceState.Failed;
        if (out != null) {
            if (operationState != null) {
                out.println(operationState);
                out.println("Scoria " + subject.kind() + " creation operation finished, operation \"" + operationState
                        + "\"");
            }
            out.println(subject.label() + ": " + last.state());
        }
        if (failed) {
            String message = last.error() != null && last.error().message() != null
                    ? last.error().message()
                    : operationError != null ? operationError : "the server gave no reason";
            if (out != null) {
                out.println(subject.label() + " was not deployed: " + message);
                out.println(logsHint);
            }
            throw new WebserviceException(
                    subject.polling() + " polling reached non-successful terminal state, current " + subject.kind()
                            + " state: " + last.state() + (operationId == null ? "" : ". Operation ID: " + operationId)
                            + ". Error: " + message,
                    0,
                    message);
        }
        return fetched;
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
