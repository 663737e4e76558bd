package dev.scoria.core.schema;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A service's input and output, as Swagger 2.0 schema objects (the subset that OpenAPI 3.0 shares),
 * each with its {@code example}.
 */
public record IoSchema(ObjectNode input, ObjectNode output) {

    /** The schema of a service that declares nothing: still a document, never "swagger not found". */
    public static IoSchema unknown() {
        var json = JsonNodeFactory.instance;
        ObjectNode anything = json.objectNode().put("type", "object");
        anything.putObject("example");
        return new IoSchema(anything, anything.deepCopy());
    }
}
