package dev.scoria.core.runtime;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.model.ModelRecord;
import dev.scoria.core.service.InferenceSpec;
import java.util.List;

/**
 * A way of scoring (onnx, java, python): turns a service's models into a ready predictor. Runtimes are
 * found with {@link java.util.ServiceLoader} (see {@link RuntimeRegistry#discover}): an implementation
 * has a public no-arg constructor and is named in its module's
 * {@code META-INF/services/dev.scoria.core.runtime.ModelRuntime}.
 */
public interface ModelRuntime extends AutoCloseable {

    /** The name users give with {@code --runtime}. */
    String name();

    /** What this runtime says about itself; its {@link RuntimeInfo#name()} is {@link #name()}. */
    RuntimeInfo info();

    /**
     * Checks a deploy request's inference settings before anything is stored (e.g. that a code runtime
     * was given its code and entry point). Throws a BAD_INPUT {@link ScoriaException}.
     */
    default void validate(InferenceSpec inference) {
        if (inference.code() != null || inference.entry() != null) {
            throw ScoriaException.badInput("the " + name() + " runtime takes no code or entry point");
        }
    }

    /**
     * Checks a deploy request's inference settings together with the models it names, before anything is
     * stored. By default: {@link #validate(InferenceSpec)}, and at least one model (a runtime that serves
     * code needing no model overrides this). Throws a BAD_INPUT {@link ScoriaException}.
     */
    default void validate(InferenceSpec inference, List<ModelRecord> models) {
        validate(inference);
        if (models.isEmpty()) {
            throw ScoriaException.badInput("the " + name()
                    + " runtime needs at least one model: give 'models' as a list of registered models"
                    + " (name:version; --model in the CLI)");
        }
    }

    /** Loads the service's models; slow work allowed (never called on an event loop). */
    Predictor load(LoadContext context) throws Exception;

    @Override
    default void close() {}
}
