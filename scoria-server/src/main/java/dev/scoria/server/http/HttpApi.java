package dev.scoria.server.http;

import dev.scoria.core.access.AccessTokens;
import dev.scoria.core.access.AuditLog;
import dev.scoria.core.access.Right;
import dev.scoria.core.artifact.ArtifactStore;
import dev.scoria.core.auth.AdminToken;
import dev.scoria.core.auth.TokenService;
import dev.scoria.core.model.ModelRegistry;
import dev.scoria.core.runtime.RuntimeRegistry;
import dev.scoria.core.service.LiveServices;
import dev.scoria.core.service.ServiceAuthenticator;
import dev.scoria.core.service.ServiceControl;
import dev.scoria.core.service.ServiceLogs;
import dev.scoria.server.http.azure.AzureScoreRoute;
import dev.scoria.server.http.v2.V2Routes;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Every route of the server, in one place so that the whole surface can be read at a glance. */
public final class HttpApi {

    private static final long MANAGEMENT_BODY_LIMIT = 16L * 1024 * 1024;
    private static final String SERVICE = "/api/v1/service/:name";
    private static final String V2_MODEL = "/v2/models/:name";

    private HttpApi() {}

    /**
     * @param ready whether this replica should get traffic: every service it serves is loaded, and it is not
     *     shutting down
     */
    public static Handler<HttpServerRequest> handler(
            Vertx vertx,
            ServiceControl services,
            LiveServices live,
            ServiceLogs logs,
            BooleanSupplier ready,
            ModelRegistry models,
            RuntimeRegistry runtimes,
            ArtifactStore artifacts,
            AdminToken adminToken,
            AccessTokens accessTokens,
            AuditLog audit,
            String replicaId,
            TokenService tokens,
            BaseUrls baseUrls,
            long maxBodyBytes,
            BodyBudget bodies,
            long maxModelBytes,
            Path uploadsDir,
            String version,
            ServingMetrics metrics,
            boolean metricsOnThisPort) {
        Router router = Router.router(vertx);
        BlockingReplies replies = new BlockingReplies(vertx);
        InferenceEndpoint inference = new InferenceEndpoint(live, logs, new ServiceAuthenticator(tokens), metrics);
        AzureScoreRoute score = new AzureScoreRoute(inference);
        SwaggerRoute swagger = new SwaggerRoute(live, baseUrls, version);
        ModelRoutes modelRoutes = new ModelRoutes(models, replies);
        ServiceRoutes serviceRoutes = new ServiceRoutes(services, replies, baseUrls, tokens);
        WorkspaceRoutes workspace = new WorkspaceRoutes(adminToken, tokens, replies, baseUrls);
        ManagementAccess access = new ManagementAccess(adminToken, accessTokens, audit, replicaId);

        router.route().handler(new AccessLog(metrics));
        router.route().handler(new EarlyAnswers());
        router.route().handler(new RequestIds());

        // Scoring requests that will be let in go by the fast path (DirectScoring), in front of all this; the routes
        // below take every other one, and answer the refusals. Scoring first: the router tries routes in order, and
        // these take nearly every request. Two routes per
        // path, not one chain: the key is checked before a byte of the body is read.
        // Preallocated from Content-Length (Vert.x caps it at 64 KiB): no 1 KiB guess per small request,
        // no doubling copies for a large one.
        BodyHandler scoreBody =
                BodyHandler.create(false).setBodyLimit(maxBodyBytes).setPreallocateBodyBuffer(true);
        V2Routes v2 = new V2Routes(inference, ready, version);
        DirectScoring direct = new DirectScoring(inference, score, v2, metrics, maxBodyBytes, bodies);
        router.post(SERVICE + "/score").handler(score::admit).handler(bodies::admit);
        router.post(SERVICE + "/score").handler(scoreBody).handler(score::score);
        for (String model : new String[] {V2_MODEL, V2_MODEL + "/versions/:version"}) {
            router.post(model + "/infer").handler(v2::admit).handler(bodies::admit);
            router.post(model + "/infer").handler(scoreBody).handler(v2::infer);
        }

        // The web console (static files; it uses the management API below like any client).
        boolean console = ConsoleRoutes.mount(router, uploadsDir.resolveSibling("console"));

        // Data plane. A browser opening the server's root is sent to the console; clients still read "Healthy".
        router.get("/").handler(ctx -> {
            if (console && ConsoleRoutes.prefersHtml(ctx.request().getHeader("Accept"))) {
                ConsoleRoutes.redirect(ctx, ConsoleRoutes.PATH);
            } else {
                text(ctx, 200, "Healthy");
            }
        });
        // Readiness reads memory only: it stays 200 while the database is away, since scoring goes on.
        router.get("/ready").handler(ctx -> {
            boolean yes = ready.getAsBoolean();
            text(ctx, yes ? 200 : 503, yes ? "Ready" : "Not ready");
        });
        // Azure's GET scoring (query parameters as the input) and CORS preflights.
        for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.OPTIONS}) {
            router.route(method, SERVICE + "/score").handler(score::admit);
            router.route(method, SERVICE + "/score").handler(scoreBody).handler(score::score);
        }

        // The Open Inference Protocol (v2), for every service, over the same inference path.
        router.get("/v2/health/live").handler(v2::live);
        router.get("/v2/health/ready").handler(v2::ready);
        router.get("/v2").handler(v2::serverMetadata);
        for (String model : new String[] {V2_MODEL, V2_MODEL + "/versions/:version"}) {
            router.get(model).handler(v2::modelMetadata);
            router.get(model + "/ready").handler(v2::modelReady);
            router.options(model + "/infer").handler(v2::admit);
        }
        router.get(SERVICE + "/swagger.json").handler(swagger::handle);
        router.get(SERVICE + "/").handler(ctx -> serviceHealth(ctx, live));
        router.get(SERVICE).handler(ctx -> serviceHealth(ctx, live));

        // Management API: every call is authenticated and audited, and each route checks the one right it needs
        // (docs/access.md has the table). Each guard is a route of its own before the route that does the work, as
        // Vert.x runs body handlers first within a route: so a reader's upload is refused before it is read. A
        // deploy's guard reads the JSON body, to check the service's name against a token limited to some.
        access.authenticateManagementCalls(router);
        if (metricsOnThisPort) {
            // Metrics name every service: on the main port they need a credential (any role; not audited, as
            // scrapers call every few seconds).
            router.get("/metrics")
                    .handler(access.authenticator(false))
                    .handler(access.read("read metrics"))
                    .handler(ctx -> metricsAnswer(ctx, metrics));
        }
        // Public, like every JWKS: it lets anyone verify a token, and opens nothing.
        router.get("/api/v1/.well-known/jwks.json").handler(workspace::jwks);
        access.guard(router.get("/api/v1/workspace"), access.read("show the workspace"));
        router.get("/api/v1/workspace").handler(workspace::describe);
        access.guard(
                router.post("/api/v1/workspace/rotate-admin-token"),
                access.unlimited(Right.ADMIN, "rotate the admin token"));
        router.post("/api/v1/workspace/rotate-admin-token").handler(workspace::rotateAdminToken);
        access.guard(
                router.post("/api/v1/workspace/rotate-signing-key"),
                access.unlimited(Right.ADMIN, "rotate the token-signing key"));
        router.post("/api/v1/workspace/rotate-signing-key").handler(workspace::rotateSigningKey);
        BodyHandler json = BodyHandler.create(false).setBodyLimit(MANAGEMENT_BODY_LIMIT);
        BodyHandler upload = BodyHandler.create(uploadsDir.toString())
                .setBodyLimit(maxModelBytes)
                .setDeleteUploadedFilesOnEnd(true)
                .setMergeFormAttributes(false);
        access.guard(router.post("/api/v1/models"), access.any(Right.DEPLOY, "register models"));
        router.post("/api/v1/models").handler(upload).handler(modelRoutes::register);
        access.guard(router.post("/api/v1/code"), access.any(Right.DEPLOY, "upload code"));
        router.post("/api/v1/code").handler(upload).handler(new CodeRoutes(artifacts, replies)::upload);
        access.guard(router.get("/api/v1/models"), access.read("list models"));
        router.get("/api/v1/models").handler(modelRoutes::list);
        access.guard(router.get("/api/v1/models/:name/:version"), access.read("show models"));
        router.get("/api/v1/models/:name/:version").handler(modelRoutes::get);
        access.guard(router.delete("/api/v1/models/:name/:version"), access.unlimited(Right.DEPLOY, "delete models"));
        router.delete("/api/v1/models/:name/:version").handler(modelRoutes::delete);
        access.guard(router.post("/api/v1/services").handler(json), access.newService(Right.DEPLOY, "deploy"));
        router.post("/api/v1/services").handler(serviceRoutes::create);
        access.guard(router.get("/api/v1/services"), access.read("list services"));
        router.get("/api/v1/services").handler(serviceRoutes::list);
        access.guard(router.get("/api/v1/services/:name"), access.service(Right.READ, "show"));
        router.get("/api/v1/services/:name").handler(serviceRoutes::get);
        access.guard(router.patch("/api/v1/services/:name"), access.service(Right.DEPLOY, "update"));
        router.patch("/api/v1/services/:name").handler(json).handler(serviceRoutes::update);
        access.guard(router.delete("/api/v1/services/:name"), access.service(Right.DEPLOY, "delete"));
        router.delete("/api/v1/services/:name").handler(serviceRoutes::delete);
        access.guard(router.post("/api/v1/services/:name/listkeys"), access.service(Right.KEYS, "read the keys of"));
        router.post("/api/v1/services/:name/listkeys").handler(serviceRoutes::listKeys);
        access.guard(
                router.post("/api/v1/services/:name/regenerateKeys"), access.service(Right.KEYS, "regenerate keys of"));
        router.post("/api/v1/services/:name/regenerateKeys").handler(json).handler(serviceRoutes::regenerateKeys);
        access.guard(router.get("/api/v1/services/:name/logs"), access.service(Right.READ, "read the logs of"));
        router.get("/api/v1/services/:name/logs").handler(serviceRoutes::logs);
        access.guard(router.post("/api/v1/services/:name/token"), access.service(Right.KEYS, "get a token for"));
        router.post("/api/v1/services/:name/token").handler(serviceRoutes::token);
        access.guard(router.get("/api/v1/operations/:id"), access.read("show operations"));
        router.get("/api/v1/operations/:id").handler(serviceRoutes::operation);
        access.guard(router.get("/api/v1/replicas"), access.read("list replicas"));
        router.get("/api/v1/replicas").handler(serviceRoutes::replicas);
        DeploymentRoutes deployments = new DeploymentRoutes(services, replies, baseUrls);
        access.guard(
                router.get("/api/v1/services/:name/deployments"),
                access.service(Right.READ, "list the deployments of"));
        router.get("/api/v1/services/:name/deployments").handler(deployments::list);
        access.guard(
                router.post("/api/v1/services/:name/deployments"), access.service(Right.DEPLOY, "add a deployment to"));
        router.post("/api/v1/services/:name/deployments").handler(json).handler(deployments::create);
        access.guard(
                router.get("/api/v1/services/:name/deployments/:deployment"),
                access.service(Right.READ, "show a deployment of"));
        router.get("/api/v1/services/:name/deployments/:deployment").handler(deployments::get);
        access.guard(
                router.patch("/api/v1/services/:name/deployments/:deployment"),
                access.service(Right.DEPLOY, "update a deployment of"));
        router.patch("/api/v1/services/:name/deployments/:deployment")
                .handler(json)
                .handler(deployments::update);
        access.guard(
                router.delete("/api/v1/services/:name/deployments/:deployment"),
                access.service(Right.DEPLOY, "delete a deployment of"));
        router.delete("/api/v1/services/:name/deployments/:deployment").handler(deployments::delete);
        access.guard(
                router.put("/api/v1/services/:name/traffic"),
                access.service(Right.DEPLOY, "change the traffic split of"));
        router.put("/api/v1/services/:name/traffic").handler(json).handler(deployments::traffic);
        access.guard(
                router.put("/api/v1/services/:name/mirror"),
                access.service(Right.DEPLOY, "change the mirror traffic of"));
        router.put("/api/v1/services/:name/mirror").handler(json).handler(deployments::mirror);
        access.guard(router.get("/api/v1/runtimes"), access.read("list runtimes"));
        router.get("/api/v1/runtimes").handler(new RuntimeRoutes(runtimes)::list);
        AccessRoutes accessRoutes = new AccessRoutes(accessTokens, audit, replies);
        access.guard(router.post("/api/v1/access/tokens"), access.unlimited(Right.ADMIN, "create access tokens"));
        router.post("/api/v1/access/tokens").handler(json).handler(accessRoutes::create);
        access.guard(router.get("/api/v1/access/tokens"), access.unlimited(Right.ADMIN, "list access tokens"));
        router.get("/api/v1/access/tokens").handler(accessRoutes::list);
        access.guard(router.delete("/api/v1/access/tokens/:id"), access.unlimited(Right.ADMIN, "revoke access tokens"));
        router.delete("/api/v1/access/tokens/:id").handler(accessRoutes::revoke);
        access.guard(router.get("/api/v1/audit"), access.unlimited(Right.ADMIN, "read the audit log"));
        router.get("/api/v1/audit").handler(accessRoutes::audit);
        access.checkEveryRouteGuarded(router);

        // Vert.x's body handler reports a body that stopped or could not be decoded with status 200.
        router.errorHandler(200, BrokenBodies::whileRead);
        router.errorHandler(400, ctx -> {
            if (BrokenBodies.refusedByCodec(ctx.failure())) {
                BrokenBodies.answer(ctx);
                return;
            }
            errorsFor(ctx).send(ctx, 400, unreadable(ctx));
        });
        router.errorHandler(
                404,
                ctx -> errorsFor(ctx)
                        .send(ctx, 404, "The requested URL " + ctx.request().path() + " was not found on the server."));
        router.errorHandler(405, ctx -> {
            String allowed = AllowedMethods.of(router, ctx.request().path());
            if (!allowed.isEmpty()) {
                ctx.response().putHeader("Allow", allowed);
            }
            errorsFor(ctx)
                    .send(
                            ctx,
                            405,
                            "The method " + ctx.request().method() + " is not allowed for the requested URL"
                                    + (allowed.isEmpty() ? "." : ": it takes " + allowed + "."));
        });
        router.errorHandler(
                413,
                ctx -> errorsFor(ctx)
                        .send(
                                ctx,
                                413,
                                "request body exceeds the limit of "
                                        + (ctx.request().path().startsWith("/api/v1/models")
                                                ? maxModelBytes
                                                : maxBodyBytes)
                                        + " bytes"));
        router.errorHandler(
                500,
                ctx -> errorsFor(ctx)
                        .sendFailure(ctx, ctx.failure() == null ? new IllegalStateException("failed") : ctx.failure()));
        return direct.before(router);
    }

    private static ErrorFormat errorsFor(RoutingContext ctx) {
        return ErrorFormat.forPath(ctx.request().path());
    }

    static void metricsAnswer(RoutingContext ctx, ServingMetrics metrics) {
        ctx.vertx().executeBlocking(metrics::scrape, false).onComplete(r -> {
            if (r.failed()) {
                HttpErrors.send(ctx, r.cause());
            } else {
                ctx.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(r.result());
            }
        });
    }

    /** A router with only {@code GET /metrics}, unauthenticated, for a separate (e.g. internal) metrics port. */
    public static Router metricsRouter(Vertx vertx, ServingMetrics metrics) {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> metricsAnswer(ctx, metrics));
        return router;
    }

    private static void serviceHealth(RoutingContext ctx, LiveServices live) {
        String name = ctx.pathParam("name");
        var service = live.get(name);
        if (service == null) {
            HttpErrors.send(ctx, 404, "service '" + name + "' does not exist");
        } else if (service.healthy()) {
            text(ctx, 200, "Healthy");
        } else {
            HttpErrors.send(
                    ctx,
                    503,
                    "service '" + name + "' is " + service.record().state()
                            + (service.record().error() != null
                                    ? ": " + service.record().error()
                                    : ""));
        }
    }

    private static void text(RoutingContext ctx, int status, String body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(body);
    }

    /**
     * Why the router could not take a request: the failure's own message, or, as the router gives none for it, a
     * path with a percent sign not followed by two hexadecimal digits.
     */
    private static String unreadable(RoutingContext ctx) {
        if (ctx.failure() != null && ctx.failure().getMessage() != null) {
            return "the request could not be read: " + ctx.failure().getMessage();
        }
        String uri = ctx.request().uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length()
                    || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return "the request path has a '%' at character " + (i + 1)
                        + " not followed by two hexadecimal digits: escape a '%' itself as %25";
            }
        }
        return "the request could not be read";
    }
}
