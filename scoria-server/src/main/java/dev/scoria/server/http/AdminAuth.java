package dev.scoria.server.http;

import dev.scoria.core.auth.AdminToken;
import dev.scoria.core.auth.Secrets;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Guards the management API: only the workspace's admin token opens it; service keys never do. */
public final class AdminAuth implements Handler<RoutingContext> {

    private final AdminToken token;

    public AdminAuth(AdminToken token) {
        this.token = token;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String presented = Secrets.bearer(ctx.request().getHeader("Authorization"));
        if (presented == null) {
            HttpErrors.send(
                    ctx,
                    401,
                    "the management API needs 'Authorization: Bearer <admin token>'"
                            + " (the token is in <data-dir>/admin-token)");
            return;
        }
        if (!token.matches(presented)) {
            HttpErrors.send(ctx, 401, "the admin token presented is not valid for this workspace");
            return;
        }
        ctx.next();
    }
}
