package dev.scoria.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.InferenceOutcome;
import dev.scoria.core.inference.InferenceRequest;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.inference.ModelSignature;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorJson;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.core.inference.TensorRows;
import dev.scoria.core.inference.TensorSpec;
import dev.scoria.core.input.DataMatrixReader;
import dev.scoria.core.input.DenseMatrix;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.scorer.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores tensor requests on one ONNX Runtime session (thread-safe, shared by all requests). The input
 * tensor is copied once, into a per-thread direct buffer that ONNX Runtime reads in place. Outputs
 * come back flat with their shape and the model's own element type.
 */
final class OnnxPredictor implements Predictor {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<InputKind> ACCEPTS = Set.of(InputKind.TENSORS);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxSignature onnx;
    /** Asked on every request. */
    private final boolean batchable;
    /** Small calls on kept tensors; null when the model's outputs cannot be pinned. */
    private final PinnedRuns pinned;
    /** Set once the model refused pinned outputs: its calls are made the ordinary way from then on. */
    private volatile boolean pinnedRefused;

    private final ModelSignature signature;
    private final IoSchema schema;
    /** Median time of one warm-up call: what decides whether small requests may score inline. */
    private final long warmCallNanos;
    /** Inline scoring is for calls that cost about as much as handing them to another thread. */
    static final long INLINE_BUDGET_NANOS = 200_000;

    static final int INLINE_MAX_BODY_BYTES = 16 * 1024;
    /** Per-thread direct buffers: ONNX Runtime reads a direct buffer in place, a heap one it copies every call. */
    private static final ThreadLocal<ByteBuffer> SCRATCH = new ThreadLocal<>();

