package dev.scoria.scorer;

import java.util.List;
import java.util.Map;

/**
 * An ONNX model a scorer calls through {@link ScorerContext#onnx}: tensors in, tensors out, run by the
 * server's ONNX Runtime. Safe to call from several threads at once.
 */
public interface OnnxModel {

    List<String> inputNames();

    List<String> outputNames();

    /** Runs the model on named inputs; answers every output by name. */
    Map<String, Tensor> run(Map<String, Tensor> inputs) throws Exception;

    /** Runs a model with one input and answers its first output. */
    default Tensor run(Tensor input) throws Exception {
        if (inputNames().size() != 1) {
            throw new IllegalArgumentException("the model has inputs " + inputNames() + ": name them");
        }
        return run(Map.of(inputNames().get(0), input)).get(outputNames().get(0));
    }
}
