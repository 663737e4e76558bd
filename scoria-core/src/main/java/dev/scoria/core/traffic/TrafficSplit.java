package dev.scoria.core.traffic;

import dev.scoria.core.ScoriaException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service's traffic: the share of live requests each deployment answers, in whole percentages
 * summing to 100, and at most one deployment that gets a copy of a share of them (mirror traffic,
 * answered by nobody), as Azure ML's online endpoints have it: a mirrored deployment takes no live
 * traffic, and mirrors at most 50 %.
 *
 * @param live deployment name to percentage; deployments not named get 0 %
 * @param mirror the mirrored deployment, or null
 * @param mirrorPercent the share of live requests copied to it (0 when there is no mirror)
 */
public record TrafficSplit(Map<String, Integer> live, String mirror, int mirrorPercent) {

    public static final int MAX_MIRROR_PERCENT = 50;

    public TrafficSplit {
        Objects.requireNonNull(live, "live");
        // Kept in the order given: how users wrote the split is how it is shown.
        live = Collections.unmodifiableMap(new LinkedHashMap<>(live));
        if (mirror == null && mirrorPercent != 0) {
            throw ScoriaException.badInput("mirror traffic of " + mirrorPercent + "% names no deployment");
        }
    }

    /** All live traffic to one deployment, no mirror: a service made the simple way. */
    public static TrafficSplit allTo(String deployment) {
        return new TrafficSplit(Map.of(deployment, 100), null, 0);
    }

    public int percentOf(String deployment) {
        return live.getOrDefault(deployment, 0);
    }

    /** The deployment with the most live traffic (the first in name order on a tie), whose swagger a service shows. */
    public String primary() {
        // A loop, not a sorted stream: every scoring request asks.
        String best = null;
        int bestPercent = 0;
        for (Map.Entry<String, Integer> e : live.entrySet()) {
            int percent = e.getValue();
            if (percent > bestPercent
                    || percent == bestPercent && percent > 0 && e.getKey().compareTo(best) < 0) {
                best = e.getKey();
                bestPercent = percent;
            }
        }
        return best;
    }

    /** Whether {@code deployment} takes live or mirror traffic (and so cannot be deleted). */
    public boolean uses(String deployment) {
        return percentOf(deployment) > 0 || deployment.equals(mirror) && mirrorPercent > 0;
    }

    /**
     * Checks the split against the service's deployments: every name is one of them, percentages are
     * 0–100 and sum to 100, the mirror is a deployment with no live traffic and mirrors 0–50 %.
     */
    public TrafficSplit checkedAgainst(Collection<String> deployments) {
        int sum = 0;
        for (Map.Entry<String, Integer> e : live.entrySet()) {
            if (!deployments.contains(e.getKey())) {
                throw ScoriaException.badInput("traffic names deployment '" + e.getKey()
                        + "', which the service does not have:" + " its deployments are " + deployments);
            }
            if (e.getValue() < 0 || e.getValue() > 100) {
                throw ScoriaException.badInput("traffic of deployment '" + e.getKey() + "' is " + e.getValue()
                        + "%: expected a whole percentage from 0 to 100");
            }
            sum += e.getValue();
        }
        if (sum != 100) {
            throw ScoriaException.badInput(
                    "traffic percentages sum to " + sum + ": expected 100 (e.g. blue=90 green=10)");
        }
        if (mirror != null) {
            if (!deployments.contains(mirror)) {
                throw ScoriaException.badInput("mirror names deployment '" + mirror
                        + "', which the service does not have:" + " its deployments are " + deployments);
            }
            if (mirrorPercent < 0 || mirrorPercent > MAX_MIRROR_PERCENT) {
                throw ScoriaException.badInput(
                        "mirror traffic is " + mirrorPercent + "%: expected 0 to " + MAX_MIRROR_PERCENT);
            }
            if (percentOf(mirror) > 0) {
                throw ScoriaException.badInput("deployment '" + mirror + "' takes " + percentOf(mirror)
                        + "% of live traffic: a mirrored deployment takes none (set its traffic to 0 first)");
            }
        }
        return this;
    }

    /** This split with the live shares replaced; a mirror that would now take live traffic is dropped. */
    public TrafficSplit withLive(Map<String, Integer> newLive) {
        boolean mirrorStays = mirror != null && newLive.getOrDefault(mirror, 0) == 0;
        return new TrafficSplit(newLive, mirrorStays ? mirror : null, mirrorStays ? mirrorPercent : 0);
    }

    /** This split with the mirror replaced (null or 0 % for none). */
    public TrafficSplit withMirror(String deployment, int percent) {
        return deployment == null || percent == 0
                ? new TrafficSplit(live, null, 0)
                : new TrafficSplit(live, deployment, percent);
    }

    /** This split without a deployment that is being deleted (which must take no traffic). */
    public TrafficSplit without(String deployment) {
        Map<String, Integer> rest = new LinkedHashMap<>(live);
        rest.remove(deployment);
        boolean mirrorGoes = deployment.equals(mirror);
        return new TrafficSplit(rest, mirrorGoes ? null : mirror, mirrorGoes ? 0 : mirrorPercent);
    }
}
