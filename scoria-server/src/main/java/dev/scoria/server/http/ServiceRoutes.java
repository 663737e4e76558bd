package dev.scoria.server.http;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.auth.TokenService;
import dev.scoria.core.service.DeployRequest;
import dev.scoria.core.service.KeyType;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.ServiceControl;
import dev.scoria.core.service.ServiceUpdate;
import dev.scoria.server.http.SettingField.Change;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/v1/services} and {@code /api/v1/operations}: deploy, inspect, change and delete services. */
public final class ServiceRoutes {

    private static final Set<String> DEPLOY_FIELDS = DeployBody.union(
            List.of(DeployBody.NAME, DeployBody.MODELS),
            SettingField.wireNames(Change.ANY_TIME),
            SettingField.wireNames(Change.AT_DEPLOY),
            DeployBody.SAMPLES);
    private static final Set<String> PATCH_FIELDS =
            DeployBody.union(SettingField.wireNames(Change.ANY_TIME), List.of(DeployBody.MODELS));
    private static final Set<String> FIXED_AT_DEPLOY =
            DeployBody.union(List.of(DeployBody.NAME), SettingField.wireNames(Change.AT_DEPLOY), DeployBody.SAMPLES);

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
            f.requireKnown(DEPLOY_FIELDS, Set.of(), "a deploy");
            Operation op = services.deploy(new DeployRequest(
                    f.requiredString(DeployBody.NAME),
                    SettingField.readDeploy(f),
                    DeployBody.deployedModels(f),
                    DeployBody.schema(f)));
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
            f.requireKnown(PATCH_FIELDS, FIXED_AT_DEPLOY, "PATCH");
            Operation op = services.update(
                    name,
                    new ServiceUpdate(
                            SettingField.readPatch(f),
                            DeployBody.optionalModels(f),
                            SettingField.readInferencePatch(f)));
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
}
