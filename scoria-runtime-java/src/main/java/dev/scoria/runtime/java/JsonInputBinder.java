package dev.scoria.runtime.java;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.scoria.core.JsonErrors;
import dev.scoria.core.ScoriaException;
import dev.scoria.scorer.JsonScorer;
import java.io.IOException;

/**
 * Turns a request body into the {@code I} of a {@code JsonScorer<I>}: parse, then convert, so that a
 * body that is not JSON and a body that does not fit {@code I} get different messages, the second
 * naming the field that did not fit.
 */
final class JsonInputBinder {

    // One mapper per service, not a shared static one: Jackson caches what it learns about a type, and a
    // cache that outlives the service would keep its class loader (and every class of the JAR) alive.
    // A primitive field (int, double) left out or given null is refused instead of becoming 0: a model fed
    // a silent zero answers wrong with a 200, where a 400 naming the field gets the client fixed. A boxed
    // field (Double) left out arrives as null, so that a scorer can make it optional or refuse it itself.
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private final JavaType inputType;

    JsonInputBinder(Class<?> scorerType) {
        this.inputType = inputTypeOf(mapper, scorerType);
    }

    /** The {@code I} of {@code JsonScorer<I>}, through superclasses and generic interfaces; Object when left open. */
    static JavaType inputTypeOf(ObjectMapper mapper, Class<?> scorerType) {
        JavaType[] params = mapper.getTypeFactory().constructType(scorerType).findTypeParameters(JsonScorer.class);
        return params.length == 1 ? params[0] : mapper.getTypeFactory().constructType(Object.class);
    }

    JavaType inputType() {
        return inputType;
    }

    Object bind(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScoriaException.badInput("request body is empty: expected JSON");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ScoriaException.badInput("request body is not valid JSON: " + JsonErrors.describe(e));
        } catch (IOException e) {
            throw ScoriaException.badInput("request body could not be read as JSON: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw ScoriaException.badInput("request body is empty: expected JSON");
        }
        if (inputType.getRawClass() == JsonNode.class) {
            return tree;
        }
        try {
            return mapper.convertValue(tree, inputType);
        } catch (IllegalArgumentException e) {
            throw ScoriaException.badInput(describeMismatch(e));
        }
    }

    private String describeMismatch(IllegalArgumentException e) {
        String expected = inputType.getRawClass().getSimpleName();
        if (!(e.getCause() instanceof JsonMappingException mapping)) {
            return "request body does not fit " + expected + ": " + firstLine(e.getMessage());
        }
        String path = pathOf(mapping);
        String what = firstLine(mapping.getOriginalMessage());
        if (what.startsWith("Cannot map `null` into type `") && !path.isEmpty()) {
            // Jackson's text ends with advice about its own configuration, which a client cannot act on.
            int start = "Cannot map `null` into type `".length();
            return "field " + path + " of the request is missing or null: expected "
                    + what.substring(start, what.indexOf('`', start));
        }
        if (what.startsWith("Missing required creator property") && !path.isEmpty()) {
            return "field " + path + " of the request is missing: " + expected + " marks it required";
        }
        return path.isEmpty()
                ? "request body does not fit " + expected + ": " + what
                : "field " + path + " of the request does not fit " + expected + ": " + what;
    }

    /** {@code rows[2].age}, as a user would write it, rather than Jackson's {@code Input["rows"]->…}. */
    static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : "'" + path + "'";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
