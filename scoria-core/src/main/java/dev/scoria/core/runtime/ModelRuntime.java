package dev.scoria.core.runtime;

/** A way of scoring (onnx, java, python): turns a service's models into a ready predictor. */
public interface ModelRuntime extends AutoCloseable {

    /** The name users give with {@code --runtime}. */
    String name();

    /** Loads the service's models; slow work allowed (never called on an event loop). */
    Predictor load(LoadContext context) throws Exception;

    @Override
    default void close() {
    }
}
