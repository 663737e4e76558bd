package dev.scoria.core.inference;

import java.util.List;

/** Named, typed output tensors, in the model's order. */
public record TensorResult(List<NamedTensor> outputs) implements InferenceResult {

    public TensorResult {
        outputs = List.copyOf(outputs);
    }

    /** Only the outputs named in {@code wanted}, in its order; all of them when it is empty. */
    public TensorResult select(List<String> wanted) {
        if (wanted.isEmpty()) {
            return this;
        }
        return new TensorResult(wanted.stream()
                .map(name -> outputs.stream()
                        .filter(o -> o.name().equals(name))
                        .findFirst()
                        .orElseThrow())
                .toList());
    }
}
