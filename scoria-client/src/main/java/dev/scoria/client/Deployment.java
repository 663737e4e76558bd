package dev.scoria.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One deployment of a web service, as the server last described it: what it loads (models, runtime, entry,
 * scorer settings), its limits and batching, its share of the service's traffic and its state. A service made
 * with {@link Model#deploy} has one, named {@code default}; {@link Webservice#createDeployment} adds more,
 * for blue/green rollouts ({@link Webservice#setTraffic}) and shadow testing ({@link Webservice#setMirror}).
 *
 * <p>An immutable value: get a fresh one with {@link Webservice#deployment(String)} or
 * {@link Webservice#deployments()}. Each field is read under its {@link DeploymentField} or
 * {@link ServiceSetting} name.
 */
public final class Deployment {

    private final String name;
    private final String serviceName;
    private final WebserviceState state;
    private final WebserviceError error;
    private final int trafficPercent;
    private final int mirrorTrafficPercent;
    private final boolean primary;
    private final List<ModelReference> models;
    private final String runtime;
    private final String entry;
    private final Map<String, String> config;
    private final int scoringTimeoutMs;
    private final int maxConcurrentRequestsPerContainer;
    private final int maxQueueWaitMs;
    private final int maxBatchSize;
    private final int maxBatchDelayMicros;
    private final long generation;
    private final Instant createdTime;

    private Deployment(JsonNode json) {
        this.name = Json.required(json, DeploymentField.NAME.wireName()).asText();
        this.serviceName = Json.text(json, DeploymentField.SERVICE_NAME.wireName());
        this.state = WebserviceState.fromWire(
                Json.required(json, DeploymentField.STATE.wireName()).asText());
        this.error = error(json.get(DeploymentField.ERROR.wireName()));
        this.trafficPercent =
                json.path(DeploymentField.TRAFFIC_PERCENT.wireName()).asInt();
        this.mirrorTrafficPercent =
                json.path(DeploymentField.MIRROR_TRAFFIC_PERCENT.wireName()).asInt();
        this.primary = json.path(DeploymentField.PRIMARY.wireName()).asBoolean();
        this.models = models(json, DeploymentField.MODELS.wireName());
        this.runtime = Json.text(json, ServiceSetting.RUNTIME.wireName());
        this.entry = Json.text(json, ServiceSetting.ENTRY.wireName());
        this.config = Json.stringMap(json, ServiceSetting.CONFIG.wireName());
        this.scoringTimeoutMs =
                json.path(ServiceSetting.SCORING_TIMEOUT_MS.wireName()).asInt();
        this.maxConcurrentRequestsPerContainer = json.path(
                        ServiceSetting.MAX_CONCURRENT_REQUESTS_PER_CONTAINER.wireName())
                .asInt();
        this.maxQueueWaitMs =
                json.path(ServiceSetting.MAX_QUEUE_WAIT_MS.wireName()).asInt();
        this.maxBatchSize = json.path(ServiceSetting.MAX_BATCH_SIZE.wireName()).asInt(1);
        this.maxBatchDelayMicros =
                json.path(ServiceSetting.MAX_BATCH_DELAY_MICROS.wireName()).asInt(0);
        this.generation = json.path(DeploymentField.GENERATION.wireName()).asLong();
        this.createdTime = Json.instant(json, DeploymentField.CREATED_TIME.wireName());
    }

    static Deployment fromJson(JsonNode json) {
        return new Deployment(json);
    }

    /** A {@code {"code", "message"}} error, Azure's plain-text one, or null. */
    static WebserviceError error(JsonNode error) {
        if (error == null || error.isNull()) {
            return null;
        }
        return new WebserviceError(
                Json.text(error, "code"), error.isTextual() ? error.asText() : Json.text(error, "message"));
    }

    /** {@code [{"id", "name", "version"}]}, as services and deployments list their models. */
    static List<ModelReference> models(JsonNode json, String field) {
        List<ModelReference> models = new ArrayList<>();
        for (JsonNode m : json.path(field)) {
            models.add(new ModelReference(
                    Json.text(m, "id"), Json.text(m, "name"), m.path("version").asInt()));
        }
        return List.copyOf(models);
    }

    public String name() {
        return name;
    }

    /** The service it belongs to. */
    public String serviceName() {
        return serviceName;
    }

    /** Its own state: a new deployment's failure does not fail the service while it takes no traffic. */
    public WebserviceState state() {
        return state;
    }

    /** Why it is {@link WebserviceState#Failed}; empty otherwise. */
    public Optional<WebserviceError> error() {
        return Optional.ofNullable(error);
    }

    /** Its share of the service's live traffic, 0 to 100. */
    public int trafficPercent() {
        return trafficPercent;
    }

    /** The share of live requests copied to it (0 to 50); it answers them, but its answers are dropped. */
    public int mirrorTrafficPercent() {
        return mirrorTrafficPercent;
    }

    /**
     * Whether it is the service's primary deployment (the one with the most live traffic), whose runtime,
     * models and limits the service itself reports.
     */
    public boolean primary() {
        return primary;
    }

    public List<ModelReference> models() {
        return models;
    }

    /** The runtime that scores it, e.g. {@code onnx}. */
    public String runtime() {
        return runtime;
    }

    /** The scorer's class or entry script; empty for a runtime that runs no code. */
    public Optional<String> entry() {
        return Optional.ofNullable(entry);
    }

    /** Settings handed to the scorer. */
    public Map<String, String> config() {
        return config;
    }

    public int scoringTimeoutMs() {
        return scoringTimeoutMs;
    }

    public int maxConcurrentRequestsPerContainer() {
        return maxConcurrentRequestsPerContainer;
    }

    public int maxQueueWaitMs() {
        return maxQueueWaitMs;
    }

    /** The most waiting requests merged into one model call. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** How long a batch may wait for more requests, in microseconds. */
    public int maxBatchDelayMicros() {
        return maxBatchDelayMicros;
    }

    /** Counts up each time its models change. */
    public long generation() {
        return generation;
    }

    public Instant createdTime() {
        return createdTime;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Deployment d
                && d.name.equals(name)
                && Objects.equals(d.serviceName, serviceName)
                && d.state == state
                && Objects.equals(d.error, error)
                && d.trafficPercent == trafficPercent
                && d.mirrorTrafficPercent == mirrorTrafficPercent
                && d.primary == primary
                && d.models.equals(models)
                && Objects.equals(d.runtime, runtime)
                && Objects.equals(d.entry, entry)
                && d.config.equals(config)
                && d.scoringTimeoutMs == scoringTimeoutMs
                && d.maxConcurrentRequestsPerContainer == maxConcurrentRequestsPerContainer
                && d.maxQueueWaitMs == maxQueueWaitMs
                && d.maxBatchSize == maxBatchSize
                && d.maxBatchDelayMicros == maxBatchDelayMicros
                && d.generation == generation
                && Objects.equals(d.createdTime, createdTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serviceName, name, state, trafficPercent, mirrorTrafficPercent, models, generation);
    }

    @Override
    public String toString() {
        return "Deployment[" + serviceName + "/" + name + ", " + state + ", traffic " + trafficPercent + "%"
                + (mirrorTrafficPercent > 0 ? ", mirror " + mirrorTrafficPercent + "%" : "") + ", models " + models
                + ", generation " + generation + "]";
    }
}
