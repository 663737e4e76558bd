package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.TestServer;
import io.swagger.parser.OpenAPIParser;
import io.swagger.parser.SwaggerParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swagger documents pass an OpenAPI validator and describe the service as Azure ML's do. */
class SwaggerHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static SwaggerParseResult validate(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIParser().readContents(document, null, options);
    }

    @Test
    void swagger2IsValidAndDescribesInputOutputErrorsAndSecurity() throws Exception {
        HttpResponse<String> r =
                t.send(t.request("/api/v1/service/myservice/swagger.json").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");

        // The v2 parser proper: every message it has is a validation problem.
        var v2 = new SwaggerParser().readWithInfo(r.body());
        assertThat(v2.getMessages()).isEmpty();
        assertThat(v2.getSwagger()).isNotNull();
        SwaggerParseResult converted = validate(r.body());
        assertThat(converted.getMessages()).isEmpty();
        assertThat(converted.getOpenAPI().getPaths())
                .containsKeys("/api/v1/service/myservice/", "/api/v1/service/myservice/score");

        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.get("swagger").asText()).isEqualTo("2.0");
        JsonNode input = doc.at("/definitions/ServiceInput");
        assertThat(input.at("/properties/data/type").asText()).isEqualTo("array");
        assertThat(input.at("/properties/data/items/type").asText()).isEqualTo("array");
        assertThat(input.at("/properties/data/items/items/type").asText()).isEqualTo("number");
        assertThat(input.at("/properties/data/items/items/format").asText()).isEqualTo("double");
        assertThat(input.at("/example/data/0/0").doubleValue()).isEqualTo(0.0199132141783263);
        JsonNode output = doc.at("/definitions/ServiceOutput");
        assertThat(output.at("/type").asText()).isEqualTo("array");
        assertThat(output.at("/items/format").asText()).isEqualTo("double");
        assertThat(output.at("/example/0").doubleValue()).isEqualTo(217.67978776218715);
        assertThat(doc.at("/definitions/ErrorResponse/properties/status_code/type")
                        .asText())
                .isEqualTo("integer");
        assertThat(doc.at("/definitions/ErrorResponse/properties/message/type").asText())
                .isEqualTo("string");
        assertThat(doc.at("/securityDefinitions/Bearer/type").asText()).isEqualTo("apiKey");
        assertThat(doc.at("/securityDefinitions/Bearer/name").asText()).isEqualTo("Authorization");
        JsonNode score = doc.at("/paths/~1api~1v1~1service~1myservice~1score/post");
        assertThat(score.get("operationId").asText()).isEqualTo("RunMLService");
        assertThat(score.at("/security/0/Bearer").isArray()).isTrue();
        assertThat(doc.at("/paths/~1api~1v1~1service~1myservice~1/get/operationId")
                        .asText())
                .isEqualTo("ServiceHealthCheck");
        // The health check answers text, whatever the document-wide default (GeneratedClientTest calls it).
        assertThat(doc.at("/paths/~1api~1v1~1service~1myservice~1/get/produces").toString())
                .isEqualTo("[\"text/plain\"]");
        assertThat(doc.get("host").asText()).isEqualTo("127.0.0.1:" + t.server.port());
    }

    @Test
    void version3IsAValidOpenApi303Document() throws Exception {
        HttpResponse<String> r = t.send(t.request("/api/v1/service/myservice/swagger.json?version=3")
                .GET()
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        SwaggerParseResult result = validate(r.body());
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.at("/components/schemas/ServiceInput/properties/data/items/items/format")
                        .asText())
                .isEqualTo("double");
        assertThat(doc.at("/components/securitySchemes/Bearer/in").asText()).isEqualTo("header");
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo(t.server.baseUrl());
    }

    @Test
    void anUnknownVersionOrServiceIs404() throws Exception {
        HttpResponse<String> r = t.send(t.request("/api/v1/service/myservice/swagger.json?version=7")
                .GET()
                .build());
        assertThat(DataPlaneHttpTest.errorOf(r, 404).get("message").asText())
                .isEqualTo("Swagger version [7] is not valid. Supported versions: [2, 3]");
        DataPlaneHttpTest.errorOf(
                t.send(t.request("/api/v1/service/nosuch/swagger.json").GET().build()), 404);
    }
}
