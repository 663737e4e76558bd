package dev.scoria.server.http;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.service.DeployRequest;
import dev.scoria.core.service.DeploymentSpec;
import dev.scoria.core.service.Operation;
import dev.scoria.core.service.ServiceControl;
import dev.scoria.core.service.ServiceUpdate;
import dev.scoria.core.service.ServiceView;
import dev.scoria.server.http.SettingField.Change;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/services/{name}/deployments}, {@code …/traffic} and {@code …/mirror}: the deployments of
 * a service, and how its requests are shared between them (blue/green rollouts and shadow traffic).
 */
public final class DeploymentRoutes {

    private static final Set<String> CREATE_FIELDS = DeployBody.union(
            List.of(DeployBody.NAME, DeployBody.MODELS),
            SettingField.deploymentWireNames(Change.ANY_TIME),
            SettingField.deploymentWireNames(Change.AT_DEPLOY),
            DeployBody.SAMPLES);
    private static final Set<String> PATCH_FIELDS =
            DeployBody.union(SettingField.deploymentWireNames(Change.ANY_TIME), List.of(DeployBody.MODELS));
    private static final Set<String> FIXED_AT_CREATE = DeployBody.union(
            List.of(DeployBody.NAME), SettingField.deploymentWireNames(Change.AT_DEPLOY), DeployBody.SAMPLES);

    private final ServiceControl services;
    private final BlockingReplies replies;
    private final BaseUrls baseUrls;

    public DeploymentRoutes(ServiceControl services, BlockingReplies replies, BaseUrls baseUrls) {
        this.services = services;
        this.replies = replies;
        this.baseUrls = baseUrls;
    }

    public void list(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        replies.run(ctx, () -> {
            ServiceView view = services.view(name);
            List<Object> rows = new ArrayList<>();
            for (DeploymentSpec d : view.record().deployments()) {
                rows.add(Representations.deployment(view.record(), d, view.deploymentStatus(d.name())));
            }
            return Reply.ok(Json.MAPPER.createObjectNode().set("value", Json.MAPPER.valueToTree(rows)));
        });
    }

    public void get(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String deployment = ctx.pathParam("deployment");
        replies.run(ctx, () -> Reply.ok(deploymentJson(services.view(name), deployment)));
    }

    public void create(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        replies.run(ctx, () -> {
            JsonFields f = JsonFields.parse(ctx.body().buffer());
            f.requireKnown(CREATE_FIELDS, Set.of(), "a deployment create");
            Operation op = services.createDeployment(
                    name,
                    new DeployRequest(
                            f.requiredString(DeployBody.NAME),
                            SettingField.readDeploy(f),
                            DeployBody.deployedModels(f),
                            DeployBody.schema(f)));
            return new Reply(
                    202,
                    deploymentJson(services.view(name), op.deployment()),
                    Map.of("Operation-Location", "/api/v1/operations/" + op.id()));
        });
    }

    public void update(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String deployment = ctx.pathParam("deployment");
        replies.run(ctx, () -> {
            JsonFields f = JsonFields.parse(ctx.body().buffer());
            f.requireKnown(PATCH_FIELDS, FIXED_AT_CREATE, "a deployment PATCH");
            Operation op = services.updateDeployment(
                    name,
                    deployment,
                    new ServiceUpdate(
                            SettingField.readPatch(f),
                            DeployBody.optionalModels(f),
                            SettingField.readInferencePatch(f)));
            Map<String, String> headers = op.state() == Operation.State.Running
                    ? Map.of("Operation-Location", "/api/v1/operations/" + op.id())
                    : Map.of();
            return new Reply(200, deploymentJson(services.view(name), deployment), headers);
        });
    }

    public void delete(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String deployment = ctx.pathParam("deployment");
        replies.run(ctx, () -> {
            services.deleteDeployment(name, deployment);
            return Reply.ok(Json.MAPPER.createObjectNode().put("deleted", deployment));
        });
    }

    /** {@code PUT …/traffic} with {@code {"blue": 90, "green": 10}}: the live split, summing to 100. */
    public void traffic(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String baseUrl = baseUrls.of(ctx);
        replies.run(ctx, () -> {
            Map<String, Integer> live = JsonFields.parse(ctx.body().buffer()).percentages("traffic");
            services.setTraffic(name, live);
            return Reply.ok(Representations.service(services.view(name), baseUrl));
        });
    }

    /** {@code PUT …/mirror} with {@code {"green": 10}}, or {@code {}} to stop mirroring. */
    public void mirror(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String baseUrl = baseUrls.of(ctx);
        replies.run(ctx, () -> {
            Map<String, Integer> mirror = JsonFields.parse(ctx.body().buffer()).percentages("mirror traffic");
            if (mirror.size() > 1) {
                throw ScoriaException.badInput(
                        "mirror traffic names " + mirror.keySet() + ": one deployment at a time can be mirrored");
            }
            Map.Entry<String, Integer> only =
                    mirror.isEmpty() ? null : mirror.entrySet().iterator().next();
            services.setMirror(name, only == null ? null : only.getKey(), only == null ? 0 : only.getValue());
            return Reply.ok(Representations.service(services.view(name), baseUrl));
        });
    }

    private static Object deploymentJson(ServiceView view, String deployment) {
        DeploymentSpec d = view.record().requireDeployment(deployment);
        return Representations.deployment(view.record(), d, view.deploymentStatus(deployment));
    }
}
