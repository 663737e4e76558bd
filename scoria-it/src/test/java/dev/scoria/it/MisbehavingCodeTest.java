package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.it.scorers.AllocatingScorer;
import dev.scoria.it.scorers.SpinningScorer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * User code that misbehaves affects only its own service: a real {@code scoria serve} process (the CLI
 * jar, a 256 MiB heap, secrets in its environment) with python and java services that exhaust memory,
 * start processes, spin and ignore interrupts, next to services that behave. Each test checks that the
 * bad request fails as the contract says, that the server and the other services keep answering, and
 * that nothing is left running; the last one kills the server with SIGKILL and checks that no worker
 * process, nor anything a worker started, outlives it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MisbehavingCodeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SCRIPTS = Path.of("src", "test", "resources", "python");
    /** Secrets the server has in its environment, which no worker may see. */
    static final Map<String, String> SERVER_SECRETS = Map.of(
            "SCORIA_ADMIN_TOKEN", "admin-" + UUID.randomUUID(),
            "DATABASE_URL", "postgresql://scoria:hunter2@db.invalid/scoria",
            "SCORIA_TEST_SECRET", "do-not-leak",
            "AWS_SECRET_ACCESS_KEY", "do-not-leak-either");

    static final int MEMORY_LIMIT_MB = 128;

    @TempDir
    static Path work;

    static ReplicaProcess server;
    static String adminToken;
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    @BeforeAll
    static void startServerAndDeploy() throws Exception {
        if (!Files.exists(CliProcess.JAR)) {
            throw new AssertionError(
                    CliProcess.JAR + " is missing: the scoria-cli module must be packaged before scoria-it runs");
        }
        Path jar = work.resolve("scoria.jar");
        Files.copy(CliProcess.JAR, jar);
        Path dataDir = work.resolve("data");
        server = new ReplicaProcess(
                "contain",
                ReplicasEndToEndTest.freePort(),
                dataDir,
                jar,
                work,
                SERVER_SECRETS,
                List.of(),
                // The launcher's collector, a small heap: a scorer that fills it does so in seconds.
                List.of("-Xmx256m", "-XX:+UseParallelGC"));
        Runtime.getRuntime().addShutdownHook(new Thread(MisbehavingCodeTest::killEverything));
        server.start();
        server.awaitBanner(Duration.ofSeconds(90));
        server.awaitReady(Duration.ofSeconds(30));
        adminToken = Files.readString(dataDir.resolve("admin-token")).trim();

        HttpResponse<String> model = multipart(
                "/api/v1/models", Map.of("name", "diabetes"), JavaScorerTest.resource("/diabetes-ridge.onnx"));
        assertThat(model.statusCode()).as(model.body()).isEqualTo(201);
        JsonNode scorers = uploadCode(JavaScorerTest.testScorersJar(work.resolve("test-scorers.jar")));

        List<String> names = new ArrayList<>();
        names.add(deploy(python("eats-memory", "eats_memory.py", 20_000)
                .put("maxConcurrentRequestsPerContainer", 1)
                .set("config", pythonConfig().put("memoryLimitMb", String.valueOf(MEMORY_LIMIT_MB)))));
        // Long enough for forking on a loaded machine, short enough for the hang test.
        names.add(deploy(python("forks", "forks.py", 4000)));
        names.add(deploy(python("environment", "environment.py", 20_000)));
        deploy(python("init-eats-memory", "init_eats_memory.py", 20_000)
                .set("config", pythonConfig().put("memoryLimitMb", String.valueOf(MEMORY_LIMIT_MB))));
        names.add(deploy(java("spins", scorers, SpinningScorer.class.getName(), 300)));
        names.add(deploy(java("allocates", scorers, AllocatingScorer.class.getName(), 30_000)));
        names.add(deploy(java("bystander", scorers, SpinningScorer.class.getName(), 5000)));
        for (String name : names) {
            JsonNode state = waitWhileTransitioning(name);
            assertThat(state.path("state").asText())
                    .as("service %s: %s\n%s", name, state, server.output())
                    .isEqualTo("Healthy");
            KEYS.put(
                    name,
                    JSON.readTree(admin("POST", "/api/v1/services/" + name + "/listkeys")
                                    .body())
                            .get("primaryKey")
                            .asText());
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.stop(Duration.ofSeconds(10));
        }
        killEverything();
    }

    // ---- python workers

    @Test
    @Order(1)
    void aPythonWorkerGetsAnAllowListedEnvironmentItsOwnProcessGroupAndAMemoryLimit() throws Exception {
        HttpResponse<String> response = score("environment", "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        List<String> names = new ArrayList<>();
        answer.get("names").forEach(n -> names.add(n.asText()));
        assertThat(names)
                .contains("PATH", "AZUREML_MODEL_DIR", "AZUREML_ENTRY_SCRIPT")
                .doesNotContainAnyElementsOf(SERVER_SECRETS.keySet());
        assertThat(names.stream().filter(n -> n.startsWith("SCORIA_")))
                .as("SCORIA_* variables the worker sees: only the runtime's own list of models")
                .containsOnly("SCORIA_MODELS");
        assertThat(answer.get("pgid").asLong())
                .as("the worker leads its own process group")
                .isEqualTo(answer.get("pid").asLong());
        assertThat(answer.get("dataLimit").asLong())
                .as("RLIMIT_DATA: memoryLimitMb's default")
                .isEqualTo(1024L * 1024 * 1024);
    }

    @Test
    @Order(1)
    void theCliSetsAWorkersMemoryLimitAndRefusesOneTooSmallToRunPython() throws Exception {
        Map<String, String> env = Map.of("SCORIA_URL", server.baseUrl(), "SCORIA_TOKEN", adminToken);
        String script = SCRIPTS.resolve("environment.py").toAbsolutePath().toString();
        CliProcess.Result refused = CliProcess.run(
                work,
                env,
                "service",
                "deploy",
                "cli-tiny",
                "--model",
                "diabetes:1",
                "--code",
                script,
                "--python",
                PythonRuntimeTest.PYTHON,
                "--config",
                "memoryLimitMb=10");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err())
                .contains("config memoryLimitMb must be 0 (no limit) or from 64 to 1048576 (MiB per worker), saw '10'");

        CliProcess.Result deployed = CliProcess.run(
                work,
                env,
                "service",
                "deploy",
                "cli-limited",
                "--model",
                "diabetes:1",
                "--code",
                script,
                "--python",
                PythonRuntimeTest.PYTHON,
                "--config",
                "memoryLimitMb=256",
                "--wait");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        KEYS.put(
                "cli-limited",
                JSON.readTree(admin("POST", "/api/v1/services/cli-limited/listkeys")
                                .body())
                        .get("primaryKey")
                        .asText());
        HttpResponse<String> response = score("cli-limited", "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("dataLimit").asLong()).isEqualTo(256L * 1024 * 1024);
        assertThat(logs("cli-limited")).contains("memoryLimitMb=256");
        assertThat(admin("DELETE", "/api/v1/services/cli-limited").statusCode()).isIn(200, 202, 204);
    }

    @Test
    @Order(2)
    void aPythonWorkerThatExhaustsItsMemoryFailsItsRequestWith502AndIsReplaced() throws Exception {
        long before = pid(score("eats-memory", "{}"));
        long started = System.nanoTime();
        HttpResponse<String> response = score("eats-memory", "{\"eat\": true}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.headers().firstValue("x-ms-run-function-failed")).hasValue("True");
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("status_code").asInt()).isEqualTo(502);
        assertThat(error.get("message").asText()).contains("scoria service logs eats-memory");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .as("stopped by its limit, not by the 20 s timeout")
                .isLessThan(15_000);
        // Other services and the server did not notice.
        assertThat(score("environment", "{}").statusCode()).isEqualTo(200);
        assertThat(score("bystander", "{}").statusCode()).isEqualTo(200);
        awaitGone(before, "the worker that ran out of memory");
        HttpResponse<String> after = scoreWhenBack("eats-memory", "{}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        assertThat(pid(after)).isNotEqualTo(before);
        assertThat(logs("eats-memory"))
                .contains("memory limit (memoryLimitMb=" + MEMORY_LIMIT_MB + ")")
                .contains("MemoryError")
                .contains("eats_memory.py");
    }

    @Test
    @Order(2)
    void anInitThatExhaustsItsMemoryFailsTheDeploymentNamingTheLimit() throws Exception {
        JsonNode service = waitWhileTransitioning("init-eats-memory");
        assertThat(service.path("state").asText()).as(service.toString()).isEqualTo("Failed");
        assertThat(service.path("error").toString())
                .contains("the entry script failed in init(): MemoryError")
                .contains("config memoryLimitMb");
        assertThat(score("environment", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void whatAWorkerStartedDiesWithItWhenItsRequestTimesOut() throws Exception {
        HttpResponse<String> forked = scoreWhenBack("forks", "{\"fork\": true}");
        assertThat(forked.statusCode()).as(forked.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(forked.body());
        long worker = answer.get("pid").asLong();
        List<Long> children = new ArrayList<>();
        answer.get("children").forEach(c -> children.add(c.asLong()));
        assertThat(children).hasSize(2).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
        assertThat(ProcessHandle.of(children.get(1))
                        .flatMap(ProcessHandle::parent)
                        .map(ProcessHandle::pid))
                .as("the double-forked grandchild is no longer the worker's descendant")
                .isNotEqualTo(Optional.of(worker));

        HttpResponse<String> hung = score("forks", "{\"hang\": true}");
        assertThat(hung.statusCode()).as(hung.body()).isEqualTo(504);
        awaitGone(worker, "the worker whose request timed out");
        for (long child : children) {
            awaitGone(child, "a process the worker started");
        }
        assertThat(score("environment", "{}").statusCode()).isEqualTo(200);
        HttpResponse<String> after = scoreWhenBack("forks", "{}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void aWorkerWhoseChildEscapedItsProcessGroupIsStillReplaced() throws Exception {
        HttpResponse<String> escaped = scoreWhenBack("forks", "{\"escape\": true}");
        assertThat(escaped.statusCode()).as(escaped.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(escaped.body());
        long worker = answer.get("pid").asLong();
        long child = answer.get("children").get(0).asLong();
        try {
            // The escaped child holds the worker's pipes open: the worker's death is seen from its exit instead.
            HttpResponse<String> hung = score("forks", "{\"hang\": true}");
            assertThat(hung.statusCode()).as(hung.body()).isEqualTo(504);
            awaitGone(worker, "the worker whose request timed out");
            HttpResponse<String> after = scoreWhenBack("forks", "{}");
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(pid(after)).isNotEqualTo(worker);
        } finally {
            // Documented as out of reach (it left the group on purpose): this test ends it itself.
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    // ---- java scorers

    @Test
    @Order(5)
    void aSpinningScorerThatIgnoresInterruptsHoldsABoundedNumberOfThreadsAndOthersKeepAnswering() throws Exception {
        // Each spin outlives its 300 ms timeout by seconds and never looks at its interrupt.
        for (int i = 0; i < 2; i++) {
            long started = System.nanoTime();
            HttpResponse<String> spun = score("spins", "{\"spinMs\": 6000}");
            assertThat(spun.statusCode()).as(spun.body()).isEqualTo(504);
            assertThat(JSON.readTree(spun.body()).get("status_code").asInt()).isEqualTo(504);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .isLessThan(5000);
        }
        // Two abandoned calls are the most a service with one slot may leave behind: it takes no third.
        HttpResponse<String> refused = score("spins", "{\"spinMs\": 6000}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).contains("ignored the interrupt");
        JsonNode shown = JSON.readTree(admin("GET", "/api/v1/services/spins").body());
        assertThat(shown.path("state").asText()).isEqualTo("Unhealthy");
        assertThat(shown.path("error").toString()).contains("still running after their request passed");

        // Meanwhile the server and another service answer promptly.
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            HttpResponse<String> other = score("bystander", "{}");
            assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .isLessThan(3000);
        }
        assertThat(score("environment", "{}").statusCode()).isEqualTo(200);

        // The spins end by themselves after 6 s: the service is back.
        long deadline = System.currentTimeMillis() + 30_000;
        HttpResponse<String> back = score("spins", "{}");
        while (back.statusCode() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            back = score("spins", "{}");
        }
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        // The server's own timer or the runtime's, whichever fires first, gives up on the call.
        assertThat(logs("spins"))
                .containsAnyOf("took longer than scoringTimeoutMs (300 ms)", "was interrupted by the server");
    }

    @Test
    @Order(6)
    void aScorerAskingForMoreMemoryThanTheServerHasFailsItsRequestOnly() throws Exception {
        HttpResponse<String> huge = score("allocates", "{\"huge\": true}");
        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(502);
        assertThat(huge.headers().firstValue("x-ms-run-function-failed")).hasValue("True");
        assertThat(JSON.readTree(huge.body()).get("status_code").asInt()).isEqualTo(502);
        assertThat(score("allocates", "{}").statusCode()).isEqualTo(200);
        assertThat(score("bystander", "{}").statusCode()).isEqualTo(200);
        assertThat(logs("allocates")).contains("the scorer ran out of memory");
    }

    @Test
    @Order(7)
    void aScorerThatFillsTheHeapFailsItsRequestAndTheServerRecovers() throws Exception {
        HttpResponse<String> grown = score("allocates", "{\"grow\": true}");
        assertThat(grown.statusCode()).as(grown.body()).isEqualTo(502);
        assertThat(server.alive()).isTrue();
        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(score("allocates", "{}").statusCode()).isEqualTo(200);
        assertThat(score("bystander", "{}").statusCode()).isEqualTo(200);
        assertThat(score("environment", "{}").statusCode()).isEqualTo(200);
        assertThat(logs("allocates")).contains("Java heap space");
    }

    // ---- the server dies

    @Test
    @Order(8)
    void noWorkerNorAnythingItStartedOutlivesAServerKilledWithSigkill() throws Exception {
        HttpResponse<String> forked = scoreWhenBack("forks", "{\"fork\": true}");
        assertThat(forked.statusCode()).as(forked.body()).isEqualTo(200);
        List<Long> processes = new ArrayList<>();
        JSON.readTree(forked.body()).get("children").forEach(c -> processes.add(c.asLong()));
        workers().forEach(p -> processes.add(p.pid()));
        // Three services' workers and their reapers, and the two children.
        assertThat(processes).hasSizeGreaterThanOrEqualTo(2 + 3 + 3);
        assertThat(workers())
                .filteredOn(p -> p.info().commandLine().orElse("").contains("scoria_reaper.py"))
                .hasSize(3);

        server.kill();
        long deadline = System.currentTimeMillis() + 5000;
        List<Long> left = processes;
        while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            left = processes.stream().filter(MisbehavingCodeTest::alive).toList();
        }
        assertThat(left)
                .as("processes still running 5 s after the server was killed")
                .isEmpty();
        assertThat(workers()).isEmpty();
    }

    // ---- helpers

    /**
     * The python workers of this test's server, what they forked (their command line is the worker's) and
     * their group reapers.
     */
    static List<ProcessHandle> workers() {
        String marker = work.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> (c.contains("scoria_worker.py") || c.contains("scoria_reaper.py"))
                                && c.contains(marker))
                        .orElse(false))
                .toList();
    }

    /** Leaves nothing behind whatever happened: the server, then any process of ours it left. */
    static void killEverything() {
        if (server != null) {
            server.destroyForcibly();
        }
        if (work != null) {
            workers().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Whether {@code pid} still runs. A zombie does not: an orphan killed with its group stays one until
     * init reaps it, which here may take a while, and ProcessHandle counts it as alive.
     */
    static boolean alive(long pid) {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        try {
            String text = Files.readString(stat);
            char state = text.substring(text.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            // Gone, or no /proc here: ask the JDK.
            return Files.exists(stat)
                    || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    static void awaitGone(long pid, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (alive(pid) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(alive(pid)).as("%s (pid %d) still runs 5 s later", what, pid).isFalse();
    }

    static long pid(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("pid").asLong();
    }

    static ObjectNode pythonConfig() {
        return JSON.createObjectNode().put("python", PythonRuntimeTest.PYTHON);
    }

    static ObjectNode python(String name, String script, int scoringTimeoutMs) throws Exception {
        JsonNode code = uploadCode(SCRIPTS.resolve(script));
        ObjectNode deploy = JSON.createObjectNode().put("name", name).put("runtime", "python");
        deploy.putArray("models").add("diabetes:1");
        deploy.putObject("code")
                .put("sha256", code.get("sha256").asText())
                .put("fileName", code.get("fileName").asText());
        deploy.set("config", pythonConfig());
        deploy.put("scoringTimeoutMs", scoringTimeoutMs);
        return deploy;
    }

    static ObjectNode java(String name, JsonNode code, String entry, int scoringTimeoutMs) {
        ObjectNode deploy = JavaScorerTest.service(name, code, entry, "diabetes:1");
        deploy.put("scoringTimeoutMs", scoringTimeoutMs);
        return deploy;
    }

    static String deploy(ObjectNode request) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/services"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
        assertThat(response.statusCode())
                .as("deploy %s: %s", request.get("name"), response.body())
                .isEqualTo(202);
        return request.get("name").asText();
    }

    static JsonNode waitWhileTransitioning(String name) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonNode node =
                    JSON.readTree(admin("GET", "/api/v1/services/" + name).body());
            if (!node.path("state").asText().equals("Transitioning") || System.currentTimeMillis() > deadline) {
                return node;
            }
            Thread.sleep(100);
        }
    }

    static JsonNode uploadCode(Path file) throws Exception {
        HttpResponse<String> response = multipart("/api/v1/code", Map.of(), file);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> multipart(String path, Map<String, String> fields, Path file) throws Exception {
        String boundary = "scoria-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                            + "\"\r\n\r\n" + field.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                        + file.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(file));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    static String logs(String service) throws Exception {
        return JSON.readTree(admin("GET", "/api/v1/services/" + service + "/logs?tail=500")
                        .body())
                .get("content")
                .asText();
    }

    static HttpResponse<String> admin(String method, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + adminToken)
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    static HttpResponse<String> score(String service, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/v1/service/" + service + "/score"))
                .header("Authorization", "Bearer " + KEYS.get(service))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Scores until the service answers something other than 503 (a replacement worker starting), 30 s at most. */
    static HttpResponse<String> scoreWhenBack(String service, String body) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        HttpResponse<String> response = score(service, body);
        while (response.statusCode() == 503 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            response = score(service, body);
        }
        return response;
    }

    static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
