package dev.scoria.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code scoria.access} logger (request id, method, path, status,
 * duration, service), and the scoring metrics. Never logs headers, query strings or bodies, so no key,
 * token or input ever reaches a log.
 */
public final class AccessLog implements Handler<RoutingContext> {

    /** Set by the scoring route once the service is known, so unknown names do not become metric labels. */
    static final String SERVICE = "scoredService";
    private static final Logger ACCESS = LoggerFactory.getLogger("scoria.access");

    private final ServingMetrics metrics;

    public AccessLog(ServingMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(done -> {
            long nanos = System.nanoTime() - started;
            int status = ctx.response().getStatusCode();
            String service = ctx.get(SERVICE);
            if (service != null) {
                metrics.recordScore(service, status, nanos);
            }
            if (ACCESS.isInfoEnabled()) {
                ObjectNode line = Json.MAPPER.createObjectNode();
                line.put("time", Instant.now().toString());
                line.put("type", "access");
                String id = ctx.get(RequestIds.KEY);
                line.put("request_id", id != null ? id : ctx.request().getHeader("x-request-id"));
                line.put("method", ctx.request().method().name());
                line.put("path", ctx.request().path());
                line.put("status", status);
                line.put("duration_ms", nanos / 1_000_000.0);
                line.put("bytes_out", ctx.response().bytesWritten());
                if (service != null) {
                    line.put("service", service);
                }
                line.put("remote", ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress());
                ACCESS.info(line.toString());
            }
        });
        ctx.next();
    }
}
