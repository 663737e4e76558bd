package dev.scoria.server.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests the HTTP codec could not read, before any route sees them: a request line over
 * the limit (414), headers over the limit (431), anything else that is not HTTP/1.1 (400). As JSON in
 * the contract's error format like every other error (Vert.x's own answer is an empty body), with
 * {@code Connection: close}: the codec stops reading at the fault, so the rest of the connection cannot
 * be trusted and Vert.x closes it once the answer is out.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidRequests.class);

    private final int maxRequestLine;
    private final int maxHeaders;

    /** @param options the server's options, whose limits the messages name */
    public InvalidRequests(HttpServerOptions options) {
        this.maxRequestLine = options.getMaxInitialLineLength();
        this.maxHeaders = options.getMaxHeaderSize();
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "the request line (method, URI and version) is longer than " + maxRequestLine
                    + " bytes: send a shorter URI, and large inputs in a POST body";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "the request headers are larger than " + maxHeaders + " bytes in all";
        } else {
            status = 400;
            message = "the request is not valid HTTP/1.1"
                    + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : "");
        }
        LOG.debug("refused a request the HTTP codec could not read ({}): {}", status, String.valueOf(cause));
        HttpServerResponse response = request.response().putHeader("Connection", "close");
        // A request line that was too long has no path to go by (the codec replaces it with a placeholder).
        ErrorFormat.forPath(status == 414 ? null : request.path()).send(response, status, message);
        // As Vert.x's own handler does: the answer is queued first, and goes out before the connection closes.
        request.connection().close();
    }
}
