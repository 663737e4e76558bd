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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One small model call on the demo model with its tensors kept (as {@code PinnedRuns} makes it), under
 * the session options Scoria sets ({@code scoria}) against ONNX Runtime's defaults for a tiny graph turned
 * off one at a time: what a call of a few rows costs inside ONNX Runtime, and which option moves it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OnnxCallBenchmark {

    @Param({"scoria", "no-memory-pattern", "no-arena", "both-off"})
    public String options;

    @Param({"1", "4"})
    public int rows;

    private OrtSession session;
    private OnnxTensor input;
    private OnnxTensor output;
    private Map<String, OnnxTensor> inputs;
    private Map<String, OnnxTensor> outputs;

    @Setup(Level.Trial)
    public void load() throws IOException, OrtException {
        byte[] model;
        try (InputStream in = OnnxCallBenchmark.class.getResourceAsStream("/demo/diabetes-ridge/model.onnx")) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            if (options.equals("no-memory-pattern") || options.equals("both-off")) {
                o.setMemoryPatternOptimization(false);
            }
            if (options.equals("no-arena") || options.equals("both-off")) {
                o.setCPUArenaAllocator(false);
            }
            session = env.createSession(model, o);
        }
        String inputName = session.getInputNames().iterator().next();
        String outputName = session.getOutputNames().iterator().next();
        ByteBuffer in = ByteBuffer.allocateDirect(rows * 10 * Double.BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < rows * 10; i++) {
            in.putDouble(i * Double.BYTES, 0.01 * i);
        }
        input = OnnxTensor.createTensor(env, in.asDoubleBuffer(), new long[] {rows, 10});
        ByteBuffer out = ByteBuffer.allocateDirect(rows * Double.BYTES).order(ByteOrder.nativeOrder());
        output = OnnxTensor.createTensor(env, out.asDoubleBuffer(), new long[] {rows});
        inputs = Map.of(inputName, input);
        outputs = Map.of(outputName, output);
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        input.close();
        output.close();
        session.close();
    }

    @Benchmark
    public Object call() throws OrtException {
        OrtSession.Result result = session.run(inputs, outputs);
        result.close();
        return result;
    }
}
