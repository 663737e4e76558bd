package dev.scoria.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.core.ScoriaException;
import org.junit.jupiter.api.Test;

class SampleSchemasTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode schemaOf(String sample) throws Exception {
        return SampleSchemas.fromSample(JSON.readTree(sample));
    }

    @Test
    void mapsTypesAsInferenceSchemaDoes() throws Exception {
        JsonNode s = schemaOf("{\"data\": [[1, 2], [3, 4]], \"scale\": 0.5, \"name\": \"x\", \"fast\": true}");
        assertThat(s.get("type").asText()).isEqualTo("object");
        assertThat(s.get("required")).extracting(JsonNode::asText).containsExactly("data", "scale", "name", "fast");
        assertThat(s.at("/properties/data/items/items/type").asText()).isEqualTo("integer");
        assertThat(s.at("/properties/data/items/items/format").asText()).isEqualTo("int64");
        assertThat(s.at("/properties/scale/type").asText()).isEqualTo("number");
        assertThat(s.at("/properties/scale/format").asText()).isEqualTo("double");
        assertThat(s.at("/properties/name/type").asText()).isEqualTo("string");
        assertThat(s.at("/properties/fast/type").asText()).isEqualTo("boolean");
        assertThat(s.get("example"))
                .isEqualTo(
                        JSON.readTree("{\"data\": [[1, 2], [3, 4]], \"scale\": 0.5, \"name\": \"x\", \"fast\": true}"));
    }

    @Test
    void arraysAreTypedByTheirFirstElementAndNullIsAnObject() throws Exception {
        assertThat(schemaOf("[1.5, \"x\"]").at("/items/type").asText()).isEqualTo("number");
        assertThat(schemaOf("[]").get("items").isEmpty()).isTrue();
        assertThat(schemaOf("null").get("type").asText()).isEqualTo("object");
    }

    @Test
    void powerBiShapeKeepsItsEnvelope() throws Exception {
        JsonNode in = schemaOf(
                "{\"Inputs\": {\"data\": [{\"age\": 50, \"bmi\": 27.1}]}, \"GlobalParameters\": {\"method\": \"predict\"}}");
        assertThat(in.at("/properties/Inputs/properties/data/items/properties/bmi/format")
                        .asText())
                .isEqualTo("double");
        assertThat(in.at("/properties/GlobalParameters/properties/method/type").asText())
                .isEqualTo("string");
        JsonNode out = schemaOf("{\"Results\": [151.2]}");
        assertThat(out.at("/properties/Results/items/type").asText()).isEqualTo("number");
    }

    @Test
    void aNumberBeyondADoublesRangeIsRefusedNamingItsPlace() throws Exception {
        assertThatThrownBy(() -> SampleSchemas.requireFiniteNumbers(
                        JSON.readTree("{\"data\": [[1, 2], [3, 1e999]]}"), "inputExample"))
                .isInstanceOf(ScoriaException.class)
                .hasMessage("inputExample holds a number beyond the range of a double (about ±1.8e308) at data[1][1]:"
                        + " give a smaller number");
        assertThatThrownBy(() -> SampleSchemas.requireFiniteNumbers(JSON.readTree("-1e999"), "outputExample"))
                .hasMessageContaining(
                        "outputExample holds a number beyond the range of a double (about ±1.8e308) as its value");
        assertThatThrownBy(() -> schemaOf("{\"a\": {\"b\": [1e999]}}")).hasMessageContaining("at a.b[0]");
        SampleSchemas.requireFiniteNumbers(JSON.readTree("{\"data\": [[1.7976931348623157e308, 1e-999]]}"), "x");
    }
}
