/**
 * The contract between Scoria and user scoring code: {@link dev.scoria.scorer.JsonScorer} and
 * {@link dev.scoria.scorer.RawScorer}, what they are given ({@link dev.scoria.scorer.ScorerContext})
 * and what they exchange. Depends on the JDK only, so that a scorer JAR never drags Scoria's own
 * dependencies into its class loader; {@link dev.scoria.scorer.ScorerHarness} runs a scorer in a unit
 * test without a server.
 */
package dev.scoria.scorer;
