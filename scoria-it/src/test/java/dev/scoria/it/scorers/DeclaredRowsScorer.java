package dev.scoria.it.scorers;

import dev.scoria.scorer.DeclaredTensor;
import dev.scoria.scorer.ScorerContext;
import dev.scoria.scorer.Tensor;
import dev.scoria.scorer.TensorScorer;
import java.util.List;
import java.util.Map;

/**
 * A tensor scorer that declares its tensors: rows of four doubles in, each row's sum out. Scoria checks
 * requests against the declaration, so {@code infer} trusts what it is given.
 */
public final class DeclaredRowsScorer implements TensorScorer {

    @Override
    public void init(ScorerContext context) {}

    @Override
    public List<DeclaredTensor> inputs() {
        return List.of(new DeclaredTensor("rows", "FP64", -1, 4));
    }

    @Override
    public List<DeclaredTensor> outputs() {
        return List.of(new DeclaredTensor("sums", "FP64", -1));
    }

    @Override
    public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
        Tensor rows = inputs.get("rows");
        double[] values = (double[]) rows.data();
        int n = (int) rows.shape()[0];
        double[] sums = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                sums[i] += values[i * 4 + j];
            }
        }
        return Map.of("sums", Tensor.of(sums, n));
    }
}
