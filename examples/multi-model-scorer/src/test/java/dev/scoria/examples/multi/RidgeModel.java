package dev.scoria.examples.multi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.scorer.OnnxModel;
import dev.scoria.scorer.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the diabetes ONNX models in unit tests: the ridge regression of
 * ../shared/models/diabetes-ridge/model.json, computed in double or in float like model.onnx and
 * model-float32.onnx, checking the input contract (input [N,10] named "input" of its type) on every call.
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

    private final boolean float32;
    int calls;
    long rows;

    RidgeModel(boolean float32) {
        this.float32 = float32;
    }

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
        Tensor input = inputs.get("input");
        assertThat(input.data()).isInstanceOf(float32 ? float[].class : double[].class);
        assertThat(input.shape()).hasSize(2);
        assertThat(input.shape()[1]).isEqualTo(10);
        int n = (int) input.shape()[0];
        rows += n;
        if (float32) {
            float[] x = (float[]) input.data();
            float[] y = new float[n];
            for (int r = 0; r < n; r++) {
                float sum = 0;
                for (int f = 0; f < 10; f++) {
                    sum += x[r * 10 + f] * (float) COEFFICIENTS[f];
                }
                y[r] = sum + (float) INTERCEPT;
            }
            return Map.of("output", Tensor.of(y, n));
        }
        double[] x = (double[]) input.data();
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int f = 0; f < 10; f++) {
                sum += x[r * 10 + f] * COEFFICIENTS[f];
            }
            y[r] = sum + INTERCEPT;
        }
        return Map.of("output", Tensor.of(y, n));
    }
}
