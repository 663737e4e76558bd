package dev.scoria.server.http.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.scorer.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * How a JSON answer of code that reads the request itself (a {@code score.py}, a JSON scorer) becomes
 * an Open Inference Protocol response: an object with {@code "outputs"} is taken as the response
 * itself; any other value becomes one output, {@code output0}: a rectangular (nested) list of numbers
 * as INT64 when every number is whole, else FP64; of booleans as BOOL; of strings as BYTES; a single
 * value as a tensor of shape [1]; anything else (an object, a ragged list) as its JSON text in a BYTES
 * tensor of shape [1].
 */
final class JsonAnswerTensors {

    static final String OUTPUT = "output0";

    private JsonAnswerTensors() {}

    /** Whether the answer is already a V2 response body. */
    static boolean isResponse(JsonNode answer) {
        return answer instanceof ObjectNode object && object.path("outputs").isArray();
    }

    static TensorResult wrap(JsonNode answer) {
        List<Long> shape = new ArrayList<>();
        List<JsonNode> leaves = new ArrayList<>();
        if (!answer.isArray()) {
            shape.add(1L);
            leaves.add(answer);
        } else if (!flatten(answer, 0, shape, leaves)) {
            return text(answer);
        }
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        if (leaves.stream().allMatch(JsonNode::isNumber)) {
            if (leaves.stream().allMatch(n -> n.isIntegralNumber() && n.canConvertToLong())) {
                return one(
                        Datatype.INT64,
                        new Tensor(
                                dims,
                                leaves.stream().mapToLong(JsonNode::longValue).toArray()));
            }
            return one(
                    Datatype.FP64,
                    new Tensor(
                            dims,
                            leaves.stream().mapToDouble(JsonNode::doubleValue).toArray()));
        }
        if (leaves.stream().allMatch(JsonNode::isBoolean)) {
            boolean[] values = new boolean[leaves.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = leaves.get(i).booleanValue();
            }
            return one(Datatype.BOOL, new Tensor(dims, values));
        }
        if (leaves.stream().allMatch(JsonNode::isTextual)) {
            return one(
                    Datatype.BYTES,
                    new Tensor(dims, leaves.stream().map(JsonNode::textValue).toArray(String[]::new)));
        }
        return text(answer);
    }

    /** Collects the leaves of a rectangular nest of lists; false when it is ragged or holds objects. */
    private static boolean flatten(JsonNode node, int depth, List<Long> shape, List<JsonNode> leaves) {
        if (!node.isArray()) {
            if (depth != shape.size() || node.isContainerNode()) {
                return false;
            }
            leaves.add(node);
            return true;
        }
        if (depth == shape.size()) {
            if (depth > 0 && !leaves.isEmpty()) {
                // A list where earlier siblings held values.
                return false;
            }
            shape.add((long) node.size());
        } else if (depth > shape.size() || shape.get(depth) != node.size()) {
            return false;
        }
        for (JsonNode child : node) {
            if (!flatten(child, depth + 1, shape, leaves)) {
                return false;
            }
        }
        return true;
    }

    private static TensorResult text(JsonNode answer) {
        return one(Datatype.BYTES, new Tensor(new long[] {1}, new String[] {answer.toString()}));
    }

    private static TensorResult one(Datatype datatype, Tensor tensor) {
        return new TensorResult(List.of(new NamedTensor(OUTPUT, datatype, tensor)));
    }
}