    OnnxPredictor(OrtEnvironment env, OrtSession session, OnnxSignature onnx, String inputExample) throws Exception {
        this.env = env;
        this.session = session;
        this.onnx = onnx;
        this.batchable = rowsIndependent(onnx);
        this.pinned = PinnedRuns.forModel(env, onnx);
        this.signature = signatureOf(onnx);
        // Samples given at deploy are in Azure's {"data": [[...]]} form, whichever protocol later calls the service.
        DataMatrixReader reader =
                new DataMatrixReader(onnx.cols(), onnx.rows() > 0 ? onnx.rows() : -1, onnx.describeInput());
        byte[] example = inputExample != null ? inputExample.getBytes(StandardCharsets.UTF_8) : zerosExample();
        NamedTensor exampleInput;
        TensorResult exampleOutput;
        try {
            // The warm-up call proves the model runs before the service is called Healthy.
            exampleInput = inputTensor(reader.read(example));
            exampleOutput = run(exampleInput);
        } catch (ScoriaException e) {
            throw ScoriaException.badInput("inputExample does not fit the model: " + e.getMessage());
        }
        long[] times = new long[15];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            run(exampleInput);
            times[i] = System.nanoTime() - t0;
        }
        Arrays.sort(times);
        this.warmCallNanos = times[times.length / 2];
        this.schema = buildSchema(MAPPER.readTree(example), azureJson(exampleOutput));
    }

    private static ModelSignature signatureOf(OnnxSignature onnx) {
        TensorSpec input =
                new TensorSpec(onnx.inputName(), datatype(onnx.inputType()), new long[] {onnx.rows(), onnx.cols()});
        List<TensorSpec> outputs = onnx.outputs().stream()
                .map(o -> new TensorSpec(o.name(), datatype(o.type()), o.shape()))
                .toList();
        return new ModelSignature(List.of(input), outputs);
    }

    /** The element type a tensor of this ONNX type is exchanged as. */
    static Datatype datatype(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> Datatype.FP32;
            case DOUBLE -> Datatype.FP64;
            case FLOAT16, BFLOAT16 -> Datatype.FP16;
            case INT8 -> Datatype.INT8;
            case UINT8 -> Datatype.UINT8;
            case INT16 -> Datatype.INT16;
            case INT32 -> Datatype.INT32;
            case INT64 -> Datatype.INT64;
            case BOOL -> Datatype.BOOL;
            case STRING -> Datatype.BYTES;
            default -> throw new ScoriaException(ErrorKind.INTERNAL, "ONNX type " + type + " has no tensor datatype");
        };
    }

    @Override
    public Set<InputKind> accepts() {
        return ACCEPTS;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public InferenceResult infer(InferenceRequest request) throws OrtException {
        if (!(request instanceof TensorRequest tensors)) {
            throw ScoriaException.badInput("the onnx runtime scores tensors: this request carries none");
        }
        check(tensors);
        return run(tensors.inputs().get(0)).select(tensors.outputs());
    }

    /** The signature's checks, and at least one row: ONNX Runtime fails on an empty batch, which the Azure route refuses too. */
    private void check(TensorRequest request) {
        signature.check(request);
        NamedTensor input = request.inputs().get(0);
        if (input.size() == 0) {
            throw ScoriaException.badInput("input '" + input.name() + "' has shape " + Arrays.toString(input.shape())
                    + ": it holds no rows; expected at least one");
        }
    }

    /** The model's input as a tensor of its own type, from rows read as doubles. */
    private NamedTensor inputTensor(DenseMatrix matrix) {
        long[] shape = {matrix.rows(), matrix.cols()};
        int count = matrix.rows() * matrix.cols();
        if (onnx.inputType() == OnnxJavaType.DOUBLE) {
            double[] values = matrix.values().length == count ? matrix.values() : Arrays.copyOf(matrix.values(), count);
            return new NamedTensor(onnx.inputName(), Datatype.FP64, new Tensor(shape, values));
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            float f = (float) matrix.values()[i];
            // The doubles are finite: an infinity here is a number that overflowed the float.
            if (Float.isInfinite(f)) {
                throw ScoriaException.badInput(
                        "data[" + i / matrix.cols() + "][" + i % matrix.cols() + "] is " + matrix.values()[i] + ": "
                                + onnx.describeInput() + " holds floats, whose range is about ±3.4e38");
            }
            values[i] = f;
        }
        return new NamedTensor(onnx.inputName(), Datatype.FP32, new Tensor(shape, values));
    }

    TensorResult run(NamedTensor input) throws OrtException {
        if (pinned != null && !pinnedRefused && pinned.takes(input)) {
            try {
                return pinned.run(session, input);
            } catch (OrtException e) {
                // A model whose outputs do not have the shape it declares refuses pinned outputs; it is scored
                // the ordinary way from now on, and this call is too (so a real failure is reported from there).
                pinnedRefused = true;
            }
        }
        long[] shape = input.shape();
        int count = input.size();
        OnnxTensor tensor;
        if (input.data() instanceof double[] values) {
            DoubleBuffer direct = scratch(count * Double.BYTES).asDoubleBuffer();
            direct.put(values, 0, count).flip();
            tensor = OnnxTensor.createTensor(env, direct, shape);
        } else {
            FloatBuffer direct = scratch(count * Float.BYTES).asFloatBuffer();
            direct.put((float[]) input.data(), 0, count).flip();
            tensor = OnnxTensor.createTensor(env, direct, shape);
        }
        try (tensor;
                OrtSession.Result result = session.run(Map.of(onnx.inputName(), tensor))) {
            List<NamedTensor> outputs = new ArrayList<>(onnx.outputs().size());
            for (Map.Entry<String, OnnxValue> e : result) {
                outputs.add(outputTensor(e.getKey(), e.getValue()));
            }
            return new TensorResult(outputs);
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
        return batchable;
    }

    /**
     * Rows are independent only when the model takes any number of them and every output's first
     * dimension is that number (then an answer's rows can be split back per request).
     */
    private static boolean rowsIndependent(OnnxSignature onnx) {
        return onnx.rows() < 0 && onnx.outputs().stream().allMatch(o -> o.shape().length >= 1 && o.shape()[0] < 0);
    }

    @Override
    public List<InferenceOutcome> inferBatch(List<TensorRequest> requests) {
        List<InferenceOutcome> outcomes = new ArrayList<>(Arrays.asList(new InferenceOutcome[requests.size()]));
        List<NamedTensor> inputs = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                check(requests.get(i));
                inputs.add(requests.get(i).inputs().get(0));
                owners.add(i);
            } catch (RuntimeException e) {
                outcomes.set(i, InferenceOutcome.failed(e));
            }
        }
        if (inputs.isEmpty()) {
            return outcomes;
        }
        TensorResult merged;
        try {
            merged = run(TensorRows.concat(inputs));
        } catch (Exception e) {
            for (int owner : owners) {
                outcomes.set(owner, InferenceOutcome.failed(e));
            }
            return outcomes;
        }
        long first = 0;
        for (int k = 0; k < inputs.size(); k++) {
            long rows = TensorRows.rows(inputs.get(k));
            List<NamedTensor> mine = new ArrayList<>(merged.outputs().size());
            for (NamedTensor output : merged.outputs()) {
                mine.add(TensorRows.slice(output, first, rows));
            }
            int owner = owners.get(k);
            outcomes.set(
                    owner,
                    InferenceOutcome.of(
                            new TensorResult(mine).select(requests.get(owner).outputs())));
            first += rows;
        }
        return outcomes;
    }

    @Override
    public boolean scoresInline(int bodyBytes) {
        return bodyBytes <= INLINE_MAX_BODY_BYTES && warmCallNanos <= INLINE_BUDGET_NANOS;
    }

    private static NamedTensor outputTensor(String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new ScoriaException(ErrorKind.INTERNAL, "model returned a " + value.getType() + ", not a tensor");
        }
        long[] shape = tensor.getInfo().getShape();
        int count = Math.toIntExact(tensor.getInfo().getNumElements());
        OnnxJavaType type = tensor.getInfo().type;
        Object data = switch (type) {
            case DOUBLE -> copy(tensor.getDoubleBuffer(), count);
            case FLOAT -> copy(tensor.getFloatBuffer(), count);
            case INT64 -> {
                long[] out = new long[count];
                tensor.getLongBuffer().get(out);
                yield out;
            }
            case INT32 -> {
                int[] out = new int[count];
                tensor.getIntBuffer().get(out);
                yield out;
            }
            case INT16 -> {
                int[] out = new int[count];
                var shorts = tensor.getShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = shorts.get(i);
                }
                yield out;
            }
            case INT8, UINT8, BOOL -> bytes(tensor.getByteBuffer(), count, type);
            case STRING -> flatStrings(tensor.getValue(), count);
            default ->
                throw new ScoriaException(
                        ErrorKind.INTERNAL,
                        "model output '" + name + "' is of ONNX type " + type + ", which Scoria cannot return");
        };
        return new NamedTensor(name, datatype(type), new Tensor(shape, data));
    }

    private static double[] copy(DoubleBuffer buffer, int count) {
        double[] out = new double[count];
        buffer.get(out);
        return out;
    }

    private static float[] copy(FloatBuffer buffer, int count) {
        float[] out = new float[count];
        buffer.get(out);
        return out;
    }

    private static Object bytes(ByteBuffer buffer, int count, OnnxJavaType type) {
        if (type == OnnxJavaType.BOOL) {
            boolean[] out = new boolean[count];
            for (int i = 0; i < count; i++) {
                out[i] = buffer.get(i) != 0;
            }
            return out;
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = type == OnnxJavaType.UINT8 ? buffer.get(i) & 0xFF : buffer.get(i);
        }
        return out;
    }

    private static String[] flatStrings(Object nested, int count) {
        String[] out = new String[count];
        int[] next = {0};
        flatten(nested, out, next);
        return out;
    }

    private static void flatten(Object value, String[] out, int[] next) {
        if (value instanceof Object[] array && !(value instanceof String[])) {
            for (Object element : array) {
                flatten(element, out, next);
            }
        } else if (value instanceof String[] strings) {
            for (String s : strings) {
                out[next[0]++] = s;
            }
        } else {
            out[next[0]++] = String.valueOf(value);
        }
    }

    /** The answer as the Azure route writes it, for the swagger document's example. */
    private static JsonNode azureJson(TensorResult result) throws Exception {
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            writeAzure(buffer, result);
            return MAPPER.readTree(buffer.asParser());
        }
    }

    private static void writeAzure(JsonGenerator out, TensorResult result) throws Exception {
        if (result.outputs().size() == 1) {
            TensorJson.writeNested(out, result.outputs().get(0), true);
            return;
        }
        out.writeStartObject();
        for (NamedTensor output : result.outputs()) {
            out.writeFieldName(output.name());
            TensorJson.writeNested(out, output, true);
        }
        out.writeEndObject();
    }

    private byte[] zerosExample() {
        long rows = onnx.rows() > 0 ? onnx.rows() : 1;
        StringBuilder sb = new StringBuilder("{\"data\": [");
        for (long r = 0; r < rows; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < onnx.cols(); c++) {
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
        data.put("description", "rows of " + onnx.cols() + " numbers, fed to " + onnx.describeInput());
        if (onnx.rows() > 0) {
            data.put("minItems", onnx.rows()).put("maxItems", onnx.rows());
        } else {
            data.put("minItems", 1);
        }
        ObjectNode row = data.putObject("items");
        row.put("type", "array");
        row.put("minItems", onnx.cols()).put("maxItems", onnx.cols());
        row.putObject("items").put("type", "number").put("format", "double");
        input.set("example", inputExample);

        ObjectNode output;
        if (onnx.outputs().size() == 1) {
            output = outputSchema(onnx.outputs().get(0));
        } else {
            output = JSON.objectNode().put("type", "object");
            ObjectNode props = output.putObject("properties");
            for (OnnxSignature.Output o : onnx.outputs()) {
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
        if (pinned != null) {
            pinned.close();
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new ScoriaException(ErrorKind.INTERNAL, "could not close the onnx session: " + e.getMessage(), e);
        }
    }
}
