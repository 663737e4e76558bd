package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSnapshotTest {

    /** The example of docs/api.md, with times filled in. */
    static final String SERVICE = """
            {"name": "myservice", "description": "", "kvTags": {"team": "risk"}, "properties": {},
             "state": "Healthy", "error": null, "createdTime": "2026-11-25T13:40:02.301Z",
             "updatedTime": "2026-11-25T13:40:03Z", "computeType": "Scoria",
             "runtime": "onnx", "models": [{"id": "diabetes:1", "name": "diabetes", "version": 1}],
             "scoringUri": "http://127.0.0.1:5001/api/v1/service/myservice/score",
             "swaggerUri": "http://127.0.0.1:5001/api/v1/service/myservice/swagger.json",
             "authMode": "key", "authEnabled": true, "tokenAuthEnabled": false, "aadAuthEnabled": false,
             "scoringTimeoutMs": 60000, "maxConcurrentRequestsPerContainer": 1, "maxQueueWaitMs": 500,
             "numReplicas": 1, "appInsightsEnabled": false, "someFutureField": [1, 2]}
            """;

    @Test
    void readsTheDocumentedServiceJson() {
        ServiceSnapshot s = ServiceSnapshot.fromJson(Json.parse(SERVICE, "test"));
        assertThat(s.name()).isEqualTo("myservice");
        assertThat(s.state()).isEqualTo(WebserviceState.Healthy);
        assertThat(s.error()).isNull();
        assertThat(s.tags()).containsExactly(Map.entry("team", "risk"));
        assertThat(s.models()).containsExactly(new ModelReference("diabetes:1", "diabetes", 1));
        assertThat(s.scoringUri()).isEqualTo(URI.create("http://127.0.0.1:5001/api/v1/service/myservice/score"));
        assertThat(s.swaggerUri()).isEqualTo(URI.create("http://127.0.0.1:5001/api/v1/service/myservice/swagger.json"));
        assertThat(s.authMode()).isEqualTo(AuthMode.KEY);
        assertThat(s.createdTime()).isEqualTo(Instant.parse("2026-11-25T13:40:02.301Z"));
        assertThat(s.scoringTimeoutMs()).isEqualTo(60000);
        assertThat(s.maxQueueWaitMs()).isEqualTo(500);
        assertThat(s.runtime()).isEqualTo("onnx");
    }

    @Test
    void readsBatchingAndCorsUnderTheNamesItSendsThem() {
        String tuned = SERVICE.replace(
                "\"numReplicas\"",
                "\"maxBatchSize\": 8, \"maxBatchDelayMicros\": 250,"
                        + " \"corsOrigins\": [\"https://app.example.com\"], \"numReplicas\"");
        ServiceSnapshot s = ServiceSnapshot.fromJson(Json.parse(tuned, "test"));
        assertThat(s.maxBatchSize()).isEqualTo(8);
        assertThat(s.maxBatchDelayMicros()).isEqualTo(250);
        assertThat(s.corsOrigins()).containsExactly("https://app.example.com");
        JsonNode sent = DeploymentConfig.builder()
                .maxBatchSize(8)
                .maxBatchDelayMicros(250)
                .corsOrigins(List.of("https://app.example.com"))
                .build()
                .toJsonObject();
        sent.fieldNames()
                .forEachRemaining(name ->
                        assertThat(Json.parse(tuned, "test").has(name)).as(name).isTrue());
    }

    @Test
    void readsAFailedServicesError() {
        String failed = SERVICE.replace("\"Healthy\"", "\"Failed\"")
                .replace("\"error\": null", "\"error\": {\"code\": \"DeploymentFailed\", \"message\": \"bad model\"}");
        ServiceSnapshot s = ServiceSnapshot.fromJson(Json.parse(failed, "test"));
        assertThat(s.state()).isEqualTo(WebserviceState.Failed);
        assertThat(s.error()).isEqualTo(new WebserviceError("DeploymentFailed", "bad model"));
    }

    @Test
    void fallsBackToAzuresAuthBooleans() {
        String tokenAuth = SERVICE.replace("\"authMode\": \"key\",", "")
                .replace("\"authEnabled\": true", "\"authEnabled\": false")
                .replace("\"tokenAuthEnabled\": false", "\"tokenAuthEnabled\": true");
        assertThat(ServiceSnapshot.fromJson(Json.parse(tokenAuth, "test")).authMode())
                .isEqualTo(AuthMode.TOKEN);
        String noAuth = SERVICE.replace("\"authMode\": \"key\",", "")
                .replace("\"authEnabled\": true", "\"authEnabled\": false");
        assertThat(ServiceSnapshot.fromJson(Json.parse(noAuth, "test")).authMode())
                .isEqualTo(AuthMode.NONE);
    }

    @Test
    void anAnswerWithoutAScoringUriIsNotAService() {
        assertThatThrownBy(
                        () -> ServiceSnapshot.fromJson(Json.parse("{\"name\": \"a\", \"state\": \"Healthy\"}", "test")))
                .isInstanceOf(WebserviceException.class)
                .hasMessageContaining("'scoringUri'");
    }

    @Test
    void anUnknownStateSaysTheSdkMayBeOld() {
        assertThatThrownBy(() -> WebserviceState.fromWire("Migrating"))
                .isInstanceOf(WebserviceException.class)
                .hasMessageContaining("'Migrating'");
    }
}
