package dev.scoria.runtime.java;

import dev.scoria.scorer.Scorer;

/** One instance for every request: the default, for scorers that allow concurrent calls. */
final class SharedScorer implements ScorerInstances {

    private final Scorer scorer;
    private final ScorerFactory factory;

    SharedScorer(Scorer scorer, ScorerFactory factory) {
        this.scorer = scorer;
        this.factory = factory;
    }

    @Override
    public Scorer borrow(long timeoutMs) {
        return scorer;
    }

    @Override
    public void release(Scorer borrowed) {}

    @Override
    public void abandon(Scorer borrowed, String why) {
        // Other requests are using the same instance right now: replacing it would fail them too. The stuck
        // call keeps one thread; the instance keeps serving.
    }

    @Override
    public void resize(int poolSize) {
        // One thread-safe instance serves any number of requests.
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public void close() {
        factory.closeQuietly(scorer);
    }
}
