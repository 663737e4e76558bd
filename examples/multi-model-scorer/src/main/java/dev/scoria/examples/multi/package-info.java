/**
 * An example {@link dev.scoria.scorer.JsonScorer} over two ONNX models of one service, declared not
 * thread-safe so that Scoria pools its instances.
 */
package dev.scoria.examples.multi;
