package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;

/**
 * Azure ML's per-service serving knobs, plus dynamic batching. Defaults: Azure's 60 s timeout and
 * 500 ms queue wait; for concurrency, the machine's core count rather than Azure's 1, because Azure's
 * 1 assumed one Python worker per container while Scoria scores on real threads sharing one
 * thread-safe model. Batching: up to 32 waiting requests merged into one model call, with no added
 * delay (only requests already queued are merged, so an idle service answers as fast as without).
 *
 * @param maxBatchSize the most requests merged into one model call (1: no batching)
 * @param maxBatchDelayMicros how long a batch may wait for more requests before it runs (0: none)
 */
public record ServiceLimits(
        int scoringTimeoutMs,
        int maxConcurrentRequestsPerContainer,
        int maxQueueWaitMs,
        int maxBatchSize,
        int maxBatchDelayMicros) {

    public static final int DEFAULT_MAX_BATCH_SIZE = 32;

    public static final ServiceLimits DEFAULTS =
            new ServiceLimits(60_000, Math.max(2, Runtime.getRuntime().availableProcessors()), 500);

    public ServiceLimits {
        requireRange("scoringTimeoutMs", scoringTimeoutMs, 1, 3_600_000);
        requireRange("maxConcurrentRequestsPerContainer", maxConcurrentRequestsPerContainer, 1, 10_000);
        requireRange("maxQueueWaitMs", maxQueueWaitMs, 0, 3_600_000);
        requireRange("maxBatchSize", maxBatchSize, 1, 4_096);
        requireRange("maxBatchDelayMicros", maxBatchDelayMicros, 0, 1_000_000);
    }

    /** Azure's three knobs, with the default batching. */
    public ServiceLimits(int scoringTimeoutMs, int maxConcurrentRequestsPerContainer, int maxQueueWaitMs) {
        this(scoringTimeoutMs, maxConcurrentRequestsPerContainer, maxQueueWaitMs, DEFAULT_MAX_BATCH_SIZE, 0);
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw ScoriaException.badInput(
                    field + " is " + value + ": expected a whole number from " + min + " to " + max);
        }
    }
}
