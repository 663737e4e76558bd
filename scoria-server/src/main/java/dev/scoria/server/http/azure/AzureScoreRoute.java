package dev.scoria.server.http.azure;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.serving.RequestDecoder;
import dev.scoria.server.http.Admission;
import dev.scoria.server.http.ErrorFormat;
import dev.scoria.server.http.InferenceEndpoint;
import dev.scoria.server.http.RoutedExchange;
import dev.scoria.server.http.ScoringExchange;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

/**
 * {@code /api/v1/service/{name}/score}: Azure's headers and rules around the shared inference path.
 * {@link #admit} runs before the body is read; {@link #score} after.
 */
public final class AzureScoreRoute {

    static final String PROTOCOL = "azure";
    private static final CharSequence EXEC_MS = HttpHeaders.createOptimized("x-ms-run-fn-exec-ms");

    private final InferenceEndpoint endpoint;

    public AzureScoreRoute(InferenceEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Runs on the event loop before the body handler: cheap checks only. */
    public void admit(RoutingContext ctx) {
        ctx.response().putHeader("x-ms-run-function-failed", "False");
        Admission admission = endpoint.admit(ctx, ctx.pathParam("name"), PROTOCOL, ErrorFormat.AZURE, null);
        if (admission == null) {
            return;
        }
        Predictor predictor = admission.predictor();
        String contentType = ctx.request().getHeader("Content-Type");
        if (ctx.request().method() == HttpMethod.POST && !takes(predictor, contentType)) {
            ErrorFormat.AZURE.send(
                    ctx,
                    415,
                    "service '" + admission.name() + "' expects Content-Type: application/json, saw "
                            + (contentType == null ? "none" : contentType));
            return;
        }
        ctx.next();
    }

    /** Runs after the body is read: scores through the shared path and writes Azure's answer. */
    public void score(RoutingContext ctx) {
        score(new RoutedExchange(ctx), InferenceEndpoint.admitted(ctx));
    }

    /** The same for a request admitted and read by the scoring fast path. */
    public void score(ScoringExchange exchange, Admission admission) {
        RequestDecoder decoder = AzureRequests.decoder(exchange, admission.predictor());
        long started = System.nanoTime();
        endpoint.infer(
                exchange,
                admission,
                AzureRequests.bodyLength(exchange),
                decoder,
                (result, error) -> respond(exchange, admission, started, result, error));
    }

    /** Whether a {@code POST} with this {@code Content-Type} can be scored, or gets a 415 (which {@link #admit} sends). */
    public static boolean takes(Predictor predictor, String contentType) {
        return predictor.accepts().contains(InputKind.PAYLOAD) || AzureRequests.isJson(contentType);
    }

    private void respond(
            ScoringExchange exchange, Admission admission, long started, InferenceResult result, Throwable error) {
        HttpServerResponse response = exchange.response();
        response.putHeader(EXEC_MS, String.valueOf(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        if (error != null) {
            fail(exchange, admission, error);
            return;
        }
        try {
            AzureAnswers.write(response, result);
        } catch (Exception e) {
            fail(exchange, admission, e);
        }
    }

    private void fail(ScoringExchange exchange, Admission admission, Throwable cause) {
        if (cause instanceof ScoriaException) {
            ErrorFormat.AZURE.sendFailure(exchange, cause);
            return;
        }
        String message = endpoint.scorerFailed(exchange, admission, cause);
        exchange.response().putHeader("x-ms-run-function-failed", "True");
        ErrorFormat.AZURE.send(exchange.response(), 502, message);
    }
}
