package dev.scoria.server.http.v2;

import dev.scoria.core.inference.NamedTensor;
import java.util.List;
import java.util.Set;

/**
 * An Open Inference Protocol request as read: its id (echoed in the response), its input tensors, the
 * outputs asked for (empty: all), and which outputs are to come back in binary form.
 *
 * @param binaryOutputs names of outputs asked for with {@code "binary_data": true}
 * @param allBinary whether {@code "binary_data_output": true} asked for every output in binary form
 */
record V2Request(
        String id, List<NamedTensor> inputs, List<String> outputs, Set<String> binaryOutputs, boolean allBinary) {

    boolean binary(String output) {
        return allBinary || binaryOutputs.contains(output);
    }
}
