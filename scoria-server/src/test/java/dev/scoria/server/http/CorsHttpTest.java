package dev.scoria.server.http;

import static dev.scoria.server.http.DataPlaneHttpTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS with the exact headers a browser sends: preflight, then the real request. */
class CorsHttpTest {

    static final String APP = "https://app.example.com";

    @TempDir
    static Path dir;

    static TestServer t;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir);
        t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"browser\", \"models\": [\"diabetes:1\"], \"corsOrigins\": [\"" + APP + "\"]}");
        t.waitForService("browser");
        key = new ObjectMapper()
                .readTree(t.admin("POST", "/api/v1/services/browser/listkeys", null)
                        .body())
                .get("primaryKey")
                .asText();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static HttpResponse<String> preflight(String service, String origin) throws Exception {
        return t.send(t.request("/api/v1/service/" + service + "/score")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .build());
    }

    @Test
    void anAllowedOriginGetsThePreflightAndTheAnswerWithoutAKey() throws Exception {
        HttpResponse<String> pre = preflight("browser", APP);
        assertThat(pre.statusCode()).isEqualTo(200);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValueSatisfying(v -> assertThat(v).contains("POST"));
        assertThat(pre.headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElseThrow()
                        .toLowerCase())
                .contains("authorization")
                .contains("content-type")
                .contains("x-ms-client-request-id")
                .contains("traceid");
        assertThat(pre.headers().firstValue("Vary")).hasValue("Origin");

        HttpResponse<String> real = t.send(t.request("/api/v1/service/browser/score")
                .header("Origin", APP)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                .build());
        assertThat(real.body()).isEqualTo(TestServer.EXPECTED);
        assertThat(real.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(real.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("x-request-id")
                .contains("x-ms-request-id")
                .contains("x-ms-client-request-id")
                .contains("TraceId");

        // Errors carry the headers too, so the page can read why it failed.
        HttpResponse<String> unauthorized = t.send(t.request("/api/v1/service/browser/score")
                .header("Origin", APP)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(APP);
    }

    @Test
    void otherOriginsGetNoCorsHeaders() throws Exception {
        HttpResponse<String> pre = preflight("browser", "https://evil.example.com");
        assertThat(errorOf(pre, 403).get("message").asText()).contains("may not call service 'browser' from a browser");
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> real = t.send(t.request("/api/v1/service/browser/score")
                .header("Origin", "https://evil.example.com")
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                .build());
        assertThat(real.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        // A service without CORS origins answers no browser at all.
        assertThat(preflight("myservice", APP).headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
    }

    @Test
    void aWildcardServiceAnswersAnyOriginAndBadOriginsAreRefusedAtDeploy() throws Exception {
        t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"public-svc\", \"models\": [\"diabetes:1\"], \"corsOrigins\": [\"*\"]}");
        t.waitForService("public-svc");
        assertThat(preflight("public-svc", "https://anything.example.org")
                        .headers()
                        .firstValue("Access-Control-Allow-Origin"))
                .hasValue("*");
        assertThat(errorOf(
                                t.admin(
                                        "POST",
                                        "/api/v1/services",
                                        "{\"name\": \"bad-cors\", \"models\": [\"diabetes:1\"], \"corsOrigins\": [\"https://app.example.com/path\"]}"),
                                400)
                        .get("message")
                        .asText())
                .contains("CORS origin 'https://app.example.com/path' is not valid");
    }
}
