/**
 * The runtime SPI: how a service's models become a {@link Predictor}.
 * Runtimes (ONNX, Java, Python) live in their own modules and depend on this package, never the
 * other way round; {@link RuntimeRegistry#discover} finds them through each
 * module's {@code META-INF/services/dev.scoria.core.runtime.ModelRuntime}.
 */
package dev.scoria.core.runtime;
