package dev.scoria.runtime.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.inference.JsonResult;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.PayloadRequest;
import dev.scoria.core.inference.PayloadResult;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.runtime.LoadContext;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.core.service.ServiceKeys;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.service.ServiceSettings;
import dev.scoria.core.service.ServiceState;
import dev.scoria.runtime.java.fixture.Shadowed;
import dev.scoria.scorer.ServiceLogger;
import dev.scoria.scorer.Tensor;
import java.io.FileNotFoundException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaModelRuntimeTest {

    static final String TWO_ROWS = "{\"data\": [[0.0199132141783263, 0.0506801187398187, 0.104808689473925,"
            + " 0.0700725447072635, -0.0359677812752396, -0.0266789028311707, -0.0249926566315915, -0.00259226199818282,"
            + " 0.00371173823343597, 0.0403433716478807], [-0.0127796318808497, -0.044641636506989, 0.0606183944448076,"
            + " 0.0528581912385822, 0.0479653430750293, 0.0293746718291555, -0.0176293810234174, 0.0343088588777263,"
            + " 0.0702112981933102, 0.00720651632920303]]}";
    static final double[] ROW_ONE = {
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
    static final double[] ROW_TWO = {
        -0.0127796318808497,
        -0.044641636506989,
        0.0606183944448076,
        0.0528581912385822,
        0.0479653430750293,
        0.0293746718291555,
        -0.0176293810234174,
        0.0343088588777263,
        0.0702112981933102,
        0.00720651632920303
    };
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path jarDir;

    static Path scorerJar;

    @TempDir
    Path dir;

    ArtifactStore artifacts;
    final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> loggedErrors = Collections.synchronizedList(new ArrayList<>());
    final List<Predictor> loaded = new ArrayList<>();

    @BeforeAll
    static void buildScorerJar() throws Exception {
        scorerJar = ScorerJars.build(jarDir, "scorers.jar", TestScorers.SOURCES, TestScorers.RESOURCES);
    }

    @BeforeEach
    void store() throws Exception {
        artifacts = new ArtifactStore(dir.resolve("artifacts"));
    }

    @AfterEach
    void closeAll() {
        loaded.forEach(Predictor::close);
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private ModelRecord model(String name, int version, Map<String, byte[]> files) throws Exception {
        List<ModelFile> stored = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path tmp = Files.createTempFile(dir, "model", ".bin");
            Files.write(tmp, f.getValue());
            stored.add(artifacts.put(f.getKey(), tmp));
        }
        return new ModelRecord(
                name,
                version,
                "Custom",
                null,
                "",
                Map.of(),
                Map.of(),
                stored,
                stored.get(0).sha256(),
                stored.get(0).size(),
                Instant.now());
    }

    private ModelRecord notes() throws Exception {
        return model("notes", 1, Map.of("notes.txt", "hello".getBytes(StandardCharsets.UTF_8)));
    }

    private ModelRecord diabetes() throws Exception {
        try (var in = getClass().getResourceAsStream("/models/diabetes-ridge.onnx")) {
            return model("diabetes", 1, Map.of("model.onnx", in.readAllBytes()));
        }
    }

    private Predictor load(String entry) throws Exception {
        return load(entry, ServiceLimits.DEFAULTS, SchemaSpec.NONE, Map.of(), List.of(notes()));
    }

    private Predictor load(
            String entry, ServiceLimits limits, SchemaSpec schema, Map<String, String> config, List<ModelRecord> models)
            throws Exception {
        ModelFile code = artifacts.put("scorers.jar", scorerJar);
        ServiceSettings settings = new ServiceSettings(
                "",
                Map.of(),
                Map.of(),
                new InferenceSpec("java", code, entry, config),
                AuthMode.NONE,
                limits,
                List.of());
        ServiceRecord service = ServiceRecord.single(
                "svc",
                settings,
                models.stream().map(ModelRecord::ref).toList(),
                new ServiceKeys("a", "b"),
                schema,
                ServiceState.Transitioning,
                null,
                Instant.now(),
                Instant.now(),
                1);
        ServiceLogger log = new ServiceLogger() {
            public void info(String m) {
                logLines.add("INFO " + m);
            }

            public void warn(String m) {
                logLines.add("WARN " + m);
            }

            public void error(String m, Throwable t) {
                logLines.add("ERROR " + m);
                if (t != null) {
                    loggedErrors.add(t);
                }
            }
        };
        Predictor predictor = new JavaModelRuntime()
                .load(new LoadContext(
                        service,
                        models,
                        artifacts,
                        log,
                        dir.resolve("work").resolve(Long.toString(System.nanoTime()))));
        loaded.add(predictor);
        return predictor;
    }

    private static PayloadRequest call(String json) {
        return PayloadRequest.json("rid", json.getBytes(StandardCharsets.UTF_8));
    }

    /** What the server would write, read back as plain maps and lists. */
    private static Object score(Predictor p, String json) throws Exception {
        // Serialised inside the runtime: a scorer's own classes never reach the server's mapper.
        JsonResult value = (JsonResult) p.infer(call(json));
        return JSON.readValue(value.json(), Object.class);
    }

    private static ScoriaException scoriaError(Throwable t) {
        assertThat(t).isInstanceOf(ScoriaException.class);
        return (ScoriaException) t;
    }

    // ---- validate ------------------------------------------------------------------------------

    @Test
    void validateNamesWhatIsMissingAndChecksTheClassName() {
        JavaModelRuntime runtime = new JavaModelRuntime();
        ModelFile code = new ModelFile("scorer.jar", "ab".repeat(32), 10);
        assertThatThrownBy(() -> runtime.validate(new InferenceSpec("java", null, null, Map.of())))
                .hasMessage(
                        "the java runtime needs --code (a scorer JAR) and --entry (its class name): --code and --entry are missing");
        assertThatThrownBy(() -> runtime.validate(new InferenceSpec("java", code, null, Map.of())))
                .hasMessageEndingWith("--entry is missing");
        assertThatThrownBy(() -> runtime.validate(new InferenceSpec("java", null, "com.acme.X", Map.of())))
                .hasMessageEndingWith("--code is missing")
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.BAD_INPUT));
        assertThatThrownBy(() -> runtime.validate(new InferenceSpec("java", code, "com.acme.My-Scorer", Map.of())))
                .hasMessageContaining("--entry 'com.acme.My-Scorer' is not a Java class name");
        assertThatThrownBy(() -> runtime.validate(new InferenceSpec("java", code, "com.acme.", Map.of())))
                .hasMessageContaining("is not a Java class name");
        runtime.validate(new InferenceSpec("java", code, "com.acme.Outer$Inner", Map.of()));
        runtime.validate(new InferenceSpec("java", code, "MyScorer", Map.of()));
    }

    // ---- JSON scorers ----------------------------------------------------------------------------

    @Test
    void aRecordInputIsBoundByFieldName() throws Exception {
        Predictor p = load("com.acme.Greeter");
        assertThat(p.accepts()).containsExactly(InputKind.JSON);
        assertThat(score(p, "{\"age\": 42, \"name\": \"Ada\"}")).isEqualTo(Map.of("greeting", "hello Ada (42)"));
    }

    @Test
    void aFieldOfTheWrongTypeIsABadInputNamingTheField() throws Exception {
        Predictor p = load("com.acme.Greeter");
        assertThatThrownBy(() -> p.infer(call("{\"age\": \"old\", \"name\": \"Ada\"}")))
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith("field 'age' of the request does not fit Patient: ")
                .hasMessageContaining("`int`");
        // A primitive left out would be a silent 0; a reference left out is null, for the scorer to judge.
        assertThatThrownBy(() -> p.infer(call("{\"name\": \"Ada\"}")))
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessage("field 'age' of the request is missing or null: expected int");
        assertThat(score(p, "{\"age\": 1}")).isEqualTo(Map.of("greeting", "hello null (1)"));
        assertThatThrownBy(() -> p.infer(call("{\"age\": 1, \"name\": \"Ada\", \"nmae\": \"Ada\"}")))
                .hasMessageStartingWith(
                        "field 'nmae' of the request does not fit Patient: Unrecognized field \"nmae\"");
    }

    @Test
    void emptyAndMalformedBodiesAreBadInput() throws Exception {
        Predictor p = load("com.acme.Greeter");
        assertThatThrownBy(() -> p.infer(call("")))
                .hasMessage("request body is empty: expected JSON")
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.BAD_INPUT));
        assertThatThrownBy(() -> p.infer(call("   "))).hasMessage("request body is empty: expected JSON");
        assertThatThrownBy(() -> p.infer(call("{\"age\": 4")))
                .hasMessageStartingWith("request body is not valid JSON: ")
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.BAD_INPUT));
    }

    @Test
    void aJsonNodeInputIsTheServersOwnJacksonTreeEvenThroughAGenericSuperclass() throws Exception {
        Predictor p = load("com.acme.Doubler");
        assertThat(score(p, "{\"a\": 21}")).isEqualTo(Map.of("doubled", 42));
    }

    @Test
    void aMapInputHoldsPlainJavaValues() throws Exception {
        Predictor p = load("com.acme.KeyLister");
        assertThat(score(p, "{\"b\": [1, 2], \"a\": 1.5, \"c\": {\"x\": true}}"))
                .isEqualTo(List.of("a=Double", "b=ArrayList", "c=LinkedHashMap"));
        assertThatThrownBy(() -> p.infer(call("[1, 2]"))).hasMessageStartingWith("request body does not fit Map: ");
    }

    @Test
    void aReturnedStringStaysAStringValueAndAScoreResponseIsSentAsItIs() throws Exception {
        Predictor p = load("com.acme.Texter");
        assertThat(score(p, "{\"as\": \"json\"}")).isEqualTo("plain text");
        PayloadResult raw = (PayloadResult) p.infer(call("{\"as\": \"raw\"}"));
        assertThat(raw.status()).isEqualTo(202);
        assertThat(raw.headers()).containsEntry("Content-Type", "text/plain; charset=utf-8");
        assertThat(new String(raw.body(), StandardCharsets.UTF_8)).isEqualTo("plain text");
    }

    // ---- raw scorers -----------------------------------------------------------------------------

    @Test
    void aRawScorerGetsTheBytesAndWritesStatusHeadersAndBody() throws Exception {
        Predictor p = load("com.acme.Echo");
        assertThat(p.accepts()).containsExactly(InputKind.PAYLOAD);
        byte[] image = {1, 2, 3, (byte) 0xff};
        PayloadRequest post = new PayloadRequest(
                "rid",
                "azure",
                "POST",
                "/api/v1/service/svc/score",
                "image/PNG",
                Map.of("content-type", List.of("image/PNG")),
                Map.of("q", List.of("7")),
                image);
        PayloadResult raw = (PayloadResult) p.infer(post);
        assertThat(raw.status()).isEqualTo(201);
        assertThat(raw.headers())
                .containsEntry("X-Seen", "POST image/png q=7")
                .containsEntry("Content-Type", "application/octet-stream");
        assertThat(raw.body()).containsExactly((byte) 0xff, 3, 2, 1);

        // A GET came without a body: the JSON the server makes of its query is for JSON scorers.
        PayloadRequest get = new PayloadRequest(
                "rid",
                "azure",
                "GET",
                "/score",
                null,
                Map.of(),
                Map.of("q", List.of("x")),
                "{\"q\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        PayloadResult answer = (PayloadResult) p.infer(get);
        assertThat(answer.headers()).containsEntry("X-Seen", "GET null q=x");
        assertThat(answer.body()).isEmpty();
    }

    // ---- instances -------------------------------------------------------------------------------

    @Test
    void aScorerThatIsNotThreadSafeGetsAPoolOfDistinctInstancesUsedConcurrently() throws Exception {
        Predictor p =
                load("com.acme.Pooled", new ServiceLimits(10_000, 3, 500), SchemaSpec.NONE, Map.of(), List.of(notes()));
        assertThat(logLines).anyMatch(l -> l.contains("not thread-safe: a pool of 3 instances"));
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<Object>> answers = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                answers.add(clients.submit((Callable<Object>) () -> score(p, "{\"sleepMs\": 400}")));
            }
            List<Object> instances = new ArrayList<>();
            List<Object> threads = new ArrayList<>();
            for (Future<Object> answer : answers) {
                Map<?, ?> value = (Map<?, ?>) answer.get();
                instances.add(value.get("instance"));
                threads.add(value.get("thread"));
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(instances).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(threads)
                    .allMatch(t -> ((String) t).startsWith("scoria-scorer-svc-"))
                    .doesNotHaveDuplicates();
            assertThat(elapsedMs)
                    .as("three 400 ms calls on three instances run side by side")
                    .isLessThan(1100);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aTimedOutCallIsA504AndThePoolGetsAFreshInstance() throws Exception {
        Predictor p =
                load("com.acme.Pooled", new ServiceLimits(300, 1, 500), SchemaSpec.NONE, Map.of(), List.of(notes()));
        assertThat(score(p, "{}"))
                .extracting(v -> ((Map<?, ?>) v).get("instance"))
                .isEqualTo(1);
        long started = System.nanoTime();
        assertThatThrownBy(() -> p.infer(call("{\"hang\": true}")))
                .hasMessage("scoring took longer than scoringTimeoutMs (300 ms)")
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(250L, 2000L);
        // The only instance is stuck for good; the next requests are served by its replacement.
        for (int i = 0; i < 3; i++) {
            assertThat(score(p, "{}"))
                    .extracting(v -> ((Map<?, ?>) v).get("instance"))
                    .isEqualTo(2);
        }
        assertThat(logLines)
                .anyMatch(l -> l.startsWith("WARN") && l.contains("took longer than scoringTimeoutMs (300 ms)"))
                .anyMatch(l -> l.contains("replacement scorer instance ready"));
        p.close();
        assertThat(logLines)
                .anyMatch(l -> l.contains("pooled instance 1 closed"))
                .anyMatch(l -> l.contains("pooled instance 2 closed"));
    }

    @Test
    void aTimeoutOnAThreadSafeScorerKeepsItsOneInstanceServing() throws Exception {
        Predictor p =
                load("com.acme.Thrower", new ServiceLimits(200, 4, 500), SchemaSpec.NONE, Map.of(), List.of(notes()));
        assertThatThrownBy(() -> p.infer(call("\"sleep\"")))
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThatThrownBy(() -> p.infer(call("2"))).hasMessage("boom: 2");
        assertThat(logLines)
                .anyMatch(l -> l.contains("is thread-safe: one instance serves every request"))
                .noneMatch(l -> l.contains("replac"));
    }

    @Test
    void aServerThatInterruptsTheWaitingWorkerAlsoGetsThePoolRecovered() throws Exception {
        Predictor p =
                load("com.acme.Pooled", new ServiceLimits(60_000, 1, 500), SchemaSpec.NONE, Map.of(), List.of(notes()));
        Thread worker = Thread.currentThread();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            // As the server's scheduler does when its own scoringTimeoutMs fires first.
            timer.schedule(worker::interrupt, 300, TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> p.infer(call("{\"hang\": true}"))).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted())
                    .as("the interrupt is kept for the caller")
                    .isTrue();
        } finally {
            timer.shutdownNow();
        }
        assertThat(score(p, "{}"))
                .extracting(v -> ((Map<?, ?>) v).get("instance"))
                .isEqualTo(2);
        assertThat(logLines).anyMatch(l -> l.contains("interrupted by the server"));
    }

    @Test
    void callsThatIgnoreTheirInterruptAreBoundedAndThenTheServiceRefusesNewOnes() throws Exception {
        long before = scorerThreads();
        Predictor p =
                load("com.acme.Pooled", new ServiceLimits(200, 1, 500), SchemaSpec.NONE, Map.of(), List.of(notes()));
        // Two calls stuck for good (the least a service may leave behind), each answered 504 at its timeout.
        for (int i = 0; i < ScorerCalls.MIN_ABANDONED; i++) {
            assertThat(p.healthProblem()).isNull();
            assertThatThrownBy(() -> p.infer(call("{\"hang\": true}")))
                    .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.TIMEOUT));
        }
        assertThat(p.healthProblem())
                .contains("2 scorer call(s) of service 'svc' are still running")
                .contains("ignored the interrupt");
        // Refused (503), not queued for an instance (which would end as a 504 at the timeout).
        assertThatThrownBy(() -> p.infer(call("{}")))
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.NOT_READY))
                .hasMessageContaining("the most it may leave behind (2");
        assertThat(scorerThreads() - before)
                .as("scorer threads this service started (other tests' stuck threads aside)")
                .isLessThanOrEqualTo(ScorerCalls.MIN_ABANDONED + 1);
    }

    private static long scorerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("scoria-scorer-svc-"))
                .count();
    }

    @Test
    void aScorerThatRunsOutOfMemoryFailsItsRequestAndItsInstanceIsReplaced() throws Exception {
        Predictor p =
                load("com.acme.Hungry", new ServiceLimits(5000, 1, 500), SchemaSpec.NONE, Map.of(), List.of(notes()));
        Object first = ((Map<?, ?>) score(p, "{}")).get("instance");
        assertThatThrownBy(() -> p.infer(call("{\"huge\": true}")))
                .isInstanceOf(ScorerError.class)
                .hasMessageContaining("OutOfMemoryError");
        assertThat(logLines)
                .anyMatch(l -> l.startsWith("WARN") && l.contains("the scorer ran out of memory"))
                .anyMatch(l -> l.contains("ran out of memory and was taken out of the pool"));
        long deadline = System.currentTimeMillis() + 5000;
        Object next = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                next = ((Map<?, ?>) score(p, "{}")).get("instance");
                break;
            } catch (ScoriaException e) {
                Thread.sleep(20); // the replacement is still being made
            }
        }
        assertThat(next).isNotNull().isNotEqualTo(first);
    }

    // ---- failures --------------------------------------------------------------------------------

    @Test
    void anInitThatThrowsFailsTheLoadWithTheFirstLinesOfWhatItThrew() {
        assertThatThrownBy(() -> load(
                        "com.acme.FailingInit",
                        ServiceLimits.DEFAULTS,
                        SchemaSpec.NONE,
                        Map.of("k", "v"),
                        List.of(notes())))
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith(
                        "scorer init failed: java.lang.IllegalStateException: no 'threshold' in config {k=v}\n"
                                + "  at com.acme.FailingInit.loadThreshold(FailingInit.java:")
                .hasMessageContaining("  at com.acme.FailingInit.init(FailingInit.java:")
                .satisfies(
                        e -> assertThat(e.getMessage().lines().count()).isLessThanOrEqualTo(ScorerFailures.MAX_LINES));
        assertThat(loggedErrors).singleElement().isInstanceOf(IllegalStateException.class);
        assertThat(logLines).anyMatch(l -> l.equals("ERROR scorer init failed"));
    }

    @Test
    void theSummaryOfAFailureKeepsToFiveLinesWithTheUsersFramesAndTheRootCause() {
        Exception root = new FileNotFoundException("weights.bin");
        Exception thrown = new IllegalStateException("cannot start\nsearched /models\nand /opt", root);
        String summary = ScorerFailures.summary(new InvocationTargetException(thrown), "no-such-loader");
        assertThat(summary.lines().toList())
                .hasSize(5)
                .startsWith("java.lang.IllegalStateException: cannot start", "searched /models")
                .endsWith("caused by: java.io.FileNotFoundException: weights.bin");
        assertThat(summary.lines().toList().get(2)).startsWith("  at dev.scoria.runtime.java.JavaModelRuntimeTest.");
    }

    @Test
    void aStaticInitialiserThatThrowsIsAnInitFailureToo() {
        assertThatThrownBy(() -> load("com.acme.StaticBoom"))
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessageStartingWith(
                        "scorer init failed: java.lang.NumberFormatException: For input string: \"not a number\"")
                .hasMessageContaining("at com.acme.StaticBoom.<clinit>(StaticBoom.java:");
    }

    @Test
    void anEntryThatIsNotAUsableScorerIsRefusedSayingWhatWasFound() {
        assertThatThrownBy(() -> load("com.acme.Missing"))
                .hasMessageStartingWith("entry class 'com.acme.Missing' is not in scorers.jar: the JAR holds")
                .hasMessageContaining("com.acme.Greeter");
        assertThatThrownBy(() -> load("com.acme.NotAScorer"))
                .hasMessage(
                        "entry class 'com.acme.NotAScorer' implements java.lang.Runnable (superclass java.lang.Object):"
                                + " expected dev.scoria.scorer.JsonScorer, RawScorer or TensorScorer");
        assertThatThrownBy(() -> load("com.acme.NoDefaultConstructor"))
                .hasMessageStartingWith(
                        "entry class 'com.acme.NoDefaultConstructor' has no public no-argument constructor");
        assertThatThrownBy(() -> load("com.acme.BaseScorer"))
                .hasMessage("entry class 'com.acme.BaseScorer' is abstract: expected a concrete class");
    }

    @Test
    void whatRunThrowsPropagatesAsItIs() throws Exception {
        Predictor p = load("com.acme.Thrower");
        assertThatThrownBy(() -> p.infer(call("\"x\"")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("boom: x");
        assertThatThrownBy(() -> p.infer(call("\"deep\"")))
                .isInstanceOf(ScorerError.class)
                .hasCauseInstanceOf(StackOverflowError.class);
        // The shared instance still serves.
        assertThatThrownBy(() -> p.infer(call("1"))).hasMessage("boom: 1");
    }

    // ---- models ----------------------------------------------------------------------------------

    @Test
    void onnxRunsTheDemoModelBitForBit() throws Exception {
        Predictor p = load("com.acme.Diabetes", ServiceLimits.DEFAULTS, SchemaSpec.NONE, Map.of(), List.of(diabetes()));
        assertThat(new String(((JsonResult) p.infer(call(TWO_ROWS))).json(), StandardCharsets.UTF_8))
                .isEqualTo("[217.67978776218715,224.78937091757172]");
        assertThat(logLines).anyMatch(l -> l.contains("onnx model diabetes:1 loaded for the scorer: inputs [input]"));
    }

    @Test
    void aTensorScorerGetsNamedTensorsAndItsOutputsComeBackTyped() throws Exception {
        Predictor p = load(
                "com.acme.DiabetesTensors", ServiceLimits.DEFAULTS, SchemaSpec.NONE, Map.of(), List.of(diabetes()));
        assertThat(p.accepts()).containsExactlyInAnyOrder(InputKind.JSON, InputKind.TENSORS);
        double[] flat = new double[20];
        System.arraycopy(ROW_ONE, 0, flat, 0, 10);
        System.arraycopy(ROW_TWO, 0, flat, 10, 10);
        TensorRequest request = new TensorRequest(
                "rid",
                "v2",
                List.of(new NamedTensor("rows", Datatype.FP64, Tensor.of(flat, 2, 10))),
                List.of("prediction"));
        TensorResult result = (TensorResult) p.infer(request);
        assertThat(result.outputs()).hasSize(1);
        assertThat(result.outputs().get(0).datatype()).isEqualTo(Datatype.FP64);
        assertThat((double[]) result.outputs().get(0).data()).containsExactly(217.67978776218715, 224.78937091757172);
        TensorResult all = (TensorResult) p.infer(new TensorRequest("rid", "v2", request.inputs(), List.of()));
        assertThat(all.outputs()).extracting(NamedTensor::name).containsExactlyInAnyOrder("prediction", "count");
        // The scorer's IllegalArgumentException is the client's mistake: a 400 with its message.
        assertThatThrownBy(() -> p.infer(new TensorRequest(
                        "rid", "v2", List.of(new NamedTensor("x", Datatype.FP64, Tensor.of(flat, 2, 10))), List.of())))
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessage("input 'rows' is missing: send the patients as 'rows'");
        assertThatThrownBy(() -> p.infer(new TensorRequest("rid", "v2", request.inputs(), List.of("nope"))))
                .hasMessageStartingWith("output 'nope' is not an output of the scorer");
        // Azure's {"data": ...} still goes to run().
        assertThat(new String(((JsonResult) p.infer(call(TWO_ROWS))).json(), StandardCharsets.UTF_8))
                .isEqualTo("[217.67978776218715,224.78937091757172]");
    }

    @Test
    void aJsonScorerTakesNoTensors() throws Exception {
        Predictor p = load("com.acme.Greeter");
        assertThatThrownBy(() -> p.infer(new TensorRequest(
                        "rid",
                        "v2",
                        List.of(new NamedTensor("x", Datatype.FP64, Tensor.of(new double[1], 1))),
                        List.of())))
                .hasMessage("the scorer of service 'svc' takes no tensors");
    }

    @Test
    void onnxOfAnUnknownModelNamesTheServicesModels() throws Exception {
        Predictor p = load(
                "com.acme.OnnxLookup", ServiceLimits.DEFAULTS, SchemaSpec.NONE, Map.of(), List.of(diabetes(), notes()));
        assertThat(score(p, "\"diabetes\"")).isEqualTo(List.of("input"));
        assertThatThrownBy(() -> p.infer(call("\"nope\"")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("the service has no model named 'nope': its models are [diabetes:1, notes:1]");
        assertThatThrownBy(() -> p.infer(call("\"notes\"")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold exactly one .onnx file");
    }

    @Test
    void severalModelsAreLaidOutByNameAndVersionAndTheScorerSeesItsSettings() throws Exception {
        ModelRecord m1 = model("m1", 1, Map.of("a.txt", new byte[] {1}));
        ModelRecord m2 = model("m2", 3, Map.of("sub/b.txt", new byte[] {2}));
        Predictor p = load(
                "com.acme.Layout",
                ServiceLimits.DEFAULTS,
                SchemaSpec.NONE,
                Map.of("threshold", "0.5"),
                List.of(m1, m2));
        Map<?, ?> seen = (Map<?, ?>) score(p, "{}");
        assertThat(seen.get("files")).isEqualTo(List.of("m1/1/a.txt", "m2/3/sub/b.txt"));
        assertThat(seen.get("service")).isEqualTo("svc");
        assertThat(seen.get("config")).isEqualTo(Map.of("threshold", "0.5"));
        p.close();
        assertThat(logLines).anyMatch(l -> l.contains("layout scorer closed"));
    }

    @Test
    void aSingleModelsFilesSitDirectlyInTheModelDir() throws Exception {
        Predictor p = load("com.acme.Layout");
        assertThat(((Map<?, ?>) score(p, "{}")).get("files")).isEqualTo(List.of("notes.txt"));
    }

    // ---- isolation -------------------------------------------------------------------------------

    @Test
    void theJarsOwnCopiesOfClassesAndResourcesWinOverTheServers() throws Exception {
        assertThat(new Shadowed().where()).isEqualTo("parent");
        Predictor p = load("com.acme.Isolated");
        assertThat(score(p, "{}")).isEqualTo(Map.of("class", "jar", "resource", "jar", "contextResource", "jar"));
    }

    // ---- schema ----------------------------------------------------------------------------------

    @Test
    void deploySamplesWinOverTheScorersAndEachSideFallsBackOnItsOwn() throws Exception {
        Predictor declared = load("com.acme.Greeter");
        assertThat(declared.schema().input().at("/properties/age/type").asText())
                .isEqualTo("integer");
        assertThat(declared.schema().input().at("/example/name").asText()).isEqualTo("Ada");
        assertThat(declared.schema().output().at("/properties/greeting/type").asText())
                .isEqualTo("string");

        Predictor deployed = load(
                "com.acme.Greeter",
                ServiceLimits.DEFAULTS,
                new SchemaSpec("{\"age\": 7, \"name\": \"Bo\"}", null, null),
                Map.of(),
                List.of(notes()));
        assertThat(deployed.schema().input().at("/example/name").asText()).isEqualTo("Bo");
        assertThat(deployed.schema().output().at("/example/greeting").asText()).isEqualTo("hello Ada (42)");

        Predictor none = load("com.acme.Echo");
        assertThat(none.schema()).isEqualTo(IoSchema.unknown());
        Predictor outputOnly = load(
                "com.acme.Echo",
                ServiceLimits.DEFAULTS,
                new SchemaSpec(null, "[1.5]", null),
                Map.of(),
                List.of(notes()));
        assertThat(outputOnly.schema().input()).isEqualTo(IoSchema.unknown().input());
        assertThat(outputOnly.schema().output().at("/items/format").asText()).isEqualTo("double");
    }

    @Test
    void closeIsIdempotentAndLaterCallsAreRefused() throws Exception {
        Predictor p = load("com.acme.Greeter");
        p.close();
        p.close();
        assertThatThrownBy(() -> p.infer(call("{\"age\": 1, \"name\": \"x\"}")))
                .satisfies(e -> assertThat(scoriaError(e).kind()).isEqualTo(ErrorKind.NOT_READY));
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
