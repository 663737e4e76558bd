package dev.scoria.server.http.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Azure's GET rule (query parameters → a JSON object) on arbitrary names and values: the result is always
 * a JSON object with one field per name; a value that is one whole JSON value to Jackson becomes that
 * value; anything else (including {@code 1 2}: a value and more, or a number beyond a double's range,
 * which JSON cannot carry once read) stays the text sent.
 */
class AzureQueryFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader STRICT =
            JSON.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @FuzzTest
    void becomesOneJsonObject(FuzzedDataProvider data) throws IOException {
        Map<String, List<String>> query = new LinkedHashMap<>();
        int parameters = data.consumeInt(0, 4);
        for (int i = 0; i < parameters; i++) {
            String name = data.consumeString(16);
            int values = data.consumeInt(1, 3);
            for (int v = 0; v < values; v++) {
                query.computeIfAbsent(name, n -> new ArrayList<>()).add(data.consumeString(200));
            }
        }
        JsonNode object = JSON.readTree(AzureRequests.queryAsJson(query));
        assertThat(object.isObject()).isTrue();
        assertThat(object.size()).isEqualTo(query.size());
        query.forEach((name, values) -> {
            JsonNode field = object.get(name);
            if (values.size() == 1) {
                assertThat(field).as(name).isEqualTo(expected(values.get(0)));
            } else {
                assertThat(field.isArray()).isTrue();
                for (int v = 0; v < values.size(); v++) {
                    assertThat(field.get(v)).as(name + "[" + v + "]").isEqualTo(expected(values.get(v)));
                }
            }
        });
    }

    private static JsonNode expected(String value) {
        try {
            JsonNode parsed = STRICT.readValue(value);
            return parsed == null || parsed.isMissingNode() || overflows(parsed) ? TextNode.valueOf(value) : parsed;
        } catch (IOException e) {
            return TextNode.valueOf(value);
        }
    }

    /** Whether any number in the value is beyond a double's range (read as Infinity). */
    private static boolean overflows(JsonNode value) {
        return value.isFloatingPointNumber() && Double.isInfinite(value.doubleValue())
                || value.valueStream().anyMatch(AzureQueryFuzzTest::overflows);
    }
}
