package dev.scoria.scorer;

import java.nio.file.Path;
import java.util.Map;

/** What a scorer is given at {@link Scorer#init}: where its models are, its settings, and a log. */
public interface ScorerContext {

    /**
     * The model directory, laid out as Azure ML lays out {@code AZUREML_MODEL_DIR}: the model's own
     * folder for a single-model service, {@code <name>/<version>/} folders for several.
     */
    Path modelDir();

    /** The service's name. */
    String serviceName();

    /** Free-form settings given at deploy time. */
    Map<String, String> config();

    /** A log whose lines reach {@code scoria service logs}. */
    ServiceLogger logger();
}
