package dev.scoria.server.http;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.access.AccessTokens;
import dev.scoria.core.access.AuditEntry;
import dev.scoria.core.access.AuditLog;
import dev.scoria.core.access.Caller;
import dev.scoria.core.access.Right;
import dev.scoria.core.auth.AdminToken;
import dev.scoria.core.auth.Secrets;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Guards the management API. Every call under a management prefix is authenticated first (the admin
 * token, or an access token looked up in the store, so a revoke holds at once on every replica) and
 * audited when its answer ends; then each route's {@link Guard} checks the one right it needs. A route
 * under a management prefix without a guard before it is a start-up error, not an open door.
 */
public final class ManagementAccess {

    /** Where a route's answer is kept apart from those of the scoring routes: under these, credentials are checked. */
    static final List<String> PREFIXES = List.of(
            "/api/v1/models",
            "/api/v1/services",
            "/api/v1/operations",
            "/api/v1/workspace",
            "/api/v1/code",
            "/api/v1/replicas",
            "/api/v1/runtimes",
            "/api/v1/access",
            "/api/v1/audit");

    private static final String CALLER = "scoria.caller";
    private static final String CLAIMED_ID = "scoria.claimedCredential";
    private static final String TARGET_SERVICE = "scoria.target.service";

    private final AdminToken adminToken;
    private final AccessTokens tokens;
    private final AuditLog audit;
    private final String replicaId;
    private final Set<Route> authenticating = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Route> guards = Collections.newSetFromMap(new IdentityHashMap<>());

    public ManagementAccess(AdminToken adminToken, AccessTokens tokens, AuditLog audit, String replicaId) {
        this.adminToken = adminToken;
        this.tokens = tokens;
        this.audit = audit;
        this.replicaId = replicaId;
    }

    /** Authenticates (and audits) every call under each of {@link #PREFIXES}. */
    public void authenticateManagementCalls(Router router) {
        for (String prefix : PREFIXES) {
            authenticating.add(router.route(prefix + "*").handler(authenticator(true)));
        }
    }

    /** Checks the credential; {@code audited}: also leaves an audit entry when the answer ends. */
    public Handler<RoutingContext> authenticator(boolean audited) {
        return ctx -> authenticate(ctx, audited);
    }

    private void authenticate(RoutingContext ctx, boolean audited) {
        if (audited) {
            ctx.addEndHandler(done -> audit(ctx));
        }
        String presented = Secrets.bearer(ctx.request().getHeader("Authorization"));
        if (presented == null) {
            HttpErrors.send(
                    ctx,
                    401,
                    "the management API needs 'Authorization: Bearer <token>': the admin token (in"
                            + " <data-dir>/admin-token) or an access token (scoria access create)");
            return;
        }
        if (adminToken.matches(presented)) {
            ctx.put(CALLER, Caller.ADMIN_TOKEN);
            ctx.next();
            return;
        }
        if (!AccessTokens.looksLikeAccessToken(presented)) {
            HttpErrors.send(
                    ctx,
                    401,
                    "the admin token presented is not valid for this workspace, and it is not an access token"
                            + " (those start with " + AccessTokens.PREFIX + ")");
            return;
        }
        AccessTokens.idOf(presented).ifPresent(id -> ctx.put(CLAIMED_ID, id));
        // The store is read off the event loop; the body waits (paused) for the route's body handler.
        ctx.request().pause();
        ctx.vertx().executeBlocking(() -> tokens.authenticate(presented), false).onComplete(result -> {
            if (result.failed()) {
                ctx.request().resume();
                HttpErrors.send(ctx, result.cause());
                return;
            }
            ctx.put(CALLER, result.result());
            ctx.next();
            ctx.request().resume();
        });
    }

