package dev.scoria.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.ErrorKind;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writes errors in the contract's format, {@code {"status_code": N, "message": "..."}}. */
public final class HttpErrors {

    private HttpErrors() {}

    public static int status(ErrorKind kind) {
        return switch (kind) {
            case BAD_INPUT -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case SCORER_FAILED -> 502;
            case NOT_READY, OVERLOADED, STORE_UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
            case INTERNAL -> 500;
        };
    }

    public static void send(RoutingContext ctx, int status, String message) {
        ErrorFormat.AZURE.send(ctx, status, message);
    }

    /** Azure's error body: {@code {"status_code": N, "message": "..."}}. */
    static Buffer body(int status, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status_code", status);
        body.put("message", message);
        return Buffer.buffer(body.toString());
    }

    /** Answers for any failure in Azure's format: our own errors with their message, anything else as a generic 500. */
    public static void send(RoutingContext ctx, Throwable failure) {
        ErrorFormat.AZURE.sendFailure(ctx, failure);
    }
}
