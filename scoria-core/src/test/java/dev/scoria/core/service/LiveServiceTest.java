package dev.scoria.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.inference.InferenceRequest;
import dev.scoria.core.inference.InferenceResult;
import dev.scoria.core.inference.InputKind;
import dev.scoria.core.model.ModelRef;
import dev.scoria.core.runtime.Predictor;
import dev.scoria.core.schema.IoSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a predictor's health problem shows in the live view clients read, without touching the stored record. */
class LiveServiceTest {

    /** A predictor whose health the test sets. */
    static final class Sick implements Predictor {
        volatile String problem;

        @Override
        public Set<InputKind> accepts() {
            return Set.of(InputKind.TENSORS);
        }

        @Override
        public InferenceResult infer(InferenceRequest request) {
            return null;
        }

        @Override
        public String healthProblem() {
            return problem;
        }

        @Override
        public IoSchema schema() {
            return IoSchema.unknown();
        }

        @Override
        public void close() {}
    }

    static ServiceRecord record(ServiceState state) {
        Instant now = Instant.now();
        ServiceSettings settings = new ServiceSettings(
                "", Map.of(), Map.of(), InferenceSpec.of("python"), AuthMode.NONE, ServiceLimits.DEFAULTS, List.of());
        return ServiceRecord.single(
                "svc",
                settings,
                List.of(ModelRef.parse("m:1")),
                new ServiceKeys("k".repeat(32), "s".repeat(32)),
                SchemaSpec.NONE,
                state,
                null,
                now,
                now,
                1);
    }

    @Test
    void aHealthyServiceWhosePredictorReportsAProblemIsShownUnhealthyWithIt() {
        Sick predictor = new Sick();
        LiveService live = new LiveService(record(ServiceState.Healthy), predictor);
        assertThat(live.current()).isSameAs(live);
        assertThat(live.current().healthy()).isTrue();

        predictor.problem = "no Python worker is alive";
        LiveService shown = live.current();
        assertThat(shown.record().state()).isEqualTo(ServiceState.Unhealthy);
        assertThat(shown.record().error()).isEqualTo("no Python worker is alive");
        assertThat(shown.healthy()).isFalse();
        assertThat(live.record().state()).as("the stored view is unchanged").isEqualTo(ServiceState.Healthy);

        predictor.problem = null;
        assertThat(live.current().healthy()).as("recovers by itself").isTrue();
    }

    @Test
    void otherStatesAreShownAsTheyAre() {
        Sick predictor = new Sick();
        predictor.problem = "down";
        LiveService transitioning = new LiveService(record(ServiceState.Transitioning), predictor);
        assertThat(transitioning.current()).isSameAs(transitioning);
        LiveService noPredictor = new LiveService(record(ServiceState.Failed), (Predictor) null);
        assertThat(noPredictor.current()).isSameAs(noPredictor);
    }
}
