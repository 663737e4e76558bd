package dev.scoria.server.http.azure;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.PayloadRequest;
import dev.scoria.core.inference.TensorSpec;
import dev.scoria.core.input.DataMatrixReader;
import dev.scoria.core.input.DenseMatrix;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.serving.RequestDecoder;
import dev.scoria.scorer.Tensor;
import dev.scoria.server.http.BodyBytes;
import dev.scoria.server.http.InferenceEndpoint;
import dev.scoria.server.http.Json;
import dev.scoria.server.http.ScoringExchange;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an Azure scoring request into the form its predictor takes: the model's input tensor read from
 * {@code {"data": [[...], ...]}} for a tensor runtime, the JSON body for a JSON scorer, or the whole
 * request (headers without credentials, query, bytes) for code that reads it itself. A {@code GET}'s
 * query parameters become a JSON object, each value parsed as JSON when it is JSON (Azure's rule).
 */
final class AzureRequests {

    /** Where code that reads the request is told it was called: the path inside Azure's container. */
    static final String CONTAINER_PATH = "/score";

    private static final ObjectReader WHOLE_VALUE =
            Json.MAPPER.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AzureRequests() {}

    static RequestDecoder decoder(ScoringExchange exchange, Predictor predictor) {
        String requestId = exchange.requestId();
        boolean get = exchange.request().method() == HttpMethod.GET;
        if (!predictor.accepts().contains(InputKind.PAYLOAD)
                && !predictor.accepts().contains(InputKind.JSON)) {
            // Read where it lies: the rows are parsed from the body's own bytes, off the event loop.
            BodyBytes rows = get ? BodyBytes.of(queryAsJson(exchange)) : BodyBytes.of(exchange.body());
            return new DataRowsDecoder(requestId, rows, predictor.signature().inputs(), exchange::bodyRead);
        }
        byte[] body = get ? queryAsJson(exchange) : bodyBytes(exchange);
        String method = exchange.request().method().name();
        String contentType = exchange.request().getHeader("Content-Type");
        if (predictor.accepts().contains(InputKind.PAYLOAD)) {
            PayloadRequest request = new PayloadRequest(
                    requestId,
                    AzureScoreRoute.PROTOCOL,
                    method,
                    CONTAINER_PATH,
                    contentType,
                    InferenceEndpoint.headersWithoutCredentials(exchange.request()),
                    query(exchange),
                    body);
            return () -> request;
        }
        // A JSON scorer reads the body only: the header and query maps are built for raw code alone.
        PayloadRequest request = new PayloadRequest(
                requestId, AzureScoreRoute.PROTOCOL, method, CONTAINER_PATH, contentType, Map.of(), Map.of(), body);
        return () -> request;
    }

    /**
     * The {@code "data"} rows as the model's one input, in its datatype. A predictor that declares no
     * input gets them as an FP64 tensor named {@code data}.
     */
    static NamedTensor readData(BodyBytes body, List<TensorSpec> inputs) {
        TensorSpec spec = dataInput(inputs);
        DenseMatrix matrix = reader(spec).read(body.array(), body.offset(), body.length());
        return tensor(spec, matrix);
    }

    /** The input that {@code "data"} feeds; refuses a model it cannot feed. */
    static TensorSpec dataInput(List<TensorSpec> inputs) {
        if (inputs.size() > 1) {
            throw ScoriaException.badInput("the model has " + inputs.size() + " inputs "
                    + inputs.stream().map(TensorSpec::name).toList()
                    + ": {\"data\": [[...]]} feeds a model with one input; send named inputs to the Open Inference Protocol route"
                    + " (POST /v2/models/{name}/infer)");
        }
        TensorSpec spec = inputs.isEmpty() ? new TensorSpec("data", Datatype.FP64, new long[] {-1, -1}) : inputs.get(0);
        if (spec.shape().length != 2) {
            throw ScoriaException.badInput("the model's input " + spec.describe() + " is not rows of values:"
                    + " send it to the Open Inference Protocol route (POST /v2/models/{name}/infer)");
        }
        return spec;
    }

    static DataMatrixReader reader(TensorSpec spec) {
        long[] shape = spec.shape();
        return new DataMatrixReader((int) shape[1], shape[0] > 0 ? shape[0] : -1, () -> describe(spec));
    }

    /** Rows read for {@code spec}'s input, in its datatype. */
    static NamedTensor tensor(TensorSpec spec, DenseMatrix matrix) {
        return new NamedTensor(
                spec.name(),
                spec.datatype(),
                new Tensor(new long[] {matrix.rows(), matrix.cols()}, values(matrix, spec)));
    }

    /** E.g. {@code input 'input' double[N, 10]}: how errors name the model's input. */
    private static String describe(TensorSpec spec) {
        String type = switch (spec.datatype()) {
            case FP64 -> "double";
            case FP32, FP16 -> "float";
            default -> spec.datatype().name().toLowerCase();
        };
        return "input '" + spec.name() + "' " + type
                + Arrays.toString(Arrays.stream(spec.shape())
                        .mapToObj(d -> d < 0 ? "N" : String.valueOf(d))
                        .toArray());
    }

    private static Object values(DenseMatrix matrix, TensorSpec spec) {
        Datatype datatype = spec.datatype();
        int count = matrix.rows() * matrix.cols();
        double[] read = matrix.values();
        switch (datatype) {
            case FP64:
                return read.length == count ? read : Arrays.copyOf(read, count);
            case FP32:
            case FP16: {
                float[] out = new float[count];
                for (int i = 0; i < count; i++) {
                    float f = (float) read[i];
                    // The doubles are finite: an infinity here is a number that overflowed the float.
                    if (Float.isInfinite(f)) {
                        throw ScoriaException.badInput("data[" + i / matrix.cols() + "][" + i % matrix.cols() + "] is "
                                + read[i] + ": " + describe(spec) + " holds floats, whose range is about ±3.4e38");
                    }
                    out[i] = f;
                }
                return out;
            }
            case INT64:
            case UINT32:
            case UINT64: {
                long[] out = new long[count];
                for (int i = 0; i < count; i++) {
                    out[i] = wholeNumber(read, i, matrix.cols(), datatype);
                }
                return out;
            }
            case INT8:
            case INT16:
            case INT32:
            case UINT8:
            case UINT16: {
                int[] out = new int[count];
                for (int i = 0; i < count; i++) {
                    out[i] = (int) wholeNumber(read, i, matrix.cols(), datatype);
                }
                return out;
            }
            default:
                throw ScoriaException.badInput(
                        "the model's input is " + datatype + ": {\"data\"} carries numbers only");
        }
    }

    /**
     * The value as a whole number within {@code datatype}'s range. Compared as doubles, before the cast:
     * a cast would clamp 1e300 to Long.MAX_VALUE, and an int cast would wrap 3e9 to a negative number.
     */
    private static long wholeNumber(double[] values, int i, int cols, Datatype datatype) {
        double v = values[i];
        String where = "data[" + i / cols + "][" + i % cols + "]";
        if (v != Math.rint(v) || Double.isInfinite(v)) {
            throw ScoriaException.badInput(where + " is " + v + ": the model expects whole numbers");
        }
        double min = switch (datatype) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
        // 2^63 and 2^64 are exact doubles; every double below them fits the type.
        double maxExclusive = switch (datatype) {
            case INT8 -> Byte.MAX_VALUE + 1.0;
            case INT16 -> Short.MAX_VALUE + 1.0;
            case INT32 -> Integer.MAX_VALUE + 1.0;
            case UINT8 -> 256;
            case UINT16 -> 65_536;
            case UINT32 -> 4_294_967_296.0;
            default -> 0x1p63;
        };
        if (v < min || v >= maxExclusive) {
            throw ScoriaException.badInput(
                    where + " is " + new BigDecimal(v).toPlainString() + ": out of range for " + datatype);
        }
        return (long) v;
    }

    static int bodyLength(ScoringExchange exchange) {
        Buffer buffer = exchange.body();
        return buffer == null ? 0 : buffer.length();
    }

    private static byte[] bodyBytes(ScoringExchange exchange) {
        Buffer buffer = exchange.body();
        return buffer == null ? new byte[0] : buffer.getBytes();
    }

    private static Map<String, List<String>> query(ScoringExchange exchange) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : exchange.queryParams().names()) {
            query.put(name, exchange.queryParams().getAll(name));
        }
        return query;
    }

    /** Azure's GET rule: every query parameter becomes a field, its value parsed as JSON when it is JSON. */
    static byte[] queryAsJson(ScoringExchange exchange) {
        return queryAsJson(query(exchange));
    }

    /** The query parameters (name to values, in order) as that JSON object. */
    static byte[] queryAsJson(Map<String, List<String>> query) {
        ObjectNode input = Json.MAPPER.createObjectNode();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            if (values.size() == 1) {
                input.set(name, parseOrText(values.get(0)));
            } else {
                ArrayNode list = input.putArray(name);
                values.forEach(v -> list.add(parseOrText(v)));
            }
        }
        return input.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code value} as JSON when the whole of it is one JSON value, else as text: {@code 1 2} or
     * {@code [1] x} are text (as Python's {@code json.loads} refuses them), not the first value. So is a
     * value holding a number beyond a double's range ({@code 1e999}): read, it is Infinity, which JSON cannot
     * carry (Jackson would write the string "Infinity"), so the scorer gets the text that was sent.
     */
    private static JsonNode parseOrText(String value) {
        try {
            JsonNode parsed = WHOLE_VALUE.readValue(value);
            return parsed == null || parsed.isMissingNode() || holdsNonFinite(parsed)
                    ? Json.MAPPER.getNodeFactory().textNode(value)
                    : parsed;
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(value);
        }
    }

    private static boolean holdsNonFinite(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return !Double.isFinite(node.doubleValue());
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (holdsNonFinite(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mime = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase();
        return mime.equals("application/json") || mime.startsWith("application/") && mime.endsWith("+json");
    }
}
