package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.DemoService;
import dev.scoria.server.ServerConfig;
import dev.scoria.server.TestServer;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Request ids as Azure ML's inference server answers them, on the scoring routes of both protocols,
 * against a real server: {@code x-request-id}, the client's own id in {@code x-ms-client-request-id} /
 * {@code x-ms-request-id}, {@code TraceId}, and the 431s for ids over 100 characters.
 */
class RequestIdsHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCORE = "/api/v1/service/myservice/score";
    static final String INFER = "/v2/models/myservice/infer";
    static final String V2_BODY = "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 10], \"datatype\": \"FP64\","
            + " \"data\": [0.01, 0.05, 0.1, 0.07, -0.03, -0.02, -0.02, -0.002, 0.003, 0.04]}]}";
    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir)
                .accessLog(true)
                .build());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    /** Scores the demo request with the given extra headers (name, value, name, value…). */
    static HttpResponse<String> score(String... headers) throws Exception {
        HttpRequest.Builder b = t.request(SCORE)
                .header("Authorization", "Bearer " + t.primaryKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return t.send(b.build());
    }

    static HttpResponse<String> infer(String... headers) throws Exception {
        HttpRequest.Builder b = t.request(INFER)
                .header("Authorization", "Bearer " + t.primaryKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(V2_BODY));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return t.send(b.build());
    }

    static Optional<String> header(HttpResponse<?> r, String name) {
        HttpHeaders headers = r.headers();
        assertThat(headers.allValues(name)).as("values of " + name).hasSizeLessThanOrEqualTo(1);
        return headers.firstValue(name);
    }

    static JsonNode error(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void withNoIdsSentTheRequestIdIsANewUuidAlsoInTheLegacyHeaderAndNoClientIdIsMadeUp() throws Exception {
        HttpResponse<String> first = score();
        HttpResponse<String> second = score();
        assertThat(first.statusCode()).isEqualTo(200);
        String id = header(first, "x-request-id").orElseThrow();
        assertThat(id).matches(UUID_PATTERN);
        assertThat(header(second, "x-request-id").orElseThrow())
                .matches(UUID_PATTERN)
                .isNotEqualTo(id);
        assertThat(header(first, "x-ms-request-id")).hasValue(id);
        assertThat(header(first, "x-ms-client-request-id")).isEmpty();
        assertThat(header(first, "TraceId")).isEmpty();
    }

    @Test
    void theClientsRequestIdIsEchoed() throws Exception {
        HttpResponse<String> r = score("x-request-id", "my-id-1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "x-request-id")).hasValue("my-id-1");
        assertThat(header(r, "x-ms-request-id")).hasValue("my-id-1");
        assertThat(header(r, "x-ms-client-request-id")).isEmpty();
    }

    @Test
    void aLegacyClientIdAloneIsEchoedInBothClientIdHeaders() throws Exception {
        HttpResponse<String> r = score("x-ms-request-id", "legacy-7");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "x-ms-request-id")).hasValue("legacy-7");
        assertThat(header(r, "x-ms-client-request-id")).hasValue("legacy-7");
        // It names the client's call, not the request: x-request-id is still the server's own.
        assertThat(header(r, "x-request-id"))
                .hasValueSatisfying(v -> assertThat(v).matches(UUID_PATTERN));
    }

    @Test
    void aClientIdAloneIsEchoedInBothClientIdHeaders() throws Exception {
        HttpResponse<String> r = score("x-request-id", "my-id-2", "x-ms-client-request-id", "client-7");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "x-request-id")).hasValue("my-id-2");
        assertThat(header(r, "x-ms-client-request-id")).hasValue("client-7");
        assertThat(header(r, "x-ms-request-id")).hasValue("client-7");
    }

    @Test
    void bothClientIdsAreEchoedAsSent() throws Exception {
        HttpResponse<String> r = score("x-ms-request-id", "legacy-8", "x-ms-client-request-id", "client-8");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "x-ms-request-id")).hasValue("legacy-8");
        assertThat(header(r, "x-ms-client-request-id")).hasValue("client-8");
        assertThat(header(r, "x-request-id"))
                .hasValueSatisfying(v -> assertThat(v).matches(UUID_PATTERN));
    }

    @Test
    void aTraceIdIsEchoed() throws Exception {
        HttpResponse<String> r = score("TraceId", "office-trace-1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "TraceId")).hasValue("office-trace-1");
    }

    @Test
    void anEmptyIdCountsAsNotSent() throws Exception {
        HttpResponse<String> r = score("x-request-id", "", "x-ms-client-request-id", "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "x-request-id"))
                .hasValueSatisfying(v -> assertThat(v).matches(UUID_PATTERN));
        assertThat(header(r, "x-ms-client-request-id")).isEmpty();
    }

    @Test
    void aRequestIdOver100CharactersIs431WithNoIdHeaders() throws Exception {
        assertThat(score("x-request-id", "r".repeat(100)).statusCode()).isEqualTo(200);
        HttpResponse<String> r = score("x-request-id", "r".repeat(101), "TraceId", "t-431");
        assertThat(error(r, 431))
                .isEqualTo(
                        JSON.readTree(
                                "{\"status_code\": 431, \"message\": \"x-request-id must not exceed 100 characters (saw 101)\"}"));
        assertThat(header(r, "x-request-id")).isEmpty();
        assertThat(header(r, "x-ms-request-id")).isEmpty();
        assertThat(header(r, "x-ms-client-request-id")).isEmpty();
        assertThat(header(r, "TraceId")).hasValue("t-431");
    }

    @Test
    void aClientIdOver100CharactersIs431ThatStillCarriesTheRequestId() throws Exception {
        assertThat(score("x-ms-client-request-id", "c".repeat(100)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> client = score("x-request-id", "kept-1", "x-ms-client-request-id", "c".repeat(150));
        assertThat(error(client, 431).get("message").asText())
                .isEqualTo("x-ms-request-id and x-ms-client-request-id must not exceed 100 characters"
                        + " (x-ms-client-request-id has 150)");
        assertThat(header(client, "x-request-id")).hasValue("kept-1");
        assertThat(header(client, "x-ms-request-id")).isEmpty();
        assertThat(header(client, "x-ms-client-request-id")).isEmpty();

        HttpResponse<String> legacy = score("x-ms-request-id", "l".repeat(101));
        assertThat(error(legacy, 431).get("message").asText()).endsWith("(x-ms-request-id has 101)");
        assertThat(header(legacy, "x-request-id"))
                .hasValueSatisfying(v -> assertThat(v).matches(UUID_PATTERN));
        assertThat(header(legacy, "x-ms-request-id")).isEmpty();
    }

    @Test
    void errorsCarryTheIdsToo() throws Exception {
        HttpResponse<String> r = t.send(t.request(SCORE)
                .header("Content-Type", "application/json")
                .header("x-request-id", "refused-1")
                .header("x-ms-client-request-id", "client-9")
                .header("TraceId", "t-401")
                .POST(HttpRequest.BodyPublishers.ofString(DemoService.sampleRequest()))
                .build());
        error(r, 401);
        assertThat(header(r, "x-request-id")).hasValue("refused-1");
        assertThat(header(r, "x-ms-client-request-id")).hasValue("client-9");
        assertThat(header(r, "TraceId")).hasValue("t-401");
        HttpResponse<String> unknown = t.send(t.request("/api/v1/service/nosuch/score")
                .header("x-request-id", "missing-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        error(unknown, 404);
        assertThat(header(unknown, "x-request-id")).hasValue("missing-1");
        // Also the router's own answers, and the management API's.
        HttpResponse<String> noRoute = t.send(t.request("/no/such/route")
                .header("x-ms-client-request-id", "client-10")
                .GET()
                .build());
        error(noRoute, 404);
        assertThat(header(noRoute, "x-ms-client-request-id")).hasValue("client-10");
        assertThat(header(noRoute, "x-request-id"))
                .hasValueSatisfying(v -> assertThat(v).matches(UUID_PATTERN));
        HttpResponse<String> services = t.send(t.request("/api/v1/services")
                .header("Authorization", "Bearer " + t.server.adminToken())
                .header("x-request-id", "admin-1")
                .GET()
                .build());
        assertThat(services.statusCode()).isEqualTo(200);
        assertThat(header(services, "x-request-id")).hasValue("admin-1");
    }

    @Test
    void theAccessLogNamesTheClientsOwnIdBesideTheRequestId() throws Exception {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Logger access = (Logger) LoggerFactory.getLogger("scoria.access");
        access.addAppender(events);
        try {
            score("x-request-id", "logged-1", "x-ms-client-request-id", "client-logged-1");
            score("x-request-id", "logged-2");
            // Written once the answer has gone out: wait for both lines.
            long deadline = System.currentTimeMillis() + 10_000;
            List<JsonNode> lines = new ArrayList<>();
            while (lines.size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
                lines.clear();
                for (ILoggingEvent event : List.copyOf(events.list)) {
                    JsonNode line = JSON.readTree(event.getFormattedMessage());
                    if (line.path("request_id").asText().startsWith("logged-")) {
                        lines.add(line);
                    }
                }
            }
            assertThat(lines).hasSize(2);
            JsonNode withClientId = lines.stream()
                    .filter(l -> l.get("request_id").asText().equals("logged-1"))
                    .findFirst()
                    .orElseThrow();
            assertThat(withClientId.get("client_request_id").asText()).isEqualTo("client-logged-1");
            assertThat(withClientId.get("status").asInt()).isEqualTo(200);
            JsonNode without = lines.stream()
                    .filter(l -> l.get("request_id").asText().equals("logged-2"))
                    .findFirst()
                    .orElseThrow();
            assertThat(without.has("client_request_id")).isFalse();
        } finally {
            access.detachAppender(events);
        }
    }

    @Test
    void theOpenInferenceRouteFollowsTheSameRulesWithItsOwnErrorFormat() throws Exception {
        HttpResponse<String> r = infer("x-ms-request-id", "legacy-v2", "TraceId", "t-v2");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(header(r, "x-request-id"))
                .hasValueSatisfying(v -> assertThat(v).matches(UUID_PATTERN));
        assertThat(header(r, "x-ms-request-id")).hasValue("legacy-v2");
        assertThat(header(r, "x-ms-client-request-id")).hasValue("legacy-v2");
        assertThat(header(r, "TraceId")).hasValue("t-v2");

        HttpResponse<String> tooLong = infer("x-request-id", "v".repeat(101));
        assertThat(error(tooLong, 431))
                .isEqualTo(JSON.readTree("{\"error\": \"x-request-id must not exceed 100 characters (saw 101)\"}"));
        assertThat(header(tooLong, "x-request-id")).isEmpty();
    }
}
