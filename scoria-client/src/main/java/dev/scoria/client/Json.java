package dev.scoria.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reading and writing the management API's JSON. The SDK reads answers as trees rather than binding
 * them to classes, so that fields a newer server adds are ignored instead of breaking old clients.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static JsonNode parse(String text, String what) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new WebserviceException(
                    "the server's answer to " + what + " is not valid JSON: " + ErrorBody.abbreviate(text));
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode objectOf(Map<String, String> map) {
        ObjectNode node = MAPPER.createObjectNode();
        map.forEach(node::put);
        return node;
    }

    /** A field that must be there: its absence means the server does not speak this API. */
    static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new WebserviceException(
                    "the server's answer has no '" + field + "' field: " + ErrorBody.abbreviate(node.toString()));
        }
        return value;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static Map<String, String> stringMap(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        value.fields()
                .forEachRemaining(e -> map.put(
                        e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        return Collections.unmodifiableMap(map);
    }

    /** An object of whole numbers, e.g. a traffic split, in its order; empty when the field is absent. */
    static Map<String, Integer> intMap(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            return Map.of();
        }
        Map<String, Integer> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asInt()));
        return Collections.unmodifiableMap(map);
    }

    /** An array of strings; empty when the field is absent. */
    static List<String> texts(JsonNode node, String field) {
        List<String> texts = new ArrayList<>();
        node.path(field).forEach(e -> texts.add(e.asText()));
        return List.copyOf(texts);
    }

    static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new WebserviceException("the server's '" + field + "' is not an ISO-8601 instant: " + text);
        }
    }

    /** Copies a map of strings keeping its order; the server takes strings only, so nulls are refused here. */
    static Map<String, String> orderedCopy(Map<String, String> map) {
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(
                Objects.requireNonNull(k, "map key"), Objects.requireNonNull(v, () -> "value of '" + k + "'")));
        return Collections.unmodifiableMap(copy);
    }
}
