package dev.scoria.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ScoriaException;
import dev.scoria.core.auth.Secrets;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.runtime.RawResult;
import dev.scoria.core.runtime.ScoreCall;
import dev.scoria.core.service.LiveService;
import dev.scoria.core.service.LiveServices;
import dev.scoria.core.service.ServiceAuthenticator;
import dev.scoria.core.service.ServiceLogs;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code /api/v1/service/{name}/score}. Checks that run before the body is read (service, key,
 * state, content type) are in {@link #admit}; the scoring itself runs on a worker thread.
 */
public final class ScoreRoute {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreRoute.class);
    static final String LIVE = "liveService";

    private final Vertx vertx;
    private final LiveServices services;
    private final ServiceLogs logs;
    private final ServiceAuthenticator authenticator;

    public ScoreRoute(Vertx vertx, LiveServices services, ServiceLogs logs, ServiceAuthenticator authenticator) {
        this.logs = logs;
        this.vertx = vertx;
        this.services = services;
        this.authenticator = authenticator;
    }

    /** Runs on the event loop before the body handler: cheap checks only. */
    public void admit(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        LiveService service = services.get(name);
        HttpServerResponse response = ctx.response();
        response.putHeader("x-ms-run-function-failed", "False");
        if (service == null) {
            HttpErrors.send(ctx, 404, "service '" + name + "' does not exist");
            return;
        }
        ctx.put(AccessLog.SERVICE, name);
        boolean preflight = Cors.apply(ctx, service.record());
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            if (!preflight
                    && ctx.request().getHeader("Origin") != null
                    && ctx.request().getHeader("Access-Control-Request-Method") != null) {
                HttpErrors.send(
                        ctx,
                        403,
                        "origin " + ctx.request().getHeader("Origin") + " may not call service '" + name
                                + "' from a browser (see --cors-origin)");
                return;
            }
            response.setStatusCode(200).end();
            return;
        }
        String refusal =
                authenticator.refusal(service, Secrets.bearer(ctx.request().getHeader("Authorization")));
        if (refusal != null) {
            HttpErrors.send(ctx, 401, refusal);
            return;
        }
        if (!service.healthy()) {
            String state = service.record().state().name();
            HttpErrors.send(
                    ctx,
                    503,
                    "service '" + name + "' is " + state + ", not Healthy"
                            + (service.record().error() != null
                                    ? ": " + service.record().error()
                                    : ""));
            return;
        }
        if (ctx.request().method() == HttpMethod.POST
                && service.predictor().jsonOnly()
                && !isJson(ctx.request().getHeader("Content-Type"))) {
            HttpErrors.send(
                    ctx,
                    415,
                    "service '" + name + "' expects Content-Type: application/json, saw "
                            + (ctx.request().getHeader("Content-Type") == null
                                    ? "none"
                                    : ctx.request().getHeader("Content-Type")));
            return;
        }
        ctx.put(LIVE, service);
        ctx.next();
    }

    /** Runs after the body is read: scores on a worker thread and writes the answer. */
    public void score(RoutingContext ctx) {
        LiveService service = ctx.get(LIVE);
        Predictor predictor = service.predictor();
        String requestId = ctx.get(RequestIds.KEY);
        byte[] body = ctx.request().method() == HttpMethod.GET ? queryAsJson(ctx) : bodyBytes(ctx);
        // JSON predictors read the body only: the header and query maps are built for raw scorers alone.
        boolean rawScorer = !predictor.jsonOnly();
        ScoreCall call = new ScoreCall(
                requestId,
                ctx.request().method().name(),
                ctx.request().path(),
                rawScorer ? headers(ctx) : Map.of(),
                rawScorer ? query(ctx) : Map.of(),
                ctx.request().getHeader("Content-Type"),
                body);
        long started = System.nanoTime();
        var scheduler = service.scheduler();
        if (scheduler == null) {
            HttpErrors.send(ctx, 404, "service '" + service.record().name() + "' does not exist");
            return;
        }
        if (predictor.scoresInline(body.length)
                && scheduler.tryRunInline(() -> scoreHere(ctx, service, predictor, call, started))) {
            return;
        }
        Context context = vertx.getOrCreateContext();
        if (predictor.batchable()) {
            // Merged with other waiting requests to this predictor into one model call when there are any.
            scheduler
                    .<ScoreCall, Object>submitBatchable(predictor, call, calls -> {
                        List<Object> values = predictor.scoreBatch(calls);
                        List<Object> answers = new ArrayList<>(values.size());
                        for (Object value : values) {
                            answers.add(
                                    value instanceof Throwable || value instanceof RawResult
                                            ? value
                                            : Json.MAPPER.writeValueAsBytes(value));
                        }
                        return answers;
                    })
                    .whenComplete(
                            (value, error) -> context.runOnContext(v -> respond(ctx, service, started, value, error)));
            return;
        }
        scheduler
                .submit(() -> {
                    // Lines logged while scoring (by Scoria or a scorer through SLF4J) carry the request id.
                    MDC.put("requestId", requestId);
                    try {
                        Object value = predictor.score(call);
                        return value instanceof RawResult rawResult ? rawResult : Json.MAPPER.writeValueAsBytes(value);
                    } finally {
                        MDC.remove("requestId");
                    }
                })
                .whenComplete(
                        (value, error) -> context.runOnContext(v -> respond(ctx, service, started, value, error)));
    }

    /** Scores a small request where it arrived: a thread hop would cost more than the model call. */
    private void scoreHere(RoutingContext ctx, LiveService service, Predictor predictor, ScoreCall call, long started) {
        Object value = null;
        Throwable error = null;
        try {
            Object result = predictor.score(call);
            value = result instanceof RawResult raw ? raw : Json.MAPPER.writeValueAsBytes(result);
        } catch (Throwable e) {
            error = e;
        }
        respond(ctx, service, started, value, error);
    }

    private void respond(RoutingContext ctx, LiveService service, long started, Object value, Throwable error) {
        HttpServerResponse response = ctx.response();
        response.putHeader(
                "x-ms-run-fn-exec-ms", String.valueOf(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        if (error != null) {
            fail(
                    ctx,
                    service,
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
        } else if (value instanceof RawResult raw) {
            raw.headers().forEach(response::putHeader);
            if (raw.status() >= 500) {
                // As Azure's server does: a scorer's own 5xx counts as a failed run.
                response.putHeader("x-ms-run-function-failed", "True");
            }
            response.setStatusCode(raw.status()).end(Buffer.buffer(raw.body()));
        } else {
            response.putHeader("Content-Type", "application/json").end(Buffer.buffer((byte[]) value));
        }
    }

    private void fail(RoutingContext ctx, LiveService service, Throwable cause) {
        if (cause instanceof ScoriaException e) {
            HttpErrors.send(ctx, e);
            return;
        }
        String name = service.record().name();
        String requestId = ctx.get(RequestIds.KEY);
        logs.forService(name).error("request " + requestId + ": scoring failed", cause);
        LOG.warn("scoring failed on service {} (request {}): {}", name, requestId, cause.toString());
        ctx.response().putHeader("x-ms-run-function-failed", "True");
        HttpErrors.send(
                ctx,
                502,
                "An unexpected error occurred in scoring the request. Check the service log (scoria service logs "
                        + name + ") for request " + requestId + ".");
    }

    private static Map<String, List<String>> headers(RoutingContext ctx) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : ctx.request().headers().names()) {
            if (!name.equalsIgnoreCase("Authorization")) {
                headers.put(name, ctx.request().headers().getAll(name));
            }
        }
        return headers;
    }

    private static Map<String, List<String>> query(RoutingContext ctx) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : ctx.queryParams().names()) {
            query.put(name, ctx.queryParams().getAll(name));
        }
        return query;
    }

    private static byte[] bodyBytes(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        return buffer == null ? new byte[0] : buffer.getBytes();
    }

    /** Azure's GET rule: every query parameter becomes a field, its value parsed as JSON when it is JSON. */
    static byte[] queryAsJson(RoutingContext ctx) {
        ObjectNode input = Json.MAPPER.createObjectNode();
        for (String name : ctx.queryParams().names()) {
            List<String> values = ctx.queryParams().getAll(name);
            if (values.size() == 1) {
                input.set(name, parseOrText(values.get(0)));
            } else {
                ArrayNode list = input.putArray(name);
                values.forEach(v -> list.add(parseOrText(v)));
            }
        }
        return input.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parseOrText(String value) {
        try {
            JsonNode parsed = Json.MAPPER.readTree(value);
            return parsed == null || parsed.isMissingNode()
                    ? Json.MAPPER.getNodeFactory().textNode(value)
                    : parsed;
        } catch (Exception e) {
            return Json.MAPPER.getNodeFactory().textNode(value);
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mime = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase();
        return mime.equals("application/json") || mime.startsWith("application/") && mime.endsWith("+json");
    }
}
