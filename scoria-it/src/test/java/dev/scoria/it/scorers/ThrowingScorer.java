package dev.scoria.it.scorers;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.ScorerContext;

/** Fails every request, with a message that must reach the service log and never the caller. */
public final class ThrowingScorer implements JsonScorer<Object> {

    public static final String SECRET = "connection string Password=hunter2 rejected";

    @Override
    public void init(ScorerContext context) {}

    @Override
    public Object run(Object input) {
        throw new IllegalStateException(SECRET);
    }
}
