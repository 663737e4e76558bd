package dev.scoria.server.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One port served by several event loops. A Vert.x server is served by the event loop it was started on,
 * so a single server uses one core however many the machine has; Vert.x shares a port between servers
 * started on it and hands each new connection to the next of them in turn. So one server is started per
 * event loop, each from a deployment of its own (which is what places it on its own loop), and each with
 * its own request handler: Vert.x's routers and handlers are meant to be used by the loop that made them.
 */
public final class HttpListeners {

    private final List<HttpServer> servers;

    private HttpListeners(List<HttpServer> servers) {
        this.servers = servers;
    }

    /**
     * Starts {@code count} servers on the port of {@code options} (a free one if it is 0, then the same for
     * all), each with a handler of its own from {@code handlers}.
     *
     * @param invalid answers requests Vert.x could not parse, or null for Vert.x's own answer
     */
    public static HttpListeners listen(
            Vertx vertx,
            HttpServerOptions options,
            int count,
            Supplier<Handler<HttpServerRequest>> handlers,
            Handler<HttpServerRequest> invalid)
            throws Exception {
        return listen(vertx, options, count, handlers, invalid, 0);
    }

    /**
     * As above, closing connections whose client stalls for {@code idleTimeoutSeconds} ({@link IdleConnections});
     * 0 never closes one for that.
     */
    public static HttpListeners listen(
            Vertx vertx,
            HttpServerOptions options,
            int count,
            Supplier<Handler<HttpServerRequest>> handlers,
            Handler<HttpServerRequest> invalid,
            int idleTimeoutSeconds)
            throws Exception {
        IdleConnections idle = idleTimeoutSeconds > 0 ? new IdleConnections(idleTimeoutSeconds) : null;
        HttpServerOptions served = idle == null
                ? options
                : IdleConnections.beforeFirstRequest(new HttpServerOptions(options), idleTimeoutSeconds);
        if (count < 1) {
            throw new IllegalArgumentException("at least one listener is needed, not " + count);
        }
        List<HttpServer> servers = new ArrayList<>(count);
        // Vert.x shares a port between servers that ask for the same one, but each server asking for port 0
        // binds a free port of its own; servers asking for the same negative port share one free port.
        HttpServerOptions these =
                served.getPort() == 0 && count > 1 ? new HttpServerOptions(served).setPort(-1) : served;
        for (int i = 0; i < count; i++) {
            Listener listener = new Listener(these, handlers.get(), invalid, idle);
            vertx.deployVerticle(listener)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            servers.add(listener.server);
        }
        return new HttpListeners(List.copyOf(servers));
    }

    /** The port every listener serves. */
    public int actualPort() {
        return servers.get(0).actualPort();
    }

    public int count() {
        return servers.size();
    }

    /**
     * Stops accepting connections on every listener, lets requests in flight finish for up to {@code
     * timeoutMs}, then closes the connections left.
     */
    public Future<Void> shutdown(long timeoutMs) {
        List<Future<Void>> all = new ArrayList<>(servers.size());
        for (HttpServer server : servers) {
            all.add(server.shutdown(timeoutMs, TimeUnit.MILLISECONDS));
        }
        return Future.all(all).mapEmpty();
    }

    /** One server, started on the event loop of its own deployment. */
    private static final class Listener extends VerticleBase {
        private final HttpServerOptions options;
        private final Handler<HttpServerRequest> handler;
        private final Handler<HttpServerRequest> invalid;
        private final IdleConnections idle;
        private volatile HttpServer server;

        Listener(
                HttpServerOptions options,
                Handler<HttpServerRequest> handler,
                Handler<HttpServerRequest> invalid,
                IdleConnections idle) {
            this.idle = idle;
            this.options = options;
            this.handler = handler;
            this.invalid = invalid;
        }

        @Override
        public Future<?> start() {
            HttpServer created = vertx.createHttpServer(options).requestHandler(handler);
            if (idle != null) {
                created.connectionHandler(idle::watch);
            }
            if (invalid != null) {
                created.invalidRequestHandler(invalid);
            }
            return created.listen().onSuccess(bound -> server = bound);
        }
    }
}
