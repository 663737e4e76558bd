package dev.scoria.server.http;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.ErrorDataDecoderException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request whose body the HTTP codec could not decode, such as a chunk size that is not hexadecimal:
 * {@code 400} in the route's error format, then the connection is closed, as the codec has lost its place in
 * the stream. Vert.x reports such a body as an exception on the request and closes the connection as soon as
 * its handlers return, dropping any answer not yet flushed; so the answer is sent and the connection closed
 * here, which flushes it first. A client's mistake, logged at debug, not as an error.
 */
final class BrokenBodies {

    private static final Logger LOG = LoggerFactory.getLogger(BrokenBodies.class);

    private BrokenBodies() {}

    /** Whether {@code failure}, reported while a body was read, is the codec refusing its bytes. */
    static boolean undecodable(Throwable failure) {
        // Netty reports a bad chunk size as the NumberFormatException (an IllegalArgumentException) it met.
        return refusedByCodec(failure) || failure instanceof IllegalArgumentException;
    }

    /**
     * Whether {@code failure}, which the body handler reports with status 400, is the codec's. A form that does not
     * parse is the body handler's own, on a connection still in step.
     */
    static boolean refusedByCodec(Throwable failure) {
        return failure instanceof DecoderException && !(failure instanceof ErrorDataDecoderException);
    }

    /**
     * A request's exception handler until a route reads its body: a request answered before its body was read
     * (a 401, say) still gets that answer out.
     */
    static void onException(HttpServerRequest request, Throwable failure) {
        if (undecodable(failure)) {
            answer(request, failure);
        }
    }

    /**
     * The router's error handler for status 200, which is how Vert.x's body handler reports a failure other than
     * a {@code DecoderException} while it reads a body: a bad chunk, or a connection that broke mid-body (which
     * leaves nobody to answer).
     */
    static void whileRead(RoutingContext ctx) {
        if (undecodable(ctx.failure())) {
            answer(ctx.request(), ctx.failure());
        } else {
            LOG.debug("a request's body stopped: {}", String.valueOf(ctx.failure()));
        }
    }

    /** For the router's 400 handler, which the body handler reports a {@code DecoderException} to. */
    static void answer(RoutingContext ctx) {
        answer(ctx.request(), ctx.failure());
    }

    private static void answer(HttpServerRequest request, Throwable failure) {
        LOG.debug("refused a body the HTTP codec could not decode on {} {}", request.method(), request.path(), failure);
        HttpServerResponse response = request.response();
        if (!response.headWritten()) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        ErrorFormat.forPath(request.path()).send(response, 400, message(request, failure));
        request.connection().close();
    }

    private static String message(HttpServerRequest request, Throwable failure) {
        String seen = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (failure instanceof NumberFormatException && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            return "the request body is not valid chunked encoding: expected each chunk to start with its size in"
                    + " hexadecimal, saw: " + seen;
        }
        return "the request body could not be read: " + seen;
    }
}
