package dev.scoria.it.scorers;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.ScorerContext;
import java.util.Map;

/**
 * Hangs for {@code hangMs} when asked to (as a scorer stuck on a lock or a remote call would), else
 * answers at once.
 */
public final class HangingScorer implements JsonScorer<Map<String, Object>> {

    @Override
    public void init(ScorerContext context) {}

    @Override
    public Object run(Map<String, Object> input) throws InterruptedException {
        Object hang = input.get("hangMs");
        if (hang instanceof Number ms) {
            Thread.sleep(ms.longValue());
            return Map.of("slept", ms);
        }
        return Map.of("ok", true);
    }
}
