package dev.scoria.it.scorers;

import dev.scoria.scorer.DeclaredTensor;
import dev.scoria.scorer.ScorerContext;
import dev.scoria.scorer.Tensor;
import dev.scoria.scorer.TensorScorer;
import java.util.List;
import java.util.Map;

/** Declares an input of a datatype the protocol does not have: its deployment must fail, naming it. */
public final class MisdeclaredScorer implements TensorScorer {

    @Override
    public void init(ScorerContext context) {}

    @Override
    public List<DeclaredTensor> inputs() {
        return List.of(new DeclaredTensor("x", "DOUBLE", -1));
    }

    @Override
    public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
        return inputs;
    }
}
