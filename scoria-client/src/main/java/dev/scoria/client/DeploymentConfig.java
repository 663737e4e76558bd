package dev.scoria.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a web service is run: who may call it, its limits and its descriptive metadata. The counterpart
 * of Azure ML's {@code AksWebservice.deploy_configuration(...)}; immutable, built with {@link #builder()}.
 * Settings left null are not sent, so the server's defaults apply (key auth, 60 s scoring timeout,
 * one concurrent request, 500 ms queue wait).
 *
 * @param scoringTimeoutMs how long one request may score before the caller gets {@code 504}
 * @param maxConcurrentRequestsPerContainer how many requests score at once; more wait in a queue
 * @param maxQueueWaitMs how long a request may wait in that queue before the caller gets {@code 503}
 * @param corsOrigins origins whose browser pages may call the service ({@code *} for any), or null for none
 * @param maxBatchSize the most waiting requests merged into one model call (1: no batching)
 * @param maxBatchDelayMicros how long a batch may wait for more requests (0: it never waits)
 */
public record DeploymentConfig(
        AuthMode authMode,
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        Integer scoringTimeoutMs,
        Integer maxConcurrentRequestsPerContainer,
        Integer maxQueueWaitMs,
        List<String> corsOrigins,
        Integer maxBatchSize,
        Integer maxBatchDelayMicros) {

    public DeploymentConfig {
        tags = tags == null ? null : Json.orderedCopy(tags);
        properties = properties == null ? null : Json.orderedCopy(properties);
        requirePositive("scoringTimeoutMs", scoringTimeoutMs);
        requirePositive("maxConcurrentRequestsPerContainer", maxConcurrentRequestsPerContainer);
        requirePositive("maxQueueWaitMs", maxQueueWaitMs);
        corsOrigins = corsOrigins == null ? null : List.copyOf(corsOrigins);
    }

    /** Every setting left to the server's default. */
    public static DeploymentConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings that are set, under the management API's names (a deploy or update request's fields). */
    ObjectNode toJsonObject() {
        ObjectNode json = Json.object();
        writeTo(json);
        return json;
    }

    /** Adds the settings that are set to a deploy request, under the management API's names. */
    void writeTo(ObjectNode json) {
        if (authMode != null) {
            json.put("authMode", authMode.wireName());
        }
        if (description != null) {
            json.put("description", description);
        }
        if (tags != null) {
            json.set("kvTags", Json.objectOf(tags));
        }
        if (properties != null) {
            json.set("properties", Json.objectOf(properties));
        }
        if (scoringTimeoutMs != null) {
            json.put("scoringTimeoutMs", scoringTimeoutMs);
        }
        if (maxConcurrentRequestsPerContainer != null) {
            json.put("maxConcurrentRequestsPerContainer", maxConcurrentRequestsPerContainer);
        }
        if (maxQueueWaitMs != null) {
            json.put("maxQueueWaitMs", maxQueueWaitMs);
        }
        if (corsOrigins != null) {
            var origins = json.putArray("corsOrigins");
            corsOrigins.forEach(origins::add);
        }
        if (maxBatchSize != null) {
            json.put("maxBatchSize", maxBatchSize);
        }
        if (maxBatchDelayMicros != null) {
            json.put("maxBatchDelayMicros", maxBatchDelayMicros);
        }
    }

    static void requirePositive(String name, Integer value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + " is " + value + ": it must be greater than 0");
        }
    }

    /** Builds a {@link DeploymentConfig}. */
    public static final class Builder {
        private AuthMode authMode;
        private List<String> corsOrigins;
        private Integer maxBatchSize;
        private Integer maxBatchDelayMicros;
        private String description;
        private Map<String, String> tags;
        private Map<String, String> properties;
        private Integer scoringTimeoutMs;
        private Integer maxConcurrentRequestsPerContainer;
        private Integer maxQueueWaitMs;

        private Builder() {}

        public Builder authMode(AuthMode authMode) {
            this.authMode = authMode;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** Replaces all tags. */
        public Builder tags(Map<String, String> tags) {
            this.tags = tags == null ? null : new LinkedHashMap<>(tags);
            return this;
        }

        public Builder tag(String key, String value) {
            if (tags == null) {
                tags = new LinkedHashMap<>();
            }
            tags.put(key, value);
            return this;
        }

        /** Replaces all properties. */
        public Builder properties(Map<String, String> properties) {
            this.properties = properties == null ? null : new LinkedHashMap<>(properties);
            return this;
        }

        public Builder property(String key, String value) {
            if (properties == null) {
                properties = new LinkedHashMap<>();
            }
            properties.put(key, value);
            return this;
        }

        public Builder scoringTimeoutMs(Integer scoringTimeoutMs) {
            this.scoringTimeoutMs = scoringTimeoutMs;
            return this;
        }

        public Builder maxConcurrentRequestsPerContainer(Integer maxConcurrentRequestsPerContainer) {
            this.maxConcurrentRequestsPerContainer = maxConcurrentRequestsPerContainer;
            return this;
        }

        public Builder maxQueueWaitMs(Integer maxQueueWaitMs) {
            this.maxQueueWaitMs = maxQueueWaitMs;
            return this;
        }

        public DeploymentConfig build() {
            return new DeploymentConfig(
                    authMode,
                    description,
                    tags,
                    properties,
                    scoringTimeoutMs,
                    maxConcurrentRequestsPerContainer,
                    maxQueueWaitMs,
                    corsOrigins,
                    maxBatchSize,
                    maxBatchDelayMicros);
        }

        public Builder maxBatchSize(Integer maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder maxBatchDelayMicros(Integer maxBatchDelayMicros) {
            this.maxBatchDelayMicros = maxBatchDelayMicros;
            return this;
        }

        /** Origins whose browser pages may call the service, e.g. https://app.example.com, or * for any. */
        public Builder corsOrigins(List<String> corsOrigins) {
            this.corsOrigins = corsOrigins;
            return this;
        }
    }
}
