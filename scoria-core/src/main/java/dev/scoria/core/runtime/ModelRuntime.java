package dev.scoria.core.runtime;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.service.InferenceSpec;

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

    /** Loads the service's models; slow work allowed (never called on an event loop). */
    Predictor load(LoadContext context) throws Exception;

    @Override
    default void close() {}
}
