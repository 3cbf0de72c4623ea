package io.openbio.inference.challenge;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChallengeGeneratorTest {
    /** chi-square 99.9% quantiles: 9 and 77 degrees of freedom. */
    private static final double CHI2_999_DF9 = 27.877;
    private static final double CHI2_999_DF77 = 121.100;

    static byte[] seed(int i) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(4).putInt(i).array());
    }

    @Test
    void sameSeedGivesTheSameActions() throws Exception {
        byte[] s = seed(7);
        assertThat(ChallengeGenerator.derive(s, 5, ActionSet.ALL.actions()))
                .isEqualTo(ChallengeGenerator.derive(s.clone(), 5, ActionSet.ALL.actions()));
    }

    @Test
    void knownAnswerSoOtherImplementationsCanCheckTheirDerivation() {
        byte[] s = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        assertThat(ChallengeGenerator.derive(s, 6, ActionSet.ALL.actions())).isEqualTo(KNOWN_ANSWER);
    }

    /** computed independently (Python hmac/hashlib, same construction as the class javadoc describes). */
    static final List<ChallengeAction> KNOWN_ANSWER = List.of(ChallengeAction.GAZE_BOTTOM_LEFT, ChallengeAction.TURN_LEFT,
            ChallengeAction.SMILE, ChallengeAction.TURN_RIGHT, ChallengeAction.LOOK_DOWN, ChallengeAction.SMILE);

    @Test
    void differentSeedsGiveDifferentChallenges() throws Exception {
        Set<List<ChallengeAction>> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(ChallengeGenerator.derive(seed(i), 4, ActionSet.ALL.actions()));
        }
        // 10 * 9^3-ish = thousands of sequences: 200 draws collide rarely
        assertThat(seen).hasSizeGreaterThan(190);
    }

    @Test
    void kAndAllowedAreRespectedWithNoRepeatAndNoGazeAfterGaze() throws Exception {
        Set<ChallengeAction> allowed = ActionSet.union(ActionSet.HEAD, ActionSet.GAZE);
        for (int i = 0; i < 2000; i++) {
            List<ChallengeAction> a = ChallengeGenerator.derive(seed(i), 1 + i % ChallengeGenerator.MAX_ACTIONS, allowed);
            assertThat(a).hasSize(1 + i % ChallengeGenerator.MAX_ACTIONS);
            assertThat(allowed).containsAll(a);
            for (int j = 1; j < a.size(); j++) {
                assertThat(a.get(j)).isNotEqualTo(a.get(j - 1));
                assertThat(a.get(j).isGaze() && a.get(j - 1).isGaze()).as("two corners in a row: %s", a).isFalse();
            }
        }
    }

    @Test
    void aGazeOnlySetChainsCornersButNeverTheSameTwice() throws Exception {
        for (int i = 0; i < 500; i++) {
            List<ChallengeAction> a = ChallengeGenerator.derive(seed(i), 4, ActionSet.GAZE.actions());
            assertThat(a).allMatch(ChallengeAction::isGaze);
            for (int j = 1; j < a.size(); j++) {
                assertThat(a.get(j)).isNotEqualTo(a.get(j - 1));
            }
        }
    }

    @Test
    void firstActionIsUniformOverTenThousandSeeds() throws Exception {
        int n = 10_000;
        Map<ChallengeAction, Integer> count = new HashMap<>();
        for (int i = 0; i < n; i++) {
            count.merge(ChallengeGenerator.derive(seed(i), 1, ActionSet.ALL.actions()).get(0), 1, Integer::sum);
        }
        double expected = n / 10.0;
        double chi2 = 0;
        for (ChallengeAction a : ChallengeAction.values()) {
            double o = count.getOrDefault(a, 0);
            chi2 += (o - expected) * (o - expected) / expected;
        }
        assertThat(count).hasSize(10);
        assertThat(chi2).isLessThan(CHI2_999_DF9);
    }

    @Test
    void consecutivePairsFollowTheRulesUniformly() throws Exception {
        // ALL: after a non-gaze action 9 candidates, after a corner 6 (no repeat, no corner): 6*9 + 4*6 = 78 pairs
        int n = 10_000;
        Map<List<ChallengeAction>, Integer> count = new HashMap<>();
        for (int i = 0; i < n; i++) {
            List<ChallengeAction> a = ChallengeGenerator.derive(seed(1_000_000 + i), 2, ActionSet.ALL.actions());
            count.merge(a, 1, Integer::sum);
        }
        assertThat(count).hasSize(78);
        double chi2 = 0;
        for (Map.Entry<List<ChallengeAction>, Integer> e : count.entrySet()) {
            double expected = n / 10.0 / (e.getKey().get(0).isGaze() ? 6 : 9);
            chi2 += (e.getValue() - expected) * (e.getValue() - expected) / expected;
        }
        assertThat(chi2).isLessThan(CHI2_999_DF77);
    }

    @Test
    void issueDrawsAFreshSeedAndDerivesFromIt() {
        Challenge a = ChallengeGenerator.issue("nonce-1", 3, ActionSet.HEAD.actions(), 1_000, 60_000);
        Challenge b = ChallengeGenerator.issue("nonce-2", 3, ActionSet.HEAD.actions(), 1_000, 60_000);
        assertThat(a.seed()).hasSize(ChallengeGenerator.SEED_BYTES).isNotEqualTo(b.seed());
        assertThat(a.actions()).isEqualTo(ChallengeGenerator.derive(a.seed(), 3, ActionSet.HEAD.actions()));
        assertThat(a.id()).isEqualTo("nonce-1");
        assertThat(a.issuedAt()).isEqualTo(1_000);
        assertThat(a.expiresAt()).isEqualTo(61_000);
    }

    @Test
    void refusesWhatCannotBeDerived() throws Exception {
        assertThatThrownBy(() -> ChallengeGenerator.derive(new byte[8], 2, ActionSet.ALL.actions()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChallengeGenerator.derive(seed(1), 2, ActionSet.SMILE.actions()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChallengeGenerator.derive(seed(1), -1, ActionSet.ALL.actions()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChallengeGenerator.derive(seed(1), 0, ActionSet.ALL.actions())).as("a passive capture asks for nothing").isEmpty();
        assertThatThrownBy(() -> ChallengeGenerator.derive(seed(1), ChallengeGenerator.MAX_ACTIONS + 1, ActionSet.ALL.actions()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ChallengeGenerator.derive(seed(1), 1, ActionSet.SMILE.actions())).containsExactly(ChallengeAction.SMILE);
    }

    @Test
    void seedParametersMapAsTheSeedsSay() {
        assertThat(ChallengeGenerator.actionCount(null)).isEqualTo(ChallengeGenerator.DEFAULT_ACTIONS);
        assertThat(ChallengeGenerator.actionCount(3)).isEqualTo(3);
        assertThatThrownBy(() -> ChallengeGenerator.actionCount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ActionSet.forLivenessType("LIVENESS_ACTIVE")).isEqualTo(ActionSet.ALL);
        assertThat(ActionSet.forLivenessType("EYE_GAZE_LIVENESS")).isEqualTo(ActionSet.GAZE);
        assertThat(ActionSet.forLivenessType("SMILE_LIVENESS")).isEqualTo(ActionSet.SMILE);
        assertThatThrownBy(() -> ActionSet.forLivenessType("LIVENESS_PASSIVE")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ActionSet.forAssertion("EYE_GAZE_BOTTOM_RIGHT")).isEqualTo(ChallengeAction.GAZE_BOTTOM_RIGHT);
        assertThat(ActionSet.forAssertion("SMILE")).isEqualTo(ChallengeAction.SMILE);
        assertThatThrownBy(() -> ActionSet.forAssertion("NEUTRAL")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ChallengePolicy.forSecurityLevel(null)).isEqualTo(ChallengePolicy.DEFAULT);
        assertThat(ChallengePolicy.forSecurityLevel("low").turnYawDeg()).isLessThan(ChallengePolicy.DEFAULT.turnYawDeg());
        assertThat(ChallengePolicy.forSecurityLevel("LOW").identityToPreviousMin()).isEqualTo(ChallengePolicy.DEFAULT.identityToPreviousMin());
    }
}
