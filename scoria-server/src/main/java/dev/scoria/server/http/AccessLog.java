package dev.scoria.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code scoria.access} logger (request id, the client's own id when
 * it sent one, method, path, status, duration, service), and the scoring metrics. Never logs other
 * headers, query strings or bodies, so no key, token or input ever reaches a log.
 */
public final class AccessLog implements Handler<RoutingContext> {

    /** Set by the scoring route once the service is known, so unknown names do not become metric labels. */
    static final String SERVICE = "scoredService";
    /** Set with it: the protocol the service was called by, a label of the scoring metrics. */
    static final String PROTOCOL = "scoredProtocol";
    /** And the deployment that answered, once one is chosen. */
    static final String DEPLOYMENT = "scoredDeployment";

    private static final Logger ACCESS = LoggerFactory.getLogger("scoria.access");

    private final ServingMetrics metrics;

    public AccessLog(ServingMetrics metrics) {
        this.metrics = metrics;
    }

    private static void quote(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, out);
        out.append('"');
    }

    @Override
    public void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(done -> record(
                metrics,
                System.nanoTime() - started,
                ctx.request(),
                ctx.get(SERVICE),
                ctx.get(DEPLOYMENT),
                ctx.get(PROTOCOL, "azure"),
                ctx.get(RequestIds.KEY),
                ctx.get(RequestIds.CLIENT_KEY)));
        ctx.next();
    }

    /**
     * Records one answered request: the scoring metrics when a service was called, and the access line.
     *
     * @param service the service called, or null when the request named none that exists
     * @param deployment the deployment that answered, or null when none was chosen
     * @param requestId the request's id, or null when it was refused before one was given
     * @param clientId the client's own id, or null when it sent none
     */
    static void record(
            ServingMetrics metrics,
            long nanos,
            HttpServerRequest request,
            String service,
            String deployment,
            String protocol,
            String requestId,
            String clientId) {
        HttpServerResponse response = request.response();
        int status = response.getStatusCode();
        if (service != null) {
            metrics.recordScore(service, deployment != null ? deployment : "none", protocol, status, nanos);
        }
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        // Written by hand, not through a JSON tree: this runs for every request.
        StringBuilder line = new StringBuilder(256)
                .append("{\"time\":\"")
                .append(Instant.now())
                .append("\",\"type\":\"access\",\"request_id\":");
        quote(line, requestId != null ? requestId : request.getHeader("x-request-id"));
        if (clientId != null) {
            line.append(",\"client_request_id\":");
            quote(line, clientId);
        }
        line.append(",\"method\":\"").append(request.method().name()).append("\",\"path\":");
        quote(line, request.path());
        line.append(",\"status\":")
                .append(status)
                .append(",\"duration_ms\":")
                .append(nanos / 1_000_000.0)
                .append(",\"bytes_out\":")
                .append(response.bytesWritten());
        if (service != null) {
            line.append(",\"service\":");
            quote(line, service);
            if (deployment != null) {
                line.append(",\"deployment\":");
                quote(line, deployment);
            }
        }
        line.append(",\"remote\":");
        quote(
                line,
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
        ACCESS.info(line.append('}').toString());
    }
}
