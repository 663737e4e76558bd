package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's static files and the root's split between browsers and clients (the browser test is in scoria-it). */
class ConsoleHttpTest {

    static final String BROWSER_ACCEPT =
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

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

    HttpResponse<String> get(String path, String accept) throws Exception {
        var b = t.request(path).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return t.send(b.build());
    }

    @Test
    void aBrowserOpeningTheRootIsSentToTheConsole() throws Exception {
        HttpResponse<String> r = get("/", BROWSER_ACCEPT);
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue("/console/");
    }

    @Test
    void clientsOfTheRootStillReadHealthy() throws Exception {
        for (String accept : new String[] {null, "*/*", "text/plain", "application/json", "text/html;q=0.5, */*"}) {
            HttpResponse<String> r = get("/", accept);
            assertThat(r.statusCode()).as(String.valueOf(accept)).isEqualTo(200);
            assertThat(r.body()).isEqualTo("Healthy");
        }
    }

    @Test
    void theConsoleIsServedWithItsSecurityHeaders() throws Exception {
        HttpResponse<String> index = get("/console/", BROWSER_ACCEPT);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\">");
        assertThat(index.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

        HttpResponse<String> app = get("/console/app.js", null);
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        // Swagger UI is served by the server itself: the console works without internet.
        assertThat(get("/console/vendor/swagger-ui-bundle.js", null).statusCode())
                .isEqualTo(200);

        HttpResponse<String> bare = get("/console", BROWSER_ACCEPT);
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location")).hasValue("/console/");
    }

    @Test
    void nothingOutsideTheConsoleIsReachableThroughIt() throws Exception {
        assertThat(get("/console/missing.js", null).statusCode()).isEqualTo(404);
        assertThat(get("/console/../admin-token", null).statusCode()).isIn(400, 404);
        assertThat(get("/console/%2e%2e/admin-token", null).statusCode()).isIn(400, 404);
        assertThat(get("/console/..%2fadmin-token", null).statusCode()).isIn(400, 404);
    }

    @Test
    void theAcceptHeaderIsReadAsBrowsersAndClientsSendIt() {
        assertThat(ConsoleRoutes.prefersHtml(BROWSER_ACCEPT)).isTrue();
        assertThat(ConsoleRoutes.prefersHtml("text/html")).isTrue();
        assertThat(ConsoleRoutes.prefersHtml(null)).isFalse();
        assertThat(ConsoleRoutes.prefersHtml("*/*")).isFalse();
        assertThat(ConsoleRoutes.prefersHtml("application/json, text/html;q=0.9"))
                .isFalse();
        assertThat(ConsoleRoutes.prefersHtml("text/html;q=0")).isFalse();
        assertThat(ConsoleRoutes.prefersHtml("text/html;q=oops, */*")).isFalse();
    }
}
