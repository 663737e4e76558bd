package dev.scoria.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Small calls of the demo model from two threads into one session, as a server's two event loops make them:
 * with ONNX Runtime's CPU arena (its default, and Scoria's), whose one lock every call takes to allocate and
 * free its tensors, and without it. Run it with {@code -t 1} too, for the same calls from one thread. Without
 * the arena, two threads' calls no longer wait on each other here, but in the server single rows gained
 * nothing beyond the spread and 1,000-row requests lost 4-18 % (bench/RESULTS.md, session 8), so Scoria keeps it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class SharedSessionBenchmark {

    @Param({"on", "off"})
    public String arena;

    @Param({"3"})
    public int rows;

    private OrtEnvironment env;
    private OrtSession session;

    @Setup(Level.Trial)
    public void load() throws IOException, OrtException {
        byte[] model;
        try (InputStream in = SharedSessionBenchmark.class.getResourceAsStream("/demo/diabetes-ridge/model.onnx")) {
            model = in.readAllBytes();
        }
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            o.setCPUArenaAllocator(arena.equals("on"));
            session = env.createSession(model, o);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        session.close();
    }

    /** Each thread's own pinned tensors, as {@code PinnedRuns} keeps them per thread. */
    @State(Scope.Thread)
    public static class Tensors {
        OnnxTensor input;
        OnnxTensor output;
        Map<String, OnnxTensor> inputs;
        Map<String, OnnxTensor> outputs;

        @Setup(Level.Trial)
        public void make(SharedSessionBenchmark shared) throws OrtException {
            int rows = shared.rows;
            ByteBuffer in = ByteBuffer.allocateDirect(rows * 10 * Double.BYTES).order(ByteOrder.nativeOrder());
            for (int i = 0; i < rows * 10; i++) {
                in.putDouble(i * Double.BYTES, 0.01 * i);
            }
            input = OnnxTensor.createTensor(shared.env, in.asDoubleBuffer(), new long[] {rows, 10});
            ByteBuffer out = ByteBuffer.allocateDirect(rows * Double.BYTES).order(ByteOrder.nativeOrder());
            output = OnnxTensor.createTensor(shared.env, out.asDoubleBuffer(), new long[] {rows});
            inputs = Map.of(shared.session.getInputNames().iterator().next(), input);
            outputs = Map.of(shared.session.getOutputNames().iterator().next(), output);
        }

        @TearDown(Level.Trial)
        public void close() {
            input.close();
            output.close();
        }
    }

    @Benchmark
    public Object call(Tensors t) throws OrtException {
        OrtSession.Result result = session.run(t.inputs, t.outputs);
        result.close();
        return result;
    }
}
