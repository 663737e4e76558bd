package dev.scoria.runtime.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.Datatype;
import dev.scoria.core.inference.ModelSignature;
import dev.scoria.core.inference.NamedTensor;
import dev.scoria.core.inference.TensorRequest;
import dev.scoria.core.inference.TensorSpec;
import dev.scoria.scorer.DeclaredTensor;
import dev.scoria.scorer.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeclaredSignatureTest {

    @Test
    void declaredTensorsBecomeTheSignatureInTheirOrder() {
        ModelSignature signature = DeclaredSignature.of(
                List.of(new DeclaredTensor("b", "fp32", -1, 3), new DeclaredTensor("a", "INT64")),
                List.of(new DeclaredTensor("y", "BYTES", -1)));
        assertThat(signature.inputs())
                .containsExactly(
                        new TensorSpec("b", Datatype.FP32, new long[] {-1, 3}),
                        new TensorSpec("a", Datatype.INT64, new long[0]));
        assertThat(signature.outputs()).containsExactly(new TensorSpec("y", Datatype.BYTES, new long[] {-1}));
    }

    @Test
    void aMistakeInTheDeclarationNamesTheMethodAndTheTensor() {
        assertThatThrownBy(() -> DeclaredSignature.of(List.of(new DeclaredTensor("x", "DOUBLE", -1)), List.of()))
                .isInstanceOf(ScoriaException.class)
                .hasMessageStartingWith("the datatype of 'x' in the scorer's inputs() is 'DOUBLE': expected one of [")
                .hasMessageContaining("FP64");
        assertThatThrownBy(() -> DeclaredSignature.of(
                        List.of(), List.of(new DeclaredTensor("y", "FP64"), new DeclaredTensor("y", "FP32"))))
                .hasMessage("the scorer's outputs() declares 'y' twice: expected each name once");
        assertThatThrownBy(() -> DeclaredSignature.of(null, List.of()))
                .hasMessage("the scorer's inputs() returned null: expected a list, empty when it declares none");
        assertThatThrownBy(() -> DeclaredSignature.of(List.of(), Arrays.asList((DeclaredTensor) null)))
                .hasMessage("the scorer's outputs() has null at index 0: expected a DeclaredTensor");
        assertThatThrownBy(() -> new DeclaredTensor("z", "FP64", 2, -2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'z' has shape [2, -2]: expected sizes of 0 or more, or -1 for any size");
    }

    @Test
    void onlyTheSideItDeclaresIsChecked() {
        TensorRequest anyOutput = new TensorRequest(
                "r", "v2", List.of(NamedTensor.of("rows", Tensor.of(new double[] {1, 2}, 1, 2))), List.of("whatever"));
        DeclaredSignature.of(List.of(new DeclaredTensor("rows", "FP64", -1, 2)), List.of())
                .check(anyOutput);
        DeclaredSignature.of(List.of(), List.of()).check(anyOutput);
        assertThatThrownBy(() -> DeclaredSignature.of(List.of(), List.of(new DeclaredTensor("sums", "FP64", -1)))
                        .check(anyOutput))
                .hasMessage("output 'whatever' is not an output of the model: expected ['sums']");
    }
}