    private void audit(RoutingContext ctx) {
        Caller caller = ctx.get(CALLER);
        String path = ctx.request().path();
        List<String> segments = segments(path);
        String service = ctx.get(TARGET_SERVICE);
        String model = null;
        if (service == null && segments.size() > 4 && segments.get(3).equals("services")) {
            service = segments.get(4);
        }
        if (segments.size() > 3 && segments.get(3).equals("models")) {
            model = segments.size() > 5
                    ? segments.get(4) + ":" + segments.get(5)
                    : ctx.request().isExpectMultipart() ? ctx.request().getFormAttribute("name") : null;
        }
        audit.record(new AuditEntry(
                Instant.now(),
                caller != null ? caller.credentialId() : ctx.get(CLAIMED_ID),
                caller != null ? caller.role() : null,
                cut(ctx.request().method().name(), 16),
                cut(path, 2000),
                cut(service, 200),
                cut(model, 300),
                ctx.response().getStatusCode(),
                replicaId));
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            try {
                segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                segments.add(s);
            }
        }
        return segments;
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /**
     * Makes {@code route} (its own route: Vert.x runs body handlers before any other in a route) check
     * {@code guard}; the routes with the same method and path added after it do the work.
     */
    public void guard(Route route, Guard guard) {
        route.handler(guard);
        guards.add(route);
    }

    /** Fails the start if a route under a management prefix was added without a guard route before it. */
    public void checkEveryRouteGuarded(Router router) {
        Set<String> guardedSoFar = new HashSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || PREFIXES.stream().noneMatch(path::startsWith) || authenticating.contains(route)) {
                continue;
            }
            String key = route.methods() + " " + path;
            if (guards.contains(route)) {
                guardedSoFar.add(key);
            } else if (!guardedSoFar.contains(key)) {
                throw new IllegalStateException("management route " + key
                        + " has no access guard before it: add one with ManagementAccess.guard");
            }
        }
    }

    /** The caller a route's guard let through. */
    static Caller caller(RoutingContext ctx) {
        return ctx.get(CALLER);
    }

    /** Every role reads. */
    public Guard read(String action) {
        return new Guard((ctx, caller) -> caller.refusal(Right.READ, action));
    }

    /** An action that is not about one service; tokens limited to some services may do it too. */
    public Guard any(Right right, String action) {
        return new Guard((ctx, caller) -> caller.refusal(right, action));
    }

    /** An action that reaches beyond any one service: tokens limited to some services may not. */
    public Guard unlimited(Right right, String action) {
        return new Guard((ctx, caller) -> caller.refusalUnlessUnlimited(right, action));
    }

    /** An action on the service named in the path ({@code :name}). */
    public Guard service(Right right, String action) {
        return new Guard((ctx, caller) -> caller.refusal(right, action, ctx.pathParam("name")));
    }

    /** An action on the service named by the body's {@code name} field (a deploy); put after the body handler. */
    public Guard newService(Right right, String action) {
        return new Guard((ctx, caller) -> {
            Optional<String> byRole = caller.refusal(right, action + " services");
            if (byRole.isPresent()) {
                return byRole;
            }
            String name;
            try {
                name = JsonFields.parse(ctx.body().buffer()).string("name");
            } catch (ScoriaException e) {
                if (caller.services().all()) {
                    return Optional.empty(); // the route itself says what is wrong with the body
                }
                throw e;
            }
            if (name == null) {
                return caller.services().all()
                        ? Optional.empty()
                        : Optional.of("this token (role " + caller.role().wireName() + ") is limited to services '"
                                + caller.services() + "': a deploy must name the service");
            }
            ctx.put(TARGET_SERVICE, name);
            return caller.refusal(right, action, name);
        });
    }

    /** Checks one right of the authenticated caller: 403 naming what is missing, else on to the route. */
    public static final class Guard implements Handler<RoutingContext> {

        private final BiFunction<RoutingContext, Caller, Optional<String>> refusal;

        private Guard(BiFunction<RoutingContext, Caller, Optional<String>> refusal) {
            this.refusal = refusal;
        }

        @Override
        public void handle(RoutingContext ctx) {
            Caller caller = ctx.get(CALLER);
            if (caller == null) {
                HttpErrors.send(ctx, 401, "this route needs a credential, and none was checked");
                return;
            }
            Optional<String> refused;
            try {
                refused = refusal.apply(ctx, caller);
            } catch (ScoriaException e) {
                HttpErrors.send(ctx, e);
                return;
            }
            if (refused.isPresent()) {
                HttpErrors.send(ctx, 403, refused.get());
            } else {
                ctx.next();
            }
        }
    }
}
