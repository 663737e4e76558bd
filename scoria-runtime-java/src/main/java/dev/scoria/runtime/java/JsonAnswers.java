package dev.scoria.runtime.java;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Serialises what a JSON scorer returns, with this service's own mapper: the server's mapper lives as
 * long as the server and caches a serializer for every class it writes; handed a scorer's records, it
 * would keep their class loader (and the whole JAR) alive after the service is redeployed. Doubles are
 * written in their shortest form, as Python's json.dumps writes them.
 */
final class JsonAnswers {

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    byte[] toJson(Object value) throws JsonProcessingException {
        return mapper.writeValueAsBytes(value);
    }
}
