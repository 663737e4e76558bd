package dev.scoria.runtime.java;

import java.util.Map;

/** Sources of the scorers the tests deploy, all compiled into one JAR (package {@code com.acme}). */
final class TestScorers {

    private TestScorers() {}

    static final Map<String, String> SOURCES = Map.ofEntries(
            Map.entry("com.acme.Greeter", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    import java.util.Map;
                    public class Greeter implements JsonScorer<Greeter.Patient> {
                        public record Patient(int age, String name) {}
                        public record Greeting(String greeting) {}
                        public void init(ScorerContext context) {}
                        public Object run(Patient p) { return new Greeting("hello " + p.name() + " (" + p.age() + ")"); }
                        public ScorerSchema schema() {
                            return new ScorerSchema("{\\"age\\": 42, \\"name\\": \\"Ada\\"}", "{\\"greeting\\": \\"hello Ada (42)\\"}");
                        }
                    }
                    """),
            // Binds through a generic superclass: the input type is found by walking up.
            Map.entry("com.acme.BaseScorer", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    public abstract class BaseScorer<T> implements JsonScorer<T> {
                        public void init(ScorerContext context) {}
                    }
                    """),
            Map.entry("com.acme.Doubler", """
                    package com.acme;
                    import com.fasterxml.jackson.databind.JsonNode;
                    import java.util.Map;
                    public class Doubler extends BaseScorer<JsonNode> {
                        public Object run(JsonNode input) { return Map.of("doubled", input.get("a").asInt() * 2); }
                    }
                    """),
            Map.entry("com.acme.KeyLister", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    import java.util.*;
                    public class KeyLister implements JsonScorer<Map<String, Object>> {
                        public void init(ScorerContext context) {}
                        public Object run(Map<String, Object> input) {
                            List<String> out = new ArrayList<>();
                            new TreeMap<>(input).forEach((k, v) -> out.add(k + "=" + v.getClass().getSimpleName()));
                            return out;
                        }
                    }
                    """),
            Map.entry("com.acme.Echo", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    public class Echo implements RawScorer {
                        public void init(ScorerContext context) {}
                        public ScoreResponse run(ScoreRequest request) {
                            byte[] body = request.body();
                            byte[] reversed = new byte[body.length];
                            for (int i = 0; i < body.length; i++) reversed[i] = body[body.length - 1 - i];
                            return ScoreResponse.builder(201)
                                    .header("Content-Type", "application/octet-stream")
                                    .header("X-Seen", request.method() + " " + request.contentType() + " q=" + request.queryParam("q"))
                                    .body(reversed).build();
                        }
                    }
                    """),
            Map.entry("com.acme.Texter", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    import java.util.Map;
                    public class Texter implements JsonScorer<Map<String, String>> {
                        public void init(ScorerContext context) {}
                        public Object run(Map<String, String> input) {
                            if ("raw".equals(input.get("as"))) return ScoreResponse.text(202, "plain text");
                            return "plain text";
                        }
                    }
                    """),
            Map.entry("com.acme.Pooled", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    import java.util.Map;
                    import java.util.concurrent.atomic.*;
                    public class Pooled implements JsonScorer<Map<String, Object>> {
                        static final AtomicInteger CREATED = new AtomicInteger();
                        private final AtomicBoolean busy = new AtomicBoolean();
                        private int id;
                        private ScorerContext context;
                        public void init(ScorerContext context) { this.context = context; id = CREATED.incrementAndGet(); }
                        public boolean threadSafe() { return false; }
                        public Object run(Map<String, Object> input) throws Exception {
                            if (!busy.compareAndSet(false, true)) throw new IllegalStateException("instance " + id + " used by two requests at once");
                            try {
                                long sleep = ((Number) input.getOrDefault("sleepMs", 0)).longValue();
                                if (Boolean.TRUE.equals(input.get("hang"))) {
                                    while (true) {
                                        try { Thread.sleep(60_000); } catch (InterruptedException ignored) { /* a stuck scorer ignores interrupts: that is what is tested */ }
                                    }
                                }
                                Thread.sleep(sleep);
                                return Map.of("instance", id, "thread", Thread.currentThread().getName());
                            } finally {
                                busy.set(false);
                            }
                        }
                        public void close() { context.logger().info("pooled instance " + id + " closed"); }
                    }
                    """),
            Map.entry("com.acme.FailingInit", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    public class FailingInit implements JsonScorer<Object> {
                        public void init(ScorerContext context) { loadThreshold(context); }
                        private void loadThreshold(ScorerContext context) {
                            throw new IllegalStateException("no 'threshold' in config " + context.config());
                        }
                        public Object run(Object input) { return input; }
                    }
                    """),
            Map.entry("com.acme.StaticBoom", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    public class StaticBoom implements JsonScorer<Object> {
                        static final int VALUE = Integer.parseInt("not a number");
                        public void init(ScorerContext context) {}
                        public Object run(Object input) { return VALUE; }
                    }
                    """),
            Map.entry("com.acme.Thrower", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    public class Thrower implements JsonScorer<Object> {
                        public void init(ScorerContext context) {}
                        public Object run(Object input) {
                            if ("deep".equals(input)) return run(input);
                            if ("sleep".equals(input)) { try { Thread.sleep(30_000); } catch (InterruptedException e) { return "woken"; } }
                            throw new IllegalArgumentException("boom: " + input);
                        }
                    }
                    """),
            Map.entry("com.acme.Hungry", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    import java.util.Map;
                    import java.util.concurrent.atomic.AtomicInteger;
                    public class Hungry implements JsonScorer<Map<String, Object>> {
                        static final AtomicInteger CREATED = new AtomicInteger();
                        private int id;
                        public void init(ScorerContext context) { id = CREATED.incrementAndGet(); }
                        public boolean threadSafe() { return false; }
                        public Object run(Map<String, Object> input) {
                            // More than any heap: the JVM refuses it at once, with nothing actually allocated.
                            if (Boolean.TRUE.equals(input.get("huge"))) return new long[Integer.MAX_VALUE - 16].length;
                            return Map.of("instance", id);
                        }
                    }
                    """),
            Map.entry("com.acme.Diabetes", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    public class Diabetes implements JsonScorer<Diabetes.Request> {
                        public record Request(double[][] data) {}
                        private OnnxModel model;
                        public void init(ScorerContext context) { model = context.onnx("diabetes"); }
                        public Object run(Request request) throws Exception {
                            int rows = request.data().length, cols = request.data()[0].length;
                            double[] flat = new double[rows * cols];
                            for (int r = 0; r < rows; r++) System.arraycopy(request.data()[r], 0, flat, r * cols, cols);
                            return model.run(Tensor.of(flat, rows, cols)).asDoubles();
                        }
                    }
                    """),
            Map.entry("com.acme.DiabetesTensors", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    import java.util.*;
                    public class DiabetesTensors implements JsonScorer<Diabetes.Request>, TensorScorer {
                        private OnnxModel model;
                        private final Diabetes json = new Diabetes();
                        public void init(ScorerContext context) throws Exception { model = context.onnx("diabetes"); json.init(context); }
                        public Object run(Diabetes.Request request) throws Exception { return json.run(request); }
                        public Map<String, Tensor> infer(Map<String, Tensor> inputs) throws Exception {
                            Tensor rows = inputs.get("rows");
                            if (rows == null) throw new IllegalArgumentException("input 'rows' is missing: send the patients as 'rows'");
                            Tensor out = model.run(Tensor.of(rows.asDoubles(), rows.shape()));
                            return Map.of("prediction", out, "count", Tensor.of(new long[] {rows.shape()[0]}, 1));
                        }
                    }
                    """),
            Map.entry("com.acme.OnnxLookup", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    public class OnnxLookup implements JsonScorer<String> {
                        private ScorerContext context;
                        public void init(ScorerContext context) { this.context = context; }
                        public Object run(String name) { return context.onnx(name).inputNames(); }
                    }
                    """),
            Map.entry("com.acme.Layout", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    import java.nio.file.*;
                    import java.util.*;
                    import java.util.stream.*;
                    public class Layout implements JsonScorer<Object> {
                        private ScorerContext context;
                        public void init(ScorerContext context) { this.context = context; }
                        public Object run(Object input) throws Exception {
                            try (Stream<Path> files = Files.walk(context.modelDir())) {
                                List<String> paths = files.filter(Files::isRegularFile)
                                        .map(p -> context.modelDir().relativize(p).toString().replace('\\\\', '/')).sorted().toList();
                                return Map.of("files", paths, "service", context.serviceName(), "config", context.config());
                            }
                        }
                        public void close() { context.logger().info("layout scorer closed"); }
                    }
                    """),
            Map.entry("com.acme.Isolated", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    import dev.scoria.runtime.java.fixture.Shadowed;
                    import java.util.Map;
                    public class Isolated implements JsonScorer<Object> {
                        public void init(ScorerContext context) {}
                        public Object run(Object input) throws Exception {
                            String resource;
                            try (var in = Isolated.class.getClassLoader().getResourceAsStream("shadowed.txt")) {
                                resource = new String(in.readAllBytes());
                            }
                            String tccl;
                            try (var in = Thread.currentThread().getContextClassLoader().getResourceAsStream("shadowed.txt")) {
                                tccl = new String(in.readAllBytes());
                            }
                            return Map.of("class", new Shadowed().where(), "resource", resource, "contextResource", tccl);
                        }
                    }
                    """),
            Map.entry("dev.scoria.runtime.java.fixture.Shadowed", """
                    package dev.scoria.runtime.java.fixture;
                    public final class Shadowed {
                        public String where() { return "jar"; }
                    }
                    """),
            Map.entry("com.acme.NotAScorer", """
                    package com.acme;
                    public class NotAScorer implements Runnable {
                        public void run() {}
                    }
                    """),
            Map.entry("com.acme.NoDefaultConstructor", """
                    package com.acme;
                    import dev.scoria.scorer.*;
                    public class NoDefaultConstructor implements JsonScorer<Object> {
                        public NoDefaultConstructor(String setting) {}
                        public void init(ScorerContext context) {}
                        public Object run(Object input) { return input; }
                    }
                    """));

    static final Map<String, String> RESOURCES = Map.of("shadowed.txt", "jar");
}
