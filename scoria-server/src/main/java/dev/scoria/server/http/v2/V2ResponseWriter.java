package dev.scoria.server.http.v2;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorJson;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.server.http.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes {@code {"model_name", "model_version", "id"?, "outputs": [{"name", "datatype", "shape", "data"}]}},
 * with {@code data} flat in row-major order, or, for outputs asked for in binary form, the JSON header
 * followed by their bytes ({@code Inference-Header-Content-Length} says where the JSON ends).
 */
final class V2ResponseWriter {

    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private V2ResponseWriter() {}

    static void write(HttpServerResponse response, String model, String version, V2Request request, TensorResult result)
            throws IOException {
        int estimate =
                128 + result.outputs().stream().mapToInt(o -> 24 * o.size()).sum();
        ByteArrayOutputStream json = new ByteArrayOutputStream(estimate);
        ByteArrayOutputStream binary = null;
        try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(json)) {
            out.writeStartObject();
            out.writeStringField("model_name", model);
            out.writeStringField("model_version", version);
            if (request.id() != null) {
                out.writeStringField("id", request.id());
            }
            out.writeArrayFieldStart("outputs");
            for (NamedTensor output : result.outputs()) {
                out.writeStartObject();
                out.writeStringField("name", output.name());
                out.writeStringField("datatype", output.datatype().name());
                out.writeArrayFieldStart("shape");
                for (long d : output.shape()) {
                    out.writeNumber(d);
                }
                out.writeEndArray();
                if (request.binary(output.name())) {
                    if (binary == null) {
                        binary = new ByteArrayOutputStream(estimate);
                    }
                    int size = BinaryTensors.encode(output, binary);
                    out.writeObjectFieldStart("parameters");
                    out.writeNumberField("binary_data_size", size);
                    out.writeEndObject();
                } else {
                    out.writeFieldName("data");
                    byte[] numbers = TensorJson.flatNumbers(output);
                    if (numbers != null) {
                        TensorJson.writeRawValue(out, numbers);
                    } else {
                        TensorJson.writeFlat(out, output, false);
                    }
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        if (binary == null) {
            response.putHeader("Content-Type", "application/json").end(Buffer.buffer(json.toByteArray()));
            return;
        }
        Buffer body = Buffer.buffer(json.size() + binary.size())
                .appendBytes(json.toByteArray())
                .appendBytes(binary.toByteArray());
        response.putHeader("Content-Type", "application/octet-stream")
                .putHeader(HEADER_LENGTH, String.valueOf(json.size()))
                .end(body);
    }
}
