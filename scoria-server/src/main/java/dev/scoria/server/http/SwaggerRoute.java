package dev.scoria.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.schema.IoSchema;
import dev.scoria.core.schema.SwaggerGenerator;
import dev.scoria.core.service.AuthMode;
import dev.scoria.core.service.DeploymentSpec;
import dev.scoria.core.service.LiveDeployment;
import dev.scoria.core.service.LiveService;
import dev.scoria.core.service.LiveServices;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * {@code GET /api/v1/service/{name}/swagger.json[?version=2|3]}. Open to all, as in Azure ML: the
 * document describes the API, it opens nothing.
 */
public final class SwaggerRoute {

    private final LiveServices services;
    private final SwaggerGenerator generator = new SwaggerGenerator();
    private final BaseUrls baseUrls;
    private final String version;

    public SwaggerRoute(LiveServices services, BaseUrls baseUrls, String version) {
        this.services = services;
        this.baseUrls = baseUrls;
        this.version = version;
    }

    public void handle(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        LiveService service = services.get(name);
        if (service == null) {
            HttpErrors.send(ctx, 404, "service '" + name + "' does not exist");
            return;
        }
        Cors.apply(ctx, service.record());
        String requested = ctx.queryParams().get("version");
        boolean v3;
        if (requested == null || requested.equals("2") || requested.equals("2.0")) {
            v3 = false;
        } else if (requested.equals("3") || requested.equals("3.0") || requested.equals("3.0.3")) {
            v3 = true;
        } else {
            HttpErrors.send(ctx, 404, "Swagger version [" + requested + "] is not valid. Supported versions: [2, 3]");
            return;
        }
        // The primary deployment's document (the one with the most traffic), or the one a client names.
        String deploymentName = ctx.queryParams().get("deployment");
        DeploymentSpec spec = service.record().primary();
        if (deploymentName != null) {
            spec = service.record().deployment(deploymentName);
            if (spec == null) {
                HttpErrors.send(
                        ctx,
                        404,
                        "service '" + name + "' has no deployment '" + deploymentName + "': its deployments are "
                                + service.record().deploymentNames());
                return;
            }
        }
        LiveDeployment live = service.deployment(spec.name());
        Predictor predictor = live == null ? null : live.predictor();
        String supplied = spec.schema().swagger();
        if (supplied != null) {
            // The user's own document replaces generation; it is served for the version it is written in.
            boolean suppliedV3;
            try {
                suppliedV3 = Json.MAPPER.readTree(supplied).has("openapi");
            } catch (IOException e) {
                HttpErrors.send(ctx, e);
                return;
            }
            if (suppliedV3 != v3) {
                HttpErrors.send(
                        ctx,
                        404,
                        "service '" + name + "' has a user-supplied " + (suppliedV3 ? "OpenAPI 3" : "Swagger 2.0")
                                + " document only: ask for ?version=" + (suppliedV3 ? "3" : "2"));
                return;
            }
            ctx.response().putHeader("Content-Type", "application/json").end(supplied);
            return;
        }
        IoSchema schema = predictor != null ? predictor.schema() : IoSchema.unknown();
        SwaggerGenerator.Target target = new SwaggerGenerator.Target(
                name, baseUrls.of(ctx), service.record().authMode() != AuthMode.NONE, version);
        ObjectNode doc = v3 ? generator.openApi3(target, schema) : generator.swagger2(target, schema);
        ctx.response().putHeader("Content-Type", "application/json").end(doc.toString());
    }
}
