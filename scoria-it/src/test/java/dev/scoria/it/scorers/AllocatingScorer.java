package dev.scoria.it.scorers;

import dev.scoria.scorer.JsonScorer;
import dev.scoria.scorer.ScorerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks for more memory than the server has, on demand: {@code {"huge": true}} one array larger than any
 * heap (refused by the JVM at once), {@code {"grow": true}} 1 MiB blocks without end, until the heap
 * (bounded by the test's {@code -Xmx}) is full. Answers at once otherwise.
 */
public final class AllocatingScorer implements JsonScorer<Map<String, Object>> {

    @Override
    public void init(ScorerContext context) {}

    @Override
    public Object run(Map<String, Object> input) {
        if (Boolean.TRUE.equals(input.get("huge"))) {
            return new long[Integer.MAX_VALUE - 16].length;
        }
        if (Boolean.TRUE.equals(input.get("grow"))) {
            List<byte[]> blocks = new ArrayList<>();
            while (true) {
                blocks.add(new byte[1 << 20]);
            }
        }
        return Map.of("ok", true);
    }
}
