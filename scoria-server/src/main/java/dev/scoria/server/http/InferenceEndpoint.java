package dev.scoria.server.http;

import dev.scoria.core.auth.Secrets;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.service.LiveService;
import dev.scoria.core.service.LiveServices;
import dev.scoria.core.service.ServiceAuthenticator;
import dev.scoria.core.service.ServiceLogs;
import dev.scoria.core.serving.InferenceDispatcher;
import dev.scoria.core.serving.RequestDecoder;
import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every protocol adapter does the same way for a scoring request: find the live service, answer
 * CORS, check the key or token before a byte of the body is read, refuse a service that is not
 * Healthy, label the request's metrics, then run the decoded request on the shared inference path and
 * hand the typed result back on the request's event loop. Adapters only translate HTTP to requests and
 * results to HTTP.
 */
public final class InferenceEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceEndpoint.class);
    /** Where admit() leaves the live service for the handler that runs after the body is read. */
    public static final String LIVE = "liveService";

    private final LiveServices services;
    private final ServiceLogs logs;
    private final ServiceAuthenticator authenticator;

    public InferenceEndpoint(LiveServices services, ServiceLogs logs, ServiceAuthenticator authenticator) {
        this.services = services;
        this.logs = logs;
        this.authenticator = authenticator;
    }

    public LiveServices services() {
        return services;
    }

    /**
     * The checks that run before the body is read. Returns the service, having recorded it for the
     * metrics and for {@link #admitted}; or null, having answered (404, CORS preflight, 401, 503).
     *
     * @param protocol the metric label of the route ({@code azure}, {@code v2})
     */
    public LiveService admit(RoutingContext ctx, String name, String protocol, ErrorFormat errors) {
        LiveService service = services.get(name);
        if (service == null) {
            errors.send(ctx, 404, "service '" + name + "' does not exist");
            return null;
        }
        ctx.put(AccessLog.SERVICE, name);
        ctx.put(AccessLog.PROTOCOL, protocol);
        boolean preflight = Cors.apply(ctx, service.record());
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            if (!preflight
                    && ctx.request().getHeader("Origin") != null
                    && ctx.request().getHeader("Access-Control-Request-Method") != null) {
                errors.send(
                        ctx,
                        403,
                        "origin " + ctx.request().getHeader("Origin") + " may not call service '" + name
                                + "' from a browser (see --cors-origin)");
                return null;
            }
            ctx.response().setStatusCode(200).end();
            return null;
        }
        String refusal =
                authenticator.refusal(service, Secrets.bearer(ctx.request().getHeader("Authorization")));
        if (refusal != null) {
            errors.send(ctx, 401, refusal);
            return null;
        }
        if (!service.healthy()) {
            errors.send(ctx, 503, notHealthy(service));
            return null;
        }
        ctx.put(LIVE, service);
        return service;
    }

    /** The service {@link #admit} let through for this request. */
    public static LiveService admitted(RoutingContext ctx) {
        return ctx.get(LIVE);
    }

    public static String notHealthy(LiveService service) {
        return "service '" + service.record().name() + "' is "
                + service.record().state().name() + ", not Healthy"
                + (service.record().error() != null ? ": " + service.record().error() : "");
    }

    /**
     * Runs a request on the service's predictor and calls {@code answer} with the result or the failure
     * on this request's event loop. The decoder runs where the request is scored, off the event loop
     * unless the predictor scores small requests inline.
     */
    public void infer(
            RoutingContext ctx,
            LiveService service,
            int bodyBytes,
            RequestDecoder decoder,
            BiConsumer<InferenceResult, Throwable> answer) {
        if (service.scheduler() == null || service.predictor() == null) {
            answer.accept(
                    null,
                    new IllegalStateException("service '" + service.record().name() + "' is not loaded"));
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        String requestId = ctx.get(RequestIds.KEY);
        InferenceDispatcher.dispatch(
                service.predictor(), service.scheduler(), requestId, bodyBytes, decoder, (result, error) -> {
                    if (Context.isOnEventLoopThread()) {
                        answer.accept(result, error);
                    } else {
                        context.runOnContext(v -> answer.accept(result, error));
                    }
                });
    }

    /**
     * Logs a failure of the model or the user's code (not of the request) to the service's log and the
     * server's, and answers the message to send the client, which names where to look, never the error.
     */
    public String scorerFailed(RoutingContext ctx, LiveService service, Throwable cause) {
        String name = service.record().name();
        String requestId = ctx.get(RequestIds.KEY);
        logs.forService(name).error("request " + requestId + ": scoring failed", cause);
        LOG.warn("scoring failed on service {} (request {}): {}", name, requestId, cause.toString());
        return "An unexpected error occurred in scoring the request. Check the service log (scoria service logs " + name
                + ") for request " + requestId + ".";
    }
}
