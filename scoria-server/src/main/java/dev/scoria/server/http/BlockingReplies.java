package dev.scoria.server.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.Callable;

/** Runs management work (store, files) on a worker thread and writes its reply or its error. */
public final class BlockingReplies {

    private final Vertx vertx;

    public BlockingReplies(Vertx vertx) {
        this.vertx = vertx;
    }

    public void run(RoutingContext ctx, Callable<Reply> work) {
        vertx.executeBlocking(
                        () -> {
                            Reply reply = work.call();
                            return new Object[] {reply, Json.MAPPER.writeValueAsBytes(reply.body())};
                        },
                        false)
                .onComplete(done -> {
                    if (done.failed()) {
                        HttpErrors.send(ctx, done.cause());
                        return;
                    }
                    Reply reply = (Reply) done.result()[0];
                    byte[] body = (byte[]) done.result()[1];
                    var response =
                            ctx.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json");
                    for (Map.Entry<String, String> h : reply.headers().entrySet()) {
                        response.putHeader(h.getKey(), h.getValue());
                    }
                    response.end(Buffer.buffer(body));
                });
    }
}
