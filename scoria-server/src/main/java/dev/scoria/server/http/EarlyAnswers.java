package dev.scoria.server.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

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
 *       connection closes once the body has ended, or no more of it has come for {@link #LINGER_IDLE_MS},
 *       or after {@link #LINGER_MAX_MS} in all: reading on while the client still sends means it does not
 *       meet a reset before it reads the answer (what nginx calls a lingering close).
 * </ul>
 */
public final class EarlyAnswers implements Handler<RoutingContext> {

    /** Bodies up to this size are read to their end after an early answer, and the connection kept. */
    static final long DRAIN_LIMIT = 4L * 1024 * 1024;
    /** A connection answered with {@code Connection: close} closes when no more of the body came for this long… */
    static final long LINGER_IDLE_MS = 2_000;
    /** …or when it has taken the rest of the body for this long, however steadily it comes. */
    static final long LINGER_MAX_MS = 30_000;

    private static final long POLL_MS = 100;

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.version() != HttpVersion.HTTP_2 && !request.isEnded() && hasBody(request)) {
            ctx.addHeadersEndHandler(v -> beforeHead(ctx));
            // Until a route's body handler takes over: a body the codec cannot decode still gets an answer.
            request.exceptionHandler(e -> BrokenBodies.onException(request, e));
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

    private static void lingerThenClose(Vertx vertx, HttpServerRequest request) {
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        vertx.setPeriodic(POLL_MS, new Linger(vertx, request));
    }

    /** Polls a refused request's body until it ends, stops coming, or has been taken long enough; then closes. */
    private static final class Linger implements Handler<Long> {
        private final Vertx vertx;
        private final HttpServerRequest request;
        private final long started = System.nanoTime();
        private long lastRead;
        private long lastProgress = started;

        Linger(Vertx vertx, HttpServerRequest request) {
            this.vertx = vertx;
            this.request = request;
            this.lastRead = request.bytesRead();
        }

        @Override
        public void handle(Long timer) {
            long now = System.nanoTime();
            long read = request.bytesRead();
            if (read != lastRead) {
                lastRead = read;
                lastProgress = now;
            }
            if (request.isEnded()
                    || now - lastProgress >= TimeUnit.MILLISECONDS.toNanos(LINGER_IDLE_MS)
                    || now - started >= TimeUnit.MILLISECONDS.toNanos(LINGER_MAX_MS)) {
                vertx.cancelTimer(timer);
                request.connection().close();
            }
        }
    }
}
