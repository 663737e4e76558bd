package dev.scoria.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the server last said about a web service; {@link Webservice} swaps one for a newer one on refresh. */
record ServiceSnapshot(
        String name,
        String description,
        Map<String, String> tags,
        Map<String, String> properties,
        WebserviceState state,
        WebserviceError error,
        Instant createdTime,
        Instant updatedTime,
        String computeType,
        String runtime,
        List<ModelReference> models,
        URI scoringUri,
        URI swaggerUri,
        AuthMode authMode,
        int scoringTimeoutMs,
        int maxConcurrentRequestsPerContainer,
        int maxQueueWaitMs,
        List<String> corsOrigins,
        int maxBatchSize,
        int maxBatchDelayMicros,
        Map<String, Integer> traffic,
        Map<String, Integer> mirrorTraffic) {

    static ServiceSnapshot fromJson(JsonNode json) {
        return new ServiceSnapshot(
                Json.required(json, "name").asText(),
                Objects.requireNonNullElse(Json.text(json, ServiceSetting.DESCRIPTION.wireName()), ""),
                Json.stringMap(json, ServiceSetting.TAGS.wireName()),
                Json.stringMap(json, ServiceSetting.PROPERTIES.wireName()),
                WebserviceState.fromWire(Json.required(json, "state").asText()),
                Deployment.error(json.get("error")),
                Json.instant(json, "createdTime"),
                Json.instant(json, "updatedTime"),
                Json.text(json, "computeType"),
                Json.text(json, ServiceSetting.RUNTIME.wireName()),
                Deployment.models(json, "models"),
                URI.create(Json.required(json, "scoringUri").asText()),
                URI.create(Json.required(json, "swaggerUri").asText()),
                authMode(json),
                json.path(ServiceSetting.SCORING_TIMEOUT_MS.wireName()).asInt(),
                json.path(ServiceSetting.MAX_CONCURRENT_REQUESTS_PER_CONTAINER.wireName())
                        .asInt(),
                json.path(ServiceSetting.MAX_QUEUE_WAIT_MS.wireName()).asInt(),
                corsOrigins(json),
                json.path(ServiceSetting.MAX_BATCH_SIZE.wireName()).asInt(1),
                json.path(ServiceSetting.MAX_BATCH_DELAY_MICROS.wireName()).asInt(0),
                Json.intMap(json, ServiceSetting.TRAFFIC.wireName()),
                Json.intMap(json, ServiceSetting.MIRROR_TRAFFIC.wireName()));
    }

    private static List<String> corsOrigins(JsonNode json) {
        List<String> origins = new ArrayList<>();
        json.path(ServiceSetting.CORS_ORIGINS.wireName()).forEach(o -> origins.add(o.asText()));
        return List.copyOf(origins);
    }

    /** {@code authMode}, else Azure's booleans, which is all an Azure-shaped answer carries. */
    private static AuthMode authMode(JsonNode json) {
        String mode = Json.text(json, ServiceSetting.AUTH_MODE.wireName());
        if (mode != null) {
            return AuthMode.fromWire(mode);
        }
        if (json.path("tokenAuthEnabled").asBoolean(false)
                || json.path("aadAuthEnabled").asBoolean(false)) {
            return AuthMode.TOKEN;
        }
        return json.path("authEnabled").asBoolean(false) ? AuthMode.KEY : AuthMode.NONE;
    }

    ServiceSnapshot withState(WebserviceState newState) {
        return new ServiceSnapshot(
                name,
                description,
                tags,
                properties,
                newState,
                error,
                createdTime,
                updatedTime,
                computeType,
                runtime,
                models,
                scoringUri,
                swaggerUri,
                authMode,
                scoringTimeoutMs,
                maxConcurrentRequestsPerContainer,
                maxQueueWaitMs,
                corsOrigins,
                maxBatchSize,
                maxBatchDelayMicros,
                traffic,
                mirrorTraffic);
    }
}
