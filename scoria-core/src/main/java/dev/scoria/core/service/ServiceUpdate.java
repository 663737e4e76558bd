package dev.scoria.core.service;

import dev.scoria.core.model.ModelRef;
import java.util.List;
import java.util.Map;

/** A change to a service; null fields stay as they are. A new model list redeploys the service. */
public record ServiceUpdate(
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        AuthMode authMode,
        Integer scoringTimeoutMs,
        Integer maxConcurrentRequestsPerContainer,
        Integer maxQueueWaitMs,
        Integer maxBatchSize,
        Integer maxBatchDelayMicros,
        List<String> corsOrigins,
        List<ModelRef> models) {}
