/**
 * An example {@link dev.scoria.scorer.JsonScorer}: typed records in and out, Java pre-processing in front of
 * an ONNX model. Depends only on the scorer API (provided by Scoria at run time).
 */
package dev.scoria.examples.typed;
