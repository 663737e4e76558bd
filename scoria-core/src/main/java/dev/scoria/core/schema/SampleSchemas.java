package dev.scoria.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ScoriaException;
import java.util.Iterator;
import java.util.Map;

/**
 * Schemas from samples, with the type mapping of Azure's inference-schema
 * ({@code StandardPythonParameterType}): integers → integer/int64, other numbers → number/double,
 * strings, booleans, arrays typed by their first element, objects with every key required. The
 * sample itself becomes the schema's {@code example}, so generated clients show a real request.
 */
public final class SampleSchemas {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SampleSchemas() {}

    /**
     * The schema of {@code sample}, with the sample as its example. A number beyond a double's range
     * (read as Infinity) is refused as bad input: written back it would become the string "Infinity", an
     * example that contradicts its own schema.
     */
    public static ObjectNode fromSample(JsonNode sample) {
        requireFiniteNumbers(sample, "the sample");
        ObjectNode schema = typeOf(sample);
        schema.set("example", sample.deepCopy());
        return schema;
    }

    /**
     * Refuses, as bad input naming {@code what} and the number's place in it, JSON read with a number beyond a
     * double's range: Jackson reads it as Infinity and writes that back as the string "Infinity", so the JSON
     * stored or shown would no longer be the JSON that was sent.
     */
    public static void requireFiniteNumbers(JsonNode value, String what) {
        requireFiniteNumbers(value, what, "");
    }

    private static void requireFiniteNumbers(JsonNode value, String what, String where) {
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            throw ScoriaException.badInput(what + " holds a number beyond the range of a double (about ±1.8e308) "
                    + (where.isEmpty() ? "as its value" : "at " + where) + ": give a smaller number");
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                requireFiniteNumbers(value.get(i), what, where + "[" + i + "]");
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                requireFiniteNumbers(
                        field.getValue(), what, where.isEmpty() ? field.getKey() : where + "." + field.getKey());
            }
        }
    }

    private static ObjectNode typeOf(JsonNode value) {
        ObjectNode schema = JSON.objectNode();
        if (value.isIntegralNumber()) {
            schema.put("type", "integer").put("format", "int64");
        } else if (value.isNumber()) {
            schema.put("type", "number").put("format", "double");
        } else if (value.isTextual()) {
            schema.put("type", "string");
        } else if (value.isBoolean()) {
            schema.put("type", "boolean");
        } else if (value.isArray()) {
            schema.put("type", "array");
            schema.set("items", value.isEmpty() ? JSON.objectNode() : typeOf(value.get(0)));
        } else if (value.isObject()) {
            schema.put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            var required = schema.putArray("required");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                properties.set(field.getKey(), typeOf(field.getValue()));
                required.add(field.getKey());
            }
            if (required.isEmpty()) {
                schema.remove("required");
            }
        } else {
            // null and anything else: inference-schema's fallback.
            schema.put("type", "object");
        }
        return schema;
    }
}
