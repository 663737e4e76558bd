package dev.scoria.runtime.java;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.JsonErrors;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.core.schema.SampleSchemas;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.scorer.ScorerSchema;

/**
 * A Java scorer's input and output schema, each side from the best sample there is: the one given at
 * deploy (the operator knows the deployed service), else the one the scorer declares, else none.
 */
final class SampleIoSchema {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SampleIoSchema() {}

    /** @param declared what {@code Scorer.schema()} returned, or null */
    static IoSchema of(SchemaSpec deployed, ScorerSchema declared) {
        IoSchema unknown = IoSchema.unknown();
        ObjectNode input = side(
                "inputExample",
                deployed == null ? null : deployed.inputExample(),
                "schema().inputSample()",
                declared == null ? null : declared.inputSample(),
                unknown.input());
        ObjectNode output = side(
                "outputExample",
                deployed == null ? null : deployed.outputExample(),
                "schema().outputSample()",
                declared == null ? null : declared.outputSample(),
                unknown.output());
        return new IoSchema(input, output);
    }

    private static ObjectNode side(
            String deployedField,
            String deployedSample,
            String declaredField,
            String declaredSample,
            ObjectNode fallback) {
        if (deployedSample != null) {
            return SampleSchemas.fromSample(parse(deployedField + " given at deploy", deployedSample));
        }
        if (declaredSample != null) {
            return SampleSchemas.fromSample(parse("the scorer's " + declaredField, declaredSample));
        }
        return fallback;
    }

    private static JsonNode parse(String what, String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw ScoriaException.badInput(what + " is empty: expected a JSON sample");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ScoriaException.badInput(what + " is not valid JSON: " + JsonErrors.describe(e));
        }
    }
}
