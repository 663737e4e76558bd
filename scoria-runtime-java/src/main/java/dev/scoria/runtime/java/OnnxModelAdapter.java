package dev.scoria.runtime.java;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.scoria.scorer.OnnxModel;
import dev.scoria.scorer.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scorer's view of one ONNX Runtime session: {@link Tensor}s in and out, so that scorer JARs never
 * see (or bundle) ONNX Runtime classes. Every native tensor made or returned here is closed before
 * {@link #run} returns.
 */
final class OnnxModelAdapter implements OnnxModel, AutoCloseable {

    private final String label;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> inputNames;
    private final List<String> outputNames;

    /** @param label names the model in messages, e.g. {@code diabetes:1} */
    OnnxModelAdapter(String label, OrtEnvironment env, OrtSession session) throws OrtException {
        this.label = label;
        this.env = env;
        this.session = session;
        this.inputNames = List.copyOf(session.getInputInfo().keySet());
        this.outputNames = List.copyOf(session.getOutputInfo().keySet());
    }

    @Override
    public List<String> inputNames() {
        return inputNames;
    }

    @Override
    public List<String> outputNames() {
        return outputNames;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) throws OrtException {
        for (String name : inputs.keySet()) {
            if (!inputNames.contains(name)) {
                throw new IllegalArgumentException(
                        "model " + label + " has no input '" + name + "': its inputs are " + inputNames);
            }
        }
        Map<String, OnnxTensor> native_ = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
                native_.put(input.getKey(), toOnnx(input.getValue()));
            }
            try (OrtSession.Result result = session.run(native_)) {
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> output : result) {
                    outputs.put(output.getKey(), fromOnnx(output.getKey(), output.getValue()));
                }
                return outputs;
            }
        } finally {
            native_.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOnnx(Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        Object data = tensor.data();
        if (data instanceof float[] f) {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
        }
        if (data instanceof double[] d) {
            return OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape);
        }
        if (data instanceof long[] l) {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(l), shape);
        }
        if (data instanceof int[] i) {
            return OnnxTensor.createTensor(env, IntBuffer.wrap(i), shape);
        }
        if (data instanceof boolean[] b) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(b.length).order(ByteOrder.nativeOrder());
            for (boolean v : b) {
                bytes.put((byte) (v ? 1 : 0));
            }
            bytes.rewind();
            return OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.BOOL);
        }
        return OnnxTensor.createTensor(env, (String[]) data, shape);
    }

    private Tensor fromOnnx(String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException("output '" + name + "' of model " + label + " is a " + value.getType()
                    + ", not a tensor (for scikit-learn classifiers, convert with zipmap=False)");
        }
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        Object data = switch (info.type) {
            case FLOAT, FLOAT16, BFLOAT16 -> read(tensor.getFloatBuffer());
            case DOUBLE -> read(tensor.getDoubleBuffer());
            case INT64 -> read(tensor.getLongBuffer());
            case INT32 -> read(tensor.getIntBuffer());
            case INT16 -> widen(tensor.getShortBuffer());
            case INT8, UINT8 -> widen(tensor.getByteBuffer(), info.type == OnnxJavaType.UINT8);
            case BOOL -> booleans(tensor.getByteBuffer());
            case STRING -> flattenStrings(tensor.getValue());
            default ->
                throw new IllegalStateException("output '" + name + "' of model " + label + " has element type "
                        + info.type + ", which Tensor cannot hold");
        };
        return new Tensor(shape, data);
    }

    private static float[] read(FloatBuffer buffer) {
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static double[] read(DoubleBuffer buffer) {
        double[] out = new double[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static long[] read(LongBuffer buffer) {
        long[] out = new long[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static int[] read(IntBuffer buffer) {
        int[] out = new int[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static int[] widen(ShortBuffer buffer) {
        int[] out = new int[buffer.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffer.get();
        }
        return out;
    }

    private static int[] widen(ByteBuffer buffer, boolean unsigned) {
        int[] out = new int[buffer.remaining()];
        for (int i = 0; i < out.length; i++) {
            byte b = buffer.get();
            out[i] = unsigned ? Byte.toUnsignedInt(b) : b;
        }
        return out;
    }

    private static boolean[] booleans(ByteBuffer buffer) {
        boolean[] out = new boolean[buffer.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffer.get() != 0;
        }
        return out;
    }

    private static String[] flattenStrings(Object value) {
        List<String> out = new ArrayList<>();
        flatten(value, out);
        return out.toArray(String[]::new);
    }

    private static void flatten(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                flatten(element, out);
            }
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
