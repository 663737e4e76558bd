package dev.scoria.it.scorers;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.ScorerContext;
import java.util.Map;

/**
 * Burns a core and ignores interrupts when asked to ({@code {"spinMs": N}}), as a scorer caught in an
 * endless loop would; answers at once otherwise. The spin ends by itself after {@code spinMs} (at most
 * 20 s), so that a test leaves nothing running for long even if the server's containment failed.
 */
public final class SpinningScorer implements JsonScorer<Map<String, Object>> {

    private static final long MAX_SPIN_MS = 20_000;

    @Override
    public void init(ScorerContext context) {}

    @Override
    public Object run(Map<String, Object> input) {
        if (input.get("spinMs") instanceof Number ms) {
            long until = System.nanoTime() + Math.min(ms.longValue(), MAX_SPIN_MS) * 1_000_000L;
            long spins = 0;
            while (System.nanoTime() < until) {
                spins++; // Thread.interrupted() is never looked at: that is the point
            }
            return Map.of("spins", spins);
        }
        return Map.of("ok", true);
    }
}
