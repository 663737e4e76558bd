package dev.scoria.runtime.python;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.scoria.core.inference.PayloadRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The header of a {@code score} frame, written straight to bytes: the same JSON object a tree of
 * nodes would give (type, id, method, path, contentType, query, headers), without building the tree
 * for every request.
 */
final class ScoreHeader {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ScoreHeader() {}

    /** The path is the one the script is told it was called on, chosen by the adapter (Azure: "/score"). */
    static byte[] encode(PayloadRequest call) {
        return encode(call, true);
    }

    /**
     * The header for a worker whose {@code run()} sees only the body (Azure's plain {@code run(raw_data)}):
     * the type, id and method, all it reads, and a third of the bytes to write and for the worker to parse.
     */
    static byte[] encodeShort(PayloadRequest call) {
        return encode(call, false);
    }

    private static byte[] encode(PayloadRequest call, boolean whole) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(whole ? 512 : 128);
        try (JsonGenerator json = FACTORY.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("type", "score");
            json.writeStringField("id", call.id());
            json.writeStringField("method", call.method());
            if (whole) {
                json.writeStringField("path", call.path());
                json.writeStringField("contentType", call.contentType());
                writeMultiMap(json, "query", call.query());
                writeMultiMap(json, "headers", call.headers());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: the header is written to memory", e);
        }
        return bytes.toByteArray();
    }

    private static void writeMultiMap(JsonGenerator json, String field, Map<String, List<String>> values)
            throws IOException {
        json.writeObjectFieldStart(field);
        for (Map.Entry<String, List<String>> entry : values.entrySet()) {
            List<String> list = entry.getValue();
            if (list == null) {
                json.writeNullField(entry.getKey());
                continue;
            }
            json.writeArrayFieldStart(entry.getKey());
            for (String value : list) {
                json.writeString(value);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }
}
