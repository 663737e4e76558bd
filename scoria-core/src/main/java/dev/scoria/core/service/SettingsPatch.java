package dev.scoria.core.service;

import dev.scoria.core.ScoriaException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A change to a service's {@link ServiceSettings}: each field given replaces the current one, each null
 * field stays as it is. Tags and properties, when given, replace the whole set; so does a CORS origin list.
 * What a deployment runs (runtime, code, settings) changes through an {@link InferencePatch}. Build one with
 * {@link #builder()}; {@link #applyTo} checks the result as a whole.
 */
public record SettingsPatch(
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        AuthMode authMode,
        Integer scoringTimeoutMs,
        Integer maxConcurrentRequestsPerContainer,
        Integer maxQueueWaitMs,
        Integer maxBatchSize,
        Integer maxBatchDelayMicros,
        List<String> corsOrigins) {

    /** Changes nothing. */
    public static final SettingsPatch NONE = builder().build();

    public SettingsPatch {
        tags = tags == null ? null : Map.copyOf(tags);
        properties = properties == null ? null : Map.copyOf(properties);
        corsOrigins = corsOrigins == null ? null : List.copyOf(corsOrigins);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings {@code current} becomes with this patch.
     *
     * @throws ScoriaException (bad input) naming the field if the result is not valid
     */
    public ServiceSettings applyTo(ServiceSettings current) {
        ServiceLimits old = current.limits();
        ServiceLimits limits = new ServiceLimits(
                Objects.requireNonNullElse(scoringTimeoutMs, old.scoringTimeoutMs()),
                Objects.requireNonNullElse(maxConcurrentRequestsPerContainer, old.maxConcurrentRequestsPerContainer()),
                Objects.requireNonNullElse(maxQueueWaitMs, old.maxQueueWaitMs()),
                Objects.requireNonNullElse(maxBatchSize, old.maxBatchSize()),
                Objects.requireNonNullElse(maxBatchDelayMicros, old.maxBatchDelayMicros()));
        return new ServiceSettings(
                Objects.requireNonNullElse(description, current.description()),
                Objects.requireNonNullElse(tags, current.tags()),
                Objects.requireNonNullElse(properties, current.properties()),
                current.inference(),
                Objects.requireNonNullElse(authMode, current.authMode()),
                limits,
                Objects.requireNonNullElse(corsOrigins, current.corsOrigins()));
    }

    /** Builds a {@link SettingsPatch}; every field starts unset (null: unchanged). */
    public static final class Builder {
        private String description;
        private Map<String, String> tags;
        private Map<String, String> properties;
        private AuthMode authMode;
        private Integer scoringTimeoutMs;
        private Integer maxConcurrentRequestsPerContainer;
        private Integer maxQueueWaitMs;
        private Integer maxBatchSize;
        private Integer maxBatchDelayMicros;
        private List<String> corsOrigins;

        private Builder() {}

        public Builder description(String value) {
            this.description = value;
            return this;
        }

        public Builder tags(Map<String, String> value) {
            this.tags = value;
            return this;
        }

        public Builder properties(Map<String, String> value) {
            this.properties = value;
            return this;
        }

        public Builder authMode(AuthMode value) {
            this.authMode = value;
            return this;
        }

        public Builder scoringTimeoutMs(Integer value) {
            this.scoringTimeoutMs = value;
            return this;
        }

        public Builder maxConcurrentRequestsPerContainer(Integer value) {
            this.maxConcurrentRequestsPerContainer = value;
            return this;
        }

        public Builder maxQueueWaitMs(Integer value) {
            this.maxQueueWaitMs = value;
            return this;
        }

        public Builder maxBatchSize(Integer value) {
            this.maxBatchSize = value;
            return this;
        }

        public Builder maxBatchDelayMicros(Integer value) {
            this.maxBatchDelayMicros = value;
            return this;
        }

        public Builder corsOrigins(List<String> value) {
            this.corsOrigins = value;
            return this;
        }

        public SettingsPatch build() {
            return new SettingsPatch(
                    description,
                    tags,
                    properties,
                    authMode,
                    scoringTimeoutMs,
                    maxConcurrentRequestsPerContainer,
                    maxQueueWaitMs,
                    maxBatchSize,
                    maxBatchDelayMicros,
                    corsOrigins);
        }
    }
}
