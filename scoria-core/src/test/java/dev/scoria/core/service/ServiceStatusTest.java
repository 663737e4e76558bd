package dev.scoria.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scoria.core.replica.ReplicaReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The overall state of a service from what its live replicas report. */
class ServiceStatusTest {

    private static final ServiceRecord SERVICE =
            LiveServiceTest.record(ServiceState.Transitioning).nextGeneration();

    private static ReplicaReport report(String replica, long generation, ServiceState state, String error) {
        return new ReplicaReport(replica, SERVICE.name(), "default", generation, state, error, Instant.now());
    }

    /** The status of the service's one deployment, {@code default}, from these reports. */
    private static ServiceStatus status(List<String> live, Map<String, ReplicaReport> reports) {
        return ServiceStatus.of(SERVICE, live, Map.of("default", reports));
    }

    @Test
    void healthyOnlyWhenEveryLiveReplicaServesTheCurrentGeneration() {
        long g = SERVICE.generation();
        assertThat(status(
                                List.of("a", "b"),
                                Map.of(
                                        "a",
                                        report("a", g, ServiceState.Healthy, null),
                                        "b",
                                        report("b", g, ServiceState.Healthy, null)))
                        .state())
                .isEqualTo(ServiceState.Healthy);
        assertThat(status(
                                List.of("a", "b"),
                                Map.of(
                                        "a",
                                        report("a", g, ServiceState.Healthy, null),
                                        "b",
                                        report("b", g - 1, ServiceState.Healthy, null)))
                        .state())
                .isEqualTo(ServiceState.Transitioning);
        ServiceStatus missing = status(List.of("a", "b"), Map.of("a", report("a", g, ServiceState.Healthy, null)));
        assertThat(missing.state()).isEqualTo(ServiceState.Transitioning);
        assertThat(missing.replicas()).extracting(ReplicaReport::replicaId).containsExactly("a", "b");
    }

    @Test
    void oneReplicaThatCannotLoadFailsTheServiceNamingIt() {
        long g = SERVICE.generation();
        ServiceStatus status = status(
                List.of("a", "b"),
                Map.of(
                        "a",
                        report("a", g, ServiceState.Healthy, null),
                        "b",
                        report("b", g, ServiceState.Failed, "no such file")));
        assertThat(status.state()).isEqualTo(ServiceState.Failed);
        assertThat(status.error()).isEqualTo("replica b: no such file");
        // With one replica the error is the replica's own, as a single-machine user expects.
        assertThat(status(List.of("b"), Map.of("b", report("b", g, ServiceState.Failed, "no such file")))
                        .error())
                .isEqualTo("no such file");
        // A failure of an older generation does not fail the current one.
        assertThat(status(List.of("b"), Map.of("b", report("b", g - 1, ServiceState.Failed, "old")))
                        .state())
                .isEqualTo(ServiceState.Transitioning);
    }

    @Test
    void aReplicaThatIsNoLongerLiveDoesNotCount() {
        long g = SERVICE.generation();
        Map<String, ReplicaReport> reports = Map.of(
                "a",
                report("a", g, ServiceState.Healthy, null),
                "gone",
                report("gone", g - 1, ServiceState.Transitioning, null));
        assertThat(status(List.of("a"), reports).state()).isEqualTo(ServiceState.Healthy);
    }

    @Test
    void unhealthyReplicasMakeTheServiceUnhealthyWithTheirProblem() {
        long g = SERVICE.generation();
        ServiceStatus status =
                status(List.of("a"), Map.of("a", report("a", g, ServiceState.Unhealthy, "no worker alive")));
        assertThat(status.state()).isEqualTo(ServiceState.Unhealthy);
        assertThat(status.applyTo(SERVICE).error()).isEqualTo("no worker alive");
    }
}
