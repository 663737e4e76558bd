package dev.scoria.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.input.DataMatrixReader;
import dev.scoria.core.input.DenseMatrix;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.ScoreCall;
import dev.scoria.core.schema.IoSchema;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores {@code {"data": [[...]]}} requests on one ONNX Runtime session (thread-safe, shared by all
 * requests). The body is streamed into a primitive array and wrapped as the input tensor without
 * another copy for double models. Float outputs are widened to double, which is what a Python
 * service returning {@code ndarray.tolist()} sends, so clients see the same numbers.
 */
final class OnnxPredictor implements Predictor {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxSignature signature;
    private final DataMatrixReader reader;
    private final IoSchema schema;
    /** Median time of one warm-up call: what decides whether small requests may score inline. */
    private final long warmCallNanos;
    /** Inline scoring is for calls that cost about as much as handing them to another thread. */
    static final long INLINE_BUDGET_NANOS = 200_000;

    static final int INLINE_MAX_BODY_BYTES = 16 * 1024;
    /** Per-thread direct buffers: ONNX Runtime reads a direct buffer in place, a heap one it copies every call. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    OnnxPredictor(OrtEnvironment env, OrtSession session, OnnxSignature signature, String inputExample)
            throws Exception {
        this.env = env;
        this.session = session;
        this.signature = signature;
        this.reader = new DataMatrixReader(
                signature.cols(), signature.rows() > 0 ? signature.rows() : -1, signature.describeInput());
        byte[] example = inputExample != null ? inputExample.getBytes(StandardCharsets.UTF_8) : zerosExample();
        Object exampleOutput;
        DenseMatrix exampleInput;
        try {
            // The warm-up call proves the model runs before the service is called Healthy.
            exampleInput = reader.read(example);
            exampleOutput = predict(exampleInput);
        } catch (ScoriaException e) {
            throw ScoriaException.badInput("inputExample does not fit the model: " + e.getMessage());
        }
        long[] times = new long[15];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            predict(exampleInput);
            times[i] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        this.warmCallNanos = times[times.length / 2];
        this.schema = buildSchema(MAPPER.readTree(example), MAPPER.valueToTree(exampleOutput));
    }

    @Override
    public boolean jsonOnly() {
        return true;
    }

    @Override
    public Object score(ScoreCall call) throws OrtException {
        return predict(reader.read(call.body()));
    }

    Object predict(DenseMatrix matrix) throws OrtException {
        long[] shape = {matrix.rows(), matrix.cols()};
        int count = matrix.rows() * matrix.cols();
        OnnxTensor input;
        double[] values = matrix.values();
        if (signature.inputType() == OnnxJavaType.DOUBLE) {
            DoubleBuffer direct = scratch(count * Double.BYTES).asDoubleBuffer();
            direct.put(values, 0, count).flip();
            input = OnnxTensor.createTensor(env, direct, shape);
        } else {
            FloatBuffer direct = scratch(count * Float.BYTES).asFloatBuffer();
            for (int i = 0; i < count; i++) {
                direct.put(i, (float) values[i]);
            }
            input = OnnxTensor.createTensor(env, direct, shape);
        }
        try (input;
                OrtSession.Result result = session.run(Map.of(signature.inputName(), input))) {
            if (signature.outputs().size() == 1) {
                return jsonValue(result.get(0));
            }
            Map<String, Object> named = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                named.put(e.getKey(), jsonValue(e.getValue()));
            }
            return named;
        }
    }

    private static ByteBuffer scratch(int bytes) {
        ByteBuffer buffer = SCRATCH.get();
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
            SCRATCH.set(buffer);
        }
        buffer.clear().limit(bytes);
        return buffer;
    }

    @Override
    public boolean batchable() {
        // Rows are independent only when the model takes any number of them and every output's first
        // dimension is that number (then an answer's rows can be split back per request).
        return signature.rows() < 0
                && signature.outputs().stream().allMatch(o -> o.shape().length >= 1 && o.shape()[0] < 0);
    }

    @Override
    public List<Object> scoreBatch(List<ScoreCall> calls) {
        List<Object> results = new ArrayList<>(Collections.nCopies(calls.size(), null));
        List<DenseMatrix> parsed = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        int totalRows = 0;
        for (int i = 0; i < calls.size(); i++) {
            try {
                DenseMatrix m = reader.read(calls.get(i).body());
                parsed.add(m);
                owners.add(i);
                totalRows += m.rows();
            } catch (RuntimeException e) {
                results.set(i, e);
            }
        }
        if (parsed.isEmpty()) {
            return results;
        }
        int cols = signature.cols();
        double[] all = new double[totalRows * cols];
        int offset = 0;
        for (DenseMatrix m : parsed) {
            System.arraycopy(m.values(), 0, all, offset, m.rows() * cols);
            offset += m.rows() * cols;
        }
        Object merged;
        try {
            merged = predict(new DenseMatrix(all, totalRows, cols));
        } catch (Exception e) {
            for (int owner : owners) {
                results.set(owner, e);
            }
            return results;
        }
        int first = 0;
        for (int k = 0; k < parsed.size(); k++) {
            int rows = parsed.get(k).rows();
            results.set(owners.get(k), slice(merged, first, rows));
            first += rows;
        }
        return results;
    }

    /** Rows [from, from + count) of an answer: of each output for a model with several. */
    private static Object slice(Object answer, int from, int count) {
        if (answer instanceof Map<?, ?> named) {
            Map<Object, Object> out = new LinkedHashMap<>();
            named.forEach((k, v) -> out.put(k, slice(v, from, count)));
            return out;
        }
        Object part = Array.newInstance(answer.getClass().getComponentType(), count);
        System.arraycopy(answer, from, part, 0, count);
        return part;
    }

