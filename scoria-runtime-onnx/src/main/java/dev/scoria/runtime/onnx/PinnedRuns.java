package dev.scoria.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.scorer.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Model calls of a few rows on tensors made once and kept: the input and every output live in direct
 * buffers of their own, per thread and per number of rows, and ONNX Runtime reads and writes them in
 * place (its "pinned outputs"). A small call then skips what otherwise costs more than the model: making
 * an input tensor, and turning each output into a new Java tensor through JNI (a third of
 * {@code OrtSession.run} in the profile). Only for models whose outputs are plain numbers with every
 * dimension but the rows known, so that an output's shape follows from the rows alone.
 */
final class PinnedRuns implements AutoCloseable {

    /** Calls of more rows than this are rarer and cost more in the model: they make their tensors per call. */
    static final int MAX_ROWS = 64;

    private final OrtEnvironment env;
    private final OnnxSignature onnx;
    private final ThreadLocal<Call[]> calls = new ThreadLocal<>();
    /** Every call made, on any thread, so that closing the model frees their native tensors. */
    private final ConcurrentLinkedQueue<Call> made = new ConcurrentLinkedQueue<>();

    private volatile boolean closed;

    private PinnedRuns(OrtEnvironment env, OnnxSignature onnx) {
        this.env = env;
        this.onnx = onnx;
    }

    /** Pinned runs for this model, or null when its outputs cannot be pinned (their shape or type). */
    static PinnedRuns forModel(OrtEnvironment env, OnnxSignature onnx) {
        if (onnx.inputType() != OnnxJavaType.DOUBLE && onnx.inputType() != OnnxJavaType.FLOAT) {
            return null;
        }
        for (OnnxSignature.Output output : onnx.outputs()) {
            if (!pinnable(output)) {
                return null;
            }
        }
        return new PinnedRuns(env, onnx);
    }

    private static boolean pinnable(OnnxSignature.Output output) {
        if (output.type() != OnnxJavaType.DOUBLE
                && output.type() != OnnxJavaType.FLOAT
                && output.type() != OnnxJavaType.INT64
                && output.type() != OnnxJavaType.INT32) {
            return false;
        }
        long[] shape = output.shape();
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] <= 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether a call of this input may run here. */
    boolean takes(NamedTensor input) {
        long rows = input.shape()[0];
        return !closed && rows >= 1 && rows <= MAX_ROWS && (onnx.rows() < 0 || onnx.rows() == rows);
    }

    /** Scores the input (one that {@link #takes}) on this thread's tensors for its number of rows. */
    TensorResult run(OrtSession session, NamedTensor input) throws OrtException {
        int rows = (int) input.shape()[0];
        Call[] mine = calls.get();
        if (mine == null) {
            mine = new Call[MAX_ROWS + 1];
            calls.set(mine);
        }
        Call call = mine[rows];
        if (call == null) {
            call = new Call(rows);
            mine[rows] = call;
            made.add(call);
            if (closed) {
                close();
            }
        }
        return call.run(session, input);
    }

    @Override
    public void close() {
        closed = true;
        for (Call call; (call = made.poll()) != null; ) {
            call.close();
        }
    }

    /** One thread's tensors for calls of one number of rows. */
    private final class Call implements AutoCloseable {
        private final ByteBuffer inputBuffer;
        private final OnnxTensor inputTensor;
        private final Map<String, OnnxTensor> inputs;
        private final List<ByteBuffer> outputBuffers = new ArrayList<>();
        private final List<long[]> outputShapes = new ArrayList<>();
        private final Map<String, OnnxTensor> outputs = new LinkedHashMap<>();

        Call(int rows) throws OrtException {
            long[] inputShape = {rows, onnx.cols()};
            boolean doubles = onnx.inputType() == OnnxJavaType.DOUBLE;
            inputBuffer = direct(rows * onnx.cols() * (doubles ? Double.BYTES : Float.BYTES));
            inputTensor = doubles
                    ? OnnxTensor.createTensor(env, inputBuffer.asDoubleBuffer(), inputShape)
                    : OnnxTensor.createTensor(env, inputBuffer.asFloatBuffer(), inputShape);
            inputs = Map.of(onnx.inputName(), inputTensor);
            try {
                for (OnnxSignature.Output output : onnx.outputs()) {
                    long[] shape = output.shape().clone();
                    if (shape.length > 0 && shape[0] <= 0) {
                        shape[0] = rows;
                    }
                    long count = 1;
                    for (long d : shape) {
                        count *= d;
                    }
                    ByteBuffer buffer = direct(Math.toIntExact(count) * width(output.type()));
                    outputBuffers.add(buffer);
                    outputShapes.add(shape);
                    outputs.put(output.name(), outputTensor(output.type(), buffer, shape));
                }
            } catch (OrtException | RuntimeException e) {
                close();
                throw e;
            }
        }

        TensorResult run(OrtSession session, NamedTensor input) throws OrtException {
            inputBuffer.clear();
            if (input.data() instanceof double[] values) {
                inputBuffer.asDoubleBuffer().put(values, 0, input.size());
            } else {
                inputBuffer.asFloatBuffer().put((float[]) input.data(), 0, input.size());
            }
            // The result holds the pinned outputs without owning them: closing it leaves them open.
            session.run(inputs, outputs).close();
            List<NamedTensor> answer = new ArrayList<>(outputs.size());
            int i = 0;
            for (OnnxSignature.Output output : onnx.outputs()) {
                long[] shape = outputShapes.get(i).clone();
                answer.add(new NamedTensor(
                        output.name(),
                        OnnxPredictor.datatype(output.type()),
                        new Tensor(shape, copy(output.type(), outputBuffers.get(i)))));
                i++;
            }
            return new TensorResult(answer);
        }

        @Override
        public void close() {
            inputTensor.close();
            outputs.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor outputTensor(OnnxJavaType type, ByteBuffer buffer, long[] shape) throws OrtException {
        return switch (type) {
            case DOUBLE -> OnnxTensor.createTensor(env, buffer.asDoubleBuffer(), shape);
            case FLOAT -> OnnxTensor.createTensor(env, buffer.asFloatBuffer(), shape);
            case INT64 -> OnnxTensor.createTensor(env, buffer.asLongBuffer(), shape);
            default -> OnnxTensor.createTensor(env, buffer.asIntBuffer(), shape);
        };
    }

    private static Object copy(OnnxJavaType type, ByteBuffer buffer) {
        buffer.clear();
        return switch (type) {
            case DOUBLE -> {
                double[] out = new double[buffer.capacity() / Double.BYTES];
                buffer.asDoubleBuffer().get(out);
                yield out;
            }
            case FLOAT -> {
                float[] out = new float[buffer.capacity() / Float.BYTES];
                buffer.asFloatBuffer().get(out);
                yield out;
            }
            case INT64 -> {
                long[] out = new long[buffer.capacity() / Long.BYTES];
                buffer.asLongBuffer().get(out);
                yield out;
            }
            default -> {
                int[] out = new int[buffer.capacity() / Integer.BYTES];
                buffer.asIntBuffer().get(out);
                yield out;
            }
        };
    }

    private static int width(OnnxJavaType type) {
        return type == OnnxJavaType.DOUBLE || type == OnnxJavaType.INT64 ? 8 : 4;
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
