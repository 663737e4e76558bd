package dev.scoria.server.http;

import dev.scoria.core.ScoriaException;
import io.vertx.ext.web.RoutingContext;

/**
 * A yes/no query parameter ({@code ?latest=true}). A value that is neither is refused, not read as no: a
 * {@code ?revoke=yes} that quietly revoked nothing would leave the caller believing it had.
 */
final class QueryFlags {

    private QueryFlags() {}

    /** False when absent or empty; throws a 400 for anything but true or false (in any case). */
    static boolean flag(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ScoriaException.badInput("query parameter '" + name + "' must be true or false, saw '"
                + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
    }
}
