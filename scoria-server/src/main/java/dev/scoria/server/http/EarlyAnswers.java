package dev.scoria.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps a keep-alive connection in step when the answer goes out before the request's body has been
 * read: a 401, 404, 415 or 431 from the checks that run first, a 413 for a declared length over the
 * limit. HTTP/1.1 leaves the server two honest choices, and this picks one per request before the
 * answer's head is written:
 *
 * <ul>
 *   <li>A body of declared length up to {@link #DRAIN_LIMIT}: the connection stays open, and the rest of
 *       the body is read and dropped (Vert.x does that once the answer has ended), so the client's next
 *       request on it is read from its first byte.
 *   <li>A longer body, one of unknown length (chunked), or one the client holds back until the server
 *       says {@code 100 Continue} (which an early answer never does): {@code Connection: close}. The
 *       server reads on for up to {@link #LINGER_MS} before it closes, so that a client still sending
 *       does not meet a reset before it reads the answer; a larger body costs at most that long.
 * </ul>
 */
public final class EarlyAnswers implements Handler<RoutingContext> {

    /** Bodies up to this size are read to their end after an early answer, and the connection kept. */
    static final long DRAIN_LIMIT = 4L * 1024 * 1024;
    /** How long a connection answered with {@code Connection: close} still takes the rest of a body. */
    static final long LINGER_MS = 2_000;

    private static final long POLL_MS = 20;

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.version() != HttpVersion.HTTP_2 && !request.isEnded() && hasBody(request)) {
            ctx.addHeadersEndHandler(v -> beforeHead(ctx));
        }
        ctx.next();
    }

    private static void beforeHead(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded() || drainable(request)) {
            return;
        }
        ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        ctx.addEndHandler(done -> lingerThenClose(ctx.vertx(), request));
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || length != null && !length.equals("0");
    }

    private static boolean drainable(HttpServerRequest request) {
        if (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || request.getHeader(HttpHeaders.EXPECT) != null) {
            return false;
        }
        try {
            return Long.parseLong(request.getHeader(HttpHeaders.CONTENT_LENGTH)) <= DRAIN_LIMIT;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Closes the connection once the body has been read, or after {@link #LINGER_MS}, whichever comes first. */
    private static void lingerThenClose(Vertx vertx, HttpServerRequest request) {
        long deadline = System.nanoTime() + LINGER_MS * 1_000_000;
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        vertx.setPeriodic(POLL_MS, timer -> {
            if (request.isEnded() || System.nanoTime() - deadline >= 0) {
                vertx.cancelTimer(timer);
                request.connection().close();
            }
        });
    }
}
