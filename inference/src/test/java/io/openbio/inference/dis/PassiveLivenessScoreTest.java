package io.openbio.inference.dis;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PassiveLivenessScoreTest {

    @Test
    void theIntegratorsThresholdFallsOnTheAnchorAndTheMappingKeepsTheOrder() {
        assertThat(PassiveLivenessScore.score(0)).isZero();
        assertThat(PassiveLivenessScore.score(1)).isEqualTo(1.0);
        assertThat(PassiveLivenessScore.score(PassiveLivenessScore.ANCHOR_RAW)).isCloseTo(0.875, within(1e-12));
        double previous = -1;
        for (int i = 0; i <= 1000; i++) {
            double s = PassiveLivenessScore.score(i / 1000.0);
            assertThat(s).isBetween(0.0, 1.0).isGreaterThan(previous);
            assertThat(PassiveLivenessScore.rawAt(s)).isCloseTo(i / 1000.0, within(1e-9));
            previous = s;
        }
        // out of range raw values are clamped, never outside 0..1
        assertThat(PassiveLivenessScore.score(-3)).isZero();
        assertThat(PassiveLivenessScore.score(7)).isEqualTo(1.0);
    }

    @Test
    void theEqualErrorThresholdBalancesBothErrors() {
        // bona fide 0.6, 0.7, 0.8, 0.9; attacks 0.5, 0.65, 0.75: at 0.675 one bona fide of four (0.25) is below,
        // one attack of three (0.33) at or above, the closest balance of the midpoints
        double t = PassiveLivenessScore.equalErrorThreshold(List.of(0.6, 0.7, 0.8, 0.9), List.of(0.5, 0.65, 0.75));
        assertThat(t).isCloseTo(0.675, within(1e-12));
        // separable samples: the threshold lies between them with no error at all
        assertThat(PassiveLivenessScore.equalErrorThreshold(List.of(0.8, 0.9), List.of(0.1, 0.2))).isCloseTo(0.5, within(1e-12));
    }
}
