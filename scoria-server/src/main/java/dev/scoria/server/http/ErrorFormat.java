package dev.scoria.server.http;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import dev.scoria.server.http.v2.V2Errors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a protocol writes an error: Azure's {@code {"status_code", "message"}} (also the management
 * API's), or the Open Inference Protocol's {@code {"error"}}. The status and the message are the same
 * whichever protocol asked; only the body differs.
 */
@FunctionalInterface
public interface ErrorFormat {

    /** Azure ML v1's error body, also used by the management API. */
    ErrorFormat AZURE = HttpErrors::body;

    /** The Open Inference Protocol's routes answer errors in its format; every other route in Azure's. */
    static ErrorFormat forPath(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/")) ? V2Errors.FORMAT : AZURE;
    }

    /** The JSON body that says {@code message} with {@code status}. */
    Buffer body(int status, String message);

    /** Writes {@code message} with {@code status}, unless the answer has already started. */
    default void send(RoutingContext ctx, int status, String message) {
        send(ctx.response(), status, message);
    }

    /** The same, for a response outside the router (one the HTTP codec refused before routing). */
    default void send(HttpServerResponse response, int status, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body(status, message));
    }

    /** Answers for any failure: our own errors with their status and message, anything else as a logged 500. */
    default void sendFailure(RoutingContext ctx, Throwable failure) {
        sendFailure(ctx.request(), ctx.response(), ctx.get(RequestIds.KEY, ""), failure);
    }

    /** The same, for an admitted scoring request, however it came. */
    default void sendFailure(ScoringExchange exchange, Throwable failure) {
        sendFailure(exchange.request(), exchange.response(), exchange.requestId(), failure);
    }

    private void sendFailure(
            HttpServerRequest request, HttpServerResponse response, String requestId, Throwable failure) {
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof ScoriaException e && e.kind() == ErrorKind.OVERLOADED) {
            // Azure's front door gives no Retry-After; well-behaved clients back off better with one.
            response.putHeader("Retry-After", "1");
        }
        if (failure instanceof ScoriaException e && e.kind() != ErrorKind.INTERNAL) {
            send(response, HttpErrors.status(e.kind()), e.getMessage());
            return;
        }
        Logger log = LoggerFactory.getLogger(ErrorFormat.class);
        log.error("internal error on {} {}", request.method(), request.path(), failure);
        send(
                response,
                500,
                "An unexpected internal error occurred. Check the server log for request "
                        + (requestId == null ? "" : requestId) + ".");
    }
}
