package dev.scoria.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.ArrayDeque;

/**
 * Closes a connection whose client has stalled: one that sent part of a request's head or body, or nothing
 * after its last answer, and then nothing for the idle timeout. Without it such a connection stays open for
 * good, and the room its declared body takes in the {@link BodyBudget} stays held, so that a few stalled
 * clients turn every other request away with 503.
 *
 * <p>Vert.x's own idle timeout closes a connection on which nothing was read or written for that long, but it
 * does so whatever the connection is doing: a request that takes longer to score would lose its answer. So its
 * idle events pass through a filter on each connection that lets them close it only while the connection waits
 * on its client (nginx's client_header_timeout, client_body_timeout and keepalive_timeout in one). While a
 * request is being scored the wait is the server's, bounded by the service's scoringTimeoutMs; once its answer
 * is being written, the writes count as activity, so only a client that stops reading it is cut off.
 *
 * <p>This reaches into Vert.x's connection for its Netty pipeline (an internal API): Vert.x offers no other
 * way to see a connection's idle events before it acts on them.
 */
final class IdleConnections {

    private static final AttributeKey<Filter> FILTER = AttributeKey.valueOf("scoria.idle-filter");

    private IdleConnections() {}

    /** Whether the server started with {@code options} closes idle connections (then it needs both hooks below). */
    static boolean enabled(HttpServerOptions options) {
        return options.getIdleTimeout() > 0;
    }

    /** The server's connection handler: puts the filter in front of Vert.x's reaction to idle events. */
    static void watch(HttpConnection connection) {
        if (!(connection instanceof HttpServerConnection server)) {
            return;
        }
        ChannelPipeline pipeline = server.channelHandlerContext().pipeline();
        ChannelHandlerContext idle = pipeline.context(IdleStateHandler.class);
        if (idle == null) {
            return;
        }
        Filter filter = new Filter();
        pipeline.addAfter(idle.name(), "scoria-idle-filter", filter);
        pipeline.channel().attr(FILTER).set(filter);
    }

    /** {@code handler}, noting first each request on the connection it came on. */
    static Handler<HttpServerRequest> tracking(Handler<HttpServerRequest> handler) {
        return request -> {
            if (request.connection() instanceof HttpServerConnection server) {
                Channel channel = server.channelHandlerContext().channel();
                Filter filter = channel.attr(FILTER).get();
                if (filter != null) {
                    filter.add(request);
                }
            }
            handler.handle(request);
        };
    }

    /** One connection's requests not yet answered; touched only on the connection's event loop. */
    private static final class Filter extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<HttpServerRequest> unanswered = new ArrayDeque<>(2);

        void add(HttpServerRequest request) {
            unanswered.removeIf(r -> r.response().ended());
            unanswered.add(request);
        }

        /** A request read whole and not yet answered: the connection waits on the server, not the client. */
        private boolean serverBusy() {
            unanswered.removeIf(r -> r.response().ended());
            for (HttpServerRequest request : unanswered) {
                if (request.isEnded()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent && serverBusy()) {
                return;
            }
            super.userEventTriggered(ctx, event);
        }
    }
}
