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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's side of deployments within a service: the JSON it reads, the requests it sends (bodies, routes,
 * the pin header) and how it waits for a new deployment, against a scripted loopback server.
 */
class DeploymentsProtocolTest {

    /** A deployment as the server writes it (Representations.deployment). */
    static final String GREEN = """
            {"name": "green", "serviceName": "myservice", "state": "Healthy", "error": null,
             "trafficPercent": 10, "mirrorTrafficPercent": 0, "primary": false,
             "models": [{"id": "diabetes:2", "name": "diabetes", "version": 2}],
             "runtime": "python", "entry": "score.py", "code": {"fileName": "src.zip", "sha256": "%s", "size": 12},
             "config": {"workers": "2"}, "scoringTimeoutMs": 60000, "maxConcurrentRequestsPerContainer": 1,
             "maxQueueWaitMs": 500, "maxBatchSize": 4, "maxBatchDelayMicros": 0, "generation": 3,
             "createdTime": "2026-11-25T13:40:02.301Z", "replicas": [], "someFutureField": true}
            """.formatted("a".repeat(64));

    private HttpServer server;
    private String base;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, String> bodies = new LinkedHashMap<>();

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

    private String service(String traffic, String mirror) {
        return ServiceSnapshotTest.SERVICE
                .replace("http://127.0.0.1:5001", base)
                .replace(
                        "\"numReplicas\"",
                        "\"traffic\": " + traffic + ", \"mirrorTraffic\": " + mirror + ", \"numReplicas\"");
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String call = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        String pinned = exchange.getRequestHeaders().getFirst(Webservice.DEPLOYMENT_HEADER);
        calls.add(call + (pinned == null ? "" : " pinned=" + pinned));
        if (!request.isEmpty()) {
            bodies.put(call, request);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Webservice myservice() {
        return Webservice.get(Workspace.connect(base, "admin"), "myservice");
    }

    @Test
    void aDeploymentIsReadUnderItsFieldNames() {
        Deployment green = Deployment.fromJson(Json.parse(GREEN, "test"));
        assertThat(green.name()).isEqualTo("green");
        assertThat(green.serviceName()).isEqualTo("myservice");
        assertThat(green.state()).isEqualTo(WebserviceState.Healthy);
        assertThat(green.error()).isEmpty();
        assertThat(green.trafficPercent()).isEqualTo(10);
        assertThat(green.mirrorTrafficPercent()).isZero();
        assertThat(green.primary()).isFalse();
        assertThat(green.models()).containsExactly(new ModelReference("diabetes:2", "diabetes", 2));
        assertThat(green.runtime()).isEqualTo("python");
        assertThat(green.entry()).hasValue("score.py");
        assertThat(green.config()).containsExactly(Map.entry("workers", "2"));
        assertThat(green.maxBatchSize()).isEqualTo(4);
        assertThat(green.maxQueueWaitMs()).isEqualTo(500);
        assertThat(green.generation()).isEqualTo(3);
        assertThat(green.createdTime()).isEqualTo(Instant.parse("2026-11-25T13:40:02.301Z"));
        assertThat(green).isEqualTo(Deployment.fromJson(Json.parse(GREEN, "test")));
        assertThat(green.toString())
                .isEqualTo("Deployment[myservice/green, Healthy, traffic 10%, models"
                        + " [ModelReference[id=diabetes:2, name=diabetes, version=2]], generation 3]");

        Deployment failed = Deployment.fromJson(Json.parse(
                GREEN.replace("\"Healthy\"", "\"Failed\"")
                        .replace("\"error\": null", "\"error\": {\"code\": \"DeploymentFailed\", \"message\": \"no\"}"),
                "test"));
        assertThat(failed.error()).contains(new WebserviceError("DeploymentFailed", "no"));
        assertThat(failed).isNotEqualTo(green);
    }

    @Test
    void createDeploymentSendsTheDeployRequestAndWaitsForTheDeploymentItself() {
        AtomicInteger polls = new AtomicInteger();
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("{\"default\": 100}", "{}")));
        server.createContext("/api/v1/services/myservice/deployments", ex -> {
            ex.getResponseHeaders().add("Operation-Location", "/api/v1/operations/op-3");
            answer(ex, 202, GREEN.replace("\"Healthy\"", "\"Transitioning\""));
        });
        server.createContext(
                "/api/v1/services/myservice/deployments/green",
                ex -> answer(
                        ex,
                        200,
                        polls.incrementAndGet() < 2 ? GREEN.replace("\"Healthy\"", "\"Transitioning\"") : GREEN));
        server.createContext(
                "/api/v1/operations/op-3", ex -> answer(ex, 200, "{\"id\": \"op-3\", \"state\": \"Succeeded\"}"));
        Webservice service = myservice();
        Model model = Model.fromJson(service.workspace(), Json.parse("{\"name\": \"diabetes\", \"version\": 2}", "t"));

        DeploymentOperation op = service.createDeployment(
                "green",
                List.of(model),
                InferenceConfig.builder().runtime("onnx").build(),
                DeploymentConfig.builder().maxBatchSize(4).build());
        assertThat(op.operationId()).hasValue("op-3");
        assertThat(op.deployment().state()).isEqualTo(WebserviceState.Transitioning);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Deployment done;
        try {
            done = op.waitForDeployment(true);
        } finally {
            System.setOut(original);
        }
        assertThat(done.state()).isEqualTo(WebserviceState.Healthy);
        assertThat(op.deployment()).isEqualTo(done);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .isEqualTo(String.join(
                        System.lineSeparator(),
                        "Transitioning",
                        "Succeeded",
                        "Scoria deployment creation operation finished, operation \"Succeeded\"",
                        "Deployment green of service myservice: Healthy",
                        ""));
        assertThat(bodies.get("POST /api/v1/services/myservice/deployments"))
                .isEqualTo("{\"name\":\"green\",\"models\":[\"diabetes:2\"],\"runtime\":\"onnx\",\"maxBatchSize\":4}");
        assertThat(calls)
                .containsExactly(
                        "GET /api/v1/services/myservice",
                        "POST /api/v1/services/myservice/deployments",
                        "GET /api/v1/operations/op-3",
                        "GET /api/v1/services/myservice/deployments/green",
                        "GET /api/v1/services/myservice/deployments/green",
                        "GET /api/v1/services/myservice");
    }

