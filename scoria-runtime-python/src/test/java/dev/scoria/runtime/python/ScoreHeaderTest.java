package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.inference.PayloadRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreHeaderTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the header was before it was written straight to bytes: the worker must read the same object. */
    static ObjectNode asTree(PayloadRequest call) {
        ObjectNode header = Frames.header("score")
                .put("id", call.id())
                .put("method", call.method())
                .put("path", call.path())
                .put("contentType", call.contentType());
        header.set("query", JSON.valueToTree(call.query()));
        header.set("headers", JSON.valueToTree(call.headers()));
        return header;
    }

    @Test
    void writesTheSameJsonObjectAsATreeWould() throws Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json; charset=\"utf-8\""));
        headers.put("X-Multi", List.of("a", "b\u00e9\n\t\u0001", ""));
        Map<String, List<String>> query = Map.of("q", List.of("1 2", "\\\"x\""), "empty", List.of());
        PayloadRequest call = new PayloadRequest(
                "req-\u2603", "azure", "POST", "/score", null, headers, query, "{}".getBytes(StandardCharsets.UTF_8));

        byte[] bytes = ScoreHeader.encode(call);

        assertThat(JSON.readTree(bytes)).isEqualTo(asTree(call));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"type\":\"score\",\"id\":\"req-\u2603\"");
    }

    @Test
    void anEmptyRequestHasEmptyMaps() throws Exception {
        PayloadRequest call = PayloadRequest.json(null, new byte[0]);
        assertThat(JSON.readTree(ScoreHeader.encode(call))).isEqualTo(asTree(call));
    }

    @Test
    void theShortHeaderHasOnlyTheTypeIdAndMethod() throws Exception {
        PayloadRequest call = new PayloadRequest(
                "req-\"1\"",
                "azure",
                "GET",
                "/score",
                "application/json",
                Map.of("X-A", List.of("1")),
                Map.of("q", List.of("2")),
                new byte[0]);
        assertThat(JSON.readTree(ScoreHeader.encodeShort(call)))
                .isEqualTo(Frames.header("score").put("id", "req-\"1\"").put("method", "GET"));
    }
}
