package dev.scoria.scorer;

import java.nio.file.Path;
import java.util.Map;

/** What a scorer is given at {@link Scorer#init}: where its models are, its settings, a log, and its ONNX models. */
public interface ScorerContext {

    /**
     * The model directory, laid out as Azure ML lays out {@code AZUREML_MODEL_DIR}: for a single-model
     * service, that model's own folder (its files directly inside); for several, one
     * {@code <name>/<version>/} folder per model under it.
     */
    Path modelDir();

    /** The service's name. */
    String serviceName();

    /** Free-form settings given at deploy time ({@code --config key=value}). */
    Map<String, String> config();

    /** A log whose lines reach {@code scoria service logs}. */
    ServiceLogger logger();

    /**
     * The service's model {@code modelName} (its single {@code .onnx} file), loaded in ONNX Runtime and
     * shared by every instance of the scorer. Thread-safe.
     *
     * @throws IllegalArgumentException if the service has no such model, or it holds no single .onnx file
     */
    OnnxModel onnx(String modelName);
}
