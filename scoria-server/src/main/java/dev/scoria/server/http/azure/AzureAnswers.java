package dev.scoria.server.http.azure;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.JsonResult;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.PayloadResult;
import dev.scoria.core.inference.TensorJson;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.server.http.Json;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes a typed result as Azure's answer: one output tensor as a (nested) JSON array, several as an
 * object by output name, both as {@code ndarray.tolist()} would; a JSON value as it is; a whole answer
 * with its status and headers, a 5xx one flagged as a failed run.
 */
final class AzureAnswers {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private AzureAnswers() {}

    static void write(HttpServerResponse response, InferenceResult result) throws IOException {
        if (result instanceof TensorResult tensors) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body(tensors));
        } else if (result instanceof JsonResult json) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(json.json()));
        } else {
            PayloadResult payload = (PayloadResult) result;
            payload.headers().forEach(response::putHeader);
            if (payload.status() >= 500) {
                // As Azure's server does: a scorer's own 5xx counts as a failed run.
                response.putHeader("x-ms-run-function-failed", "True");
            }
            response.setStatusCode(payload.status()).end(Buffer.buffer(payload.body()));
        }
    }

    /**
     * The answer's bytes as they were written, not copied again (to an array of their length, then by
     * {@link Buffer#buffer(byte[])} to one of its own): a large answer is hundreds of KiB a copy.
     */
    private static Buffer body(TensorResult result) throws IOException {
        if (result.outputs().size() == 1) {
            TensorJson.Ascii numbers =
                    TensorJson.nestedNumberText(result.outputs().get(0));
            if (numbers != null) {
                return BufferInternal.buffer(Unpooled.wrappedBuffer(numbers.bytes(), 0, numbers.length()));
            }
        }
        return Buffer.buffer(json(result));
    }

    static byte[] json(TensorResult result) throws IOException {
        if (result.outputs().size() == 1) {
            byte[] numbers = TensorJson.nestedNumbers(result.outputs().get(0));
            if (numbers != null) {
                return numbers;
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                64 + 24 * result.outputs().stream().mapToInt(NamedTensor::size).sum());
        try (JsonGenerator out = Json.MAPPER.getFactory().createGenerator(bytes)) {
            if (result.outputs().size() == 1) {
                TensorJson.writeNested(out, result.outputs().get(0), true);
            } else {
                out.writeStartObject();
                for (NamedTensor output : result.outputs()) {
                    out.writeFieldName(output.name());
                    TensorJson.writeNested(out, output, true);
                }
                out.writeEndObject();
            }
        }
        return bytes.toByteArray();
    }
}
