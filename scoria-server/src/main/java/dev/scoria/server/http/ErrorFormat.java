package dev.scoria.server.http;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
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
    ErrorFormat AZURE = HttpErrors::send;

    /** Writes {@code message} with {@code status}, unless the answer has already started. */
    void send(RoutingContext ctx, int status, String message);

    /** Answers for any failure: our own errors with their status and message, anything else as a logged 500. */
    default void sendFailure(RoutingContext ctx, Throwable failure) {
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof ScoriaException e && e.kind() == ErrorKind.OVERLOADED) {
            // Azure's front door gives no Retry-After; well-behaved clients back off better with one.
            ctx.response().putHeader("Retry-After", "1");
        }
        if (failure instanceof ScoriaException e && e.kind() != ErrorKind.INTERNAL) {
            send(ctx, HttpErrors.status(e.kind()), e.getMessage());
            return;
        }
        Logger log = LoggerFactory.getLogger(ErrorFormat.class);
        log.error(
                "internal error on {} {}", ctx.request().method(), ctx.request().path(), failure);
        send(
                ctx,
                500,
                "An unexpected internal error occurred. Check the server log for request " + ctx.get(RequestIds.KEY, "")
                        + ".");
    }
}
