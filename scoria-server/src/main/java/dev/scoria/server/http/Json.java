package dev.scoria.server.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The server's one JSON mapper. */
public final class Json {

    /**
     * Doubles are written in the shortest form that parses back to the same value (Schubfach), the
     * same text Python's json.dumps writes, so Scoria's answers match Azure-served ones digit for digit.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private Json() {}
}
