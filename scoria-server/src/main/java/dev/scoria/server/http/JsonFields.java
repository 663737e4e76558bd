package dev.scoria.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.JsonErrors;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.schema.SampleSchemas;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a management request's JSON body field by field, with errors that name the field. */
final class JsonFields {

    private final ObjectNode node;

    private JsonFields(ObjectNode node) {
        this.node = node;
    }

    static JsonFields parse(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ScoriaException.badInput("request body is empty: expected a JSON object");
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw ScoriaException.badInput("request body is not valid JSON: " + JsonErrors.describe(e));
        } catch (IOException e) {
            throw ScoriaException.badInput("request body could not be read as JSON: " + e.getMessage());
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ScoriaException.badInput("request body must be a JSON object");
        }
        return new JsonFields(object);
    }

    /**
     * Refuses a field the call does not take: one in {@code fixed} (unless null) because it cannot be changed
     * here, any other not in {@code accepted} because it is not known, both naming the field.
     */
    void requireKnown(Set<String> accepted, Set<String> fixed, String call) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (accepted.contains(name)
                    || fixed.contains(name) && field.getValue().isNull()) {
                continue;
            }
            if (fixed.contains(name)) {
                throw ScoriaException.badInput(
                        "field '" + name + "' cannot be changed by " + call + ": it is fixed when the"
                                + " service is deployed (delete the service and deploy it again to change it)");
            }
            throw ScoriaException.badInput("field '" + name + "' is not known to " + call + ": expected one of "
                    + String.join(", ", accepted));
        }
    }

    /** Every field as a whole percentage (0-100), in the order given: a traffic split like {@code {"blue": 90}}. */
    Map<String, Integer> percentages(String what) {
        Map<String, Integer> result = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode v = field.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0 || v.intValue() > 100) {
                throw ScoriaException.badInput(what + " of deployment '" + field.getKey()
                        + "' must be a whole percentage from 0 to 100, saw " + v);
            }
            result.put(field.getKey(), v.intValue());
        }
        return result;
    }

    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ScoriaException.badInput("field '" + field + "' must be a string, saw " + seen(v));
        }
        return v.asText();
    }

    String requiredString(String field) {
        String v = string(field);
        if (v == null) {
            throw ScoriaException.badInput("field '" + field + "' is required");
        }
        return v;
    }

    Integer integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ScoriaException.badInput("field '" + field + "' must be a whole number, saw " + seen(v));
        }
        return v.intValue();
    }

    Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ScoriaException.badInput("field '" + field + "' must be true or false, saw " + seen(v));
        }
        return v.booleanValue();
    }

    Map<String, String> stringMap(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ScoriaException.badInput("field '" + field + "' must be an object of strings, saw " + seen(v));
        }
        Map<String, String> map = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw ScoriaException.badInput(
                        "field '" + field + "." + e.getKey() + "' must be a string, saw " + seen(e.getValue()));
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }

    List<String> stringList(String field) {
        JsonNode v = array(field);
        if (v == null) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isTextual()) {
                throw ScoriaException.badInput("field '" + field + "[" + i + "]' must be a string, saw " + seen(item));
            }
            list.add(item.asText());
        }
        return list;
    }

    /** Models as {@code name:version} strings, or objects with an {@code id} or a {@code name} and {@code version}. */
    List<String> modelIds(String field) {
        JsonNode v = array(field);
        if (v == null) {
            return null;
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (item.isTextual()) {
                list.add(item.asText());
            } else if (item.isObject() && item.hasNonNull("id")) {
                list.add(item.get("id").asText());
            } else if (item.isObject() && item.hasNonNull("name") && item.hasNonNull("version")) {
                list.add(item.get("name").asText() + ":" + item.get("version").asText());
            } else {
                throw ScoriaException.badInput(
                        "field '" + field + "[" + i + "]' must be a string 'name:version', saw " + seen(item));
            }
        }
        return list;
    }

    private JsonNode array(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ScoriaException.badInput("field '" + field + "' must be an array of strings, saw " + seen(v));
        }
        return v;
    }

    /** A field holding any JSON value, returned as JSON text. */
    String rawJson(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            // Also accepted as a string holding JSON, as some clients send it.
            try {
                v = Json.MAPPER.readTree(v.asText());
            } catch (Exception e) {
                throw ScoriaException.badInput("field '" + field + "' must be JSON: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        // Checked before it is written back as text, which would turn 1e999 into the string "Infinity".
        SampleSchemas.requireFiniteNumbers(v, "field '" + field + "'");
        return v.toString();
    }

    /** What a caller sent, for an error message: a short value as JSON, or the kind of a longer one. */
    private static String seen(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        String text = v.toString();
        return text.length() <= 60
                ? text
                : (v.isTextual() ? "a string" : "a number") + " of " + text.length() + " characters";
    }
}
