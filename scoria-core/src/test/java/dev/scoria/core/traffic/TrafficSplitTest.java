package dev.scoria.core.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    static final List<String> DEPLOYMENTS = List.of("blue", "green", "red");

    @Test
    void aSplitMustNameKnownDeploymentsAndSumTo100() {
        new TrafficSplit(Map.of("blue", 90, "green", 10), null, 0).checkedAgainst(DEPLOYMENTS);
        assertThatThrownBy(() -> new TrafficSplit(Map.of("blue", 90), null, 0).checkedAgainst(DEPLOYMENTS))
                .hasMessage("traffic percentages sum to 90: expected 100 (e.g. blue=90 green=10)");
        assertThatThrownBy(() -> new TrafficSplit(Map.of("blue", 90, "pink", 10), null, 0).checkedAgainst(DEPLOYMENTS))
                .hasMessageStartingWith("traffic names deployment 'pink', which the service does not have");
        assertThatThrownBy(
                        () -> new TrafficSplit(Map.of("blue", 110, "green", -10), null, 0).checkedAgainst(DEPLOYMENTS))
                .hasMessageContaining("expected a whole percentage from 0 to 100");
    }

    @Test
    void theMirrorTakesNoLiveTrafficAndAtMostHalf() {
        TrafficSplit split = new TrafficSplit(Map.of("blue", 100), "green", 10).checkedAgainst(DEPLOYMENTS);
        assertThat(split.uses("green")).isTrue();
        assertThat(split.uses("red")).isFalse();
        assertThatThrownBy(() -> new TrafficSplit(Map.of("blue", 100), "green", 51).checkedAgainst(DEPLOYMENTS))
                .hasMessage("mirror traffic is 51%: expected 0 to 50");
        assertThatThrownBy(() ->
                        new TrafficSplit(Map.of("blue", 50, "green", 50), "green", 10).checkedAgainst(DEPLOYMENTS))
                .hasMessageStartingWith(
                        "deployment 'green' takes 50% of live traffic: a mirrored deployment takes none");
        // Giving the mirror live traffic ends the mirroring.
        assertThat(split.withLive(Map.of("blue", 50, "green", 50)).mirror()).isNull();
        assertThat(split.withLive(Map.of("blue", 50, "red", 50)).mirror()).isEqualTo("green");
        assertThat(split.without("green").mirror()).isNull();
    }

    @Test
    void thePrimaryIsTheDeploymentWithTheMostTraffic() {
        assertThat(new TrafficSplit(Map.of("blue", 30, "green", 70), null, 0).primary())
                .isEqualTo("green");
        assertThat(new TrafficSplit(Map.of("blue", 50, "green", 50), null, 0).primary())
                .isEqualTo("blue");
        assertThat(TrafficSplit.allTo("default").primary()).isEqualTo("default");
    }

    @Test
    void drawsFollowThePercentagesOverManyRequests() {
        TrafficSplit split = new TrafficSplit(Map.of("blue", 90, "green", 10, "red", 0), "red", 25);
        Map<String, Integer> counts = new HashMap<>();
        int mirrored = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts.merge(TrafficRouter.choose(split), 1, Integer::sum);
            if (TrafficRouter.mirrors(split)) {
                mirrored++;
            }
        }
        assertThat(counts).doesNotContainKey("red");
        assertThat(counts.get("green") / (double) n).isCloseTo(0.10, within(0.01));
        assertThat(mirrored / (double) n).isCloseTo(0.25, within(0.01));
    }
}
