package dev.scoria.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client has stalled: one that sent part of a request's head or body, or nothing
 * after its last answer, and then nothing for the idle timeout. Without it such a connection stays open for
 * good, and the room its declared body takes in the {@link BodyBudget} stays held, so that a few stalled
 * clients turn every other request away with 503. (nginx's client_header_timeout, client_body_timeout and
 * keepalive_timeout in one.)
 *
 * <p>A connection whose request has been read whole and not yet answered waits on the server, not its client:
 * it is never closed for that, as its wait is bounded by the service's scoringTimeoutMs. Vert.x's own idle
 * timeout cannot tell the two apart, and its handler puts a listener on every write; so each connection gets
 * this watcher instead, which counts the requests read against the answers written and notes that something
 * moved, and a check a quarter of the timeout apart on the connection's own event loop closes it after four
 * quiet checks in a row. Per request that is a counter and a flag, not a timer or an allocation.
 *
 * <p>This reaches into Vert.x's connection for its Netty pipeline (an internal API): Vert.x offers no other way
 * to see a connection's HTTP messages as they pass.
 */
final class IdleConnections {

    /** Quiet checks in a row that close a connection: the timeout is this many check periods. */
    private static final int QUIET_CHECKS = 4;

    private final long periodNanos;

    /** @param timeoutSeconds more than 0 */
    IdleConnections(int timeoutSeconds) {
        this.periodNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds) / QUIET_CHECKS;
    }

    /**
     * The server's connection handler: puts a watcher beside the HTTP codec of an HTTP/1.x connection, in place of
     * Vert.x's idle handler. Vert.x makes the connection (and calls this) only once its first request's head is
     * read, so until then Vert.x's own idle timeout, set to the same time, closes a client that never finishes
     * one.
     */
    void watch(HttpConnection connection) {
        if (!(connection instanceof HttpServerConnection server)) {
            return;
        }
        ChannelPipeline pipeline = server.channelHandlerContext().pipeline();
        // After the encoder: inbound it sees decoded requests, outbound the answers before they are encoded.
        ChannelHandlerContext encoder = pipeline.context(HttpResponseEncoder.class);
        if (encoder == null) {
            return; // HTTP/2: its streams are not this codec's requests
        }
        pipeline.addAfter(encoder.name(), "scoria-idle", new Watcher(periodNanos));
        if (pipeline.get(IdleStateHandler.class) != null) {
            pipeline.remove(IdleStateHandler.class);
        }
    }

    /** Sets Vert.x's idle timeout, which covers a connection until its first request: see {@link #watch}. */
    static HttpServerOptions beforeFirstRequest(HttpServerOptions options, int timeoutSeconds) {
        return options.setIdleTimeout(timeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
    }

    /** One connection's watcher; touched only on the connection's event loop. */
    static final class Watcher extends ChannelDuplexHandler {
        private final long periodNanos;
        /** Requests read whole minus answers written: above 0, the connection waits on the server. */
        private int unanswered;

        private boolean moved;
        private int quietChecks;
        private ScheduledFuture<?> check;

        Watcher(long periodNanos) {
            this.periodNanos = periodNanos;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            check = ctx.executor()
                    .scheduleAtFixedRate(() -> check(ctx), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }

        /** Also on close: Netty removes every handler of a closed channel. */
        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            check.cancel(false);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            moved = true;
            if (msg instanceof LastHttpContent) {
                unanswered++;
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            moved = true;
            // An answer given before its request's body was read (a 401, say) counts too: the count goes below 0
            // until the body's end arrives, or stays there if it never does, which is a client's stall.
            if (msg instanceof LastHttpContent && !interim(msg)) {
                unanswered--;
            }
            super.write(ctx, msg, promise);
        }

        /** A {@code 100 Continue}: not the answer, which is still to come. */
        private static boolean interim(Object msg) {
            return msg instanceof HttpResponse response
                    && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }

        private void check(ChannelHandlerContext ctx) {
            if (moved || unanswered > 0) {
                moved = false;
                quietChecks = 0;
                return;
            }
            if (++quietChecks >= QUIET_CHECKS) {
                ctx.close();
            }
        }
    }
}
