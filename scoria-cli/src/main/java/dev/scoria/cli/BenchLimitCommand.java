package dev.scoria.cli;

import dev.scoria.server.ServerConfig;
import dev.scoria.server.http.HttpListeners;
import dev.scoria.server.http.PollingTransport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scoria bench-limit}: the benchmarks' baseline. The same HTTP stack as {@code serve} (Vert.x,
 * same options, one listener per event loop), answering every request with a fixed 40-byte JSON body, no auth, no model, so that
 * Scoria's throughput can be reported as a fraction of what the server itself can do on this machine.
 */
@Command(
        name = "bench-limit",
        hidden = true,
        description = "Benchmark baseline: a bare HTTP server with a fixed JSON answer.")
final class BenchLimitCommand implements Callable<Integer> {

    static final Buffer BODY = Buffer.buffer("{\"result\":[217.6797877,224.7893709122]}\n");

    @Option(names = "--port", defaultValue = "5090")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    /** As serve's option: 0 for the same default. */
    @Option(names = "--event-loops", defaultValue = "0")
    int eventLoops;

    /** As serve's option, with its default. */
    @Option(names = "--poll-micros", defaultValue = "" + ServerConfig.DEFAULT_POLL_MICROS)
    int pollMicros;

    @Override
    public Integer call() throws Exception {
        // The same event loops, polling and listeners as serve.
        int loops =
                eventLoops > 0 ? eventLoops : Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setEventLoopPoolSize(loops))
                .withTransport(PollingTransport.nio(pollMicros, () -> true))
                .build();
        HttpListeners.listen(
                vertx,
                new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false),
                loops,
                () -> request -> request.body()
                        .onComplete(body -> request.response()
                                .putHeader("Content-Type", "application/json")
                                .end(BODY)),
                null);
        System.out.println("bench-limit listening on http://" + host + ":" + port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
        return 0;
    }
}
