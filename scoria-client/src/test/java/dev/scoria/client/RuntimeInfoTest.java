package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a caller matches its code file or model files against what a runtime says it takes. */
class RuntimeInfoTest {

    static final RuntimeInfo ONNX =
            new RuntimeInfo("onnx", "ONNX models", false, List.of(), List.of(".onnx"), List.of());
    static final RuntimeInfo PYTHON =
            new RuntimeInfo("python", "score.py", true, List.of(".py", ".zip"), List.of(), List.of("ScikitLearn"));

    @Test
    void aCodeFileMatchesByItsExtensionInAnyCase() {
        assertThat(PYTHON.takesCodeFile("score.py")).isTrue();
        assertThat(PYTHON.takesCodeFile("SRC.ZIP")).isTrue();
        assertThat(PYTHON.takesCodeFile("scorer.jar")).isFalse();
        assertThat(PYTHON.takesCodeFile("py")).isFalse();
        assertThat(ONNX.takesCodeFile("model.onnx")).isFalse();
    }

    @Test
    void aModelMatchesWhenOneOfItsFilesHasAServedExtension() {
        assertThat(ONNX.servesModelFiles(List.of("README.md", "sub/Model.ONNX")))
                .isTrue();
        assertThat(ONNX.servesModelFiles(List.of("model.pkl"))).isFalse();
        assertThat(PYTHON.servesModelFiles(List.of("model.onnx"))).isFalse();
    }

    @Test
    void aModelMatchesByItsFrameworkWhateverItsFilesAreNamed() {
        assertThat(PYTHON.servesModel("ScikitLearn", List.of("model.pkl"))).isTrue();
        assertThat(PYTHON.servesModel("Custom", List.of("model.pkl"))).isFalse();
        assertThat(PYTHON.servesModel(null, List.of("model.pkl"))).isFalse();
        assertThat(ONNX.servesModel("Custom", List.of("model.onnx"))).isTrue();
        assertThat(ONNX.servesModel("ScikitLearn", List.of("model.pkl"))).isFalse();
    }

    @Test
    void missingListsAreEmpty() {
        RuntimeInfo bare = new RuntimeInfo("bare", "nothing", false, null, null, null);
        assertThat(bare.codeExtensions()).isEmpty();
        assertThat(bare.modelExtensions()).isEmpty();
        assertThat(bare.modelFrameworks()).isEmpty();
    }
}
