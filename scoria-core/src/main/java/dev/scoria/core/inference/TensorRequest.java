package dev.scoria.core.inference;

import java.util.List;
import java.util.Objects;

/**
 * Named, typed input tensors, and the outputs the client asked for (empty: all of them).
 */
public record TensorRequest(String id, String protocol, List<NamedTensor> inputs, List<String> outputs)
        implements InferenceRequest {

    public TensorRequest {
        Objects.requireNonNull(protocol, "protocol");
        inputs = List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public NamedTensor input(String name) {
        for (NamedTensor t : inputs) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
