package dev.scoria.core.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/**
 * Generates a service's API document in the shape of Azure ML's own templates (same operation ids,
 * definitions and security scheme), so that generated clients keep working: Swagger 2.0 by default,
 * OpenAPI 3.0.3 on request.
 */
public final class SwaggerGenerator {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String HEALTH_OK =
            "If service is up and running, this response will be returned with the content 'Healthy'";
    private static final String SCORE_OK =
            "The service processed the input correctly and provided a result prediction, if applicable.";
    private static final String FAILED = "The service failed to execute due to an error.";
    private static final String INPUT_DESCRIPTION =
            "The input payload for executing the real-time machine learning service.";

    /**
     * @param serviceName the service, also the title
     * @param baseUrl where the server answers, e.g. {@code https://host:5001}; null leaves host and scheme out
     * @param secured whether the score path requires {@code Authorization: Bearer}
     */
    public record Target(String serviceName, String baseUrl, boolean secured, String version) {

        String pathPrefix() {
            return "/api/v1/service/" + serviceName;
        }
    }

    public ObjectNode swagger2(Target target, IoSchema schema) {
        ObjectNode doc = JSON.objectNode();
        doc.put("swagger", "2.0");
        info(doc, target);
        if (target.baseUrl() != null) {
            URI uri = URI.create(target.baseUrl());
            doc.put("host", uri.getRawAuthority());
            doc.putArray("schemes").add(uri.getScheme());
        } else {
            doc.putArray("schemes").add("http").add("https");
        }
        doc.putArray("consumes").add("application/json");
        doc.putArray("produces").add("application/json");
        if (target.secured()) {
            doc.putObject("securityDefinitions").set("Bearer", bearerScheme());
        }
        ObjectNode paths = doc.putObject("paths");

        ObjectNode health = paths.putObject(target.pathPrefix() + "/").putObject("get");
        health.put("operationId", "ServiceHealthCheck");
        health.put("description", "Simple health check endpoint to ensure the service is up at any given point.");
        // The answer is the text Healthy, not JSON: the document-wide application/json would make generated
        // clients (openapi-generator's Java one) parse it as JSON and fail. Azure's template has that mistake.
        health.putArray("produces").add("text/plain");
        ObjectNode healthResponses = health.putObject("responses");
        ObjectNode ok = healthResponses.putObject("200");
        ok.put("description", HEALTH_OK);
        ok.putObject("schema").put("type", "string");
        ok.putObject("examples").put("text/plain", "Healthy");
        healthResponses.set("default", errorResponse2());

        ObjectNode score = paths.putObject(target.pathPrefix() + "/score").putObject("post");
        score.put("operationId", "RunMLService");
        score.put("description", "Run web service's model and get the prediction output");
        if (target.secured()) {
            score.putArray("security").addObject().putArray("Bearer");
        }
        ObjectNode body = score.putArray("parameters").addObject();
        body.put("name", "serviceInputPayload");
        body.put("in", "body");
        body.put("description", INPUT_DESCRIPTION);
        body.putObject("schema").put("$ref", "#/definitions/ServiceInput");
        ObjectNode scoreResponses = score.putObject("responses");
        ObjectNode scored = scoreResponses.putObject("200");
        scored.put("description", SCORE_OK);
        scored.putObject("schema").put("$ref", "#/definitions/ServiceOutput");
        scoreResponses.set("default", errorResponse2());

        ObjectNode definitions = doc.putObject("definitions");
        definitions.set("ServiceInput", schema.input().deepCopy());
        definitions.set("ServiceOutput", schema.output().deepCopy());
        definitions.set("ErrorResponse", errorSchema());
        return doc;
    }

    public ObjectNode openApi3(Target target, IoSchema schema) {
        ObjectNode doc = JSON.objectNode();
        doc.put("openapi", "3.0.3");
        info(doc, target);
        if (target.baseUrl() != null) {
            doc.putArray("servers").addObject().put("url", target.baseUrl());
        }
        ObjectNode paths = doc.putObject("paths");

        ObjectNode health = paths.putObject(target.pathPrefix() + "/").putObject("get");
        health.put("operationId", "ServiceHealthCheck");
        health.put("description", "Simple health check endpoint to ensure the service is up at any given point.");
        ObjectNode healthResponses = health.putObject("responses");
        ObjectNode ok = healthResponses.putObject("200");
        ok.put("description", HEALTH_OK);
        ObjectNode text = ok.putObject("content").putObject("text/plain");
        text.putObject("schema").put("type", "string");
        text.put("example", "Healthy");
        healthResponses.set("default", errorResponse3());

        ObjectNode score = paths.putObject(target.pathPrefix() + "/score").putObject("post");
        score.put("operationId", "RunMLService");
        score.put("description", "Run web service's model and get the prediction output");
        if (target.secured()) {
            score.putArray("security").addObject().putArray("Bearer");
        }
        ObjectNode requestBody = score.putObject("requestBody");
        requestBody.put("description", INPUT_DESCRIPTION);
        requestBody.put("required", true);
        requestBody
                .putObject("content")
                .putObject("application/json")
                .putObject("schema")
                .put("$ref", "#/components/schemas/ServiceInput");
        ObjectNode scoreResponses = score.putObject("responses");
        ObjectNode scored = scoreResponses.putObject("200");
        scored.put("description", SCORE_OK);
        scored.putObject("content")
                .putObject("application/json")
                .putObject("schema")
                .put("$ref", "#/components/schemas/ServiceOutput");
        scoreResponses.set("default", errorResponse3());

        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("ServiceInput", schema.input().deepCopy());
        schemas.set("ServiceOutput", schema.output().deepCopy());
        schemas.set("ErrorResponse", errorSchema());
        if (target.secured()) {
            components.putObject("securitySchemes").set("Bearer", bearerScheme());
        }
        return doc;
    }

    private static void info(ObjectNode doc, Target target) {
        ObjectNode info = doc.putObject("info");
        info.put("title", target.serviceName());
        info.put("description", "API specification for the Scoria service " + target.serviceName());
        info.put("version", target.version());
    }

    private static ObjectNode bearerScheme() {
        ObjectNode bearer = JSON.objectNode();
        bearer.put("type", "apiKey");
        bearer.put("name", "Authorization");
        bearer.put("in", "header");
        bearer.put("description", "For example: Bearer abc123");
        return bearer;
    }

    private static ObjectNode errorResponse2() {
        ObjectNode failed = JSON.objectNode();
        failed.put("description", FAILED);
        failed.putObject("schema").put("$ref", "#/definitions/ErrorResponse");
        return failed;
    }

    private static ObjectNode errorResponse3() {
        ObjectNode failed = JSON.objectNode();
        failed.put("description", FAILED);
        failed.putObject("content")
                .putObject("application/json")
                .putObject("schema")
                .put("$ref", "#/components/schemas/ErrorResponse");
        return failed;
    }

    private static ObjectNode errorSchema() {
        ObjectNode error = JSON.objectNode();
        error.put("type", "object");
        ObjectNode props = error.putObject("properties");
        props.putObject("status_code").put("type", "integer").put("format", "int32");
        props.putObject("message").put("type", "string");
        ArrayNode required = error.putArray("required");
        required.add("status_code").add("message");
        return error;
    }
}
