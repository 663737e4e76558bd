package dev.scoria.it.scorers;

import dev.scoria.scorer.ScorerContext;
import dev.scoria.scorer.Tensor;
import dev.scoria.scorer.TensorScorer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scorer of tensors only: answers every input back under its own name, plus {@code arrays}, the Java
 * array each input arrived in, so a test sees how each datatype reaches a scorer and is sent back.
 * An input named {@code refuse} is refused with an {@link IllegalArgumentException}.
 */
public final class TensorEchoScorer implements TensorScorer {

    @Override
    public void init(ScorerContext context) {}

    @Override
    public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
        if (inputs.containsKey("refuse")) {
            throw new IllegalArgumentException("input 'refuse' is refused: expected any other name");
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>(inputs);
        String[] arrays = inputs.values().stream()
                .map(t -> t.data().getClass().getSimpleName())
                .toArray(String[]::new);
        outputs.put("arrays", new Tensor(new long[] {arrays.length}, arrays));
        return outputs;
    }
}
