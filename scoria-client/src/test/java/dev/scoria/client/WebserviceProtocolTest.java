package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's side of multi-step exchanges (key refresh on 401, following an operation), against a scripted
 * loopback server whose answers can be made to happen in an exact order.
 */
class WebserviceProtocolTest {

    private HttpServer server;
    private String base;
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String service(String state, String error) {
        return ServiceSnapshotTest.SERVICE
                .replace("http://127.0.0.1:5001", base)
                .replace("\"Healthy\"", "\"" + state + "\"")
                .replace("\"error\": null", "\"error\": " + error);
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                + exchange.getRequestHeaders().getFirst("Authorization"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void runRefetchesTheKeysOnceWhenTheCachedKeyIsRefused() {
        AtomicInteger keyVersion = new AtomicInteger(1);
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("Healthy", "null")));
        server.createContext(
                "/api/v1/services/myservice/listkeys",
                ex -> answer(ex, 200, "{\"primaryKey\": \"p" + keyVersion.get() + "\", \"secondaryKey\": \"s\"}"));
        server.createContext("/api/v1/service/myservice/score", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean json = "application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"));
            boolean current = ("Bearer p" + keyVersion.get()).equals(auth);
            answer(
                    ex,
                    current && json ? 200 : 401,
                    current ? "[1.5]" : "{\"status_code\": 401, \"message\": \"wrong key\"}");
        });
        Webservice service = Webservice.get(Workspace.connect(base, "admin"), "myservice");

        assertThat(service.run("{\"data\": [[1]]}")).isEqualTo("[1.5]");
        assertThat(service.run("{\"data\": [[1]]}")).isEqualTo("[1.5]");
        keyVersion.set(2);
        assertThat(service.run("{\"data\": [[1]]}")).isEqualTo("[1.5]");

        assertThat(calls)
                .containsExactly(
                        "GET /api/v1/services/myservice auth=Bearer admin",
                        "POST /api/v1/services/myservice/listkeys auth=Bearer admin",
                        "POST /api/v1/service/myservice/score auth=Bearer p1",
                        "POST /api/v1/service/myservice/score auth=Bearer p1",
                        "POST /api/v1/service/myservice/score auth=Bearer p1",
                        "POST /api/v1/services/myservice/listkeys auth=Bearer admin",
                        "POST /api/v1/service/myservice/score auth=Bearer p2");
    }

    @Test
    void runDoesNotRetryWithKeysItHasJustFetchedAndReportsTheServicesAnswer() {
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("Healthy", "null")));
        server.createContext(
                "/api/v1/services/myservice/listkeys",
                ex -> answer(ex, 200, "{\"primaryKey\": \"p\", \"secondaryKey\": \"s\"}"));
        server.createContext(
                "/api/v1/service/myservice/score",
                ex -> answer(
                        ex,
                        401,
                        "{\"status_code\": 401, \"message\": \"the key is not valid for service 'myservice'\"}"));
        Webservice service = Webservice.get(Workspace.connect(base, "admin"), "myservice");

        assertThatThrownBy(() -> service.run("{}")).isInstanceOfSatisfying(WebserviceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("the key is not valid for service 'myservice'");
        });
        assertThat(calls).filteredOn(c -> c.contains("/score")).hasSize(1);
    }

    @Test
    void waitForDeploymentFollowsTheOperationThenShowsTheFailureAndThrows() {
        AtomicInteger polls = new AtomicInteger();
        server.createContext("/api/v1/services", ex -> {
            if (ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().add("Operation-Location", "/api/v1/operations/op-1");
                answer(ex, 202, service("Transitioning", "null"));
            } else {
                answer(
                        ex,
                        200,
                        service(
                                "Failed",
                                "{\"code\": \"DeploymentFailed\", \"message\": \"input example has 3 values\"}"));
            }
        });
        server.createContext(
                "/api/v1/operations/op-1",
                ex -> answer(
                        ex,
                        200,
                        polls.incrementAndGet() < 3
                                ? "{\"id\": \"op-1\", \"state\": \"Running\"}"
                                : "{\"id\": \"op-1\", \"state\": \"Failed\", \"error\": {\"message\": \"input example has 3 values\"}}"));
        Workspace ws = Workspace.connect(base, "admin");
        Webservice service = Model.deploy(ws, "myservice", List.of(fakeModel(ws)), null, null);
        assertThat(service.state()).isEqualTo(WebserviceState.Transitioning);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> service.waitForDeployment(true))
                    .isInstanceOfSatisfying(WebserviceException.class, e -> {
                        assertThat(e.serverMessage()).isEqualTo("input example has 3 values");
                        assertThat(e)
                                .hasMessageContaining("current service state: Failed")
                                .hasMessageContaining("Operation ID: op-1");
                    });
        } finally {
            System.setOut(original);
        }
        assertThat(service.state()).isEqualTo(WebserviceState.Failed);
        assertThat(service.error()).contains(new WebserviceError("DeploymentFailed", "input example has 3 values"));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .isEqualTo(String.join(
                        System.lineSeparator(),
                        "Running",
                        ".",
                        "Failed",
                        "Scoria service creation operation finished, operation \"Failed\"",
                        "Service myservice: Failed",
                        "Service myservice was not deployed: input example has 3 values",
                        "More information may be in service.getLogs().",
                        ""));
        assertThat(polls).hasValue(3);
    }

    @Test
    void waitForDeploymentWaitsForTheServiceToSettleAfterItsOperationEnds() {
        AtomicInteger servicePolls = new AtomicInteger();
        server.createContext("/api/v1/services", ex -> {
            if (ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().add("Operation-Location", "/api/v1/operations/op-2");
                answer(ex, 202, service("Transitioning", "null"));
            } else {
                // The operation already says Succeeded, but the service record lags behind for two polls.
                answer(ex, 200, service(servicePolls.incrementAndGet() < 3 ? "Transitioning" : "Healthy", "null"));
            }
        });
        server.createContext(
                "/api/v1/operations/op-2", ex -> answer(ex, 200, "{\"id\": \"op-2\", \"state\": \"Succeeded\"}"));
        Workspace ws = Workspace.connect(base, "admin");
        Webservice service = Model.deploy(ws, "myservice", List.of(fakeModel(ws)), null, null);

        assertThat(service.waitForDeployment(false)).isEqualTo(WebserviceState.Healthy);
        assertThat(service.state()).isEqualTo(WebserviceState.Healthy);
        assertThat(servicePolls).hasValue(3);
    }

    @Test
    void waitForDeploymentWithoutAnOperationPollsTheServiceState() {
        AtomicInteger polls = new AtomicInteger();
        server.createContext(
                "/api/v1/services/myservice",
                ex -> answer(ex, 200, service(polls.incrementAndGet() < 4 ? "Transitioning" : "Healthy", "null")));
        Webservice service = new Webservice(Workspace.connect(base, "admin"), "myservice");

        assertThat(service.waitForDeployment(false)).isEqualTo(WebserviceState.Healthy);
        assertThat(service.state()).isEqualTo(WebserviceState.Healthy);
        assertThat(polls).hasValue(4);
    }

    @Test
    void waitForDeploymentGivesUpAtTheTimeout() {
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("Transitioning", "null")));
        Webservice service = new Webservice(Workspace.connect(base, "admin"), "myservice");

        assertThatThrownBy(() -> service.waitForDeployment(false, Duration.ofMillis(300)))
                .isInstanceOf(WebserviceException.class)
                .hasMessageContaining("still Transitioning");
    }

    @Test
    void aMissingServiceIsWebserviceNotFound() {
        server.createContext(
                "/api/v1/services/gone",
                ex -> answer(ex, 404, "{\"status_code\": 404, \"message\": \"service 'gone' does not exist\"}"));
        assertThatThrownBy(() -> new Webservice(Workspace.connect(base, "admin"), "gone"))
                .isInstanceOfSatisfying(WebserviceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.serverMessage()).isEqualTo("service 'gone' does not exist");
                });
    }

    private Model fakeModel(Workspace ws) {
        return Model.fromJson(ws, Json.parse("{\"name\": \"diabetes\", \"version\": 1}", "test"));
    }
}
