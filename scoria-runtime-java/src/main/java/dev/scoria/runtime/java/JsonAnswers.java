package dev.scoria.runtime.java;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns what a JSON scorer returns into a Jackson tree before it leaves the runtime. The server's
 * mapper lives as long as the server and caches a serializer for every class it writes; handed a
 * scorer's records, it would keep their class loader (and the whole JAR) alive after the service is
 * redeployed. This service's own mapper is dropped with the service.
 */
final class JsonAnswers {

    private final ObjectMapper mapper = new ObjectMapper();

    /** Values the server writes without learning any class of the scorer's pass as they are. */
    Object toWritable(Object value) {
        if (value == null
                || value instanceof String
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof JsonNode
                || value instanceof double[]
                || value instanceof float[]
                || value instanceof long[]
                || value instanceof int[]
                || value instanceof boolean[]) {
            return value;
        }
        return mapper.valueToTree(value);
    }
}
