package dev.scoria.server.http.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * FP16 conversion: every half survives half → float → half bit for bit (NaNs stay NaN), and a float
 * becomes the half nearest to it — no half lies strictly closer.
 */
class HalfFloatsFuzzTest {

    @FuzzTest
    void convertsExactlyAndToTheNearest(short half, float value) {
        float widened = HalfFloats.toFloat(half);
        if (Float.isNaN(widened)) {
            assertThat(Float.isNaN(HalfFloats.toFloat(HalfFloats.fromFloat(widened))))
                    .isTrue();
        } else {
            assertThat(HalfFloats.fromFloat(widened)).as("half %04x", half).isEqualTo(half);
        }

        short nearest = HalfFloats.fromFloat(value);
        float chosen = HalfFloats.toFloat(nearest);
        if (Float.isNaN(value)) {
            assertThat(Float.isNaN(chosen)).isTrue();
            return;
        }
        if (Float.isInfinite(chosen) && !Float.isInfinite(value)) {
            // Past the largest half (65504) by half a step or more: rounds to infinity.
            assertThat(Math.abs(value)).as("%s became %s", value, chosen).isGreaterThanOrEqualTo(65520f);
            return;
        }
        // The halves either side of the chosen one (same sign, magnitude one step up and down) are no closer.
        double error = Math.abs((double) chosen - value);
        for (int step : new int[] {-1, 1}) {
            int neighbour = (nearest & 0x7FFF) + step;
            if (neighbour < 0 || neighbour > 0x7C00) {
                continue;
            }
            float other = HalfFloats.toFloat((short) (nearest & 0x8000 | neighbour));
            if (Float.isInfinite(other) || Float.isInfinite(chosen)) {
                continue;
            }
            assertThat(Math.abs((double) other - value))
                    .as("%s: chose %s, %s is closer", value, chosen, other)
                    .isGreaterThanOrEqualTo(error);
        }
    }
}
