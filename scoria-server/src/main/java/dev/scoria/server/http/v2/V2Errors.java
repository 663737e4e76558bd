package dev.scoria.server.http.v2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.server.http.ErrorFormat;
import dev.scoria.server.http.Json;
import io.vertx.core.buffer.Buffer;

/** The Open Inference Protocol's error body: {@code {"error": "message"}}, with the same statuses as Azure's route. */
public final class V2Errors implements ErrorFormat {

    public static final V2Errors FORMAT = new V2Errors();

    private V2Errors() {}

    @Override
    public Buffer body(int status, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", message);
        return Buffer.buffer(body.toString());
    }
}
