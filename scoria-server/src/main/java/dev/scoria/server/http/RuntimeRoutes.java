package dev.scoria.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scoria.core.runtime.RuntimeInfo;
import dev.scoria.core.runtime.RuntimeRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/runtimes}: the runtimes this server offers and what each takes, so that clients
 * can pick one for a deployment. The set is fixed at start, so the answer is written once.
 */
public final class RuntimeRoutes {

    private final byte[] answer;

    public RuntimeRoutes(RuntimeRegistry runtimes) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode value = body.putArray("value");
        for (RuntimeInfo info : runtimes.infos()) {
            ObjectNode n = value.addObject();
            n.put("name", info.name());
            n.put("description", info.description());
            n.put("takesCode", info.takesCode());
            ArrayNode code = n.putArray("codeExtensions");
            info.codeExtensions().forEach(code::add);
            ArrayNode models = n.putArray("modelExtensions");
            info.modelExtensions().forEach(models::add);
            ArrayNode frameworks = n.putArray("modelFrameworks");
            info.modelFrameworks().forEach(frameworks::add);
        }
        try {
            this.answer = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the runtimes could not be written as JSON", e);
        }
    }

    public void list(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(answer));
    }
}
