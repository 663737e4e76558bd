package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.client.AuthMode;
import dev.scoria.client.Deployment;
import dev.scoria.client.DeploymentConfig;
import dev.scoria.client.DeploymentOperation;
import dev.scoria.client.InferenceConfig;
import dev.scoria.client.KeyType;
import dev.scoria.client.Keys;
import dev.scoria.client.Model;
import dev.scoria.client.ModelFile;
import dev.scoria.client.ModelReference;
import dev.scoria.client.RuntimeInfo;
import dev.scoria.client.Webservice;
import dev.scoria.client.WebserviceException;
import dev.scoria.client.WebserviceNotFoundException;
import dev.scoria.client.WebserviceState;
import dev.scoria.client.Workspace;
import dev.scoria.examples.SdkQuickstart;
import dev.scoria.server.ScoriaServer;
import dev.scoria.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java SDK against a real Scoria server on a free loopback port: the whole life of a model and its web
 * service, the documented prediction bit for bit, key rotation without a failed request, and the errors a
 * user meets. Also runs the SDK quickstart example as a user would.
 */
class SdkTest {

    static final String REQUEST =
            "{\"data\": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925, 0.0700725447072635,"
                    + " -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282, 0.00371173823343597,"
                    + " 0.0403433716478807], [-0.0127796318808497, -0.044641636506989, 0.0606183944448076, 0.0528581912385822,"
                    + " 0.0479653430750293, 0.0293746718291555, -0.0176293810234174, 0.0343088588777263, 0.0702112981933102,"
                    + " 0.00720651632920303]]}";
    static final String EXPECTED = "[217.67978776218715,224.78937091757172]";
    static final String MODEL_NAME = "sdk-diabetes";

    @TempDir
    static Path dataDir;

    @TempDir
    static Path scratch;

