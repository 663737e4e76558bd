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
        requireFiniteNumbers(sample, "$");
        ObjectNode schema = typeOf(sample);
        schema.set("example", sample.deepCopy());
        return schema;
    }

    private static void requireFiniteNumbers(JsonNode value, String where) {
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            throw ScoriaException.badInput("the sample's number at " + where
                    + " is beyond the range of a double (±1.8e308): give a smaller number in the sample");
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                requireFiniteNumbers(value.get(i), where + "[" + i + "]");
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                requireFiniteNumbers(field.getValue(), where + "." + field.getKey());
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
