package dev.scoria.server.http;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.auth.TokenService;
import dev.scoria.core.model.ModelFile;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.DeployRequest;
import dev.scoria.core.service.InferenceSpec;
import dev.scoria.core.service.KeyType;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.SchemaSpec;
import dev.scoria.core.service.ServiceControl;
import dev.scoria.core.service.ServiceLimits;
import dev.scoria.core.service.ServiceUpdate;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/services} and {@code /api/v1/operations}: deploy, inspect, change and delete services. */
public final class ServiceRoutes {

    private final ServiceControl services;
    private final BlockingReplies replies;
    private final BaseUrls baseUrls;
    private final TokenService tokens;

    public ServiceRoutes(ServiceControl services, BlockingReplies replies, BaseUrls baseUrls, TokenService tokens) {
        this.services = services;
        this.replies = replies;
        this.baseUrls = baseUrls;
        this.tokens = tokens;
    }

    public void token(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        replies.run(ctx, () -> Reply.ok(Representations.token(services.token(name, tokens))));
    }

    public void create(RoutingContext ctx) {
        String baseUrl = baseUrls.of(ctx);
        replies.run(ctx, () -> {
            JsonFields f = JsonFields.parse(ctx.body().buffer());
            List<String> modelIds = f.stringList("models");
            if (modelIds == null) {
                throw ScoriaException.badInput(
                        "field 'models' is required: a list of registered models as 'name:version'");
            }
            ServiceLimits limits = new ServiceLimits(
                    orDefault(f.integer("scoringTimeoutMs"), ServiceLimits.DEFAULTS.scoringTimeoutMs()),
                    orDefault(
                            f.integer("maxConcurrentRequestsPerContainer"),
                            ServiceLimits.DEFAULTS.maxConcurrentRequestsPerContainer()),
                    orDefault(f.integer("maxQueueWaitMs"), ServiceLimits.DEFAULTS.maxQueueWaitMs()),
                    orDefault(f.integer("maxBatchSize"), ServiceLimits.DEFAULTS.maxBatchSize()),
                    orDefault(f.integer("maxBatchDelayMicros"), ServiceLimits.DEFAULTS.maxBatchDelayMicros()));
            String runtime = f.string("runtime");
            InferenceSpec inference = new InferenceSpec(
                    runtime == null ? "onnx" : runtime, code(f), f.string("entry"), f.stringMap("config"));
            Operation op = services.deploy(new DeployRequest(
                    f.requiredString("name"),
                    f.string("description"),
                    f.stringMap("kvTags"),
                    f.stringMap("properties"),
                    inference,
                    modelIds.stream().map(ModelRef::parse).toList(),
                    authMode(f),
                    limits,
                    f.stringList("corsOrigins"),
                    new SchemaSpec(f.rawJson("inputExample"), f.rawJson("outputExample"), f.rawJson("swagger"))));
            return new Reply(
                    202,
                    Representations.service(services.view(op.serviceName()), baseUrl),
                    Map.of("Operation-Location", "/api/v1/operations/" + op.id()));
        });
    }

    public void list(RoutingContext ctx) {
        String baseUrl = baseUrls.of(ctx);
        var q = ctx.queryParams();
        replies.run(
                ctx,
                () -> Reply.ok(Representations.list(
                        services.list(q.get("modelName"), q.get("modelId"), q.get("tags"), q.get("properties")).stream()
                                .map(v -> Representations.service(v, baseUrl))
                                .toList())));
    }

    public void get(RoutingContext ctx) {
        String baseUrl = baseUrls.of(ctx);
        replies.run(ctx, () -> Reply.ok(Representations.service(services.view(ctx.pathParam("name")), baseUrl)));
    }

