/**
 * An example {@link dev.scoria.scorer.RawScorer}: image bytes in, JSON statistics out, with the JDK's
 * ImageIO and nothing else.
 */
package dev.scoria.examples.image;