    @Override
    public boolean scoresInline(int bodyBytes) {
        return bodyBytes <= INLINE_MAX_BODY_BYTES && warmCallNanos <= INLINE_BUDGET_NANOS;
    }

    private static Object jsonValue(OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new ScoriaException(ErrorKind.INTERNAL, "model returned a " + value.getType() + ", not a tensor");
        }
        Object v = tensor.getValue();
        return tensor.getInfo().type == OnnxJavaType.FLOAT ? widen(v) : v;
    }

    private static Object widen(Object v) {
        if (v instanceof float[] f) {
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (v instanceof Object[] nested) {
            Object[] out = new Object[nested.length];
            for (int i = 0; i < nested.length; i++) {
                out[i] = widen(nested[i]);
            }
            return out;
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    private byte[] zerosExample() {
        long rows = signature.rows() > 0 ? signature.rows() : 1;
        StringBuilder sb = new StringBuilder("{\"data\": [");
        for (long r = 0; r < rows; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < signature.cols(); c++) {
                sb.append(c == 0 ? "0.0" : ", 0.0");
            }
            sb.append(']');
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private IoSchema buildSchema(JsonNode inputExample, JsonNode outputExample) {
        ObjectNode input = JSON.objectNode();
        input.put("type", "object");
        input.putArray("required").add("data");
        ObjectNode data = input.putObject("properties").putObject("data");
        data.put("type", "array");
        data.put("description", "rows of " + signature.cols() + " numbers, fed to " + signature.describeInput());
        if (signature.rows() > 0) {
            data.put("minItems", signature.rows()).put("maxItems", signature.rows());
        } else {
            data.put("minItems", 1);
        }
        ObjectNode row = data.putObject("items");
        row.put("type", "array");
        row.put("minItems", signature.cols()).put("maxItems", signature.cols());
        row.putObject("items").put("type", "number").put("format", "double");
        input.set("example", inputExample);

        ObjectNode output;
        if (signature.outputs().size() == 1) {
            output = outputSchema(signature.outputs().get(0));
        } else {
            output = JSON.objectNode().put("type", "object");
            ObjectNode props = output.putObject("properties");
            for (OnnxSignature.Output o : signature.outputs()) {
                props.set(o.name(), outputSchema(o));
            }
        }
        output.set("example", outputExample);
        return new IoSchema(input, output);
    }

    private static ObjectNode outputSchema(OnnxSignature.Output output) {
        ObjectNode leaf = JSON.objectNode();
        switch (output.type()) {
            case FLOAT, DOUBLE -> leaf.put("type", "number").put("format", "double");
            case INT64, UINT8, INT8, INT16, INT32 ->
                leaf.put("type", "integer").put("format", output.type() == OnnxJavaType.INT64 ? "int64" : "int32");
            case BOOL -> leaf.put("type", "boolean");
            case STRING -> leaf.put("type", "string");
            default -> leaf.put("type", "number");
        }
        ObjectNode node = leaf;
        for (int i = output.shape().length - 1; i >= 0; i--) {
            ObjectNode array = JSON.objectNode();
            array.put("type", "array");
            array.set("items", node);
            node = array;
        }
        return node;
    }

    @Override
    public IoSchema schema() {
        return schema;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "could not close the onnx session: " + e.getMessage(), e);
        }
    }
}
