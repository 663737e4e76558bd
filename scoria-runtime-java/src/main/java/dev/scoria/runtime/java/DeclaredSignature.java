package dev.scoria.runtime.java;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.ModelSignature;
import dev.scoria.core.inference.TensorSpec;
import dev.scoria.scorer.DeclaredTensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tensors a {@code TensorScorer} declares, checked at deploy and made the predictor's signature: a
 * scorer's mistake here fails its deployment with a message naming the tensor, never a request later.
 */
final class DeclaredSignature {

    private DeclaredSignature() {}

    static ModelSignature of(List<DeclaredTensor> inputs, List<DeclaredTensor> outputs) {
        return new ModelSignature(specs("inputs()", inputs), specs("outputs()", outputs));
    }

    private static List<TensorSpec> specs(String method, List<DeclaredTensor> declared) {
        if (declared == null) {
            throw ScoriaException.badInput(
                    "the scorer's " + method + " returned null: expected a list, empty" + " when it declares none");
        }
        List<TensorSpec> specs = new ArrayList<>(declared.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            DeclaredTensor tensor = declared.get(i);
            if (tensor == null) {
                throw ScoriaException.badInput(
                        "the scorer's " + method + " has null at index " + i + ": expected a DeclaredTensor");
            }
            if (!names.add(tensor.name())) {
                throw ScoriaException.badInput(
                        "the scorer's " + method + " declares '" + tensor.name() + "' twice: expected each name once");
            }
            Datatype datatype = Datatype.parse(
                    tensor.datatype(), "the datatype of '" + tensor.name() + "' in the scorer's " + method);
            specs.add(new TensorSpec(tensor.name(), datatype, tensor.shape()));
        }
        return specs;
    }
}
