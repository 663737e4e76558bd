/**
 * The {@code java} runtime: a user's {@link dev.scoria.scorer.JsonScorer} or
 * {@link dev.scoria.scorer.RawScorer} loaded from a JAR in its own child-first class loader, kept as
 * one shared instance or a pool of instances, called with a timeout on its own daemon threads, and
 * given its models (and ONNX Runtime sessions for them) through a {@link dev.scoria.scorer.ScorerContext}.
 *
 * <p>Depends on the core's runtime SPI, the scorer API, Jackson (shared with scorers on purpose) and
 * ONNX Runtime. Nothing here knows HTTP: results are values or {@link dev.scoria.core.runtime.RawResult}s,
 * failures are {@link dev.scoria.core.ScoriaException}s or the scorer's own exceptions, as they were thrown.
 */
package dev.scoria.runtime.java;
