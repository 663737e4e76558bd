/**
 * The contract between Scoria and user scoring code: {@link JsonScorer} and
 * {@link RawScorer}, what they are given ({@link ScorerContext})
 * and what they exchange. Depends on the JDK only, so that a scorer JAR never drags Scoria's own
 * dependencies into its class loader; {@link ScorerHarness} runs a scorer in a unit
 * test without a server.
 */
package dev.scoria.scorer;