    public void update(RoutingContext ctx) {
        String baseUrl = baseUrls.of(ctx);
        String name = ctx.pathParam("name");
        replies.run(ctx, () -> {
            JsonFields f = JsonFields.parse(ctx.body().buffer());
            List<String> modelIds = f.stringList("models");
            AuthMode auth = f.has("authMode") || f.has("authEnabled") || f.has("tokenAuthEnabled") ? authMode(f) : null;
            Operation op = services.update(
                    name,
                    new ServiceUpdate(
                            f.string("description"),
                            f.stringMap("kvTags"),
                            f.stringMap("properties"),
                            auth,
                            f.integer("scoringTimeoutMs"),
                            f.integer("maxConcurrentRequestsPerContainer"),
                            f.integer("maxQueueWaitMs"),
                            f.integer("maxBatchSize"),
                            f.integer("maxBatchDelayMicros"),
                            f.stringList("corsOrigins"),
                            modelIds == null
                                    ? null
                                    : modelIds.stream().map(ModelRef::parse).toList()));
            Map<String, String> headers = op.state() == Operation.State.Running
                    ? Map.of("Operation-Location", "/api/v1/operations/" + op.id())
                    : Map.of();
            return new Reply(200, Representations.service(services.view(name), baseUrl), headers);
        });
    }

    public void delete(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        replies.run(ctx, () -> {
            services.delete(name);
            return Reply.ok(Json.MAPPER.createObjectNode().put("deleted", name));
        });
    }

    public void listKeys(RoutingContext ctx) {
        replies.run(
                ctx,
                () -> Reply.ok(
                        Representations.keys(services.get(ctx.pathParam("name")).keys())));
    }

    public void regenerateKeys(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        replies.run(ctx, () -> {
            JsonFields f = JsonFields.parse(ctx.body().buffer());
            KeyType type = KeyType.parse(f.requiredString("keyType"));
            return Reply.ok(Representations.keys(services.regenerateKey(name, type, f.string("keyValue"))));
        });
    }

    public void logs(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String tailText = ctx.queryParams().get("tail");
        replies.run(ctx, () -> {
            int tail;
            try {
                tail = tailText == null ? 5000 : Integer.parseInt(tailText);
            } catch (NumberFormatException e) {
                throw ScoriaException.badInput("query parameter 'tail' must be a whole number, saw '" + tailText + "'");
            }
            return Reply.ok(Json.MAPPER.createObjectNode().put("content", services.logs(name, tail)));
        });
    }

    public void replicas(RoutingContext ctx) {
        replies.run(ctx, () -> Reply.ok(Representations.replicas(services.replicas(), Instant.now())));
    }

    public void operation(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        replies.run(
                ctx,
                () -> Reply.ok(Representations.operation(services.operation(id)
                        .orElseThrow(() -> ScoriaException.notFound("operation '" + id + "' does not exist")))));
    }

    /** {@code code}: a package uploaded with {@code POST /api/v1/code}, as {"sha256": …, "fileName": …}. */
    private static ModelFile code(JsonFields f) {
        Map<String, String> code = f.stringMap("code");
        if (code == null) {
            return null;
        }
        String sha = code.get("sha256");
        if (sha == null || !sha.matches("[0-9a-f]{64}")) {
            throw ScoriaException.badInput(
                    "field 'code.sha256' must be the sha256 (64 hex digits) of an uploaded code package");
        }
        String fileName = code.getOrDefault("fileName", "scorer.jar");
        long size = 0;
        try {
            size = Long.parseLong(code.getOrDefault("size", "0"));
        } catch (NumberFormatException e) {
            throw ScoriaException.badInput("field 'code.size' must be a whole number");
        }
        return new ModelFile(fileName, sha, size);
    }

    /** {@code authMode}, or Azure's booleans {@code authEnabled} / {@code tokenAuthEnabled}; key by default. */
    private static AuthMode authMode(JsonFields f) {
        String mode = f.string("authMode");
        Boolean key = f.bool("authEnabled");
        Boolean token = f.bool("tokenAuthEnabled");
        if (Boolean.TRUE.equals(key) && Boolean.TRUE.equals(token)) {
            throw ScoriaException.badInput(
                    "authEnabled and tokenAuthEnabled cannot both be true: a service uses key or token auth, not both");
        }
        if (mode != null) {
            AuthMode parsed = AuthMode.parse(mode);
            if (key != null && key != (parsed == AuthMode.KEY)
                    || token != null && token != (parsed == AuthMode.TOKEN)) {
                throw ScoriaException.badInput("authMode '" + mode + "' contradicts authEnabled/tokenAuthEnabled");
            }
            return parsed;
        }
        if (Boolean.TRUE.equals(token)) {
            return AuthMode.TOKEN;
        }
        if (Boolean.FALSE.equals(key)) {
            return AuthMode.NONE;
        }
        return AuthMode.KEY;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
