package dev.scoria.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a web service is run: who may call it, its limits and its descriptive metadata. The counterpart
 * of Azure ML's {@code AksWebservice.deploy_configuration(...)}; immutable, built with {@link #builder()}.
 * Settings left null are not sent, so the server's defaults apply (key auth, 60 s scoring timeout,
 * one concurrent request, 500 ms queue wait); in a {@link Webservice.Update}, they stay as they are.
 * Each setting travels under its {@link ServiceSetting} name.
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

    private static final DeploymentConfig DEFAULTS = builder().build();

    public DeploymentConfig {
        tags = tags == null ? null : Json.orderedCopy(tags);
        properties = properties == null ? null : Json.orderedCopy(properties);
        requirePositive(ServiceSetting.SCORING_TIMEOUT_MS, scoringTimeoutMs);
        requirePositive(ServiceSetting.MAX_CONCURRENT_REQUESTS_PER_CONTAINER, maxConcurrentRequestsPerContainer);
        requirePositive(ServiceSetting.MAX_QUEUE_WAIT_MS, maxQueueWaitMs);
        corsOrigins = corsOrigins == null ? null : List.copyOf(corsOrigins);
    }

    /** Every setting left to the server's default. */
    public static DeploymentConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to make a config that differs in a few. */
    public Builder toBuilder() {
        return builder()
                .authMode(authMode)
                .description(description)
                .tags(tags)
                .properties(properties)
                .scoringTimeoutMs(scoringTimeoutMs)
                .maxConcurrentRequestsPerContainer(maxConcurrentRequestsPerContainer)
                .maxQueueWaitMs(maxQueueWaitMs)
                .corsOrigins(corsOrigins)
                .maxBatchSize(maxBatchSize)
                .maxBatchDelayMicros(maxBatchDelayMicros);
    }

    /** Whether no setting is set. */
    boolean isEmpty() {
        return equals(DEFAULTS);
    }

    /** The wire names of the settings set here that belong to a whole service rather than to one deployment. */
    List<String> serviceWideSettings() {
        ObjectNode json = toJsonObject();
        List<String> names = new ArrayList<>();
        for (ServiceSetting setting : ServiceSetting.values()) {
            if (!setting.perDeployment() && json.has(setting.wireName())) {
                names.add(setting.wireName());
            }
        }
        return names;
    }

    /** The settings that are set, under the management API's names (a deploy or update request's fields). */
    ObjectNode toJsonObject() {
        ObjectNode json = Json.object();
        writeTo(json);
        return json;
    }

    /** Adds the settings that are set to a deploy or update request, under the management API's names. */
    void writeTo(ObjectNode json) {
        if (authMode != null) {
            json.put(ServiceSetting.AUTH_MODE.wireName(), authMode.wireName());
        }
        if (description != null) {
            json.put(ServiceSetting.DESCRIPTION.wireName(), description);
        }
        if (tags != null) {
            json.set(ServiceSetting.TAGS.wireName(), Json.objectOf(tags));
        }
        if (properties != null) {
            json.set(ServiceSetting.PROPERTIES.wireName(), Json.objectOf(properties));
        }
        putIfSet(json, ServiceSetting.SCORING_TIMEOUT_MS, scoringTimeoutMs);
        putIfSet(json, ServiceSetting.MAX_CONCURRENT_REQUESTS_PER_CONTAINER, maxConcurrentRequestsPerContainer);
        putIfSet(json, ServiceSetting.MAX_QUEUE_WAIT_MS, maxQueueWaitMs);
        if (corsOrigins != null) {
            ArrayNode origins = json.putArray(ServiceSetting.CORS_ORIGINS.wireName());
            corsOrigins.forEach(origins::add);
        }
        putIfSet(json, ServiceSetting.MAX_BATCH_SIZE, maxBatchSize);
        putIfSet(json, ServiceSetting.MAX_BATCH_DELAY_MICROS, maxBatchDelayMicros);
    }

    private static void putIfSet(ObjectNode json, ServiceSetting setting, Integer value) {
        if (value != null) {
            json.put(setting.wireName(), value);
        }
    }

    private static void requirePositive(ServiceSetting setting, Integer value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(setting.wireName() + " is " + value + ": it must be greater than 0");
        }
    }

    /** Builds a {@link DeploymentConfig}. */
    public static final class Builder {
        private AuthMode authMode;
        private String description;
        private Map<String, String> tags;
        private Map<String, String> properties;
        private Integer scoringTimeoutMs;
        private Integer maxConcurrentRequestsPerContainer;
        private Integer maxQueueWaitMs;
        private List<String> corsOrigins;
        private Integer maxBatchSize;
        private Integer maxBatchDelayMicros;

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

        /** Origins whose browser pages may call the service, e.g. https://app.example.com, or * for any. */
        public Builder corsOrigins(List<String> corsOrigins) {
            this.corsOrigins = corsOrigins;
            return this;
        }

        public Builder maxBatchSize(Integer maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder maxBatchDelayMicros(Integer maxBatchDelayMicros) {
            this.maxBatchDelayMicros = maxBatchDelayMicros;
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
    }
}
