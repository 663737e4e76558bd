package dev.scoria.server.http;

import dev.scoria.core.auth.AdminToken;
import dev.scoria.core.auth.TokenService;
import io.vertx.ext.web.RoutingContext;

/** {@code /api/v1/workspace}: the workspace's identity, and rotation of its admin token and signing key. */
public final class WorkspaceRoutes {

    private final AdminToken adminToken;
    private final TokenService tokens;
    private final BlockingReplies replies;
    private final BaseUrls baseUrls;

    public WorkspaceRoutes(AdminToken adminToken, TokenService tokens, BlockingReplies replies, BaseUrls baseUrls) {
        this.adminToken = adminToken;
        this.tokens = tokens;
        this.replies = replies;
        this.baseUrls = baseUrls;
    }

    public void describe(RoutingContext ctx) {
        String base = baseUrls.of(ctx);
        replies.run(ctx, () -> {
            var n = Json.MAPPER.createObjectNode();
            n.put("issuer", tokens.issuer());
            n.put("activeSigningKey", tokens.activeKid());
            n.put("jwksUri", base + "/api/v1/.well-known/jwks.json");
            n.put("tokenRefreshAfterSeconds", tokens.policy().refreshAfter().toSeconds());
            n.put("tokenLifetimeSeconds", tokens.policy().lifetime().toSeconds());
            return Reply.ok(n);
        });
    }

    public void rotateAdminToken(RoutingContext ctx) {
        replies.run(ctx, () -> Reply.ok(Json.MAPPER.createObjectNode().put("adminToken", adminToken.rotate())));
    }

    public void rotateSigningKey(RoutingContext ctx) {
        replies.run(ctx, () -> {
            String previous = tokens.activeKid();
            boolean revoke = QueryFlags.flag(ctx, "revoke");
            String kid = revoke ? tokens.rotateAndRevoke() : tokens.rotate();
            return Reply.ok(
                    Json.MAPPER.createObjectNode().put("activeSigningKey", kid).put("retiredSigningKey", previous));
        });
    }

    public void jwks(RoutingContext ctx) {
        replies.run(ctx, () -> Reply.ok(tokens.jwks()));
    }
}
