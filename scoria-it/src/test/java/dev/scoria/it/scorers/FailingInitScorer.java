package dev.scoria.it.scorers;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.ScorerContext;

/** Cannot start: its init fails the way a missing model file would. */
public final class FailingInitScorer implements JsonScorer<Object> {

    public static final String FIRST_LINE = "weights.bin is missing from the model directory";

    @Override
    public void init(ScorerContext context) {
        throw new IllegalStateException(FIRST_LINE + "\nsearched " + context.modelDir());
    }

    @Override
    public Object run(Object input) {
        return input;
    }
}
