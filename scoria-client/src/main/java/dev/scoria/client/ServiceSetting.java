package dev.scoria.client;

/**
 * A web service's settings, each under the name the management API gives it: the one place the SDK spells
 * those names, for what {@link DeploymentConfig} and {@link Webservice.Update} send and what
 * {@link Webservice} and {@link Deployment} read back. The CLI prints settings under the same names.
 *
 * <p>Some settings belong to each deployment of a service ({@link #perDeployment()}: what it loads, its limits
 * and batching); the others to the service as a whole (auth, CORS, metadata, how traffic is shared).
 */
public enum ServiceSetting {
    /** {@link AuthMode}: {@code key}, {@code token} or {@code none}. */
    AUTH_MODE("authMode", false),
    DESCRIPTION("description", false),
    /** Azure's name for a service's tags. */
    TAGS("kvTags", false),
    PROPERTIES("properties", false),
    /** The runtime that scores the service; {@link InferenceConfig} sets it and the next three, at deploy only. */
    RUNTIME("runtime", true),
    /** The scorer's class or entry script. */
    ENTRY("entry", true),
    /** The uploaded scorer package. */
    CODE("code", true),
    /** Settings handed to the scorer. */
    CONFIG("config", true),
    SCORING_TIMEOUT_MS("scoringTimeoutMs", true),
    MAX_CONCURRENT_REQUESTS_PER_CONTAINER("maxConcurrentRequestsPerContainer", true),
    MAX_QUEUE_WAIT_MS("maxQueueWaitMs", true),
    CORS_ORIGINS("corsOrigins", false),
    MAX_BATCH_SIZE("maxBatchSize", true),
    MAX_BATCH_DELAY_MICROS("maxBatchDelayMicros", true),
    /** The live split, deployment name to percent (summing to 100); set with {@link Webservice#setTraffic}. */
    TRAFFIC("traffic", false),
    /** The one mirrored deployment and its percent, or nothing; set with {@link Webservice#setMirror}. */
    MIRROR_TRAFFIC("mirrorTraffic", false);

    private final String wireName;
    private final boolean perDeployment;

    ServiceSetting(String wireName, boolean perDeployment) {
        this.wireName = wireName;
        this.perDeployment = perDeployment;
    }

    /** The setting's name in the management API's JSON, e.g. {@code maxBatchDelayMicros}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether each deployment of a service has its own value ({@link Webservice#createDeployment} and
     * {@link Webservice#updateDeployment} set it), rather than the service as a whole.
     */
    public boolean perDeployment() {
        return perDeployment;
    }
}
