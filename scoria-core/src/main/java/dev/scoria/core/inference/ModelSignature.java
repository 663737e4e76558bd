package dev.scoria.core.inference;

import dev.scoria.core.ScoriaException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The tensors a predictor takes and gives, as its model declares them. Empty for predictors that take
 * the request as it is (a python {@code score.py}, a raw Java scorer): they declare nothing.
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public static final ModelSignature NONE = new ModelSignature(List.of(), List.of());

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public TensorSpec input(String name) {
        for (TensorSpec spec : inputs) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        return null;
    }

    public boolean hasOutput(String name) {
        return outputs.stream().anyMatch(o -> o.name().equals(name));
    }

    /**
     * Checks a request against this signature: every input named, known, of the declared type and a
     * fitting shape; every requested output known. The errors name the tensor, what was expected and
     * what was seen. A side the signature declares nothing of (a Java scorer may declare neither, or only
     * its inputs) is not checked.
     */
    public void check(TensorRequest request) {
        if (!inputs.isEmpty()) {
            checkInputs(request);
        }
        if (!outputs.isEmpty()) {
            for (String output : request.outputs()) {
                if (!hasOutput(output)) {
                    throw ScoriaException.badInput(
                            "output '" + output + "' is not an output of the model: expected " + names(outputs));
                }
            }
        }
    }

    private void checkInputs(TensorRequest request) {
        for (NamedTensor given : request.inputs()) {
            TensorSpec spec = input(given.name());
            if (spec == null) {
                throw ScoriaException.badInput(
                        "input '" + given.name() + "' is not an input of the model: expected " + names(inputs));
            }
            if (spec.datatype() != given.datatype()) {
                throw ScoriaException.badInput("input '" + given.name() + "' has datatype " + given.datatype()
                        + ": the model expects " + spec.datatype());
            }
            if (!spec.accepts(given.shape())) {
                throw ScoriaException.badInput(
                        "input '" + given.name() + "' has shape " + Arrays.toString(given.shape())
                                + ": the model expects " + Arrays.toString(spec.shape()) + " (-1: any size)");
            }
        }
        for (TensorSpec spec : inputs) {
            if (request.input(spec.name()) == null) {
                throw ScoriaException.badInput(
                        "input '" + spec.name() + "' is missing: the model expects " + describe(inputs));
            }
        }
    }

    private static String names(List<TensorSpec> specs) {
        return specs.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static String describe(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::describe).collect(Collectors.joining(", "));
    }
}
