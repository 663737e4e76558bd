package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;

/**
 * Azure ML's per-service serving knobs. Defaults: Azure's 60 s timeout and 500 ms queue wait; for
 * concurrency, the machine's core count rather than Azure's 1, because Azure's 1 assumed one Python
 * worker per container while Scoria scores on real threads sharing one thread-safe model.
 */
public record ServiceLimits(int scoringTimeoutMs, int maxConcurrentRequestsPerContainer, int maxQueueWaitMs) {

    public static final ServiceLimits DEFAULTS = new ServiceLimits(60_000,
            Math.max(2, java.lang.Runtime.getRuntime().availableProcessors()), 500);

    public ServiceLimits {
        requireRange("scoringTimeoutMs", scoringTimeoutMs, 1, 3_600_000);
        requireRange("maxConcurrentRequestsPerContainer", maxConcurrentRequestsPerContainer, 1, 10_000);
        requireRange("maxQueueWaitMs", maxQueueWaitMs, 0, 3_600_000);
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw ScoriaException.badInput(field + " is " + value + ": expected a whole number from " + min + " to " + max);
        }
    }
}