    static ScoriaServer server;
    static Workspace ws;
    static Path modelFile;
    static Model model;
    static Webservice service;
    static final HttpClient RAW =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void deploy() throws Exception {
        server = ScoriaServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dataDir)
                .build());
        ws = Workspace.connect(server.baseUrl(), server.adminToken());
        modelFile = Path.of(SdkTest.class.getResource("/diabetes-ridge.onnx").toURI());
        model = Model.register(
                ws,
                modelFile,
                MODEL_NAME,
                Model.RegisterOptions.builder()
                        .description("ridge regression")
                        .tag("data", "diabetes")
                        .property("alpha", "0.4")
                        .build());
        service = deployAndWait("sdk-it");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Webservice deployAndWait(String name) {
        Webservice deployed = Model.deploy(
                ws,
                name,
                List.of(model),
                InferenceConfig.builder().inputExample(REQUEST).build(),
                DeploymentConfig.builder()
                        .authMode(AuthMode.KEY)
                        .description("SDK test")
                        .tag("suite", "sdk")
                        .build());
        assertThat(deployed.waitForDeployment(false, Duration.ofMinutes(2))).isEqualTo(WebserviceState.Healthy);
        return deployed;
    }

    @Test
    void registeredModelDescribesItsFile() throws Exception {
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(modelFile)));
        assertThat(model.name()).isEqualTo(MODEL_NAME);
        assertThat(model.id()).isEqualTo(MODEL_NAME + ":" + model.version());
        assertThat(model.files()).containsExactly(new ModelFile("diabetes-ridge.onnx", sha256, Files.size(modelFile)));
        assertThat(model.size()).isEqualTo(Files.size(modelFile));
        assertThat(model.tags()).isEqualTo(Map.of("data", "diabetes"));
        assertThat(model.properties()).isEqualTo(Map.of("alpha", "0.4"));
        assertThat(model.description()).isEqualTo("ridge regression");
        assertThat(model.sha256()).matches("[0-9a-f]{64}");

        Model fetched = Model.get(ws, MODEL_NAME, model.version());
        assertThat(fetched).isEqualTo(model);
        assertThat(fetched.sha256()).isEqualTo(model.sha256());
        assertThat(Model.list(ws, MODEL_NAME)).contains(model);
        assertThat(Model.list(ws)).contains(model);
    }

    @Test
    void registeringAgainMakesTheNextVersion() {
        Model next = Model.register(ws, modelFile, "sdk-versions");
        Model after = Model.register(ws, modelFile, "sdk-versions");
        assertThat(after.version()).isEqualTo(next.version() + 1);
        assertThat(after.sha256()).isEqualTo(next.sha256());
    }

    @Test
    void aFolderRegistersEveryFileByItsRelativePath() throws Exception {
        Path folder = Files.createDirectories(scratch.resolve("model-folder"));
        Files.copy(modelFile, folder.resolve("model.onnx"));
        Files.createDirectories(folder.resolve("notes"));
        Files.writeString(folder.resolve("notes/README.md"), "ridge, alpha 0.4\n");

        Model folderModel = Model.register(ws, folder, "sdk-folder");
        assertThat(folderModel.files()).extracting(ModelFile::path).containsExactly("model.onnx", "notes/README.md");
        assertThat(folderModel.size()).isEqualTo(Files.size(modelFile) + Files.size(folder.resolve("notes/README.md")));
    }

    @Test
    void deployedServiceIsHealthyAndSaysWhereToCallIt() {
        String base = server.baseUrl() + "/api/v1/service/sdk-it";
        for (Webservice s : List.of(service, new Webservice(ws, "sdk-it"), Webservice.get(ws, "sdk-it"))) {
            assertThat(s.name()).isEqualTo("sdk-it");
            assertThat(s.state()).isEqualTo(WebserviceState.Healthy);
            assertThat(s.error()).isEmpty();
            assertThat(s.scoringUri()).isEqualTo(URI.create(base + "/score"));
            assertThat(s.swaggerUri()).isEqualTo(URI.create(base + "/swagger.json"));
            assertThat(s.authMode()).isEqualTo(AuthMode.KEY);
            assertThat(s.runtime()).isEqualTo("onnx");
            assertThat(s.models()).containsExactly(new ModelReference(model.id(), MODEL_NAME, model.version()));
            assertThat(s.description()).isEqualTo("SDK test");
            assertThat(s.tags()).isEqualTo(Map.of("suite", "sdk"));
        }
    }

    @Test
    void runReturnsTheDocumentedPredictionBitForBit() throws Exception {
        String answer = service.run(REQUEST);
        assertThat(answer).isEqualTo(EXPECTED);
        JsonNode values = new ObjectMapper().readTree(answer);
        assertThat(values.get(0).doubleValue()).isEqualTo(217.67978776218715);
        assertThat(values.get(1).doubleValue()).isEqualTo(224.78937091757172);
        assertThat(values).hasSize(2);
    }

    @Test
    void runtimesSayWhatEachTakesSoACallerCanPickOne() {
        List<RuntimeInfo> runtimes = ws.runtimes();
        assertThat(runtimes).extracting(RuntimeInfo::name).containsExactly("java", "onnx", "python");
        RuntimeInfo onnx = runtimes.get(1);
        assertThat(onnx.takesCode()).isFalse();
        assertThat(onnx.modelExtensions()).containsExactly(".onnx");
        assertThat(onnx.servesModelFiles(
                        model.files().stream().map(ModelFile::path).toList()))
                .isTrue();
        assertThat(runtimes.get(0).takesCodeFile("scorer.JAR")).isTrue();
        assertThat(runtimes.get(2).codeExtensions()).containsExactly(".py", ".zip");
        assertThat(runtimes).allSatisfy(r -> assertThat(r.description()).isNotBlank());
    }

    @Test
    void badInputComesBackAsTheServicesOwn400() {
        assertThatThrownBy(() -> service.run("{\"data\": [[1, 2, 3]]}"))
                .isInstanceOfSatisfying(WebserviceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.serverMessage()).isNotBlank();
                    assertThat(e).hasMessageContaining(e.serverMessage());
                });
    }

    @Test
    void keysRotateWithoutAFailedRequest() throws Exception {
        Webservice rotating = deployAndWait("sdk-keys");
        Keys before = rotating.getKeys();
        assertThat(before.primaryKey()).isNotEqualTo(before.secondaryKey());
        // A second handle caches the primary key that is about to be replaced.
        Webservice other = Webservice.get(ws, "sdk-keys");
        assertThat(other.run(REQUEST)).isEqualTo(EXPECTED);

        Keys after = rotating.regenKey(KeyType.Primary);

        assertThat(after.primaryKey()).isNotEqualTo(before.primaryKey());
        assertThat(after.secondaryKey()).isEqualTo(before.secondaryKey());
        assertThat(rotating.getKeys()).isEqualTo(after);
        HttpResponse<String> refused = score(rotating.scoringUri(), before.primaryKey());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        HttpResponse<String> secondary = score(rotating.scoringUri(), before.secondaryKey());
        assertThat(secondary.statusCode()).isEqualTo(200);
        assertThat(secondary.body()).isEqualTo(EXPECTED);
        assertThat(score(rotating.scoringUri(), after.primaryKey()).body()).isEqualTo(EXPECTED);
        // The stale handle meets a 401, fetches the keys again and retries, as Azure's SDK does.
        assertThat(other.run(REQUEST)).isEqualTo(EXPECTED);

        Keys chosen = rotating.regenKey(KeyType.Secondary, "sdk-test-secondary-key-0123456789abcdef");
        assertThat(chosen).isEqualTo(new Keys(after.primaryKey(), "sdk-test-secondary-key-0123456789abcdef"));
        assertThat(score(rotating.scoringUri(), before.secondaryKey()).statusCode())
                .isEqualTo(401);
        assertThat(score(rotating.scoringUri(), chosen.secondaryKey()).body()).isEqualTo(EXPECTED);
        rotating.delete();
    }

    @Test
    void listFiltersByModelTagsAndProperties() {
        assertThat(names(Webservice.list(ws))).contains("sdk-it");
        assertThat(names(Webservice.list(
                        ws, Webservice.Filter.builder().modelName(MODEL_NAME).build())))
                .contains("sdk-it");
        assertThat(names(Webservice.list(
                        ws, Webservice.Filter.builder().model(model).build())))
                .contains("sdk-it");
        assertThat(names(Webservice.list(
                        ws, Webservice.Filter.builder().tag("suite").build())))
                .contains("sdk-it");
        assertThat(names(Webservice.list(
                        ws, Webservice.Filter.builder().tag("suite", "sdk").build())))
                .contains("sdk-it");

        assertThat(Webservice.list(
                        ws,
                        Webservice.Filter.builder().modelName("no-such-model").build()))
                .isEmpty();
        assertThat(Webservice.list(
                        ws,
                        Webservice.Filter.builder().modelId(MODEL_NAME + ":999").build()))
                .isEmpty();
        assertThat(Webservice.list(
                        ws, Webservice.Filter.builder().tag("suite", "other").build()))
                .isEmpty();
        assertThat(Webservice.list(
                        ws, Webservice.Filter.builder().property("owner").build()))
                .isEmpty();
    }

    @Test
    void logsAndSwaggerAreThere() {
        assertThat(service.getLogs()).isNotBlank();
        assertThat(service.getLogs(1)).isNotBlank();
        String swagger = service.swagger();
        assertThat(swagger).contains("RunMLService").contains("/api/v1/service/sdk-it/score");
    }

    @Test
    void updateChangesTheServiceAndItsHandle() {
        Webservice updating = deployAndWait("sdk-update");
        updating.update(Webservice.Update.builder()
                .description("changed")
                .tags(Map.of("stage", "prod"))
                .maxQueueWaitMs(750)
                .build());
        assertThat(updating.description()).isEqualTo("changed");
        assertThat(updating.tags()).isEqualTo(Map.of("stage", "prod"));
        assertThat(updating.maxQueueWaitMs()).isEqualTo(750);
        Webservice fetched = Webservice.get(ws, "sdk-update");
        assertThat(fetched.description()).isEqualTo("changed");
        assertThat(fetched.maxQueueWaitMs()).isEqualTo(750);
        assertThatThrownBy(() -> updating.update(Webservice.Update.builder().build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No parameters provided to update.");
        updating.delete();
    }

    @Test
    void aSecondDeploymentIsTriedByNameSharesTheTrafficIsMirroredAndRemoved() throws Exception {
        Webservice service = deployAndWait("sdk-blue-green");
        assertThat(service.traffic()).containsExactly(Map.entry("default", 100));
        assertThat(service.mirrorTraffic()).isEmpty();
        Deployment original = service.deployments().get(0);
        assertThat(original.name()).isEqualTo("default");
        assertThat(original.primary()).isTrue();
        assertThat(original.trafficPercent()).isEqualTo(100);
        assertThat(original.models()).containsExactly(new ModelReference(model.id(), MODEL_NAME, model.version()));

        DeploymentOperation creating = service.createDeployment(
                "green",
                List.of(model),
                InferenceConfig.builder().inputExample(REQUEST).build(),
                DeploymentConfig.builder().maxBatchSize(4).build());
        assertThat(creating.operationId()).isPresent();
        Deployment green = creating.waitForDeployment(false, Duration.ofMinutes(2));
        assertThat(green.state()).isEqualTo(WebserviceState.Healthy);
        assertThat(green.serviceName()).isEqualTo("sdk-blue-green");
        assertThat(green.trafficPercent()).isZero();
        assertThat(green.primary()).isFalse();
        assertThat(green.maxBatchSize()).isEqualTo(4);
        assertThat(green.runtime()).isEqualTo("onnx");
        assertThat(green.generation()).isEqualTo(1);
        assertThat(service.deployments()).extracting(Deployment::name).containsExactly("default", "green");

        // Pinned by name through the real scoring URI, before green takes any traffic.
        assertThat(service.run(REQUEST, "green")).isEqualTo(EXPECTED);
        HttpResponse<String> pinned = RAW.send(
                HttpRequest.newBuilder(service.scoringUri())
                        .header("Authorization", "Bearer " + service.getKeys().primaryKey())
                        .header("Content-Type", "application/json")
                        .header(Webservice.DEPLOYMENT_HEADER, "green")
                        .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pinned.headers().firstValue(Webservice.DEPLOYMENT_HEADER)).hasValue("green");
        assertThatThrownBy(() -> service.run(REQUEST, "purple"))
                .isInstanceOfSatisfying(WebserviceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.serverMessage()).contains("has no deployment 'purple'");
                });

        service.setTraffic(Map.of("default", 50, "green", 50));
        assertThat(service.traffic()).isEqualTo(Map.of("default", 50, "green", 50));
        assertThat(service.deployment("green").trafficPercent()).isEqualTo(50);
        assertThatThrownBy(() -> service.setMirror("green", 10))
                .isInstanceOfSatisfying(WebserviceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.serverMessage()).contains("takes 50% of live traffic");
                });
        assertThatThrownBy(() -> service.setTraffic(Map.of("default", 50, "green", 40)))
                .isInstanceOfSatisfying(
                        WebserviceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));

        service.setTraffic(Map.of("default", 100, "green", 0));
        service.setMirror("green", 20);
        assertThat(service.mirrorTraffic()).containsExactly(Map.entry("green", 20));
        assertThat(service.deployment("green").mirrorTrafficPercent()).isEqualTo(20);
        assertThatThrownBy(() -> service.deleteDeployment("green"))
                .isInstanceOfSatisfying(WebserviceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.serverMessage()).contains("20% mirror traffic");
                });

        DeploymentOperation limited = service.updateDeployment(
                "green", null, DeploymentConfig.builder().maxBatchSize(2).build());
        assertThat(limited.operationId()).isEmpty();
        assertThat(limited.deployment().maxBatchSize()).isEqualTo(2);
        assertThat(limited.waitForDeployment(false).state()).isEqualTo(WebserviceState.Healthy);
        assertThatThrownBy(() -> service.createDeployment(
                        "blue",
                        List.of(model),
                        null,
                        DeploymentConfig.builder().authMode(AuthMode.NONE).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("authMode is a setting of the whole service");

        service.stopMirror();
        assertThat(service.mirrorTraffic()).isEmpty();
        service.deleteDeployment("green");
        assertThat(service.deployments()).extracting(Deployment::name).containsExactly("default");
        assertThatThrownBy(() -> service.deleteDeployment("default"))
                .isInstanceOfSatisfying(
                        WebserviceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThat(service.run(REQUEST)).isEqualTo(EXPECTED);
        service.delete();
    }

    @Test
    void deleteMakesTheServiceUnknown() throws Exception {
        Webservice doomed = deployAndWait("sdk-delete");
        URI scoringUri = doomed.scoringUri();
        String key = doomed.getKeys().primaryKey();

        doomed.delete();

        assertThat(doomed.state()).isEqualTo(WebserviceState.Deleting);
        assertThatThrownBy(() -> Webservice.get(ws, "sdk-delete"))
                .isInstanceOfSatisfying(
                        WebserviceNotFoundException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> new Webservice(ws, "sdk-delete")).isInstanceOf(WebserviceNotFoundException.class);
        assertThat(names(Webservice.list(ws))).doesNotContain("sdk-delete");
        assertThat(score(scoringUri, key).statusCode()).isEqualTo(404);
        doomed.delete();
    }

    @Test
    void aDeploymentThatFailsIsReportedWithTheServersReason() {
        Webservice failing = Model.deploy(
                ws,
                "sdk-failed",
                List.of(model),
                InferenceConfig.builder()
                        .inputExample("{\"data\": [[1.0, 2.0, 3.0]]}")
                        .build(),
                null);

        assertThatThrownBy(() -> failing.waitForDeployment(false, Duration.ofMinutes(2)))
                .isInstanceOfSatisfying(WebserviceException.class, e -> {
                    assertThat(e.serverMessage()).isNotBlank();
                    assertThat(e).hasMessageContaining("Failed").hasMessageContaining(e.serverMessage());
                });
        assertThat(failing.state()).isEqualTo(WebserviceState.Failed);
        assertThat(failing.error())
                .hasValueSatisfying(error -> assertThat(error.message()).isNotBlank());
        failing.delete();
    }

    @Test
    void aTakenServiceNameIs409() {
        assertThatThrownBy(() -> Model.deploy(ws, "sdk-it", List.of(model), null, null))
                .isInstanceOfSatisfying(
                        WebserviceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
    }

    @Test
    void aModelInUseCannotBeDeleted() {
        assertThatThrownBy(model::delete)
                .isInstanceOfSatisfying(
                        WebserviceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThat(Model.get(ws, MODEL_NAME, model.version())).isEqualTo(model);
    }

    @Test
    void anInvalidModelNameIs400WithTheServersReason() {
        assertThatThrownBy(() -> Model.register(ws, modelFile, "not a valid name!"))
                .isInstanceOfSatisfying(WebserviceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.serverMessage()).isNotBlank();
                });
    }

    @Test
    void anUnknownModelVersionIs404() {
        assertThatThrownBy(() -> Model.get(ws, MODEL_NAME, 999))
                .isInstanceOfSatisfying(
                        WebserviceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void aWrongAdminTokenIs401() {
        Workspace wrong = Workspace.connect(server.baseUrl(), "not-the-admin-token");
        assertThatThrownBy(() -> Model.list(wrong)).isInstanceOfSatisfying(WebserviceException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.serverMessage()).isNotBlank();
        });
        assertThatThrownBy(() -> Webservice.list(wrong))
                .isInstanceOfSatisfying(
                        WebserviceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(401));
    }

    @Test
    void quickstartExamplePrintsTheDocumentedPredictionAndCleansUp() throws Exception {
        String printed = runQuickstart(
                "--url", server.baseUrl(), "--token", server.adminToken(), "--service", "sdk-quickstart-it");

        assertThat(printed.lines())
                .contains(
                        "Prediction:    " + EXPECTED,
                        "Service sdk-quickstart-it: Healthy",
                        "Scoring URI:   " + server.baseUrl() + "/api/v1/service/sdk-quickstart-it/score",
                        "Swagger URI:   " + server.baseUrl() + "/api/v1/service/sdk-quickstart-it/swagger.json");
        assertThat(printed).containsPattern("Primary key:   \\S{16,}").containsPattern("Secondary key: \\S{16,}");
        assertThatThrownBy(() -> Webservice.get(ws, "sdk-quickstart-it"))
                .isInstanceOf(WebserviceNotFoundException.class);
        int version = registeredVersion(printed);
        assertThatThrownBy(() -> Model.get(ws, "diabetes-ridge", version))
                .isInstanceOfSatisfying(
                        WebserviceException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void quickstartExampleCanKeepTheServiceForOtherClients() throws Exception {
        String printed = runQuickstart(
                "--url",
                server.baseUrl(),
                "--token",
                server.adminToken(),
                "--service",
                "sdk-quickstart-kept",
                "--model",
                modelFile.toString(),
                "--keep");

        assertThat(printed.lines()).contains("Prediction:    " + EXPECTED);
        Webservice kept = Webservice.get(ws, "sdk-quickstart-kept");
        assertThat(kept.state()).isEqualTo(WebserviceState.Healthy);
        assertThat(kept.run(REQUEST)).isEqualTo(EXPECTED);
        kept.delete();
        Model.get(ws, "diabetes-ridge", registeredVersion(printed)).delete();
    }

    /** The version in the example's "Registered model diabetes-ridge:N" line. */
    private static int registeredVersion(String printed) {
        var matcher = Pattern.compile("Registered model diabetes-ridge:(\\d+) ").matcher(printed);
        assertThat(matcher.find())
                .as("the example says which model version it registered")
                .isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static String runQuickstart(String... args) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        synchronized (System.class) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                SdkQuickstart.main(args);
            } finally {
                System.setOut(original);
            }
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        original.print(printed);
        return printed;
    }

    private static HttpResponse<String> score(URI scoringUri, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(scoringUri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                .build();
        return RAW.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> names(List<Webservice> services) {
        return services.stream().map(Webservice::name).toList();
    }
}
