package dev.scoria.server.http.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.inference.JsonResult;
import dev.scoria.core.inference.ModelSignature;
import dev.scoria.core.inference.PayloadRequest;
import dev.scoria.core.inference.PayloadResult;
import dev.scoria.core.inference.TensorResult;
import dev.scoria.core.inference.TensorSpec;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.service.DeploymentSpec;
import dev.scoria.core.service.LiveDeployment;
import dev.scoria.core.service.LiveService;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.serving.RequestDecoder;
import dev.scoria.server.http.Admission;
import dev.scoria.server.http.BodyBytes;
import dev.scoria.server.http.InferenceEndpoint;
import dev.scoria.server.http.Json;
import dev.scoria.server.http.RoutedExchange;
import dev.scoria.server.http.ScoringExchange;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol's REST routes. Server health and metadata are public, like {@code GET /};
 * a model's metadata and readiness are public like its swagger document; inference takes the service's
 * key or token, exactly as the Azure route does, and shares its admission, batching and metrics.
 */
public final class V2Routes {

    static final String PROTOCOL = "v2";

    private final InferenceEndpoint endpoint;
    private final BooleanSupplier ready;
    private final String version;

    public V2Routes(InferenceEndpoint endpoint, BooleanSupplier ready, String version) {
        this.endpoint = endpoint;
        this.ready = ready;
        this.version = version;
    }

    /** {@code GET /v2/health/live}. */
    public void live(RoutingContext ctx) {
        json(ctx, 200, Json.MAPPER.createObjectNode().put("live", true));
    }

    /**
     * {@code GET /v2/health/ready}: this replica has loaded every service it serves and is not draining.
     * False is a 400, as the protocol answers "false" with a 4xx (Scoria's own {@code GET /ready} says 503).
     */
    public void ready(RoutingContext ctx) {
        boolean yes = ready.getAsBoolean();
        json(ctx, yes ? 200 : 400, Json.MAPPER.createObjectNode().put("ready", yes));
    }

