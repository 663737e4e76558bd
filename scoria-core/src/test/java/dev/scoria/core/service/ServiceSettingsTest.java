package dev.scoria.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ErrorKind;
import dev.scoria.core.ScoriaException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's settings: checked whole when built, changed by applying a patch. */
class ServiceSettingsTest {

    private static final ServiceSettings CURRENT = new ServiceSettings(
            "scores risk",
            Map.of("team", "risk"),
            Map.of("owner", "ana"),
            new InferenceSpec("python", null, "score.py", Map.of("workers", "2")),
            AuthMode.TOKEN,
            new ServiceLimits(1_000, 4, 200, 16, 500),
            List.of("https://app.example.com"));

    @Test
    void theDefaultsAreKeyAuthOnnxDefaultLimitsAndNoCors() {
        assertThat(ServiceSettings.DEFAULTS.authMode()).isEqualTo(AuthMode.KEY);
        assertThat(ServiceSettings.DEFAULTS.inference()).isEqualTo(InferenceSpec.of("onnx"));
        assertThat(ServiceSettings.DEFAULTS.limits()).isEqualTo(ServiceLimits.DEFAULTS);
        assertThat(ServiceSettings.DEFAULTS.corsOrigins()).isEmpty();
        assertThat(ServiceSettings.DEFAULTS.description()).isEmpty();
    }

    @Test
    void anEmptyPatchChangesNothing() {
        assertThat(SettingsPatch.NONE.applyTo(CURRENT)).isEqualTo(CURRENT);
    }

    @Test
    void aPatchReplacesWhatItGivesAndKeepsTheRest() {
        ServiceSettings changed = SettingsPatch.builder()
                .description("new")
                .authMode(AuthMode.NONE)
                .maxBatchDelayMicros(0)
                .maxQueueWaitMs(0)
                .build()
                .applyTo(CURRENT);
        assertThat(changed)
                .isEqualTo(new ServiceSettings(
                        "new",
                        CURRENT.tags(),
                        CURRENT.properties(),
                        CURRENT.inference(),
                        AuthMode.NONE,
                        new ServiceLimits(1_000, 4, 0, 16, 0),
                        CURRENT.corsOrigins()));
    }

    @Test
    void tagsPropertiesAndOriginsAreReplacedWholeNotMerged() {
        ServiceSettings changed = SettingsPatch.builder()
                .tags(Map.of("stage", "prod"))
                .properties(Map.of())
                .corsOrigins(List.of())
                .build()
                .applyTo(CURRENT);
        assertThat(changed.tags()).containsExactly(Map.entry("stage", "prod"));
        assertThat(changed.properties()).isEmpty();
        assertThat(changed.corsOrigins()).isEmpty();
        assertThat(changed.limits()).isEqualTo(CURRENT.limits());
    }

    @Test
    void aPatchLeavesTheRuntimeAsDeployed() {
        ServiceSettings changed =
                SettingsPatch.builder().scoringTimeoutMs(5_000).build().applyTo(CURRENT);
        assertThat(changed.inference()).isEqualTo(CURRENT.inference());
    }

    @Test
    void aLimitOutOfRangeIsRefusedNamingTheFieldTheRangeAndTheValue() {
        assertThatThrownBy(() -> SettingsPatch.builder()
                        .maxBatchDelayMicros(2_000_000)
                        .build()
                        .applyTo(CURRENT))
                .isInstanceOf(ScoriaException.class)
                .satisfies(e -> assertThat(((ScoriaException) e).kind()).isEqualTo(ErrorKind.BAD_INPUT))
                .hasMessage("maxBatchDelayMicros is 2000000: expected a whole number from 0 to 1000000");
        assertThatThrownBy(() -> SettingsPatch.builder()
                        .maxConcurrentRequestsPerContainer(0)
                        .build()
                        .applyTo(CURRENT))
                .hasMessage("maxConcurrentRequestsPerContainer is 0: expected a whole number from 1 to 10000");
        assertThatThrownBy(() ->
                        SettingsPatch.builder().scoringTimeoutMs(-1).build().applyTo(CURRENT))
                .hasMessageStartingWith("scoringTimeoutMs is -1");
    }

    @Test
    void corsOriginsAreCheckedAndKeptNormalised() {
        ServiceSettings changed = SettingsPatch.builder()
                .corsOrigins(List.of(" https://App.Example.com ", "*"))
                .build()
                .applyTo(CURRENT);
        assertThat(changed.corsOrigins()).containsExactly("https://app.example.com", "*");
        assertThatThrownBy(() -> SettingsPatch.builder()
                        .corsOrigins(List.of("*", "https://app.example.com/path"))
                        .build()
                        .applyTo(CURRENT))
                .isInstanceOf(ScoriaException.class)
                .hasMessageStartingWith(
                        "CORS origin 'https://app.example.com/path' is not valid (corsOrigins[1]): expected *");
        assertThatThrownBy(() -> new ServiceSettings(
                        "",
                        Map.of(),
                        Map.of(),
                        InferenceSpec.of("onnx"),
                        AuthMode.KEY,
                        ServiceLimits.DEFAULTS,
                        List.of("ftp://host")))
                .hasMessageContaining("'ftp://host'");
    }

    @Test
    void aRefusedPatchLeavesTheCurrentSettingsAsTheyWere() {
        assertThatThrownBy(() -> SettingsPatch.builder()
                        .description("changed")
                        .maxBatchSize(0)
                        .build()
                        .applyTo(CURRENT))
                .hasMessageStartingWith("maxBatchSize is 0");
        assertThat(CURRENT.description()).isEqualTo("scores risk");
    }

    @Test
    void everyFieldIsRequired() {
        assertThatThrownBy(() -> new ServiceSettings(
                        "", Map.of(), Map.of(), InferenceSpec.of("onnx"), null, ServiceLimits.DEFAULTS, List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("authMode");
        assertThatThrownBy(() -> new ServiceSettings(
                        "", Map.of(), Map.of(), null, AuthMode.KEY, ServiceLimits.DEFAULTS, List.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("inference");
    }

    @Test
    void settingsAreImmutable() {
        HashMap<String, String> tags = new HashMap<>(Map.of("a", "1"));
        ServiceSettings settings = SettingsPatch.builder().tags(tags).build().applyTo(CURRENT);
        tags.put("b", "2");
        assertThat(settings.tags()).containsOnlyKeys("a");
        assertThatThrownBy(() -> settings.tags().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }
}
