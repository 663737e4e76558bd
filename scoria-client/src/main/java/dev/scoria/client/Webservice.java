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
 *
 * <p>A service has one or more {@link Deployment}s, each with its own models, runtime and limits, sharing the
 * service's scoring URI, keys and CORS: {@link #createDeployment} adds one beside those serving,
 * {@link #setTraffic} shares live requests between them (a blue/green rollout), {@link #setMirror} copies a
 * share of requests to one that takes none, and {@link #run(String, String)} calls one by name. A service made
 * with {@link Model#deploy} has one deployment, named {@code default}.
 */
public final class Webservice {

    /** How long {@link #waitForDeployment(boolean)} waits: Azure's own limit for an AKS deployment. */
    public static final Duration DEFAULT_DEPLOYMENT_TIMEOUT = Duration.ofMinutes(20);

    /**
     * The request header that pins a scoring request to one deployment ({@link #run(String, String)}), and the
     * response header naming the deployment that answered, as Azure's online endpoints name it.
     */
    public static final String DEPLOYMENT_HEADER = "azureml-model-deployment";

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
        return waitForDeployment(showOutput, timeout, null);
    }

    /**
     * As {@link #waitForDeployment(boolean, Duration)}, but a failure's progress output ends with {@code logsHint}
     * rather than the pointer to {@link #getLogs()}: a program that wraps the SDK (the {@code scoria} CLI) names
     * its own way to read the logs.
     */
    public WebserviceState waitForDeployment(boolean showOutput, Duration timeout, String logsHint) {
        Objects.requireNonNull(timeout, "timeout");
        ServiceSnapshot done = new DeploymentWaiter(workspace.transport(), showOutput ? System.out : null, logsHint)
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
        return run(jsonInput, null);
    }

    /**
     * Scores {@code jsonInput} with the deployment {@code deployment} of this service, whatever share of the
     * traffic it takes (none, for a deployment being tried before it gets any), as {@link #run(String)} does
     * otherwise. The request goes to the service's scoring URI with the {@value #DEPLOYMENT_HEADER} header.
     *
     * @param deployment the deployment's name, or null to let the service's traffic split choose
     * @throws WebserviceException with status {@code 404} if the service has no such deployment
     */
    public String run(String jsonInput, String deployment) {
        Objects.requireNonNull(jsonInput, "jsonInput");
        ServiceSnapshot service = snapshot;
        String what = "scoring with service '" + name + "'"
                + (deployment == null ? "" : " (deployment '" + deployment + "')");
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
        Transport.Response response = score(service, jsonInput, credential, deployment, what);
        if (response.status() == 401 && service.authMode() != AuthMode.NONE && !fresh) {
            credential = service.authMode() == AuthMode.KEY
                    ? getKeys().primaryKey()
                    : getToken().accessToken();
            response = score(service, jsonInput, credential, deployment, what);
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

    private Transport.Response score(
            ServiceSnapshot service, String jsonInput, String credential, String deployment, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.scoringUri())
                .POST(HttpRequest.BodyPublishers.ofString(jsonInput, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json")
                // The server gives up at scoringTimeoutMs; waiting a little longer lets its 504 arrive.
                .timeout(Duration.ofMillis(
                        Math.max(Transport.CALL_TIMEOUT.toMillis(), service.scoringTimeoutMs() + 30_000L)));
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        if (deployment != null) {
            request.header(DEPLOYMENT_HEADER, deployment);
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
     * Fetches the service's deployments, in the order they were created: a service made with {@link Model#deploy}
     * has one, named {@code default}.
     */
    public List<Deployment> deployments() {
        String what = "listing the deployments of service '" + name + "'";
        Transport.Response response = requireService(workspace.transport().get(deploymentsPath(), what), name, what);
        List<Deployment> deployments = new ArrayList<>();
        for (JsonNode item : Json.required(Json.parse(response.body(), what), "value")) {
            deployments.add(Deployment.fromJson(item));
        }
        return List.copyOf(deployments);
    }

    /**
     * Fetches the deployment {@code deploymentName} of this service.
     *
     * @throws WebserviceException with status {@code 404} if the service has no such deployment (its message
     *     names those it has)
     */
    public Deployment deployment(String deploymentName) {
        Objects.requireNonNull(deploymentName, "deploymentName");
        String what = "getting deployment '" + deploymentName + "' of service '" + name + "'";
        Transport.Response response =
                Transport.requireOk(workspace.transport().get(deploymentPath(deploymentName), what), what);
        return Deployment.fromJson(Json.parse(response.body(), what));
    }

    /**
     * Adds the deployment {@code deploymentName} to this service, loading {@code models} with
     * {@code inferenceConfig} beside the deployments already serving, and returns at once; call
     * {@link DeploymentOperation#waitForDeployment(boolean)}. The new deployment takes no traffic until
     * {@link #setTraffic} gives it some, but requests pinned to it ({@link #run(String, String)}) reach it as
     * soon as it is Healthy. Like Azure's {@code AksEndpoint.create_version}.
     *
     * @param deploymentName 1-32 lowercase letters, digits or dashes, unique within the service
     * @param inferenceConfig the runtime and code; null for {@link InferenceConfig#defaults()}
     * @param deploymentConfig the deployment's limits and batching; null for the server's defaults. Auth, CORS
     *     and metadata belong to the whole service ({@link #update}), so setting them here is refused.
     * @throws IllegalArgumentException if {@code deploymentConfig} sets a setting of the whole service
     * @throws WebserviceException if the server refuses ({@code 400} bad input, {@code 409} name taken or
     *     another operation on the service in progress)
     */
    public DeploymentOperation createDeployment(
            String deploymentName,
            List<Model> models,
            InferenceConfig inferenceConfig,
            DeploymentConfig deploymentConfig) {
        Objects.requireNonNull(deploymentName, "deploymentName");
        Objects.requireNonNull(models, "models");
        DeploymentConfig config = deploymentConfig == null ? DeploymentConfig.defaults() : deploymentConfig;
        requireDeploymentSettings(config);
        InferenceConfig inference = inferenceConfig == null ? InferenceConfig.defaults() : inferenceConfig;
        ObjectNode request = Model.deployRequest(deploymentName, models, inference, config);
        if (inference.code() != null) {
            request.set(ServiceSetting.CODE.wireName(), Model.uploadCode(workspace, inference.code()));
        }
        String what = "creating deployment '" + deploymentName + "' of service '" + name + "'";
        Transport.Response response = requireService(
                workspace.transport().sendJson("POST", deploymentsPath(), Json.write(request), what), name, what);
        return new DeploymentOperation(
                this,
                Deployment.fromJson(Json.parse(response.body(), what)),
                response.header("Operation-Location").orElse(null));
    }

    /**
     * Changes one deployment: new {@code models} load beside the old ones, which serve until the new ones are
     * ready (follow that with {@link DeploymentOperation#waitForDeployment}); new limits apply at once. This method
     * does not change the runtime or code (the management API's {@code PATCH} does); create another deployment
     * for that.
     *
     * @param models the models to load instead, or null to keep them
     * @param deploymentConfig the limits and batching to change (null fields stay as they are), or null
     * @throws IllegalArgumentException if nothing would change, or {@code deploymentConfig} sets a setting of the
     *     whole service
     * @throws WebserviceException with status {@code 404} for an unknown deployment, {@code 409} while another
     *     operation on the service is in progress
     */
    public DeploymentOperation updateDeployment(
            String deploymentName, List<Model> models, DeploymentConfig deploymentConfig) {
        Objects.requireNonNull(deploymentName, "deploymentName");
        if (models != null && models.isEmpty()) {
            throw new IllegalArgumentException("a deployment needs at least one model");
        }
        DeploymentConfig config = deploymentConfig == null ? DeploymentConfig.defaults() : deploymentConfig;
        requireDeploymentSettings(config);
        if (models == null && config.isEmpty()) {
            throw new IllegalArgumentException("No parameters provided to update.");
        }
        ObjectNode request = config.toJsonObject();
        if (models != null) {
            ArrayNode ids = request.putArray(DeploymentField.MODELS.wireName());
            models.forEach(m -> ids.add(m.id()));
        }
        String what = "updating deployment '" + deploymentName + "' of service '" + name + "'";
        Transport.Response response = Transport.requireOk(
                workspace.transport().sendJson("PATCH", deploymentPath(deploymentName), Json.write(request), what),
                what);
        return new DeploymentOperation(
                this,
                Deployment.fromJson(Json.parse(response.body(), what)),
                response.header("Operation-Location").orElse(null));
    }

    /**
     * Deletes one deployment of this service and unloads it.
     *
     * @throws WebserviceException with status {@code 409} while it takes live or mirror traffic (move that to
     *     another deployment first with {@link #setTraffic} or {@link #stopMirror}), or when it is the service's
     *     last deployment (delete the service instead); {@code 404} if there is no such deployment
     */
    public void deleteDeployment(String deploymentName) {
        Objects.requireNonNull(deploymentName, "deploymentName");
        String what = "deleting deployment '" + deploymentName + "' of service '" + name + "'";
        Transport.requireOk(
                workspace
                        .transport()
                        .management("DELETE", deploymentPath(deploymentName), null, null, Transport.CALL_TIMEOUT, what),
                what);
    }

    /**
     * Sets how the service's live requests are shared between its deployments, e.g.
     * {@code Map.of("blue", 90, "green", 10)}: whole percentages summing to 100; deployments left out get none.
     * Applies at once (every replica follows within a second); refreshes this handle. A mirrored deployment
     * given live traffic stops being mirrored.
     *
     * @throws WebserviceException with status {@code 400} if the shares do not sum to 100 or name an unknown
     *     deployment
     */
    public void setTraffic(Map<String, Integer> traffic) {
        Objects.requireNonNull(traffic, "traffic");
        ObjectNode body = Json.object();
        traffic.forEach((deployment, percent) -> body.put(
                Objects.requireNonNull(deployment, "deployment name"),
                Objects.requireNonNull(percent, () -> "percent of '" + deployment + "'")));
        putTrafficSetting("traffic", body, "setting the traffic of service '" + name + "'");
    }

    /**
     * Copies {@code percent} of the service's live requests (at most 50) to the deployment {@code deployment},
     * which must take no live traffic: it scores the copies but its answers are dropped, so a new version can
     * be tried on real requests without affecting callers. One deployment at a time is mirrored; this replaces
     * any mirror set before. Refreshes this handle.
     *
     * @throws WebserviceException with status {@code 400} if the deployment takes live traffic or the percent is
     *     over 50
     */
    public void setMirror(String deployment, int percent) {
        Objects.requireNonNull(deployment, "deployment");
        ObjectNode body = Json.object().put(deployment, percent);
        putTrafficSetting("mirror", body, "setting the mirror traffic of service '" + name + "'");
    }

    /** Stops copying requests to a mirrored deployment; refreshes this handle. */
    public void stopMirror() {
        putTrafficSetting("mirror", Json.object(), "stopping the mirror traffic of service '" + name + "'");
    }

    private void putTrafficSetting(String route, ObjectNode body, String what) {
        Transport.Response response = requireService(
                workspace.transport().sendJson("PUT", servicePath(name) + "/" + route, Json.write(body), what),
                name,
                what);
        snapshot = ServiceSnapshot.fromJson(Json.parse(response.body(), what));
    }

    /** Refuses the settings that belong to the whole service rather than to one of its deployments. */
    private static void requireDeploymentSettings(DeploymentConfig config) {
        List<String> serviceWide = config.serviceWideSettings();
        if (!serviceWide.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", serviceWide)
                    + (serviceWide.size() == 1 ? " is a setting" : " are settings")
                    + " of the whole service, not of one deployment: change it with Webservice.update");
        }
    }

    private String deploymentsPath() {
        return servicePath(name) + "/deployments";
    }

    private String deploymentPath(String deploymentName) {
        return deploymentsPath() + "/" + Transport.segment(deploymentName);
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

    /**
     * How live requests are shared between the service's deployments: deployment name to percent, summing to
     * 100 (e.g. {@code {default=100}} for a service with one deployment).
     */
    public Map<String, Integer> traffic() {
        return snapshot.traffic();
    }

    /** The mirrored deployment and the percent of live requests copied to it; empty when none is mirrored. */
    public Map<String, Integer> mirrorTraffic() {
        return snapshot.mirrorTraffic();
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
