package dev.scoria.server.http;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.service.LiveDeployment;
import dev.scoria.core.service.LiveService;
import dev.scoria.core.service.LiveServices;
import dev.scoria.core.service.ServiceAuthenticator;
import dev.scoria.core.service.ServiceLogs;
import dev.scoria.core.service.ServiceRecord;
import dev.scoria.core.serving.InferenceDispatcher;
import dev.scoria.core.serving.RequestDecoder;
import dev.scoria.core.serving.TurnBatcher;
import dev.scoria.core.traffic.TrafficRouter;
import io.vertx.core.Context;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** Where admit() leaves the admission for the handler that runs after the body is read. */
    public static final String LIVE = "admission";
    /** Pins a request to one deployment, and names the deployment that answered (as Azure ML's online endpoints do). */
    public static final CharSequence DEPLOYMENT_HEADER = HttpHeaders.createOptimized("azureml-model-deployment");

    /** One per event loop thread: requests read in one turn of a loop are batched on that loop. */
    private static final ThreadLocal<TurnBatcher> TURNS = new ThreadLocal<>();

    private final LiveServices services;
    private final ServiceLogs logs;
    private final ServiceAuthenticator authenticator;
    private final ServingMetrics metrics;

    public InferenceEndpoint(
            LiveServices services, ServiceLogs logs, ServiceAuthenticator authenticator, ServingMetrics metrics) {
        this.services = services;
        this.logs = logs;
        this.authenticator = authenticator;
        this.metrics = metrics;
    }

    public LiveServices services() {
        return services;
    }

    /**
     * The checks that run before the body is read. Returns the admission (service and deployment), having
     * recorded it for the metrics and for {@link #admitted}; or null, having answered (404, CORS preflight,
     * 401, 503).
     *
     * @param protocol the metric label of the route ({@code azure}, {@code v2})
     * @param deployment the deployment the route names (the v2 route's model version), or null to pin by
     *     header or draw from the traffic split
     */
    public Admission admit(RoutingContext ctx, String name, String protocol, ErrorFormat errors, String deployment) {
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
        Decision decision = decide(
                service,
                ctx.request().getHeader("Authorization"),
                deployment != null ? deployment : ctx.request().getHeader(DEPLOYMENT_HEADER));
        if (decision.answering() != null) {
            ctx.put(AccessLog.DEPLOYMENT, decision.answering().name());
            ctx.response().putHeader(DEPLOYMENT_HEADER, decision.answering().name());
        }
        if (decision.admission() == null) {
            errors.send(ctx, decision.status(), decision.refusal());
            return null;
        }
        Admission admission = decision.admission();
        ctx.put(LIVE, admission);
        return admission;
    }

    /**
     * A scoring request let in (with its admission), or refused (with the status and why).
     *
     * @param answering the deployment chosen to answer, also when it is refused for not being Healthy
     */
    public record Decision(Admission admission, LiveDeployment answering, int status, String refusal) {
        static Decision refused(int status, String why) {
            return new Decision(null, null, status, why);
        }
    }

    /**
     * Whether the credential opens the service and which deployment answers: the one {@code pinned}
     * (by the route or the client's header), else one drawn from the traffic split. Answers nothing.
     *
     * @param authorization the request's {@code Authorization} header, or null
     */
    public Decision decide(LiveService service, String authorization, String pinned) {
        String refusal = authenticator.refusalOfHeader(service, authorization);
        if (refusal != null) {
            return Decision.refused(401, refusal);
        }
        ServiceRecord record = service.record();
        String name = record.name();
        String chosen = pinned != null ? pinned : TrafficRouter.choose(record.traffic());
        LiveDeployment answering = chosen == null ? null : service.deployment(chosen);
        if (answering == null) {
            return Decision.refused(
                    404,
                    pinned != null
                            ? "service '" + name + "' has no deployment '" + pinned + "': its deployments are "
                                    + record.deploymentNames()
                            : "service '" + name + "' has no deployment taking traffic");
        }
        if (!answering.healthy()) {
            return new Decision(null, answering, 503, notHealthy(service, answering));
        }
        LiveDeployment mirror = null;
        if (pinned == null && TrafficRouter.mirrors(record.traffic())) {
            LiveDeployment copy = service.deployment(record.traffic().mirror());
            // A mirror that is not ready misses this copy; the client never notices either way.
            mirror = copy != null && copy.healthy() ? copy : null;
        }
        return new Decision(new Admission(service, answering, mirror), answering, 200, null);
    }

    /** The request's headers, each with all its values, without {@code Authorization}: what code that reads the request sees. */
    public static Map<String, List<String>> headersWithoutCredentials(HttpServerRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : request.headers().names()) {
            if (!name.equalsIgnoreCase("Authorization")) {
                headers.put(name, request.headers().getAll(name));
            }
        }
        return headers;
    }

    /** The admission {@link #admit} made for this request. */
    public static Admission admitted(RoutingContext ctx) {
        return ctx.get(LIVE);
    }

    public static String notHealthy(LiveService service) {
        return "service '" + service.record().name() + "' is "
                + service.record().state().name() + ", not Healthy"
                + (service.record().error() != null ? ": " + service.record().error() : "");
    }

    /** Why a deployment does not answer, naming the deployment when the service has several. */
    public static String notHealthy(LiveService service, LiveDeployment d) {
        if (service.record().deployments().size() == 1) {
            return "service '" + service.record().name() + "' is " + d.state().name() + ", not Healthy"
                    + (d.error() != null ? ": " + d.error() : "");
        }
        return "deployment '" + d.name() + "' of service '" + service.record().name() + "' is "
                + d.state().name() + ", not Healthy" + (d.error() != null ? ": " + d.error() : "");
    }

    /**
     * Runs a request on the admitted deployment's predictor and calls {@code answer} with the result or the
     * failure on this request's event loop. The decoder runs where the request is scored, off the event
     * loop unless the predictor scores small requests inline or in another process. A mirrored request is copied to the mirror
     * once the client has its answer; the copy's outcome goes to metrics and the service log only.
     */
    public void infer(
            ScoringExchange exchange,
            Admission admission,
            int bodyBytes,
            RequestDecoder decoder,
            BiConsumer<InferenceResult, Throwable> answer) {
        LiveDeployment d = admission.deployment();
        if (d.scheduler() == null || d.predictor() == null) {
            answer.accept(null, new IllegalStateException("service '" + admission.name() + "' is not loaded"));
            return;
        }
        Context context = exchange.context();
        String requestId = exchange.requestId();
        TurnBatcher turn = Context.isOnEventLoopThread() ? turnOf(context) : null;
        InferenceDispatcher.dispatch(
                d.predictor(), d.scheduler(), requestId, bodyBytes, decoder, turn, (result, error) -> {
                    if (Context.isOnEventLoopThread()) {
                        answer.accept(result, error);
                    } else {
                        context.runOnContext(v -> answer.accept(result, error));
                    }
                    if (admission.mirror() != null) {
                        mirror(exchange, admission, requestId, bodyBytes, decoder);
                    }
                });
    }

    /** This event loop's batcher: it runs its batches on the loop, after the sockets ready now are read. */
    private static TurnBatcher turnOf(Context context) {
        TurnBatcher turn = TURNS.get();
        if (turn == null) {
            turn = new TurnBatcher(task -> context.runOnContext(v -> task.run()));
            TURNS.set(turn);
        }
        return turn;
    }

    private void mirror(
            ScoringExchange exchange, Admission admission, String requestId, int bodyBytes, RequestDecoder decoder) {
        LiveDeployment copy = admission.mirror();
        String protocol = exchange.protocol();
        long started = System.nanoTime();
        InferenceDispatcher.dispatch(
                copy.predictor(), copy.scheduler(), requestId, bodyBytes, decoder, null, (result, error) -> {
                    long nanos = System.nanoTime() - started;
                    int status = error == null ? 200 : statusOf(error);
                    metrics.recordMirror(admission.name(), copy.name(), protocol, status, nanos);
                    if (error != null && status >= 500) {
                        logs.forService(admission.name())
                                .error(
                                        "request " + requestId + ": its mirrored copy failed on deployment '"
                                                + copy.name() + "' (" + status + ")",
                                        error instanceof ScoriaException ? null : error);
                    }
                });
    }

    private static int statusOf(Throwable error) {
        return error instanceof ScoriaException e ? HttpErrors.status(e.kind()) : 502;
    }

    /**
     * Logs a failure of the model or the user's code (not of the request) to the service's log and the
     * server's, and answers the message to send the client, which names where to look, never the error.
     */
    public String scorerFailed(ScoringExchange exchange, Admission admission, Throwable cause) {
        String name = admission.name();
        String requestId = exchange.requestId();
        String where = admission.record().deployments().size() > 1
                ? " on deployment '" + admission.deployment().name() + "'"
                : "";
        logs.forService(name).error("request " + requestId + ": scoring failed" + where, cause);
        LOG.warn("scoring failed on service {} (request {}): {}", name, requestId, cause.toString());
        return "An unexpected error occurred in scoring the request. Check the service log (scoria service logs " + name
                + ") for request " + requestId + ".";
    }
}