    @Test
    void aDeploymentThatFailsThrowsWithTheServersReason() {
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("{\"default\": 100}", "{}")));
        String failed = GREEN.replace("\"Healthy\"", "\"Failed\"")
                .replace(
                        "\"error\": null",
                        "\"error\": {\"code\": \"DeploymentFailed\", \"message\": \"model has 3 inputs\"}");
        server.createContext("/api/v1/services/myservice/deployments/green", ex -> answer(ex, 200, failed));
        server.createContext("/api/v1/services/myservice/deployments", ex -> {
            ex.getResponseHeaders().add("Operation-Location", "/api/v1/operations/op-4");
            answer(ex, 202, GREEN.replace("\"Healthy\"", "\"Transitioning\""));
        });
        server.createContext(
                "/api/v1/operations/op-4",
                ex -> answer(
                        ex,
                        200,
                        "{\"id\": \"op-4\", \"state\": \"Failed\", \"error\": {\"message\": \"model has 3 inputs\"}}"));
        Webservice service = myservice();
        Model model = Model.fromJson(service.workspace(), Json.parse("{\"name\": \"diabetes\", \"version\": 2}", "t"));
        DeploymentOperation op = service.createDeployment("green", List.of(model), null, null);

        assertThatThrownBy(() -> op.waitForDeployment(false)).isInstanceOfSatisfying(WebserviceException.class, e -> {
            assertThat(e.serverMessage()).isEqualTo("model has 3 inputs");
            assertThat(e)
                    .hasMessage("Deployment polling reached non-successful terminal state, current deployment"
                            + " state: Failed. Operation ID: op-4. Error: model has 3 inputs");
        });
        assertThat(op.deployment().state()).isEqualTo(WebserviceState.Failed);
    }

    @Test
    void settingsOfTheWholeServiceAreRefusedForADeployment() {
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("{\"default\": 100}", "{}")));
        Webservice service = myservice();
        Model model = Model.fromJson(service.workspace(), Json.parse("{\"name\": \"diabetes\", \"version\": 2}", "t"));
        assertThatThrownBy(() -> service.createDeployment(
                        "green",
                        List.of(model),
                        null,
                        DeploymentConfig.builder()
                                .authMode(AuthMode.NONE)
                                .corsOrigins(List.of("*"))
                                .maxBatchSize(2)
                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("authMode, corsOrigins are settings of the whole service, not of one deployment:"
                        + " change it with Webservice.update");
        assertThatThrownBy(() -> service.updateDeployment("green", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No parameters provided to update.");
        // No models is a deployment of code alone (the server's runtime judges it); null is a mistake.
        assertThatThrownBy(() -> service.createDeployment("green", null, null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("models");
        assertThat(calls).containsExactly("GET /api/v1/services/myservice");
    }

    @Test
    void updateDeploymentPatchesLimitsAndModelsAndNeedsNoWaitWithoutAReload() {
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("{\"default\": 100}", "{}")));
        server.createContext("/api/v1/services/myservice/deployments/green", ex -> answer(ex, 200, GREEN));
        Webservice service = myservice();

        DeploymentOperation op = service.updateDeployment(
                "green", null, DeploymentConfig.builder().maxBatchSize(4).build());
        assertThat(op.operationId()).isEmpty();
        assertThat(op.waitForDeployment(false).maxBatchSize()).isEqualTo(4);
        assertThat(bodies.get("PATCH /api/v1/services/myservice/deployments/green"))
                .isEqualTo("{\"maxBatchSize\":4}");

        Model model = Model.fromJson(service.workspace(), Json.parse("{\"name\": \"diabetes\", \"version\": 3}", "t"));
        service.updateDeployment("green", List.of(model), null);
        assertThat(bodies.get("PATCH /api/v1/services/myservice/deployments/green"))
                .isEqualTo("{\"models\":[\"diabetes:3\"]}");
    }

    @Test
    void trafficAndMirrorArePutAndTheHandleShowsTheAnswer() {
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("{\"default\": 100}", "{}")));
        server.createContext(
                "/api/v1/services/myservice/traffic",
                ex -> answer(ex, 200, service("{\"default\": 90, \"green\": 10}", "{}")));
        server.createContext(
                "/api/v1/services/myservice/mirror",
                ex -> answer(
                        ex,
                        200,
                        service("{\"default\": 100, \"green\": 0}", bodies.isEmpty() ? "{}" : "{\"green\": 20}")));
        Webservice service = myservice();
        assertThat(service.traffic()).containsExactly(Map.entry("default", 100));
        assertThat(service.mirrorTraffic()).isEmpty();

        Map<String, Integer> split = new LinkedHashMap<>();
        split.put("default", 90);
        split.put("green", 10);
        service.setTraffic(split);
        assertThat(service.traffic()).containsExactly(Map.entry("default", 90), Map.entry("green", 10));
        service.setMirror("green", 20);
        assertThat(service.mirrorTraffic()).containsExactly(Map.entry("green", 20));
        service.stopMirror();

        assertThat(bodies)
                .containsEntry("PUT /api/v1/services/myservice/traffic", "{\"default\":90,\"green\":10}")
                .containsEntry("PUT /api/v1/services/myservice/mirror", "{}");
        assertThat(calls)
                .containsExactly(
                        "GET /api/v1/services/myservice",
                        "PUT /api/v1/services/myservice/traffic",
                        "PUT /api/v1/services/myservice/mirror",
                        "PUT /api/v1/services/myservice/mirror");
    }

    @Test
    void runPinsTheDeploymentWithTheHeaderAndAnUnknownOneIsTheServers404() {
        String noAuth = service("{\"default\": 100}", "{}").replace("\"authMode\": \"key\"", "\"authMode\": \"none\"");
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, noAuth));
        server.createContext("/api/v1/service/myservice/score", ex -> {
            String pinned = ex.getRequestHeaders().getFirst(Webservice.DEPLOYMENT_HEADER);
            if ("purple".equals(pinned)) {
                answer(
                        ex,
                        404,
                        "{\"status_code\": 404, \"message\": \"service 'myservice' has no deployment 'purple'\"}");
            } else {
                answer(ex, 200, "[1.5]");
            }
        });
        Webservice service = myservice();
        assertThat(service.run("{}", "green")).isEqualTo("[1.5]");
        assertThat(service.run("{}")).isEqualTo("[1.5]");
        assertThatThrownBy(() -> service.run("{}", "purple")).isInstanceOfSatisfying(WebserviceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.serverMessage()).isEqualTo("service 'myservice' has no deployment 'purple'");
        });
        assertThat(calls)
                .containsExactly(
                        "GET /api/v1/services/myservice",
                        "POST /api/v1/service/myservice/score pinned=green",
                        "POST /api/v1/service/myservice/score",
                        "POST /api/v1/service/myservice/score pinned=purple");
    }

    @Test
    void deploymentsAreListedAndAnUnknownOneIsA404NotAMissingService() {
        server.createContext("/api/v1/services/myservice", ex -> answer(ex, 200, service("{\"default\": 100}", "{}")));
        server.createContext(
                "/api/v1/services/myservice/deployments", ex -> answer(ex, 200, "{\"value\": [" + GREEN + "]}"));
        server.createContext(
                "/api/v1/services/myservice/deployments/purple",
                ex -> answer(
                        ex,
                        404,
                        "{\"status_code\": 404, \"message\": \"service 'myservice' has no deployment 'purple'\"}"));
        Webservice service = myservice();
        assertThat(service.deployments()).extracting(Deployment::name).containsExactly("green");
        assertThatThrownBy(() -> service.deployment("purple")).isInstanceOfSatisfying(WebserviceException.class, e -> {
            assertThat(e).isNotInstanceOf(WebserviceNotFoundException.class);
            assertThat(e.statusCode()).isEqualTo(404);
        });
        assertThatThrownBy(() -> service.deleteDeployment("purple"))
                .isInstanceOfSatisfying(
                        WebserviceException.class,
                        e -> assertThat(e.serverMessage()).contains("no deployment 'purple'"));
    }
}
