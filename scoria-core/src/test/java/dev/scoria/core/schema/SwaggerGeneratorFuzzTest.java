package dev.scoria.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Swagger and OpenAPI documents from a user's samples (given at deploy, read with Jackson as the runtimes
 * do): whatever sample Jackson reads, both documents are made (or the sample is refused as bad input for a
 * number beyond a double's range), serialise to JSON that reads back the
 * same, carry the sample as the example, and their schema accepts that example (its type, its object's
 * properties, its array's first item — arrays are typed by their first element, as inference-schema does).
 */
class SwaggerGeneratorFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SwaggerGenerator GENERATOR = new SwaggerGenerator();

    @FuzzTest
    void documentsEverySample(byte[] sampleBytes) throws IOException {
        JsonNode sample;
        try {
            sample = JSON.readTree(sampleBytes);
        } catch (IOException e) {
            return; // the runtimes refuse it as bad input before any document is made
        }
        if (sample == null || sample.isMissingNode()) {
            return;
        }
        ObjectNode schema;
        try {
            schema = SampleSchemas.fromSample(sample);
        } catch (ScoriaException e) {
            // The one refusal: a number Jackson read as Infinity (beyond a double's range).
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.BAD_INPUT);
            assertThat(e.getMessage()).contains("beyond the range of a double");
            return;
        }
        assertThat(schema.get("example")).isEqualTo(sample);
        assertAccepts(schema, sample, "$");

        IoSchema io = new IoSchema(schema, SampleSchemas.fromSample(sample));
        SwaggerGenerator.Target target = new SwaggerGenerator.Target("svc", "http://127.0.0.1:5001", true, "1");
        for (ObjectNode doc : new ObjectNode[] {GENERATOR.swagger2(target, io), GENERATOR.openApi3(target, io)}) {
            byte[] written = JSON.writeValueAsBytes(doc);
            assertThat(JSON.readTree(written)).isEqualTo(doc);
        }
    }

    private static void assertAccepts(JsonNode schema, JsonNode value, String where) {
        String type = schema.path("type").asText();
        switch (type) {
            case "integer" -> assertThat(value.isIntegralNumber()).as(where).isTrue();
            case "number" -> assertThat(value.isNumber()).as(where).isTrue();
            case "string" -> assertThat(value.isTextual()).as(where).isTrue();
            case "boolean" -> assertThat(value.isBoolean()).as(where).isTrue();
            case "array" -> {
                assertThat(value.isArray()).as(where).isTrue();
                if (!value.isEmpty()) {
                    assertAccepts(schema.get("items"), value.get(0), where + "[0]");
                }
            }
            case "object" -> {
                if (value.isObject()) {
                    JsonNode properties = schema.path("properties");
                    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> field = it.next();
                        assertThat(properties.has(field.getKey()))
                                .as(where + "." + field.getKey())
                                .isTrue();
                        assertAccepts(properties.get(field.getKey()), field.getValue(), where + "." + field.getKey());
                    }
                } else {
                    assertThat(value.isNull()).as(where + " typed object").isTrue();
                }
            }
            default -> throw new AssertionError(where + ": schema without a type: " + schema);
        }
    }
}
