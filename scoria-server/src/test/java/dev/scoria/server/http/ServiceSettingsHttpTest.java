package dev.scoria.server.http;

import static dev.scoria.server.http.DataPlaneHttpTest.errorOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scoria.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's settings on the management API: set at deploy, changed with PATCH, shown under the same names. */
class ServiceSettingsHttpTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir);
        HttpResponse<String> deployed = t.admin("POST", "/api/v1/services", """
                {"name": "tuned", "models": ["diabetes:1"], "description": "tuned", "kvTags": {"team": "risk"},
                 "properties": {"owner": "ana"}, "runtime": "onnx", "config": {}, "authMode": "token",
                 "scoringTimeoutMs": 1500, "maxConcurrentRequestsPerContainer": 3, "maxQueueWaitMs": 0,
                 "maxBatchSize": 8, "maxBatchDelayMicros": 250, "corsOrigins": ["https://App.Example.com"]}
                """);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
        t.waitForService("tuned");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static JsonNode service(String name) throws Exception {
        return JSON.readTree(t.admin("GET", "/api/v1/services/" + name, null).body());
    }

    static HttpResponse<String> patch(String name, String body) throws Exception {
        return t.admin("PATCH", "/api/v1/services/" + name, body);
    }

    static String message(HttpResponse<String> answer) throws Exception {
        return errorOf(answer, 400).get("message").asText();
    }

    @Test
    void everySettingGivenAtDeployIsShownUnderItsName() throws Exception {
        JsonNode s = service("tuned");
        assertThat(s.get("description").asText()).isEqualTo("tuned");
        assertThat(s.at("/kvTags/team").asText()).isEqualTo("risk");
        assertThat(s.at("/properties/owner").asText()).isEqualTo("ana");
        assertThat(s.get("runtime").asText()).isEqualTo("onnx");
        assertThat(s.get("authMode").asText()).isEqualTo("token");
        assertThat(s.get("authEnabled").asBoolean()).isFalse();
        assertThat(s.get("tokenAuthEnabled").asBoolean()).isTrue();
        assertThat(s.get("aadAuthEnabled").asBoolean()).isTrue();
        assertThat(s.get("scoringTimeoutMs").asInt()).isEqualTo(1500);
        assertThat(s.get("maxConcurrentRequestsPerContainer").asInt()).isEqualTo(3);
        assertThat(s.get("maxQueueWaitMs").asInt()).isEqualTo(0);
        assertThat(s.get("maxBatchSize").asInt()).isEqualTo(8);
        assertThat(s.get("maxBatchDelayMicros").asInt()).isEqualTo(250);
        assertThat(s.get("corsOrigins")).hasSize(1);
        assertThat(s.get("corsOrigins").get(0).asText()).isEqualTo("https://app.example.com");
        for (SettingField field : SettingField.values()) {
            if (field != SettingField.ENTRY && field != SettingField.CODE) {
                assertThat(s.has(field.wireName())).as(field.wireName()).isTrue();
            }
        }
    }

    @Test
    void aPatchChangesWhatItNamesAndKeepsTheRest() throws Exception {
        t.admin(
                "POST",
                "/api/v1/services",
                "{\"name\": \"patched\", \"models\": [\"diabetes:1\"], \"maxBatchSize\": 4}");
        t.waitForService("patched");
        HttpResponse<String> answer =
                patch("patched", "{\"maxBatchDelayMicros\": 100, \"kvTags\": {\"stage\": \"prod\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode s = service("patched");
        assertThat(s.get("maxBatchDelayMicros").asInt()).isEqualTo(100);
        assertThat(s.get("maxBatchSize").asInt()).isEqualTo(4);
        assertThat(s.get("authMode").asText()).isEqualTo("key");
        assertThat(s.at("/kvTags/stage").asText()).isEqualTo("prod");

        // A deploy-time field sent as null is no change; Azure's booleans change the auth mode.
        assertThat(patch("patched", "{\"runtime\": null, \"authEnabled\": false}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(service("patched").get("authMode").asText()).isEqualTo("none");
        assertThat(patch("patched", "{}").statusCode()).isEqualTo(200);
        assertThat(service("patched").get("maxBatchDelayMicros").asInt()).isEqualTo(100);
    }

    @Test
    void anUnknownFieldIsRefusedNamingItAndWhatIsAccepted() throws Exception {
        assertThat(message(t.admin(
                        "POST",
                        "/api/v1/services",
                        "{\"name\": \"typo\", \"models\": [\"diabetes:1\"], \"maxBatchDelayMs\": 5}")))
                .startsWith(
                        "field 'maxBatchDelayMs' is not known to a deploy: expected one of name, models, description,")
                .contains("maxBatchDelayMicros")
                .contains("inputExample");
        assertThat(message(patch("tuned", "{\"maxBatchDelayMs\": 5}")))
                .startsWith("field 'maxBatchDelayMs' is not known to PATCH: expected one of description, kvTags,")
                .contains("maxBatchDelayMicros")
                .endsWith("models");
        assertThat(message(patch("tuned", "{\"aadAuthEnabled\": true}")))
                .startsWith("field 'aadAuthEnabled' is not known");
        errorOf(t.admin("GET", "/api/v1/services/typo", null), 404);
    }

    @Test
    void aPatchChangesWhatTheServiceRunsAsItsNextGenerationButNotItsName() throws Exception {
        // A new runtime must come with what it needs; the onnx runtime takes runtime settings but no code.
        assertThat(message(patch("tuned", "{\"runtime\": \"java\"}")))
                .startsWith("the java runtime needs --code (a scorer JAR) and --entry");
        assertThat(message(patch("tuned", "{\"entry\": \"Main\"}")))
                .isEqualTo("the onnx runtime takes no code or entry point");
        HttpResponse<String> reload = t.admin("PATCH", "/api/v1/services/tuned", "{\"config\": {\"note\": \"v2\"}}");
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        String location = reload.headers().firstValue("Operation-Location").orElseThrow();
        assertThat(t.waitForOperation(location).path("state").asText()).isEqualTo("Succeeded");
        JsonNode service =
                JSON.readTree(t.admin("GET", "/api/v1/services/tuned", null).body());
        assertThat(service.path("config").path("note").asText()).isEqualTo("v2");
        assertThat(service.path("generation").asLong()).isGreaterThan(1);
        assertThat(message(patch("tuned", "{\"name\": \"other\"}")))
                .startsWith("field 'name' cannot be changed by PATCH");
    }

    @Test
    void aWrongTypeOrValueIsRefusedNamingTheFieldWhatWasExpectedAndWhatWasSeen() throws Exception {
        assertThat(message(patch("tuned", "{\"maxBatchSize\": \"big\"}")))
                .isEqualTo("field 'maxBatchSize' must be a whole number, saw \"big\"");
        assertThat(message(patch("tuned", "{\"maxBatchDelayMicros\": 1.5}")))
                .isEqualTo("field 'maxBatchDelayMicros' must be a whole number, saw 1.5");
        assertThat(message(patch("tuned", "{\"maxBatchDelayMicros\": 2000000}")))
                .isEqualTo("maxBatchDelayMicros is 2000000: expected a whole number from 0 to 1000000");
        assertThat(message(patch("tuned", "{\"corsOrigins\": \"https://app.example.com\"}")))
                .isEqualTo("field 'corsOrigins' must be an array of strings, saw \"https://app.example.com\"");
        assertThat(message(patch("tuned", "{\"corsOrigins\": [7]}")))
                .isEqualTo("field 'corsOrigins[0]' must be a string, saw 7");
        assertThat(message(patch("tuned", "{\"kvTags\": [\"a\"]}")))
                .isEqualTo("field 'kvTags' must be an object of strings, saw an array");
        assertThat(message(patch("tuned", "{\"kvTags\": {\"a\": {\"b\": 1}}}")))
                .isEqualTo("field 'kvTags.a' must be a string, saw an object");
        assertThat(message(patch("tuned", "{\"description\": 5}")))
                .isEqualTo("field 'description' must be a string, saw 5");
        assertThat(message(patch("tuned", "{\"authEnabled\": \"yes\"}")))
                .isEqualTo("field 'authEnabled' must be true or false, saw \"yes\"");
        assertThat(message(patch("tuned", "{\"authMode\": \"aad\"}"))).contains("expected key, token or none");
        // Nothing refused was applied.
        JsonNode s = service("tuned");
        assertThat(s.get("maxBatchSize").asInt()).isEqualTo(8);
        assertThat(s.get("maxBatchDelayMicros").asInt()).isEqualTo(250);
        assertThat(s.get("authMode").asText()).isEqualTo("token");
    }
}