    /** {@code GET /v2}. */
    public void serverMetadata(RoutingContext ctx) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", "scoria").put("version", version);
        body.putArray("extensions").add("binary_tensor_data");
        json(ctx, 200, body);
    }

    /**
     * {@code GET /v2/models/{name}[/versions/{v}]}: the versions are those of the service's deployments; a
     * version's metadata is its deployment's, the service's is its primary deployment's.
     */
    public void modelMetadata(RoutingContext ctx) {
        Found found = find(ctx);
        if (found == null) {
            return;
        }
        ServiceRecord record = found.service().record();
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", record.name());
        ArrayNode versions = body.putArray("versions");
        serving(found.service()).stream().map(V2Routes::modelVersion).distinct().forEach(versions::add);
        body.put("platform", platform(found.spec().runtime()));
        LiveDeployment d = found.live();
        ModelSignature signature =
                d != null && d.predictor() != null ? d.predictor().signature() : ModelSignature.NONE;
        specs(body.putArray("inputs"), signature.inputs());
        specs(body.putArray("outputs"), signature.outputs());
        json(ctx, 200, body);
    }

    /**
     * {@code GET /v2/models/{name}[/versions/{v}]/ready}: 200 when that version (the primary deployment,
     * without one) is Healthy here, 400 otherwise (the protocol's 4xx for false).
     */
    public void modelReady(RoutingContext ctx) {
        Found found = find(ctx);
        if (found == null) {
            return;
        }
        LiveDeployment d = found.live();
        if (d != null && d.healthy()) {
            json(
                    ctx,
                    200,
                    Json.MAPPER
                            .createObjectNode()
                            .put("name", found.service().record().name())
                            .put("ready", true));
        } else if (d == null) {
            V2Errors.FORMAT.send(ctx, 400, InferenceEndpoint.notHealthy(found.service()));
        } else {
            V2Errors.FORMAT.send(ctx, 400, InferenceEndpoint.notHealthy(found.service(), d));
        }
    }

    /**
     * {@code POST /v2/models/{name}[/versions/{v}]/infer}, before the body is read: service, version, key,
     * state. A version names the deployment that serves it; without one the traffic split (or the
     * {@code azureml-model-deployment} header) decides.
     */
    public void admit(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String deployment = null;
        String version = ctx.pathParam("version");
        if (version != null) {
            LiveService service = endpoint.services().get(name);
            if (service != null) {
                DeploymentSpec spec = deploymentOfVersion(service, version);
                if (spec == null) {
                    V2Errors.FORMAT.send(ctx, 404, noSuchVersion(service, version));
                    return;
                }
                deployment = spec.name();
            }
        }
        if (endpoint.admit(ctx, name, PROTOCOL, V2Errors.FORMAT, deployment) == null) {
            return;
        }
        ctx.next();
    }

    /** After the body is read: decodes, scores through the shared path, and writes the V2 response. */
    public void infer(RoutingContext ctx) {
        infer(new RoutedExchange(ctx), InferenceEndpoint.admitted(ctx));
    }

    /** The same for a request admitted and read by the scoring fast path. */
    public void infer(ScoringExchange exchange, Admission admission) {
        Predictor predictor = admission.predictor();
        // Tensors are read where the body lies; code that reads the request itself gets its own copy.
        BodyBytes view = BodyBytes.of(exchange.body());
        String requestId = exchange.requestId();
        int headerLength;
        try {
            headerLength = headerLength(exchange.request().getHeader(V2ResponseWriter.HEADER_LENGTH_NAME));
        } catch (ScoriaException e) {
            V2Errors.FORMAT.sendFailure(exchange, e);
            return;
        }
        // Read off the event loop, where the request is scored; the writer needs what the reader saw.
        V2Request[] read = new V2Request[1];
        RequestDecoder decoder;
        if (predictor.accepts().contains(InputKind.TENSORS)) {
            decoder = new V2TensorDecoder(requestId, view, headerLength, exchange, request -> read[0] = request);
        } else {
            if (headerLength >= 0) {
                V2Errors.FORMAT.send(
                        exchange.response(),
                        400,
                        "service '" + admission.name() + "' runs code that reads the request itself ("
                                + admission.deployment().spec().runtime()
                                + " runtime): send JSON, without binary tensor data");
                return;
            }
            byte[] body = Arrays.copyOfRange(view.array(), view.offset(), view.offset() + view.length());
            exchange.bodyRead();
            decoder = () -> {
                read[0] = V2RequestReader.read(body, -1);
                return new PayloadRequest(
                        requestId,
                        PROTOCOL,
                        "POST",
                        exchange.request().path(),
                        "application/json",
                        InferenceEndpoint.headersWithoutCredentials(exchange.request()),
                        Map.of(),
                        body);
            };
        }
        endpoint.infer(
                exchange,
                admission,
                view.length(),
                decoder,
                (result, error) -> respond(exchange, admission, read[0], result, error));
    }

    private void respond(
            ScoringExchange exchange, Admission admission, V2Request request, InferenceResult result, Throwable error) {
        if (error != null) {
            fail(exchange, admission, error);
            return;
        }
        String name = admission.name();
        String modelVersion = modelVersion(admission.deployment().spec());
        try {
            if (result instanceof TensorResult tensors) {
                V2ResponseWriter.write(exchange.response(), name, modelVersion, request, tensors);
                return;
            }
            byte[] json;
            if (result instanceof JsonResult value) {
                json = value.json();
            } else {
                PayloadResult payload = (PayloadResult) result;
                if (payload.status() >= 400) {
                    V2Errors.FORMAT.send(exchange.response(), payload.status(), messageOf(payload));
                    return;
                }
                String type = payload.contentType();
                if (type != null && !type.equals("application/json") && !type.endsWith("+json")) {
                    V2ResponseWriter.write(
                            exchange.response(),
                            name,
                            modelVersion,
                            request,
                            JsonAnswerTensors.wrap(Json.MAPPER
                                    .getNodeFactory()
                                    .textNode(new String(payload.body(), StandardCharsets.UTF_8))));
                    return;
                }
                json = payload.body();
            }
            JsonNode answer = Json.MAPPER.readTree(json);
            if (JsonAnswerTensors.isResponse(answer)) {
                ObjectNode response = (ObjectNode) answer;
                if (!response.has("model_name")) {
                    response.put("model_name", name);
                }
                if (!response.has("model_version")) {
                    response.put("model_version", modelVersion);
                }
                if (request.id() != null && !response.has("id")) {
                    response.put("id", request.id());
                }
                exchange.response()
                        .putHeader("Content-Type", "application/json")
                        .end(response.toString());
                return;
            }
            V2ResponseWriter.write(exchange.response(), name, modelVersion, request, JsonAnswerTensors.wrap(answer));
        } catch (IOException e) {
            fail(exchange, admission, e);
        }
    }

    private void fail(ScoringExchange exchange, Admission admission, Throwable cause) {
        if (cause instanceof ScoriaException) {
            V2Errors.FORMAT.sendFailure(exchange, cause);
            return;
        }
        V2Errors.FORMAT.send(exchange.response(), 502, endpoint.scorerFailed(exchange, admission, cause));
    }

    /** A code runtime's error answer as one line: its JSON "message" or "error" when it has one, else its text. */
    private static String messageOf(PayloadResult payload) {
        String text = new String(payload.body(), StandardCharsets.UTF_8);
        try {
            JsonNode parsed = Json.MAPPER.readTree(text);
            if (parsed != null && parsed.hasNonNull("message")) {
                return parsed.get("message").asText();
            }
            if (parsed != null && parsed.hasNonNull("error")) {
                return parsed.get("error").asText();
            }
        } catch (IOException e) {
            // Not JSON: the text itself is the message.
        }
        return text.isBlank() ? "the service answered " + payload.status() : text.strip();
    }

    /** A service and the deployment a metadata route names: by its version, or the primary one. */
    private record Found(LiveService service, DeploymentSpec spec) {
        LiveDeployment live() {
            return service.deployment(spec.name());
        }
    }

    /**
     * What each deployment serves here: its live spec while it has one (a new generation still loading
     * does not change the version clients see), else its committed one.
     */
    private static List<DeploymentSpec> serving(LiveService service) {
        return service.record().deployments().stream()
                .map(d -> {
                    LiveDeployment live = service.deployments().get(d.name());
                    return live != null && live.predictor() != null ? live.spec() : d;
                })
                .toList();
    }

    private Found find(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        LiveService service = endpoint.services().get(name);
        if (service == null) {
            V2Errors.FORMAT.send(ctx, 404, "service '" + name + "' does not exist");
            return null;
        }
        String version = ctx.pathParam("version");
        String primary = service.record().primary().name();
        List<DeploymentSpec> serving = serving(service);
        if (version == null) {
            return new Found(
                    service,
                    serving.stream()
                            .filter(d -> d.name().equals(primary))
                            .findFirst()
                            .orElseThrow());
        }
        DeploymentSpec spec = deploymentOfVersion(service, version);
        if (spec == null) {
            V2Errors.FORMAT.send(ctx, 404, noSuchVersion(service, version));
            return null;
        }
        return new Found(service, spec);
    }

    /** The deployment serving {@code version}: the primary one if it does, else the first that does. */
    public static DeploymentSpec deploymentOfVersion(LiveService service, String version) {
        String primary = service.record().primary().name();
        List<DeploymentSpec> serving = serving(service);
        return serving.stream()
                .filter(d -> modelVersion(d).equals(version))
                .min((a, b) ->
                        Boolean.compare(!a.name().equals(primary), !b.name().equals(primary)))
                .orElse(null);
    }

    private static String noSuchVersion(LiveService service, String version) {
        List<String> versions =
                serving(service).stream().map(V2Routes::modelVersion).distinct().toList();
        return "model '" + service.record().name() + "' has no version " + version + ": it serves version"
                + (versions.size() == 1 ? " " + versions.get(0) : "s " + versions);
    }

    /**
     * The version clients see: the deployed model's version for a single-model deployment, else the
     * deployment's generation (what changes whenever what is served changes).
     */
    static String modelVersion(DeploymentSpec deployment) {
        return deployment.models().size() == 1
                ? String.valueOf(deployment.models().get(0).version())
                : String.valueOf(deployment.generation());
    }

    private static String platform(String runtime) {
        return switch (runtime) {
            case "onnx" -> "onnxruntime_onnx";
            default -> "scoria_" + runtime;
        };
    }

    private static void specs(ArrayNode into, List<TensorSpec> specs) {
        for (TensorSpec spec : specs) {
            ObjectNode node = into.addObject()
                    .put("name", spec.name())
                    .put("datatype", spec.datatype().name());
            ArrayNode shape = node.putArray("shape");
            for (long d : spec.shape()) {
                shape.add(d);
            }
        }
    }

    private static int headerLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int length = Integer.parseInt(value.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw ScoriaException.badInput(V2ResponseWriter.HEADER_LENGTH + " is '" + value + "': expected a byte count");
    }

    private static void json(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.toString());
    }
}
