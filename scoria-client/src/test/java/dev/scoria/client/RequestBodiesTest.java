package dev.scoria.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON and multipart bodies the SDK sends for register, deploy and update. */
class RequestBodiesTest {

    @TempDir
    Path dir;

    @Test
    void registrationSendsOptionalFieldsOnlyWhenSetAndTagsAsJson() throws Exception {
        Path file = Files.writeString(dir.resolve("model.onnx"), "m");
        Model.RegisterOptions options = Model.RegisterOptions.builder()
                .description("ridge")
                .tag("team", "risk")
                .property("alpha", "0.4")
                .build();
        MultipartBody body = Model.registration("diabetes", options, ModelFiles.of(file));

        assertThat(body.parts())
                .containsExactly(
                        new MultipartBody.Field("name", "diabetes"),
                        new MultipartBody.Field("description", "ridge"),
                        new MultipartBody.Field("tags", "{\"team\":\"risk\"}"),
                        new MultipartBody.Field("properties", "{\"alpha\":\"0.4\"}"),
                        new MultipartBody.FilePart("file", "model.onnx", file));

        MultipartBody bare =
                Model.registration("diabetes", Model.RegisterOptions.builder().build(), ModelFiles.of(file));
        assertThat(bare.parts())
                .containsExactly(
                        new MultipartBody.Field("name", "diabetes"),
                        new MultipartBody.FilePart("file", "model.onnx", file));
        assertThat(new String(Bodies.bytes(bare.publisher()), StandardCharsets.UTF_8))
                .doesNotContain("framework");

        MultipartBody framed = Model.registration(
                "diabetes",
                Model.RegisterOptions.builder()
                        .framework("ScikitLearn")
                        .frameworkVersion("1.2")
                        .build(),
                ModelFiles.of(file));
        assertThat(framed.parts())
                .containsExactly(
                        new MultipartBody.Field("name", "diabetes"),
                        new MultipartBody.Field("framework", "ScikitLearn"),
                        new MultipartBody.Field("frameworkVersion", "1.2"),
                        new MultipartBody.FilePart("file", "model.onnx", file));
    }

    @Test
    void deployRequestOmitsUnsetSettingsSoServerDefaultsApply() throws Exception {
        JsonNode json = Model.deployRequest("svc", List.of(), InferenceConfig.defaults(), DeploymentConfig.defaults());
        assertThat(json.toString()).isEqualTo("{\"name\":\"svc\",\"models\":[],\"runtime\":\"onnx\"}");
    }

    @Test
    void deployRequestCarriesEverySettingUnderTheApiNames() {
        DeploymentConfig config = DeploymentConfig.builder()
                .authMode(AuthMode.NONE)
                .description("d")
                .tag("k", "v")
                .property("p", "q")
                .scoringTimeoutMs(1000)
                .maxConcurrentRequestsPerContainer(4)
                .maxQueueWaitMs(50)
                .build();
        InferenceConfig inference =
                InferenceConfig.builder().inputExample("{\"data\": [[1.5, 2]]}").build();
        JsonNode json = Model.deployRequest("svc", List.of(), inference, config);

        assertThat(json.toString())
                .isEqualTo(
                        "{\"name\":\"svc\",\"models\":[],\"runtime\":\"onnx\","
                                + "\"inputExample\":{\"data\":[[1.5,2]]},\"authMode\":\"none\",\"description\":\"d\",\"kvTags\":{\"k\":\"v\"},"
                                + "\"properties\":{\"p\":\"q\"},\"scoringTimeoutMs\":1000,\"maxConcurrentRequestsPerContainer\":4,\"maxQueueWaitMs\":50}");
    }

    @Test
    void anInputExampleThatIsNotJsonIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> InferenceConfig.builder()
                        .inputExample("{\"data\": [[1,}")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("inputExample is not valid JSON");
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> DeploymentConfig.builder().maxQueueWaitMs(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQueueWaitMs is 0: it must be greater than 0");
    }

    @Test
    void updateSendsOnlyWhatChanges() {
        Webservice.Update update = Webservice.Update.builder()
                .description("new")
                .tags(Map.of("stage", "prod"))
                .authMode(AuthMode.KEY)
                .build();
        assertThat(update.toJson().toString())
                .isEqualTo("{\"authMode\":\"key\",\"description\":\"new\",\"kvTags\":{\"stage\":\"prod\"}}");
        assertThat(update.isEmpty()).isFalse();
        assertThat(Webservice.Update.builder().build().isEmpty()).isTrue();
    }

    @Test
    void tagValuesMustBeStrings() {
        HashMap<String, String> tags = new HashMap<>();
        tags.put("k", null);
        assertThatThrownBy(() -> DeploymentConfig.builder().tags(tags).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'k'");
    }

    @Test
    void everySettingOfADeploymentConfigTravelsUnderItsServiceSettingName() {
        DeploymentConfig all = DeploymentConfig.builder()
                .authMode(AuthMode.TOKEN)
                .description("d")
                .tag("k", "v")
                .property("p", "q")
                .scoringTimeoutMs(1000)
                .maxConcurrentRequestsPerContainer(4)
                .maxQueueWaitMs(50)
                .corsOrigins(List.of("*"))
                .maxBatchSize(8)
                .maxBatchDelayMicros(250)
                .build();
        JsonNode json = all.toJsonObject();
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly(
                        "authMode",
                        "description",
                        "kvTags",
                        "properties",
                        "scoringTimeoutMs",
                        "maxConcurrentRequestsPerContainer",
                        "maxQueueWaitMs",
                        "corsOrigins",
                        "maxBatchSize",
                        "maxBatchDelayMicros");
        assertThat(json.get(ServiceSetting.MAX_BATCH_DELAY_MICROS.wireName()).asInt())
                .isEqualTo(250);
        assertThat(all.toBuilder().build()).isEqualTo(all);
        assertThat(all.toBuilder().maxBatchSize(null).build().toJsonObject().has("maxBatchSize"))
                .isFalse();
    }

    @Test
    void anUpdateIsADeploymentConfigPlusModels() {
        DeploymentConfig batching = DeploymentConfig.builder()
                .maxBatchSize(16)
                .maxBatchDelayMicros(100)
                .build();
        Webservice.Update update = Webservice.Update.builder()
                .settings(batching)
                .corsOrigins(List.of("https://a.example.com"))
                .build();
        assertThat(update.settings())
                .isEqualTo(batching.toBuilder()
                        .corsOrigins(List.of("https://a.example.com"))
                        .build());
        assertThat(update.toJson().toString())
                .isEqualTo(
                        "{\"corsOrigins\":[\"https://a.example.com\"],\"maxBatchSize\":16,\"maxBatchDelayMicros\":100}");
        assertThatThrownBy(() -> Webservice.Update.builder().maxQueueWaitMs(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQueueWaitMs is 0: it must be greater than 0");
        assertThatThrownBy(() -> Webservice.Update.builder().models(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a service needs at least one model");
    }
}
