package dev.scoria.server.http;

import dev.scoria.core.service.CorsOrigins;
import dev.scoria.core.service.ServiceRecord;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for a service's routes, answered by Scoria itself (Azure's front door never routed OPTIONS,
 * so browsers could not call a service at all). Headers go only to origins the service allows.
 */
final class Cors {

    static final String ALLOWED_HEADERS = "Authorization, Content-Type, x-request-id, x-ms-request-id,"
            + " x-ms-client-request-id, TraceId, azureml-model-deployment, Inference-Header-Content-Length";
    static final String EXPOSED_HEADERS =
            "x-request-id, x-ms-request-id, x-ms-client-request-id, TraceId, x-ms-run-function-failed,"
                    + " x-ms-run-fn-exec-ms, azureml-model-deployment, Inference-Header-Content-Length";

    private Cors() {}

    /**
     * Adds the CORS headers when the request's origin is allowed. Returns whether this was an allowed
     * preflight (an OPTIONS with Access-Control-Request-Method).
     */
    static boolean apply(RoutingContext ctx, ServiceRecord service) {
        String origin = ctx.request().getHeader("Origin");
        HttpServerResponse response = ctx.response();
        if (origin == null || service.corsOrigins().isEmpty()) {
            return false;
        }
        response.putHeader("Vary", "Origin");
        if (!CorsOrigins.allows(service.corsOrigins(), origin)) {
            return false;
        }
        response.putHeader("Access-Control-Allow-Origin", service.corsOrigins().contains("*") ? "*" : origin);
        boolean preflight = ctx.request().method() == HttpMethod.OPTIONS
                && ctx.request().getHeader("Access-Control-Request-Method") != null;
        if (preflight) {
            response.putHeader("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
            response.putHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.putHeader("Access-Control-Max-Age", "600");
        } else {
            response.putHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
        return preflight;
    }
}
