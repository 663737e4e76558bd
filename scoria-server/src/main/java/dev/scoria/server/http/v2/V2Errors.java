package dev.scoria.server.http.v2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.server.http.ErrorFormat;
import dev.scoria.server.http.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The Open Inference Protocol's error body: {@code {"error": "message"}}, with the same statuses as Azure's route. */
public final class V2Errors implements ErrorFormat {

    public static final V2Errors FORMAT = new V2Errors();

    private V2Errors() {}

    @Override
    public void send(RoutingContext ctx, int status, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", message);
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(body.toString()));
    }
}
