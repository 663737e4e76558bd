package dev.scoria.server.http.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.scoria.core.inference.NamedTensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Open Inference Protocol JSON reader on arbitrary bodies: it refuses as bad input or answers
 * consistent tensors (see {@link V2RequestChecks}); it never accepts what Jackson refuses as JSON; and
 * what it accepts holds, input by input, the very values of Jackson's tree (names, shapes, numbers).
 */
class V2RequestJsonFuzzTest {

    private static final ObjectReader JACKSON =
            new ObjectMapper().readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @FuzzTest
    void agreesWithJackson(byte[] body) {
        V2Request request = V2RequestChecks.readOrRefuse(body, -1);
        if (request == null) {
            return;
        }
        JsonNode tree;
        try {
            tree = JACKSON.readValue(body);
        } catch (IOException e) {
            fail("accepted a body that Jackson refuses: " + e.getMessage());
            return;
        }
        JsonNode inputs = tree.get("inputs");
        assertThat(inputs.size()).isEqualTo(request.inputs().size());
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode input = inputs.get(i);
            NamedTensor tensor = request.inputs().get(i);
            assertThat(tensor.name()).isEqualTo(input.get("name").textValue());
            long[] shape = new long[input.get("shape").size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = input.get("shape").get(d).longValue();
            }
            assertThat(tensor.shape()).isEqualTo(shape);
            List<JsonNode> values = new ArrayList<>();
            flatten(input.get("data"), values);
            assertThat(values).hasSize(tensor.size());
            for (int v = 0; v < values.size(); v++) {
                assertSame(tensor, v, values.get(v));
            }
        }
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node);
        }
    }

    private static void assertSame(NamedTensor tensor, int i, JsonNode expected) {
        String where = tensor.name() + " data[" + i + "]";
        Object got = switch (tensor.datatype()) {
            case BOOL -> ((boolean[]) tensor.data())[i];
            case BYTES -> ((String[]) tensor.data())[i];
            case FP64 -> ((double[]) tensor.data())[i];
            case FP32, FP16 -> ((float[]) tensor.data())[i];
            case INT64, UINT64, UINT32 -> ((long[]) tensor.data())[i];
            default -> (long) ((int[]) tensor.data())[i];
        };
        Object want = switch (tensor.datatype()) {
            case BOOL -> expected.isBoolean() ? expected.booleanValue() : expected;
            case BYTES -> expected.isTextual() ? expected.textValue() : expected;
            case FP64 -> expected.isNumber() ? expected.doubleValue() : expected;
            case FP32, FP16 -> expected.isNumber() ? (float) expected.doubleValue() : expected;
            default ->
                expected.canConvertToExactIntegral() && expected.canConvertToLong() ? expected.longValue() : expected;
        };
        assertThat(got).as(where).isEqualTo(want);
    }
}
