package dev.scoria.examples.typed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.scorer.OnnxModel;
import dev.scoria.scorer.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the diabetes ONNX model in unit tests: the same ridge regression (coefficients and
 * intercept of ../shared/models/diabetes-ridge/model.json), and the same contract (double input [N,10]
 * named "input", output [N] named "output"), which it checks on every call.
 */
final class RidgeModel implements OnnxModel {

    static final double[] COEFFICIENTS = {
        3.667376236969423,
        -137.03884377642618,
        414.2531952736959,
        231.22218714779896,
        -27.59487891220319,
        -81.3362622533103,
        -190.80126062555738,
        125.48559142769702,
        350.55962210194,
        96.85216850184753
    };
    static final double INTERCEPT = 152.11788558574;

    int calls;

    @Override
    public List<String> inputNames() {
        return List.of("input");
    }

    @Override
    public List<String> outputNames() {
        return List.of("output");
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        calls++;
        assertThat(inputs).containsOnlyKeys("input");
        Tensor input = inputs.get("input");
        assertThat(input.data()).isInstanceOf(double[].class);
        assertThat(input.shape()).hasSize(2);
        assertThat(input.shape()[1]).isEqualTo(10);
        double[] x = (double[]) input.data();
        int n = (int) input.shape()[0];
        double[] y = new double[n];
        for (int row = 0; row < n; row++) {
            double sum = 0;
            for (int f = 0; f < 10; f++) {
                sum += x[row * 10 + f] * COEFFICIENTS[f];
            }
            y[row] = sum + INTERCEPT;
        }
        return Map.of("output", Tensor.of(y, n));
    }
}
