package dev.scoria.cli;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scoria bench-limit}: the benchmarks' baseline. The same HTTP stack as {@code serve} (Vert.x,
 * same options), answering every request with a fixed 40-byte JSON body, no auth, no model, so that
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

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer(
                        new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false))
                .requestHandler(request -> request.body()
                        .onComplete(body -> request.response()
                                .putHeader("Content-Type", "application/json")
                                .end(BODY)))
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        System.out.println("bench-limit listening on http://" + host + ":" + port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
        return 0;
    }
}
