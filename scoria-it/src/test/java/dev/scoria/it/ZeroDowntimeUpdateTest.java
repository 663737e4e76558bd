package dev.scoria.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Updates of a Healthy service lose no request (issue 12), for each runtime, on the real jar: while
 * {@value #CLIENTS} client threads score without pause, the service's model is updated to version 2
 * with {@code scoria service update NAME -m model:2 --wait}, its limits are changed with a PATCH, and its
 * model is updated to version 3 with a PATCH (waiting for the operation); every request must answer 200
 * with the answer of a model version, and every request sent after an update ended must be answered by
 * the new version. An update to a version that cannot load, under the same load,
 * must lose no request either: the operation ends Failed with the reason and the last good version
 * keeps answering, until an update to a good version replaces it.
 *
 * <p>Model versions answer differently by construction: version {@code k} of each model is the demo
 * model with its intercept raised by {@code (k - 1) * }{@value #STEP}, so an answer says which
 * version made it. Version {@value #BROKEN} cannot load. The load is bounded: it stops when the test
 * has done its updates, after {@value #MAX_REQUESTS} requests, or after {@value #MAX_LOAD_MS} ms.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ZeroDowntimeUpdateTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PYTHON = PythonRuntimeTest.PYTHON;
    static final Path TYPED_SCORER = Path.of("..", "examples", "typed-scorer", "target", "typed-scorer.jar")
            .toAbsolutePath()
            .normalize();
    static final String TYPED_ENTRY = "dev.scoria.examples.typed.DiabetesScorer";
    static final Path LINEAR_PY = Path.of("src", "test", "resources", "python", "linear.py");
    /** The documentation's first request row, and its prediction by the demo model (version 1). */
    static final double[] ROW = {
        0.0199132141783263,
        0.0506801187398187,
        0.104808689473925,
        0.0700725447072635,
        -0.0359677812752396,
        -0.0266789028311707,
        -0.0249926566315915,
        -0.00259226199818282,
        0.00371173823343597,
        0.0403433716478807
    };

    static final String[] FEATURES = {"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"};
    static final double FIRST = JavaScorerTest.FIRST;
    static final double STEP = 100;
    static final int VERSIONS = 3;
    static final int BROKEN = 4;
    static final int CLIENTS = 4;
    static final int MAX_REQUESTS = 150_000;
    static final long MAX_LOAD_MS = 45_000;
    /** Generous, so that only an update, never a slow two-core machine, could fail a request. */
    static final int MAX_QUEUE_WAIT_MS = 5000;

    @TempDir
    static Path work;

    static CliProcess.Server server;
    static String adminToken;
    static final Map<String, String> KEYS = new LinkedHashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void deployEveryRuntimeAtVersionOne() throws Exception {
        server = new CliProcess.Server(work);
        adminToken = Files.readString(work.resolve("scoria-data/admin-token")).trim();

        // The demo model as ONNX and as the model.json scripts/train-demo-model.py writes beside it.
        byte[] onnx = ZeroDowntimeUpdateTest.class
                .getResourceAsStream("/diabetes-ridge.onnx")
                .readAllBytes();
        JsonNode linear = JSON.readTree(ZeroDowntimeUpdateTest.class.getResourceAsStream("/diabetes-ridge.json"));
        double intercept = linear.get("intercept").doubleValue();
        for (int version = 1; version <= BROKEN; version++) {
            double versionIntercept = intercept + (version - 1) * STEP;
            Path onnxFile = write(
                    "onnx-" + version + "/diabetes-ridge.onnx",
                    version == BROKEN
                            ? "not an ONNX model".getBytes(StandardCharsets.UTF_8)
                            : withIntercept(onnx, intercept, versionIntercept));
            Path jsonFile = write(
                    "linear-" + version + "/model.json",
                    version == BROKEN
                            ? "not a model".getBytes(StandardCharsets.UTF_8)
                            : JSON.writeValueAsBytes(
                                    ((ObjectNode) linear.deepCopy()).put("intercept", versionIntercept)));
            registerModel("diabetes", version, onnxFile);
            registerModel("diabetes-linear", version, jsonFile);
        }
        assertThat(TYPED_SCORER).as("built by the reactor before scoria-it").isRegularFile();
        JsonNode typed = uploadCode(TYPED_SCORER);
        JsonNode script = uploadCode(LINEAR_PY);

        // Deploys start together and are waited for together: each loads in the background.
        List<String> names = new ArrayList<>();
        for (String use : List.of("updates", "fails")) {
            names.add(deploy(service("onnx-" + use, "onnx", "diabetes:1")));
            names.add(deploy(service("java-" + use, "java", "diabetes:1")
                    .put("entry", TYPED_ENTRY)
                    .set("code", codeRef(typed))));
            ObjectNode python =
                    service("python-" + use, "python", "diabetes-linear:1").set("code", codeRef(script));
            python.putObject("config").put("python", PYTHON).put("workers", "2");
            names.add(deploy(python));
        }
        for (String name : names) {
            JsonNode state = waitWhileTransitioning(name);
            assertThat(state.path("state").asText()).as("%s: %s", name, state).isEqualTo("Healthy");
            KEYS.put(
                    name,
                    JSON.readTree(admin("POST", "/api/v1/services/" + name + "/listkeys", null)
                                    .body())
                            .get("primaryKey")
                            .asText());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    // ---- updates under load

    @Test
    void onnxServiceUpdatedUnderLoadLosesNoRequest() throws Exception {
        updatesUnderLoad("onnx-updates", "diabetes", ZeroDowntimeUpdateTest::onnxRequest);
    }

    @Test
    void javaServiceUpdatedUnderLoadLosesNoRequest() throws Exception {
        updatesUnderLoad("java-updates", "diabetes", ZeroDowntimeUpdateTest::typedRequest);
    }

    @Test
    void pythonServiceUpdatedUnderLoadLosesNoRequestAndItsOldWorkersStop() throws Exception {
        updatesUnderLoad("python-updates", "diabetes-linear", ZeroDowntimeUpdateTest::dataRequest);
        // The two generations swapped out are retired once idle: only the serving one's two workers are left.
        assertThat(eventually(() -> pythonWorkers("python-updates").size(), n -> n == 2))
                .as("python workers of python-updates: %s", pythonWorkers("python-updates"))
                .isEqualTo(2);
    }

    /**
     * Model version 1 to 2 (the CLI), a limits change, then version 3 (a PATCH), all under load: every
     * request answered, each by a model version, the new one once its update ended.
     */
    void updatesUnderLoad(String name, String model, Scoring scoring) throws Exception {
        long[] updated = new long[VERSIONS + 1];
        long[] started = new long[VERSIONS + 1];
        Load load = new Load(name, scoring);
        try (load) {
            load.awaitMore(200);
            started[2] = System.nanoTime();
            CliProcess.Result update = scoria("service", "update", name, "-m", model + ":2", "--wait");
            updated[2] = System.nanoTime();
            assertThat(update.exitCode()).as(update.toString()).isZero();
            assertThat(update.out()).contains("State:        Healthy").contains("Models:       " + model + ":2");
            load.awaitMore(200);

            // Settings only: applied at once to the serving generation, nothing reloads.
            HttpResponse<String> patched = admin(
                    "PATCH",
                    "/api/v1/services/" + name,
                    "{\"maxConcurrentRequestsPerContainer\": 2, \"maxBatchSize\": 8, \"scoringTimeoutMs\": 30000}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(patched.headers().firstValue("Operation-Location")).isEmpty();
            load.awaitMore(200);

            started[3] = System.nanoTime();
            JsonNode operation = updateModels(name, model + ":3");
            updated[3] = System.nanoTime();
            assertThat(operation.path("state").asText())
                    .as(operation.toString())
                    .isEqualTo("Succeeded");
            load.awaitMore(200);
        }
        load.assertNoFailure();
        List<Answer> answers = load.answers();
        System.out.printf(
                "%s: %d requests in %d ms, by version %s%n", name, answers.size(), load.tookMs(), byVersion(answers));
        for (int version = 2; version <= VERSIONS; version++) {
            long from = started[version];
            long to = updated[version];
            assertThat(answers.stream()
                            .filter(a -> a.sent() > from && a.received() < to)
                            .count())
                    .as("requests answered while version %d loaded", version)
                    .isPositive();
        }
        for (Answer a : answers) {
            int expected = a.sent() < started[2]
                    ? 1
                    : a.sent() > updated[VERSIONS] ? VERSIONS : a.sent() > updated[2] && a.sent() < started[3] ? 2 : -1;
            if (expected > 0) {
                assertThat(a.version())
                        .as("version answering a request sent when version %d served: %s", expected, a)
                        .isEqualTo(expected);
            }
        }
        assertThat(answers.stream().filter(a -> a.sent() > updated[VERSIONS]).count())
                .as("requests sent after the last update")
                .isPositive();

        JsonNode service =
                JSON.readTree(admin("GET", "/api/v1/services/" + name, null).body());
        assertThat(service.path("state").asText()).as(service.toString()).isEqualTo("Healthy");
        assertThat(service.path("models").toString()).contains(model + ":" + VERSIONS);
        assertThat(service.path("generation").asInt()).as(service.toString()).isEqualTo(VERSIONS);
        assertThat(service.path("maxConcurrentRequestsPerContainer").asInt())
                .as(service.toString())
                .isEqualTo(2);
        assertThat(service.path("maxBatchSize").asInt()).as(service.toString()).isEqualTo(8);
    }

    // ---- a failed update under load

    @Test
    void onnxServiceKeepsServingWhenAnUpdateCannotLoad() throws Exception {
        failedUpdateUnderLoad(
                "onnx-fails",
                "diabetes",
                ZeroDowntimeUpdateTest::onnxRequest,
                "model diabetes:4 is not a model ONNX Runtime can load");
    }

    @Test
    void javaServiceKeepsServingWhenAnUpdateCannotLoad() throws Exception {
        failedUpdateUnderLoad(
                "java-fails",
                "diabetes",
                ZeroDowntimeUpdateTest::typedRequest,
                "scorer init failed: java.lang.IllegalArgumentException: model diabetes:4 is not a model ONNX Runtime can load");
    }

    @Test
    void pythonServiceKeepsServingWhenAnUpdateCannotLoad() throws Exception {
        failedUpdateUnderLoad(
                "python-fails", "diabetes-linear", ZeroDowntimeUpdateTest::dataRequest, "JSONDecodeError");
        assertThat(eventually(() -> pythonWorkers("python-fails").size(), n -> n == 2))
                .as("python workers of python-fails: %s", pythonWorkers("python-fails"))
                .isEqualTo(2);
    }

    /** Version 1 to the broken version (Failed, version 1 answering), then to version 2, all under load. */
    void failedUpdateUnderLoad(String name, String model, Scoring scoring, String reason) throws Exception {
        long failed;
        long recovering;
        long recovered;
        Load load = new Load(name, scoring);
        try (load) {
            load.awaitMore(200);
            JsonNode operation = updateModels(name, model + ":" + BROKEN);
            failed = System.nanoTime();
            assertThat(operation.path("state").asText())
                    .as(operation.toString())
                    .isEqualTo("Failed");
            assertThat(operation.path("error").path("message").asText()).contains(reason);
            JsonNode service =
                    JSON.readTree(admin("GET", "/api/v1/services/" + name, null).body());
            assertThat(service.path("state").asText()).as(service.toString()).isEqualTo("Failed");
            assertThat(service.path("error").path("message").asText())
                    .as(service.toString())
                    .contains(reason);
            // The model the service answers with, as the Open Inference Protocol names it, is still version 1.
            JsonNode metadata = JSON.readTree(send(HttpRequest.newBuilder(uri("/v2/models/" + name))
                            .header("Authorization", "Bearer " + KEYS.get(name))
                            .GET())
                    .body());
            assertThat(metadata.path("versions").toString())
                    .as(metadata.toString())
                    .isEqualTo("[\"1\"]");
            load.awaitMore(400);

            recovering = System.nanoTime();
            JsonNode fixed = updateModels(name, model + ":2");
            recovered = System.nanoTime();
            assertThat(fixed.path("state").asText()).as(fixed.toString()).isEqualTo("Succeeded");
            load.awaitMore(200);
        }
        load.assertNoFailure();
        List<Answer> answers = load.answers();
        System.out.printf(
                "%s: %d requests in %d ms, by version %s%n", name, answers.size(), load.tookMs(), byVersion(answers));
        assertThat(answers.stream()
                        .filter(a -> a.sent() > failed && a.received() < recovering)
                        .count())
                .as("requests answered after the update failed")
                .isGreaterThanOrEqualTo(200);
        for (Answer a : answers) {
            if (a.sent() < recovering) {
                assertThat(a.version())
                        .as("before the fix, only version 1 answers: %s", a)
                        .isEqualTo(1);
            } else if (a.sent() > recovered) {
                assertThat(a.version())
                        .as("after the fix, version 2 answers: %s", a)
                        .isEqualTo(2);
            }
        }
        JsonNode service =
                JSON.readTree(admin("GET", "/api/v1/services/" + name, null).body());
        assertThat(service.path("state").asText()).as(service.toString()).isEqualTo("Healthy");
        assertThat(service.path("models").toString()).contains(model + ":2");
        assertThat(service.path("generation").asInt()).as(service.toString()).isEqualTo(3);
    }

    /** PATCHes the service's models and waits for the operation to end; answers the ended operation. */
    static JsonNode updateModels(String name, String model) throws Exception {
        HttpResponse<String> patched = admin("PATCH", "/api/v1/services/" + name, "{\"models\": [\"" + model + "\"]}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        String location = patched.headers().firstValue("Operation-Location").orElseThrow();
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode operation = JSON.readTree(admin("GET", location, null).body());
            if (!operation.path("state").asText().equals("Running") || System.currentTimeMillis() > deadline) {
                return operation;
            }
            Thread.sleep(50);
        }
    }

    // ---- the requests each runtime's service takes, and how its answer says which version made it

    /** A scoring request and the check of its answer: the model version that made it. */
    interface Scoring {
        Call call(String name, String key, int client);
    }

    /** One request to send, and how to read the version from a 200 answer (throwing if it is not a valid answer). */
    record Call(HttpRequest request, AnswerReader reader) {}

    interface AnswerReader {
        int version(HttpResponse<String> response) throws Exception;
    }

    /** Azure v1 requests from even clients, Open Inference Protocol v2 requests from odd ones. */
    static Call onnxRequest(String name, String key, int client) {
        if (client % 2 == 0) {
            return dataRequest(name, key, client);
        }
        String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 10], \"datatype\": \"FP64\", \"data\": "
                + Arrays.toString(ROW) + "}]}";
        HttpRequest request = HttpRequest.newBuilder(uri("/v2/models/" + name + "/infer"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return new Call(request, response -> {
            JsonNode answer = JSON.readTree(response.body());
            int version =
                    version(answer.get("outputs").get(0).get("data").get(0).doubleValue());
            assertThat(answer.path("model_version").asText())
                    .as("model_version of an answer by version %d: %s", version, response.body())
                    .isEqualTo(String.valueOf(version));
            return version;
        });
    }

    /** {@code {"data": [[ten features]]}} answered {@code [prediction]} (the onnx and python services). */
    static Call dataRequest(String name, String key, int client) {
        return new Call(
                scoreRequest(name, key, "{\"data\": [" + Arrays.toString(ROW) + "]}"),
                response -> version(onlyValue(JSON.readTree(response.body()))));
    }

    /** The typed example scorer's {@code {"patients": [{named features}]}}, answered with {@code progression}. */
    static Call typedRequest(String name, String key, int client) {
        StringBuilder patient = new StringBuilder("{\"patients\": [{");
        for (int i = 0; i < FEATURES.length; i++) {
            patient.append(i == 0 ? "" : ", ")
                    .append('"')
                    .append(FEATURES[i])
                    .append("\": ")
                    .append(ROW[i]);
        }
        patient.append("}]}");
        return new Call(
                scoreRequest(name, key, patient.toString()),
                response -> version(JSON.readTree(response.body())
                        .get("predictions")
                        .get(0)
                        .get("progression")
                        .doubleValue()));
    }

    static HttpRequest scoreRequest(String name, String key, String body) {
        return HttpRequest.newBuilder(uri("/api/v1/service/" + name + "/score"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static double onlyValue(JsonNode array) {
        assertThat(array.isArray() && array.size() == 1)
                .as("one prediction: %s", array)
                .isTrue();
        return array.get(0).doubleValue();
    }

    /** The model version whose prediction {@code value} is, or an assertion error if it is none's. */
    static int version(double value) {
        long version = Math.round((value - FIRST) / STEP) + 1;
        double expected = FIRST + (version - 1) * STEP;
        assertThat(version >= 1 && version <= VERSIONS && Math.abs(value - expected) < 1e-6)
                .as("%s is the prediction of no model version", value)
                .isTrue();
        return (int) version;
    }

    // ---- the load

    /** One request: when it was sent and answered (System.nanoTime), and the version that answered it, or why it failed. */
    record Answer(long sent, long received, int version, String failure) {}

    /** {@value #CLIENTS} threads scoring one service without pause until closed (or a bound is reached), each answer checked. */
    static final class Load implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger count = new AtomicInteger();
        private final List<List<Answer>> perClient = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final long startedNanos = System.nanoTime();
        private long stoppedNanos;

        Load(String name, Scoring scoring) {
            String key = KEYS.get(name);
            for (int client = 0; client < CLIENTS; client++) {
                List<Answer> answers = new ArrayList<>();
                perClient.add(answers);
                Call call = scoring.call(name, key, client);
                Thread thread = new Thread(() -> run(call, answers), "load-" + name + "-" + client);
                thread.setDaemon(true);
                threads.add(thread);
            }
            threads.forEach(Thread::start);
        }

        private void run(Call call, List<Answer> answers) {
            long deadline = startedNanos + TimeUnit.MILLISECONDS.toNanos(MAX_LOAD_MS);
            while (!stop.get() && count.get() < MAX_REQUESTS && System.nanoTime() < deadline) {
                long sent = System.nanoTime();
                int version = 0;
                String failure = null;
                try {
                    HttpResponse<String> response = HTTP.send(call.request(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        failure = "HTTP " + response.statusCode() + ": " + response.body();
                    } else {
                        version = call.reader().version(response);
                    }
                } catch (Exception | AssertionError e) {
                    failure = e.toString();
                }
                answers.add(new Answer(sent, System.nanoTime(), version, failure));
                count.incrementAndGet();
            }
        }

        /** Waits until {@code n} more requests have been answered (so some were sent after this call). */
        void awaitMore(int n) throws InterruptedException {
            int target = count.get() + Math.max(n, CLIENTS + 1);
            long deadline = System.currentTimeMillis() + 20_000;
            while (count.get() < target
                    && threads.stream().anyMatch(Thread::isAlive)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(count.get())
                    .as("requests answered (the load stops at %d requests or %d ms)", MAX_REQUESTS, MAX_LOAD_MS)
                    .isGreaterThanOrEqualTo(target);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            stoppedNanos = System.nanoTime();
        }

        long tookMs() {
            return TimeUnit.NANOSECONDS.toMillis(stoppedNanos - startedNanos);
        }

        /** Every request, in the order each client sent them. */
        List<Answer> answers() {
            return perClient.stream().flatMap(List::stream).toList();
        }

        void assertNoFailure() {
            List<Answer> answers = answers();
            List<Answer> failed =
                    answers.stream().filter(a -> a.failure() != null).toList();
            Map<String, Long> byKind = failed.stream()
                    .collect(Collectors.groupingBy(
                            a -> a.failure().length() > 200 ? a.failure().substring(0, 200) : a.failure(),
                            TreeMap::new,
                            Collectors.counting()));
            assertThat(failed)
                    .as("%d of %d requests failed; by message: %s", failed.size(), answers.size(), byKind)
                    .isEmpty();
        }
    }

    static Map<Integer, Long> byVersion(List<Answer> answers) {
        return answers.stream().collect(Collectors.groupingBy(Answer::version, TreeMap::new, Collectors.counting()));
    }

    // ---- helpers

    /** The demo model with its intercept changed: the float64 constant found once in the file, replaced in place. */
    static byte[] withIntercept(byte[] onnx, double intercept, double newIntercept) {
        byte[] from = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(intercept)
                .array();
        byte[] to = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(newIntercept)
                .array();
        int at = -1;
        for (int i = 0; i + 8 <= onnx.length; i++) {
            if (Arrays.equals(onnx, i, i + 8, from, 0, 8)) {
                assertThat(at).as("the intercept occurs once in the model").isEqualTo(-1);
                at = i;
            }
        }
        assertThat(at).as("the intercept %s is in the model", intercept).isNotNegative();
        byte[] patched = onnx.clone();
        System.arraycopy(to, 0, patched, at, 8);
        return patched;
    }

    static List<ProcessHandle> pythonWorkers(String service) {
        String marker = work.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .commandLine()
                        .map(c ->
                                c.contains("scoria_worker.py") && c.contains(marker) && c.contains("/" + service + "/"))
                        .orElse(false))
                .toList();
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls {@code probe} for up to 10 s until {@code done} accepts its value; answers the last value. */
    static <T> T eventually(Probe<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        T value = probe.get();
        while (!done.test(value) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            value = probe.get();
        }
        return value;
    }

    static CliProcess.Result scoria(String... args) throws Exception {
        return CliProcess.run(work, Map.of("SCORIA_URL", server.baseUrl()), args);
    }

    static Path write(String relative, byte[] content) throws Exception {
        Path file = work.resolve("models").resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    static ObjectNode service(String name, String runtime, String model) {
        ObjectNode deploy = JSON.createObjectNode();
        deploy.put("name", name);
        deploy.putArray("models").add(model);
        deploy.put("runtime", runtime);
        deploy.put("maxConcurrentRequestsPerContainer", CLIENTS);
        deploy.put("maxQueueWaitMs", MAX_QUEUE_WAIT_MS);
        return deploy;
    }

    static ObjectNode codeRef(JsonNode code) {
        return JSON.createObjectNode()
                .put("sha256", code.get("sha256").asText())
                .put("fileName", code.get("fileName").asText());
    }

    static String deploy(ObjectNode request) throws Exception {
        HttpResponse<String> response = admin("POST", "/api/v1/services", JSON.writeValueAsString(request));
        assertThat(response.statusCode())
                .as("deploy %s: %s", request.get("name"), response.body())
                .isEqualTo(202);
        return request.get("name").asText();
    }

    static JsonNode waitWhileTransitioning(String name) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            JsonNode node =
                    JSON.readTree(admin("GET", "/api/v1/services/" + name, null).body());
            if (!node.path("state").asText().equals("Transitioning") || System.currentTimeMillis() > deadline) {
                return node;
            }
            Thread.sleep(50);
        }
    }

    static void registerModel(String name, int version, Path file) throws Exception {
        HttpResponse<String> response = multipart("/api/v1/models", Map.of("name", name), file);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).get("id").asText()).isEqualTo(name + ":" + version);
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

    static URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    static HttpResponse<String> admin(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + adminToken)
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
