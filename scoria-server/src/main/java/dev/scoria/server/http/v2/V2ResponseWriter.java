package dev.scoria.server.http.v2;

import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorResult;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.List;

/**
 * Writes {@code {"model_name", "model_version", "id"?, "outputs": [{"name", "datatype", "shape", "data"}]}},
 * with {@code data} flat in row-major order, or, for outputs asked for in binary form, the JSON header
 * followed by their bytes ({@code Inference-Header-Content-Length} says where the JSON ends). The JSON
 * is what the server's Jackson generator writes, byte for byte, written straight into the one array the
 * response sends.
 */
final class V2ResponseWriter {

    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    /** The header's name with its hash worked out once: it is looked up in every request and set in binary answers. */
    static final CharSequence HEADER_LENGTH_NAME = HttpHeaders.createOptimized(HEADER_LENGTH);

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence OCTET_STREAM = HttpHeaders.createOptimized("application/octet-stream");
    /** Bytes per value a JSON answer is first given room for: a double's shortest text and its comma, mostly. */
    private static final int BYTES_PER_VALUE = 20;

    private V2ResponseWriter() {}

    static void write(HttpServerResponse response, String model, String version, V2Request request, TensorResult result)
            throws IOException {
        List<NamedTensor> outputs = result.outputs();
        int estimate = 128;
        for (NamedTensor output : outputs) {
            estimate += BYTES_PER_VALUE * output.size();
        }
        JsonBytes out = new JsonBytes(estimate);
        byte[][] binary = envelope(out, model, version, request, outputs);
        if (binary == null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(out.buffer());
            return;
        }
        int jsonLength = out.length();
        for (byte[] data : binary) {
            if (data != null) {
                out.append(data);
            }
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, OCTET_STREAM)
                .putHeader(HEADER_LENGTH_NAME, String.valueOf(jsonLength))
                .end(out.buffer());
    }

    /**
     * Writes the JSON answer into {@code out}; answers the binary form of each output asked for in it (by
     * output position, null for the others), or null when every output is in the JSON.
     */
    static byte[][] envelope(JsonBytes out, String model, String version, V2Request request, List<NamedTensor> outputs)
            throws IOException {
        byte[][] binary = null;
        out.raw("{\"model_name\":").string(model).raw(",\"model_version\":").string(version);
        if (request.id() != null) {
            out.raw(",\"id\":").string(request.id());
        }
        out.raw(",\"outputs\":[");
        for (int k = 0; k < outputs.size(); k++) {
            NamedTensor output = outputs.get(k);
            if (k > 0) {
                out.raw(',');
            }
            out.raw("{\"name\":").string(output.name());
            out.raw(",\"datatype\":").string(output.datatype().name());
            out.raw(",\"shape\":[");
            long[] shape = output.shape();
            for (int d = 0; d < shape.length; d++) {
                if (d > 0) {
                    out.raw(',');
                }
                out.number(shape[d]);
            }
            out.raw(']');
            if (request.binary(output.name())) {
                if (binary == null) {
                    binary = new byte[outputs.size()][];
                }
                binary[k] = BinaryTensors.encode(output);
                out.raw(",\"parameters\":{\"binary_data_size\":")
                        .number(binary[k].length)
                        .raw('}');
            } else {
                out.raw(",\"data\":");
                flat(out, output);
            }
            out.raw('}');
        }
        out.raw("]}");
        return binary;
    }

    /** The values as one flat array, row-major; floats as floats, not widened. */
    private static void flat(JsonBytes out, NamedTensor tensor) throws IOException {
        out.raw('[');
        int n = tensor.size();
        Object data = tensor.data();
        if (data instanceof double[] d) {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.number(d[i]);
            }
        } else if (data instanceof float[] f) {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.number(f[i]);
            }
        } else if (data instanceof long[] l) {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.number(l[i]);
            }
        } else if (data instanceof int[] v) {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.number(v[i]);
            }
        } else if (data instanceof boolean[] b) {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.bool(b[i]);
            }
        } else {
            String[] s = (String[]) data;
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.raw(',');
                }
                out.string(s[i]);
            }
        }
        out.raw(']');
    }
}
