package dev.scoria.runtime.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.service.InferenceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonSettingsTest {

    private static final ModelFile CODE = new ModelFile("score.py", "0".repeat(64), 10);

    @Test
    void defaultsAreAzuresOneWorkerAndPython3() {
        PythonSettings settings = PythonSettings.of(new InferenceSpec("python", CODE, null, Map.of()));
        assertThat(settings.python()).isEqualTo("python3");
        assertThat(settings.workers()).isEqualTo(1);
        assertThat(settings.initTimeoutMs()).isEqualTo(600_000);
        assertThat(settings.memoryLimitMb()).isEqualTo(1024);
        assertThat(settings.entry()).isNull();
    }

    @Test
    void configSetsInterpreterWorkersAndInitTimeout() {
        PythonSettings settings = PythonSettings.of(new InferenceSpec(
                "python",
                CODE,
                "src/score.py",
                Map.of("python", "/opt/venv/bin/python", "workers", "4", "initTimeoutSeconds", "30")));
        assertThat(settings.python()).isEqualTo("/opt/venv/bin/python");
        assertThat(settings.workers()).isEqualTo(4);
        assertThat(settings.initTimeoutMs()).isEqualTo(30_000);
        assertThat(settings.entry()).isEqualTo("src/score.py");
    }

    @Test
    void badSettingsAreRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> PythonSettings.of(new InferenceSpec("python", CODE, null, Map.of("workers", "0"))))
                .isInstanceOf(ScoriaException.class)
                .hasMessageContaining("workers must be a whole number from 1 to 64");
        assertThatThrownBy(() -> PythonSettings.of(new InferenceSpec("python", CODE, null, Map.of("worker", "2"))))
                .isInstanceOf(ScoriaException.class)
                .hasMessageContaining("unknown python runtime setting(s) [worker]");
        assertThatThrownBy(() -> PythonSettings.of(new InferenceSpec("python", CODE, "score.R", Map.of())))
                .isInstanceOf(ScoriaException.class)
                .hasMessageContaining(".py file");
        assertThatThrownBy(() -> PythonSettings.of(new InferenceSpec("python", CODE, "../score.py", Map.of())))
                .isInstanceOf(ScoriaException.class);
    }

    @Test
    void memoryLimitIsSetInMibOrTurnedOffWithZero() {
        assertThat(PythonSettings.of(new InferenceSpec("python", CODE, null, Map.of("memoryLimitMb", "256")))
                        .memoryLimitMb())
                .isEqualTo(256);
        assertThat(PythonSettings.of(new InferenceSpec("python", CODE, null, Map.of("memoryLimitMb", "0")))
                        .memoryLimitMb())
                .isZero();
        assertThatThrownBy(
                        () -> PythonSettings.of(new InferenceSpec("python", CODE, null, Map.of("memoryLimitMb", "10"))))
                .isInstanceOf(ScoriaException.class)
                .hasMessageContaining("memoryLimitMb must be 0 (no limit) or from 64 to 1048576")
                .hasMessageContaining("saw '10'");
        assertThatThrownBy(
                        () -> PythonSettings.of(new InferenceSpec("python", CODE, null, Map.of("memoryLimitMb", "1g"))))
                .isInstanceOf(ScoriaException.class)
                .hasMessageContaining("memoryLimitMb must be a whole number");
    }

    @Test
    void withNoCodeTheOneModelMustBeScikitLearnAndWithCodeAnyModelsWillDo() {
        PythonModelRuntime runtime = new PythonModelRuntime();
        InferenceSpec noCode = new InferenceSpec("python", null, null, Map.of());
        runtime.validate(noCode, List.of(model("sk", "ScikitLearn", "model.pkl")));
        runtime.validate(new InferenceSpec("python", CODE, null, Map.of()), List.of());
        assertThatThrownBy(() -> runtime.validate(noCode, List.of()))
                .isInstanceOf(ScoriaException.class)
                .hasMessageEndingWith("which it serves with no code; models given: none");
        assertThatThrownBy(() -> runtime.validate(
                        noCode,
                        List.of(model("sk", "ScikitLearn", "model.pkl"), model("other", "ScikitLearn", "m.pkl"))))
                .isInstanceOf(ScoriaException.class)
                .hasMessageEndingWith("models given: sk:1 (framework ScikitLearn), other:1 (framework ScikitLearn)");
        assertThatThrownBy(() -> runtime.validate(noCode, List.of(model("ridge", "Onnx", "model.onnx"))))
                .isInstanceOf(ScoriaException.class)
                .hasMessageStartingWith("the python runtime needs --code")
                .hasMessageEndingWith("models given: ridge:1 (framework Onnx)");
    }

    static ModelRecord model(String name, String framework, String file) {
        return new ModelRecord(
                name,
                1,
                framework,
                null,
                "",
                Map.of(),
                Map.of(),
                List.of(new ModelFile(file, "0".repeat(64), 1)),
                "0".repeat(64),
                1,
                Instant.now());
    }

    @Test
    void theRuntimeRefusesCodeThatIsNeitherAScriptNorAZip() {
        PythonModelRuntime runtime = new PythonModelRuntime();
        assertThatThrownBy(() -> runtime.validate(new InferenceSpec("python", null, "score.py", Map.of())))
                .isInstanceOf(ScoriaException.class)
                .hasMessage("--entry score.py names a script inside --code, but no code was given: give --code or"
                        + " --source-dir");
        assertThatThrownBy(() -> runtime.validate(
                        new InferenceSpec("python", new ModelFile("scorer.jar", "0".repeat(64), 1), null, Map.of())))
                .isInstanceOf(ScoriaException.class)
                .hasMessageContaining(".py entry script or a .zip");
    }
}
