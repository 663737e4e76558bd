package dev.scoria.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** The schema of {@code sample}, with the sample as its example. */
    public static ObjectNode fromSample(JsonNode sample) {
        ObjectNode schema = typeOf(sample);
        schema.set("example", sample.deepCopy());
        return schema;
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
