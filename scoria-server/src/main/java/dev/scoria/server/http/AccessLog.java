package dev.scoria.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.Handler;
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
        ctx.addEndHandler(done -> {
            long nanos = System.nanoTime() - started;
            int status = ctx.response().getStatusCode();
            String service = ctx.get(SERVICE);
            if (service != null) {
                metrics.recordScore(service, ctx.get(DEPLOYMENT, "none"), ctx.get(PROTOCOL, "azure"), status, nanos);
            }
            if (ACCESS.isInfoEnabled()) {
                // Written by hand, not through a JSON tree: this runs for every request.
                String id = ctx.get(RequestIds.KEY);
                StringBuilder line = new StringBuilder(256)
                        .append("{\"time\":\"")
                        .append(Instant.now())
                        .append("\",\"type\":\"access\",\"request_id\":");
                quote(line, id != null ? id : ctx.request().getHeader("x-request-id"));
                String clientId = ctx.get(RequestIds.CLIENT_KEY);
                if (clientId != null) {
                    line.append(",\"client_request_id\":");
                    quote(line, clientId);
                }
                line.append(",\"method\":\"")
                        .append(ctx.request().method().name())
                        .append("\",\"path\":");
                quote(line, ctx.request().path());
                line.append(",\"status\":")
                        .append(status)
                        .append(",\"duration_ms\":")
                        .append(nanos / 1_000_000.0)
                        .append(",\"bytes_out\":")
                        .append(ctx.response().bytesWritten());
                if (service != null) {
                    line.append(",\"service\":");
                    quote(line, service);
                    String deployment = ctx.get(DEPLOYMENT);
                    if (deployment != null) {
                        line.append(",\"deployment\":");
                        quote(line, deployment);
                    }
                }
                line.append(",\"remote\":");
                quote(
                        line,
                        ctx.request().remoteAddress() == null
                                ? null
                                : ctx.request().remoteAddress().hostAddress());
                ACCESS.info(line.append('}').toString());
            }
        });
        ctx.next();
    }
}
