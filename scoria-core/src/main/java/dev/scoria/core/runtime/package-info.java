/**
 * The runtime SPI: how a service's models become a {@link Predictor}.
 * Runtimes (ONNX, Java, Python) live in their own modules and depend on this package, never the
 * other way round.
 */
package dev.scoria.core.runtime;
