package dev.scoria.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A deployed web service: one or more models answering at a scoring URI, like Azure ML's {@code Webservice}.
 * Get one from {@link Model#deploy}, {@link #Webservice(Workspace, String)}, {@link #get} or {@link #list}.
 *
 * <p>A {@code Webservice} is a handle. Its accessors ({@link #state()}, {@link #scoringUri()}…) show what
 * the server said when the handle last fetched the service; {@link #refresh()},
 * {@link #waitForDeployment(boolean)} and {@link #update} fetch it again. It is safe to share between
 * threads: each accessor reads one consistent snapshot.
 */
public final class Webservice {

    /** How long {@link #waitForDeployment(boolean)} waits: Azure's own limit for an AKS deployment. */
    public static final Duration DEFAULT_DEPLOYMENT_TIMEOUT = Duration.ofMinutes(20);

    private final Workspace workspace;
    private final String name;
    private volatile ServiceSnapshot snapshot;
    /** The operation {@link #waitForDeployment} follows: the last deploy or reload made through this handle. */
    private volatile String operationLocation;
    /** The keys {@link #run} authenticates with, fetched on first use. */
    private volatile Keys keys;

    private volatile AccessToken token;

    /**
     * Fetches the service {@code name}, as Azure's {@code Webservice(workspace, name)} does.
     *
     * @throws WebserviceNotFoundException if the workspace has no such service
     */
    public Webservice(Workspace workspace, String name) {
        this(
                workspace,
                fetch(Objects.requireNonNull(workspace, "workspace"), Objects.requireNonNull(name, "name")),
                null);
    }

    private Webservice(Workspace workspace, ServiceSnapshot snapshot, String operationLocation) {
        this.workspace = workspace;
        this.name = snapshot.name();
        this.snapshot = snapshot;
        this.operationLocation = operationLocation;
    }

    static Webservice deployed(Workspace workspace, JsonNode service, String operationLocation) {
        return new Webservice(workspace, ServiceSnapshot.fromJson(service), operationLocation);
    }

    /**
     * The service {@code name}.
     *
     * @throws WebserviceNotFoundException if the workspace has no such service
     */
    public static Webservice get(Workspace workspace, String name) {
        return new Webservice(workspace, name);
    }

    /** Every service in the workspace. */
    public static List<Webservice> list(Workspace workspace) {
        return list(workspace, Filter.builder().build());
    }

    /** The services that match every criterion of {@code filter}. */
    public static List<Webservice> list(Workspace workspace, Filter filter) {
        String what = "listing services";
        Transport.Response response =
                Transport.requireOk(workspace.transport().get("/api/v1/services" + filter.queryString(), what), what);
        List<Webservice> services = new ArrayList<>();
        for (JsonNode item : Json.required(Json.parse(response.body(), what), "value")) {
            services.add(new Webservice(workspace, ServiceSnapshot.fromJson(item), null));
        }
        return List.copyOf(services);
    }

    /**
     * Waits up to {@link #DEFAULT_DEPLOYMENT_TIMEOUT} for the deployment to finish; see
     * {@link #waitForDeployment(boolean, Duration)}.
     */
    public WebserviceState waitForDeployment(boolean showOutput) {
        return waitForDeployment(showOutput, DEFAULT_DEPLOYMENT_TIMEOUT);
    }

    /**
     * Waits until the service is no longer {@link WebserviceState#Transitioning}, polling every 250 ms, and
     * returns its final state. With {@code showOutput}, prints progress to {@code System.out} like Azure's SDK:
     * the state when it changes, a dot per poll, then the outcome.
     *
     * <p>On failure this behaves as Azure's {@code wait_for_deployment}: it first updates this handle, so
     * {@link #state()} is {@link WebserviceState#Failed} and {@link #error()} says why, then throws.
     *
     * @throws WebserviceException if the deployment failed (its {@link WebserviceException#serverMessage()} is
     *     the server's explanation), or did not finish within {@code timeout}
     */
    public WebserviceState waitForDeployment(boolean showOutput, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        ServiceSnapshot done = new DeploymentWaiter(workspace.transport(), showOutput ? System.out : null)
                .await(name, operationLocation, this::refreshSnapshot, timeout);
        operationLocation = null;
        return done.state();
    }

    /** Fetches the service again, so that the accessors show its current state. */
    public void refresh() {
        refreshSnapshot();
    }

    private ServiceSnapshot refreshSnapshot() {
        ServiceSnapshot fresh = fetch(workspace, name);
        snapshot = fresh;
        return fresh;
    }

    private static ServiceSnapshot fetch(Workspace workspace, String name) {
        String what = "getting service '" + name + "'";
        Transport.Response response = requireService(workspace.transport().get(servicePath(name), what), name, what);
        return ServiceSnapshot.fromJson(Json.parse(response.body(), what));
    }

    /**
     * The service's two keys ({@code POST .../listkeys}). Also makes them the keys {@link #run} uses.
     *
     * @throws WebserviceException with status {@code 400} if the service does not use key auth
     */
    public Keys getKeys() {
        String what = "listing the keys of service '" + name + "'";
        Keys fetched = keysFrom(
                requireService(
                        workspace.transport().sendJson("POST", servicePath(name) + "/listkeys", null, what),
                        name,
                        what),
                what);
        keys = fetched;
        return fetched;
    }

    /**
     * Replaces one key with a new random one; the other keeps working, so callers can switch keys without
     * a failed request. Returns both keys as they are now.
     */
    public Keys regenKey(KeyType keyType) {
        return regenKey(keyType, null);
    }

    /**
     * Replaces one key with {@code keyValue} (32–128 letters, digits, {@code -} or {@code _}), or with a new
     * random key if {@code keyValue} is null, as Azure's {@code regen_key(key, set_key)} does.
     */
    public Keys regenKey(KeyType keyType, String keyValue) {
        Objects.requireNonNull(keyType, "keyType");
        ObjectNode body = Json.object().put("keyType", keyType.name());
        if (keyValue == null) {
            body.putNull("keyValue");
        } else {
            body.put("keyValue", keyValue);
        }
        String what = "regenerating the " + keyType.name().toLowerCase(Locale.ROOT) + " key of service '" + name + "'";
        Keys fresh = keysFrom(
                requireService(
                        workspace
                                .transport()
                                .sendJson("POST", servicePath(name) + "/regenerateKeys", Json.write(body), what),
                        name,
                        what),
                what);
        keys = fresh;
        return fresh;
    }

    private static Keys keysFrom(Transport.Response response, String what) {
        JsonNode json = Json.parse(response.body(), what);
        return new Keys(
                Json.required(json, "primaryKey").asText(),
                Json.required(json, "secondaryKey").asText());
    }

    /**
     * Scores {@code jsonInput} and returns the service's answer as JSON text, unchanged. A key-auth service is
     * called with its primary key, a token-auth service with an access token (renewed once its refresh time
     * has come), each fetched once and cached; if the service answers {@code 401} (the key was regenerated,
     * the signing key rotated), the credential is fetched again and the call retried once, as Azure's SDK does.
     *
     * @throws WebserviceException with the service's status and message if it does not answer {@code 200}
     */
    public String run(String jsonInput) {
        Objects.requireNonNull(jsonInput, "jsonInput");
        ServiceSnapshot service = snapshot;
        String what = "scoring with service '" + name + "'";
        String credential = null;
        boolean fresh = false;
        if (service.authMode() == AuthMode.KEY) {
            Keys cached = keys;
            if (cached == null) {
                cached = getKeys();
                fresh = true;
            }
            credential = cached.primaryKey();
        } else if (service.authMode() == AuthMode.TOKEN) {
            AccessToken cached = token;
            if (cached == null || cached.shouldRefresh(Instant.now())) {
                cached = getToken();
                fresh = true;
            }
            credential = cached.accessToken();
        }
        Transport.Response response = score(service, jsonInput, credential, what);
        if (response.status() == 401 && service.authMode() != AuthMode.NONE && !fresh) {
            credential = service.authMode() == AuthMode.KEY
                    ? getKeys().primaryKey()
                    : getToken().accessToken();
            response = score(service, jsonInput, credential, what);
        }
        if (!response.ok()) {
            String message = ErrorBody.message(response.body());
            throw new WebserviceException(
                    "Received bad response from service '" + name + "' at " + service.scoringUri() + ": HTTP "
                            + response.status() + (message == null ? "" : ": " + message),
                    response.status(),
                    message);
        }
        return response.body();
    }

    /**
     * A new access token for this token-auth service ({@code POST /api/v1/services/{name}/token}); {@link #run}
     * uses and refreshes it by itself.
     *
     * @throws WebserviceException with status {@code 400} if the service does not use token auth
     */
    public AccessToken getToken() {
        String what = "getting an access token for service '" + name + "'";
        Transport.Response response = requireService(
                workspace.transport().sendJson("POST", servicePath(name) + "/token", null, what), name, what);
        JsonNode json = Json.parse(response.body(), what);
        AccessToken fresh = new AccessToken(
                Json.required(json, "accessToken").asText(),
                Objects.requireNonNullElse(Json.text(json, "tokenType"), "Bearer"),
                Instant.ofEpochSecond(Json.required(json, "refreshAfter").asLong()),
                Instant.ofEpochSecond(Json.required(json, "expiryOn").asLong()));
        token = fresh;
        return fresh;
    }

    /** Origins whose browser pages may call the service ({@code *} for any). */
    public List<String> corsOrigins() {
        return snapshot.corsOrigins();
    }

    private Transport.Response score(ServiceSnapshot service, String jsonInput, String credential, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.scoringUri())
                .POST(HttpRequest.BodyPublishers.ofString(jsonInput, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                // The server gives up at scoringTimeoutMs; waiting a little longer lets its 504 arrive.
                .timeout(Duration.ofMillis(
                        Math.max(Transport.CALL_TIMEOUT.toMillis(), service.scoringTimeoutMs() + 30_000L)));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return workspace.transport().exchange(request, what);
    }

    /** The service's OpenAPI (Swagger 2.0) document, as JSON text. */
    public String swagger() {
        String what = "getting the swagger document of service '" + name + "'";
        HttpRequest.Builder request =
                HttpRequest.newBuilder(snapshot.swaggerUri()).GET().timeout(Transport.CALL_TIMEOUT);
        return Transport.requireOk(workspace.transport().exchange(request, what), what)
                .body();
    }

    /** The last 5000 lines of the service's log. */
    public String getLogs() {
        return getLogs(5000);
    }

    /** The last {@code tail} lines of the service's log. */
    public String getLogs(int tail) {
        if (tail <= 0) {
            throw new IllegalArgumentException("tail is " + tail + ": it must be greater than 0");
        }
        String what = "getting the logs of service '" + name + "'";
        Transport.Response response = requireService(
                workspace
                        .transport()
                        .get(servicePath(name) + "/logs" + new QueryString().add("tail", Integer.toString(tail)), what),
                name,
                what);
        return Json.required(Json.parse(response.body(), what), "content").asText();
    }

    /**
     * Changes the service ({@code PATCH}) and refreshes this handle. When {@code update} changes the models the
     * service reloads, its old models serving until the new ones are ready; {@link #waitForDeployment} then
     * follows that reload.
     *
     * @throws IllegalArgumentException if {@code update} changes nothing (as Azure's "No parameters provided to update.")
     * @throws WebserviceException with status {@code 409} while another operation on the service is in progress
     */
    public void update(Update update) {
        Objects.requireNonNull(update, "update");
        if (update.isEmpty()) {
            throw new IllegalArgumentException("No parameters provided to update.");
        }
        String what = "updating service '" + name + "'";
        Transport.Response response = requireService(
                workspace.transport().sendJson("PATCH", servicePath(name), Json.write(update.toJson()), what),
                name,
                what);
        snapshot = ServiceSnapshot.fromJson(Json.parse(response.body(), what));
        response.header("Operation-Location").ifPresent(location -> operationLocation = location);
    }

    /**
     * Deletes the service; its scoring URI stops answering at once. Deleting a service that is already gone
     * is not an error, as in Azure's SDK. Afterwards {@link #state()} is {@link WebserviceState#Deleting}.
     */
    public void delete() {
        String what = "deleting service '" + name + "'";
        Transport.Response response =
                workspace.transport().management("DELETE", servicePath(name), null, null, Transport.CALL_TIMEOUT, what);
        if (response.status() != 404) {
            Transport.requireOk(response, what);
        }
        snapshot = snapshot.withState(WebserviceState.Deleting);
        keys = null;
    }

    private static Transport.Response requireService(Transport.Response response, String name, String what) {
        if (response.status() == 404) {
            String message = ErrorBody.message(response.body());
            throw new WebserviceNotFoundException(
                    "WebserviceNotFound: " + Transport.describe(404, message, what) + ". Webservice with name " + name
                            + " not found in the workspace",
                    message);
        }
        return Transport.requireOk(response, what);
    }

    private static String servicePath(String name) {
        return "/api/v1/services/" + Transport.segment(name);
    }

    public Workspace workspace() {
        return workspace;
    }

    public String name() {
        return name;
    }

    public String description() {
        return snapshot.description();
    }

    public Map<String, String> tags() {
        return snapshot.tags();
    }

    public Map<String, String> properties() {
        return snapshot.properties();
    }

    public WebserviceState state() {
        return snapshot.state();
    }

    /** Why the service is {@link WebserviceState#Failed}; empty otherwise. */
    public Optional<WebserviceError> error() {
        return Optional.ofNullable(snapshot.error());
    }

    public Instant createdTime() {
        return snapshot.createdTime();
    }

    public Instant updatedTime() {
        return snapshot.updatedTime();
    }

    /** {@code Scoria}, where Azure says {@code AKS} or {@code ACI}. */
    public String computeType() {
        return snapshot.computeType();
    }

    /** The runtime that scores the service, e.g. {@code onnx}. */
    public String runtime() {
        return snapshot.runtime();
    }

    public List<ModelReference> models() {
        return snapshot.models();
    }

    /** Where clients send scoring requests. */
    public URI scoringUri() {
        return snapshot.scoringUri();
    }

    /** Where the service's OpenAPI document is; it needs no key. */
    public URI swaggerUri() {
        return snapshot.swaggerUri();
    }

    public AuthMode authMode() {
        return snapshot.authMode();
    }

    public int scoringTimeoutMs() {
        return snapshot.scoringTimeoutMs();
    }

    public int maxConcurrentRequestsPerContainer() {
        return snapshot.maxConcurrentRequestsPerContainer();
    }

    /** The most waiting requests merged into one model call. */
    public int maxBatchSize() {
        return snapshot.maxBatchSize();
    }

    /** How long a batch may wait for more requests, in microseconds. */
    public int maxBatchDelayMicros() {
        return snapshot.maxBatchDelayMicros();
    }

    public int maxQueueWaitMs() {
        return snapshot.maxQueueWaitMs();
    }

    @Override
    public String toString() {
        ServiceSnapshot s = snapshot;
        return "Webservice[" + name + ", " + s.state() + ", " + s.scoringUri() + "]";
    }

    /**
     * Which services {@link #list(Workspace, Filter)} returns: those matching every criterion set. Tags and
     * properties are matched as Azure's {@code Webservice.list(tags=[...])}: {@code key} alone means "has the
     * key", {@code key, value} means "has the key with that value". Immutable; built with {@link #builder()}.
     *
     * @param modelName services serving some version of this model
     * @param modelId services serving this model version ({@code name:version})
     * @param tags required tags; a null value means any value
     * @param properties required properties; a null value means any value
     */
    public record Filter(String modelName, String modelId, Map<String, String> tags, Map<String, String> properties) {

        public Filter {
            tags = terms("tag", tags);
            properties = terms("property", properties);
        }

        public static Builder builder() {
            return new Builder();
        }

        /** The management API's query string for this filter, e.g. {@code ?modelName=m&tags=team,stage%3Dprod}. */
        String queryString() {
            return new QueryString()
                    .add("modelName", modelName)
                    .add("modelId", modelId)
                    .add("tags", QueryString.terms(tags))
                    .add("properties", QueryString.terms(properties))
                    .toString();
        }

        /** The server splits terms on {@code ,} and a term on its first {@code =}: refuse what it would misread. */
        private static Map<String, String> terms(String kind, Map<String, String> terms) {
            if (terms == null) {
                return Map.of();
            }
            Map<String, String> copy = new LinkedHashMap<>();
            terms.forEach((key, value) -> {
                if (key == null || key.isBlank() || key.contains(",") || key.contains("=")) {
                    throw new IllegalArgumentException(kind + " key '" + key + "' cannot be filtered on: it must be"
                            + " non-blank, without ',' or '='");
                }
                if (value != null && value.contains(",")) {
                    throw new IllegalArgumentException(
                            kind + " value '" + value + "' cannot be filtered on: it contains ','");
                }
                copy.put(key, value);
            });
            return Collections.unmodifiableMap(copy);
        }

        /** Builds a {@link Filter}. */
        public static final class Builder {
            private String modelName;
            private String modelId;
            private final Map<String, String> tags = new LinkedHashMap<>();
            private final Map<String, String> properties = new LinkedHashMap<>();

            private Builder() {}

            public Builder modelName(String modelName) {
                this.modelName = modelName;
                return this;
            }

            /** {@code name:version}. */
            public Builder modelId(String modelId) {
                this.modelId = modelId;
                return this;
            }

            public Builder model(Model model) {
                this.modelId = model.id();
                return this;
            }

            /** Services that have the tag {@code key}, whatever its value. */
            public Builder tag(String key) {
                tags.put(key, null);
                return this;
            }

            public Builder tag(String key, String value) {
                tags.put(key, Objects.requireNonNull(value, "value"));
                return this;
            }

            /** Services that have the property {@code key}, whatever its value. */
            public Builder property(String key) {
                properties.put(key, null);
                return this;
            }

            public Builder property(String key, String value) {
                properties.put(key, Objects.requireNonNull(value, "value"));
                return this;
            }

            public Filter build() {
                return new Filter(modelName, modelId, tags, properties);
            }
        }
    }

    /**
     * What {@link #update(Update)} changes: settings, whose null fields stay as they are (tags, properties and
     * CORS origins, when given, replace the service's whole set), and optionally the models. Immutable; built
     * with {@link #builder()}.
     *
     * @param settings the settings to change, under the same rules as at deploy
     * @param models the new models as {@code name:version}, or null to keep them; the service reloads with new ones
     */
    public record Update(DeploymentConfig settings, List<String> models) {

        public Update {
            Objects.requireNonNull(settings, "settings");
            if (models != null && models.isEmpty()) {
                throw new IllegalArgumentException("a service needs at least one model");
            }
            models = models == null ? null : List.copyOf(models);
        }

        public static Builder builder() {
            return new Builder();
        }

        boolean isEmpty() {
            return settings.isEmpty() && models == null;
        }

        ObjectNode toJson() {
            ObjectNode json = settings.toJsonObject();
            if (models != null) {
                ArrayNode ids = json.putArray("models");
                models.forEach(ids::add);
            }
            return json;
        }

        /** Builds an {@link Update}; each setting is set on its {@link DeploymentConfig}. */
        public static final class Builder {
            private DeploymentConfig.Builder settings = DeploymentConfig.builder();
            private List<String> models;

            private Builder() {}

            /** Changes every setting {@code settings} sets (replacing what was set on this builder so far). */
            public Builder settings(DeploymentConfig settings) {
                this.settings = settings.toBuilder();
                return this;
            }

            public Builder description(String description) {
                settings.description(description);
                return this;
            }

            /** Replaces all of the service's tags. */
            public Builder tags(Map<String, String> tags) {
                settings.tags(tags);
                return this;
            }

            /** Replaces all of the service's properties. */
            public Builder properties(Map<String, String> properties) {
                settings.properties(properties);
                return this;
            }

            public Builder authMode(AuthMode authMode) {
                settings.authMode(authMode);
                return this;
            }

            public Builder scoringTimeoutMs(Integer scoringTimeoutMs) {
                settings.scoringTimeoutMs(scoringTimeoutMs);
                return this;
            }

            public Builder maxConcurrentRequestsPerContainer(Integer maxConcurrentRequestsPerContainer) {
                settings.maxConcurrentRequestsPerContainer(maxConcurrentRequestsPerContainer);
                return this;
            }

            public Builder maxQueueWaitMs(Integer maxQueueWaitMs) {
                settings.maxQueueWaitMs(maxQueueWaitMs);
                return this;
            }

            /** The models to serve instead of the current ones. */
            public Builder models(List<Model> models) {
                this.models =
                        models == null ? null : models.stream().map(Model::id).toList();
                return this;
            }

            /** The origins whose browser pages may call the service (replaces the current list). */
            public Builder corsOrigins(List<String> corsOrigins) {
                settings.corsOrigins(corsOrigins);
                return this;
            }

            public Builder maxBatchSize(Integer maxBatchSize) {
                settings.maxBatchSize(maxBatchSize);
                return this;
            }

            public Builder maxBatchDelayMicros(Integer maxBatchDelayMicros) {
                settings.maxBatchDelayMicros(maxBatchDelayMicros);
                return this;
            }

            public Update build() {
                return new Update(settings.build(), models);
            }
        }
    }
}
