package dev.scoria.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.access.AccessCredential;
import dev.scoria.core.access.AccessTokens;
import dev.scoria.core.access.AuditEntry;
import dev.scoria.core.access.AuditLog;
import dev.scoria.core.access.Caller;
import dev.scoria.core.access.IssuedToken;
import dev.scoria.core.access.Lifetime;
import dev.scoria.core.access.Role;
import dev.scoria.core.access.ServicePatterns;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** {@code /api/v1/access/tokens} (create, list, revoke access tokens) and {@code /api/v1/audit} (read the audit log). */
public final class AccessRoutes {

    private static final Set<String> CREATE_FIELDS = Set.of("role", "services", "expiresIn", "description");
    private static final int DEFAULT_AUDIT_LIMIT = 100;

    private final AccessTokens tokens;
    private final AuditLog audit;
    private final BlockingReplies replies;

    public AccessRoutes(AccessTokens tokens, AuditLog audit, BlockingReplies replies) {
        this.tokens = tokens;
        this.audit = audit;
        this.replies = replies;
    }

    public void create(RoutingContext ctx) {
        Caller creator = ManagementAccess.caller(ctx);
        replies.run(ctx, () -> {
            JsonFields f = JsonFields.parse(ctx.body().buffer());
            f.requireKnown(CREATE_FIELDS, Set.of(), "creating an access token");
            Role role = Role.parse(f.requiredString("role"));
            List<String> services = f.stringList("services");
            String expiresIn = f.string("expiresIn");
            IssuedToken issued = tokens.create(
                    role,
                    new ServicePatterns(services == null ? List.of() : services),
                    Lifetime.parse("field 'expiresIn'", expiresIn == null ? Lifetime.DEFAULT : expiresIn),
                    f.string("description"),
                    creator);
            ObjectNode n = credential(issued.credential(), Instant.now());
            n.put("token", issued.token());
            return Reply.of(201, n);
        });
    }

    public void list(RoutingContext ctx) {
        replies.run(ctx, () -> {
            Instant now = Instant.now();
            ObjectNode n = Json.MAPPER.createObjectNode();
            ArrayNode value = n.putArray("value");
            tokens.list().forEach(c -> value.add(credential(c, now)));
            return Reply.ok(n);
        });
    }

    public void revoke(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        replies.run(ctx, () -> Reply.ok(credential(tokens.revoke(id), Instant.now())));
    }

    public void audit(RoutingContext ctx) {
        String sinceText = ctx.queryParams().get("since");
        String limitText = ctx.queryParams().get("limit");
        replies.run(ctx, () -> {
            Instant since = since(sinceText, Instant.now());
            int limit;
            try {
                limit = limitText == null ? DEFAULT_AUDIT_LIMIT : Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > AuditLog.ENTRIES_KEPT) {
                throw ScoriaException.badInput("query parameter 'limit' must be a whole number from 1 to "
                        + AuditLog.ENTRIES_KEPT + ", saw '" + limitText + "'");
            }
            ObjectNode n = Json.MAPPER.createObjectNode();
            ArrayNode value = n.putArray("value");
            for (AuditEntry e : audit.read(since, limit)) {
                value.addObject()
                        .put("time", e.time().toString())
                        .put("credentialId", e.credentialId())
                        .put("role", e.role() == null ? null : e.role().wireName())
                        .put("method", e.method())
                        .put("path", e.path())
                        .put("service", e.service())
                        .put("model", e.model())
                        .put("status", e.status())
                        .put("replica", e.replicaId());
            }
            return Reply.ok(n);
        });
    }

    /** {@code since} as an instant ({@code 2026-12-06T10:00:00Z}) or a time ago ({@code 1h}, {@code 7d}); null: any time. */
    static Instant since(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            // Not an instant: a time ago, then.
        }
        Duration ago;
        try {
            ago = Lifetime.parse("query parameter 'since'", text).orElse(null);
        } catch (ScoriaException e) {
            ago = null;
        }
        if (ago == null) {
            throw ScoriaException.badInput("query parameter 'since' must be an instant such as 2026-12-06T10:00:00Z"
                    + " or a time ago such as 1h or 7d, saw '" + text + "'");
        }
        return now.minus(ago);
    }

    /** A token as the API shows it: never its secret, nor the secret's hash. */
    static ObjectNode credential(AccessCredential c, Instant now) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", c.id());
        n.put("role", c.role().wireName());
        ArrayNode services = n.putArray("services");
        c.services().globs().forEach(services::add);
        n.put("description", c.description());
        n.put("createdTime", c.createdTime().toString());
        n.put("createdBy", c.createdBy());
        n.put("expiresTime", c.expiresTime() == null ? null : c.expiresTime().toString());
        n.put("revokedTime", c.revokedTime() == null ? null : c.revokedTime().toString());
        n.put("state", c.revoked() ? "Revoked" : c.expired(now) ? "Expired" : "Active");
        return n;
    }
}
