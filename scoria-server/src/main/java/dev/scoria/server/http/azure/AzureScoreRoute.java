package dev.scoria.server.http.azure;

import dev.scoria.core.ScoriaException;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.serving.RequestDecoder;
import dev.scoria.server.http.Admission;
import dev.scoria.server.http.ErrorFormat;
import dev.scoria.server.http.InferenceEndpoint;
import dev.scoria.server.http.RequestIds;
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
        if (ctx.request().method() == HttpMethod.POST
                && !predictor.accepts().contains(InputKind.PAYLOAD)
                && !AzureRequests.isJson(contentType)) {
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
        Admission admission = InferenceEndpoint.admitted(ctx);
        String requestId = ctx.get(RequestIds.KEY);
        RequestDecoder decoder = AzureRequests.decoder(ctx, admission.predictor(), requestId);
        long started = System.nanoTime();
        endpoint.infer(
                ctx,
                admission,
                AzureRequests.bodyLength(ctx),
                decoder,
                (result, error) -> respond(ctx, admission, started, result, error));
    }

    private void respond(
            RoutingContext ctx, Admission admission, long started, InferenceResult result, Throwable error) {
        HttpServerResponse response = ctx.response();
        response.putHeader(
                "x-ms-run-fn-exec-ms", String.valueOf(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        if (error != null) {
            fail(ctx, admission, error);
            return;
        }
        try {
            AzureAnswers.write(response, result);
        } catch (Exception e) {
            fail(ctx, admission, e);
        }
    }

    private void fail(RoutingContext ctx, Admission admission, Throwable cause) {
        if (cause instanceof ScoriaException) {
            ErrorFormat.AZURE.sendFailure(ctx, cause);
            return;
        }
        String message = endpoint.scorerFailed(ctx, admission, cause);
        ctx.response().putHeader("x-ms-run-function-failed", "True");
        ErrorFormat.AZURE.send(ctx, 502, message);
    }
}
