package dev.scoria.server.http.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Azure's GET rule on the values the fuzz test found (see AzureQueryFuzzTest): a value is JSON only whole. */
class AzureQueryTest {

    @Test
    void aValueFollowedByMoreIsText() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("a", List.of("1 2"));
        query.put("b", List.of("[1] x"));
        query.put("c", List.of(" [1, {\"d\": true}] "));
        query.put("e", List.of("7", "x"));

        String json = new String(AzureRequests.queryAsJson(query), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"a\":\"1 2\",\"b\":\"[1] x\",\"c\":[1,{\"d\":true}],\"e\":[7,\"x\"]}");
    }
}
