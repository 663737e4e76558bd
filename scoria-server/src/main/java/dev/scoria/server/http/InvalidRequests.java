package dev.scoria.server.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests the HTTP codec could not read, before any route sees them: a request line over
 * the limit (414), headers over the limit (431), anything else that is not HTTP/1.1 (400). As JSON in
 * the contract's error format like every other error (Vert.x's own answer is an empty body), with
 * {@code Connection: close}: the codec stops reading at the fault, so the rest of the connection cannot
 * be trusted and Vert.x closes it once the answer is out.
 *
 * <p>The request line's limit is kept here, not by the codec: a line the codec refuses reaches this handler
 * with a placeholder for its path, so its 414 could not be in the format of the route it asked for
 * ({@code {"error"}} on {@code /v2}). So {@link #codecLimits} lets the codec read lines of up to
 * {@link #CODEC_LINE_LIMIT}, and {@link #before} refuses those over {@link #MAX_REQUEST_LINE} with the path in
 * hand. Only a line over the codec's limit still gets the codec's 414, in Azure's format.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidRequests.class);

    /** The longest request line (method, URI and version) served. */
    public static final int MAX_REQUEST_LINE = 4096;
    /**
     * The longest the codec reads, twice the served limit: room to answer the lines in between in their route's
     * format, for at most 8 KiB a connection while a line is read (as much as its headers may take).
     */
    static final int CODEC_LINE_LIMIT = 2 * MAX_REQUEST_LINE;

    private static final int VERSION_AND_SPACES = " HTTP/1.1".length() + 1;
    private static final String LINE_TOO_LONG = "the request line (method, URI and version) is longer than "
            + MAX_REQUEST_LINE + " bytes: send a shorter URI, and large inputs in a POST body";

    private final int maxHeaders;

    /** @param options the server's options, whose header limit the messages name */
    public InvalidRequests(HttpServerOptions options) {
        this.maxHeaders = options.getMaxHeaderSize();
    }

    /** Sets the codec's request line limit on {@code options}; see the class comment. */
    public static HttpServerOptions codecLimits(HttpServerOptions options) {
        return options.setMaxInitialLineLength(CODEC_LINE_LIMIT);
    }

    /** {@code handler}, behind the check of the request line's length. */
    public Handler<HttpServerRequest> before(Handler<HttpServerRequest> handler) {
        return request -> {
            // An HTTP/2 request has no request line; refusing one would close every stream of its connection.
            if (request.version() != HttpVersion.HTTP_2
                    && request.method().name().length() + request.uri().length() + VERSION_AND_SPACES
                            > MAX_REQUEST_LINE) {
                refuse(request, 414, LINE_TOO_LONG, request.path());
                return;
            }
            handler.handle(request);
        };
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = LINE_TOO_LONG;
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "the request headers are larger than " + maxHeaders + " bytes in all";
        } else {
            status = 400;
            message = "the request is not valid HTTP/1.1"
                    + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : "");
        }
        LOG.debug("refused a request the HTTP codec could not read ({}): {}", status, String.valueOf(cause));
        // A request line that was too long has no path to go by (the codec replaces it with a placeholder).
        refuse(request, status, message, status == 414 ? null : request.path());
    }

    private static void refuse(HttpServerRequest request, int status, String message, String path) {
        HttpServerResponse response = request.response().putHeader("Connection", "close");
        ErrorFormat.forPath(path).send(response, status, message);
        // As Vert.x's own handler does: the answer is queued first, and goes out before the connection closes.
        request.connection().close();
    }
}
