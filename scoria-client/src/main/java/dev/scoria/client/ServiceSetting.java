package dev.scoria.client;

/**
 * A web service's settings, each under the name the management API gives it: the one place the SDK spells
 * those names, for what {@link DeploymentConfig} and {@link Webservice.Update} send and what
 * {@link Webservice} reads back. The CLI prints settings under the same names.
 */
public enum ServiceSetting {
    /** {@link AuthMode}: {@code key}, {@code token} or {@code none}. */
    AUTH_MODE("authMode"),
    DESCRIPTION("description"),
    /** Azure's name for a service's tags. */
    TAGS("kvTags"),
    PROPERTIES("properties"),
    /** The runtime that scores the service; {@link InferenceConfig} sets it and the next three, at deploy only. */
    RUNTIME("runtime"),
    /** The scorer's class or entry script. */
    ENTRY("entry"),
    /** The uploaded scorer package. */
    CODE("code"),
    /** Settings handed to the scorer. */
    CONFIG("config"),
    SCORING_TIMEOUT_MS("scoringTimeoutMs"),
    MAX_CONCURRENT_REQUESTS_PER_CONTAINER("maxConcurrentRequestsPerContainer"),
    MAX_QUEUE_WAIT_MS("maxQueueWaitMs"),
    CORS_ORIGINS("corsOrigins"),
    MAX_BATCH_SIZE("maxBatchSize"),
    MAX_BATCH_DELAY_MICROS("maxBatchDelayMicros");

    private final String wireName;

    ServiceSetting(String wireName) {
        this.wireName = wireName;
    }

    /** The setting's name in the management API's JSON, e.g. {@code maxBatchDelayMicros}. */
    public String wireName() {
        return wireName;
    }
}
