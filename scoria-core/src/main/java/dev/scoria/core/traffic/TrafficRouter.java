package dev.scoria.core.traffic;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks, for each request, the deployment that answers it and whether a copy goes to the mirror.
 * Draws are independent and uniform, so over many requests each deployment's share tends to its
 * percentage, on every replica alike, with no shared state to contend on.
 */
public final class TrafficRouter {

    private TrafficRouter() {}

    /** The deployment that answers a request not pinned to one; null when no deployment takes traffic. */
    public static String choose(TrafficSplit split) {
        int draw = ThreadLocalRandom.current().nextInt(100);
        String last = null;
        for (Map.Entry<String, Integer> e : split.live().entrySet()) {
            if (e.getValue() <= 0) {
                continue;
            }
            draw -= e.getValue();
            last = e.getKey();
            if (draw < 0) {
                return last;
            }
        }
        return last;
    }

    /** Whether this request is also copied to the mirror. */
    public static boolean mirrors(TrafficSplit split) {
        return split.mirror() != null
                && split.mirrorPercent() > 0
                && ThreadLocalRandom.current().nextInt(100) < split.mirrorPercent();
    }
}
