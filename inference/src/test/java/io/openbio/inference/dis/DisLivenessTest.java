package io.openbio.inference.dis;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.challenge.ChallengeDecision;
import io.openbio.inference.challenge.ChallengeVerifier;
import io.openbio.inference.challenge.FrameMeasurer;
import io.openbio.inference.challenge.TimedFrame;
import io.openbio.inference.dis.DisLiveness.Assertion;
import io.openbio.inference.dis.DisLiveness.Corner;
import io.openbio.inference.dis.DisLiveness.Evaluation;
import io.openbio.inference.dis.DisLiveness.Selfie;
import io.openbio.testkit.GenuineCaptures;
import io.openbio.testkit.Photos;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The DIS liveness evaluations on the real models. Smile and gaze selfies are testkit's {@link GenuineCaptures}
 * frames (ONE real photo, yale_x4's first face, edited so the models read a smile / a glance at a top corner:
 * SYNTHETIC, see inference/EVALUATION.md); no photo of one person neutral and smiling, or glancing, exists here.
 */
class DisLivenessTest {
    private static final FaceAnalyzer FA = Shared.analyzer();
    private static FrameMeasurer measurer;
    private static DisLiveness liveness;
    private static byte[] neutral;
    private static byte[] smile;
    private static byte[] topLeft;
    private static byte[] topRight;

    @BeforeAll
    static void setUp() {
        measurer = new FrameMeasurer(FA);
        liveness = new DisLiveness(FA, measurer);
        neutral = GenuineCaptures.frames(List.of()).get(0);
        smile = GenuineCaptures.frames(List.of("SMILE")).get(GenuineCaptures.LEAD);
        topLeft = GenuineCaptures.frames(List.of("GAZE_TOP_LEFT")).get(GenuineCaptures.LEAD);
        topRight = GenuineCaptures.frames(List.of("GAZE_TOP_RIGHT")).get(GenuineCaptures.LEAD);
    }

    @AfterAll
    static void tearDown() {
        measurer.close();
    }

    private static Selfie selfie(Assertion a, byte[] image) {
        return new Selfie(a, image);
    }

    // ------------------------------------------------------------------ passive

    @Test
    void passiveNeedsASelfieAssertedNone() {
        Evaluation e = liveness.passive(List.of(selfie(Assertion.SMILE, smile), selfie(Assertion.NEUTRAL, neutral)));
        assertThat(e.score()).isNull();
        assertThat(e.errorCode()).isEqualTo(DisLiveness.NOT_ENOUGH_DATA);
    }

    @Test
    void passiveScoresTheLowestNoneSelfieOnTheCalibratedScale() {
        byte[] manB = TestPhotos.bytes(Photos.MAN_B);
        double rawManB = FA.liveness(manB).probability();
        double rawNeutral = FA.liveness(neutral).probability();
        Evaluation one = liveness.passive(List.of(selfie(Assertion.NONE, manB), selfie(Assertion.SMILE, smile)));
        assertThat(one.errorCode()).isNull();
        assertThat(one.score()).isCloseTo(PassiveLivenessScore.score(rawManB), within(1e-9));
        Evaluation two = liveness.passive(List.of(selfie(Assertion.NONE, manB), selfie(Assertion.NONE, neutral)));
        assertThat(two.score()).isCloseTo(PassiveLivenessScore.score(Math.min(rawManB, rawNeutral)), within(1e-9));
        assertThat(two.details()).containsKeys("selfie1.raw", "selfie2.raw", "raw", "anchorRaw");
    }

    @Test
    void aNoneSelfieWithoutAFaceIsInvalidData() {
        Evaluation e = liveness.passive(List.of(selfie(Assertion.NONE, TestPhotos.bytes(Photos.SUDOKU))));
        assertThat(e.errorCode()).isEqualTo(DisLiveness.INVALID_DATA);
        assertThat(e.score()).isNull();
    }

    // ------------------------------------------------------------------ smile

    @Test
    void smileNeedsANeutralAndASmile() {
        assertThat(liveness.smile(List.of(selfie(Assertion.NEUTRAL, neutral))).errorCode()).isEqualTo(DisLiveness.NOT_ENOUGH_DATA);
        assertThat(liveness.smile(List.of(selfie(Assertion.SMILE, smile), selfie(Assertion.NONE, neutral))).errorCode())
                .isEqualTo(DisLiveness.NOT_ENOUGH_DATA);
    }

    @Test
    void aNeutralThenASmileOfOnePersonScoresTheWeakestEvidence() {
        Evaluation e = liveness.smile(List.of(selfie(Assertion.NEUTRAL, neutral), selfie(Assertion.SMILE, smile)));
        assertThat(e.errorCode()).isNull();
        // fr_expression reads the edited smile about 0.76 and the neutral face 0.00 (EVALUATION.md): the smile is the weakest
        assertThat(Double.parseDouble(e.details().get("smile"))).isBetween(0.6, 0.95);
        assertThat(Double.parseDouble(e.details().get("neutral"))).isGreaterThan(0.95);
        assertThat(Double.parseDouble(e.details().get("samePerson"))).isGreaterThan(0.9);
        assertThat(e.score()).isCloseTo(Double.parseDouble(e.details().get("smile")), within(1e-4));
    }

    @Test
    void aSmileThatIsNotThereOrAnotherPersonScoresLow() {
        Evaluation noSmile = liveness.smile(List.of(selfie(Assertion.NEUTRAL, neutral), selfie(Assertion.SMILE, neutral)));
        assertThat(noSmile.score()).isLessThan(0.1);
        // man_a smiles (fr_expression 0.99) but is not the woman of the neutral selfie
        Evaluation other = liveness.smile(List.of(selfie(Assertion.NEUTRAL, neutral),
                selfie(Assertion.SMILE, TestPhotos.bytes(Photos.MAN_A))));
        assertThat(Double.parseDouble(other.details().get("smile"))).isGreaterThan(0.9);
        assertThat(other.score()).isLessThan(0.1);
        // never INVALID_DATA: a selfie without a face is evidence 0
        Evaluation noFace = liveness.smile(List.of(selfie(Assertion.NEUTRAL, neutral),
                selfie(Assertion.SMILE, TestPhotos.bytes(Photos.SUDOKU))));
        assertThat(noFace.errorCode()).isNull();
        assertThat(noFace.score()).isZero();
    }

    // ------------------------------------------------------------------ eye gaze

    @Test
    void eyeGazeNeedsFourSegments() {
        Evaluation e = liveness.eyeGaze(List.of(selfie(Assertion.EYE_GAZE_TOP_LEFT, topLeft),
                selfie(Assertion.EYE_GAZE_TOP_RIGHT, topRight), selfie(Assertion.EYE_GAZE_BOTTOM_LEFT, neutral),
                selfie(Assertion.NONE, neutral)), List.of());
        assertThat(e.errorCode()).isEqualTo(DisLiveness.NOT_ENOUGH_DATA);
    }

    @Test
    void eachSegmentMustLookAtItsAssertedCorner() {
        // the top corners are edited glances; no edit is read as a glance down (EVALUATION.md), so the bottom
        // segments are the neutral face: they do not match, the top ones do
        List<Selfie> segments = List.of(selfie(Assertion.EYE_GAZE_TOP_LEFT, topLeft),
                selfie(Assertion.EYE_GAZE_TOP_RIGHT, topRight), selfie(Assertion.EYE_GAZE_BOTTOM_LEFT, neutral),
                selfie(Assertion.EYE_GAZE_BOTTOM_RIGHT, neutral));
        Evaluation e = liveness.eyeGaze(segments, List.of());
        System.out.println("EVAL dis-gaze " + e.details());
        assertThat(e.errorCode()).isNull();
        assertThat(e.details().get("segment1")).endsWith(" matched");
        assertThat(e.details().get("segment2")).endsWith(" matched");
        assertThat(e.score()).isEqualTo(0.5);
        // the same glances asserted at the wrong corners: none matches
        Evaluation swapped = liveness.eyeGaze(List.of(selfie(Assertion.EYE_GAZE_TOP_RIGHT, topLeft),
                selfie(Assertion.EYE_GAZE_TOP_LEFT, topRight), selfie(Assertion.EYE_GAZE_BOTTOM_LEFT, neutral),
                selfie(Assertion.EYE_GAZE_BOTTOM_RIGHT, neutral)), List.of());
        assertThat(swapped.score()).isZero();
        // a challenge in another order: a segment that is not the challenge's corner at its position does not match
        Evaluation order = liveness.eyeGaze(segments,
                List.of(Corner.TOP_RIGHT, Corner.TOP_LEFT, Corner.BOTTOM_LEFT, Corner.BOTTOM_RIGHT));
        assertThat(order.score()).isZero();
        Evaluation inOrder = liveness.eyeGaze(segments,
                List.of(Corner.TOP_LEFT, Corner.TOP_RIGHT, Corner.BOTTOM_LEFT, Corner.BOTTOM_RIGHT));
        assertThat(inOrder.score()).isEqualTo(0.5);
    }

    @Test
    void aSegmentWithoutAFaceOrTooFewEyesIsInvalidData() {
        Evaluation noFace = liveness.eyeGaze(List.of(selfie(Assertion.EYE_GAZE_TOP_LEFT, topLeft),
                selfie(Assertion.EYE_GAZE_TOP_RIGHT, topRight), selfie(Assertion.EYE_GAZE_BOTTOM_LEFT, neutral),
                selfie(Assertion.EYE_GAZE_BOTTOM_RIGHT, TestPhotos.bytes(Photos.SUDOKU))), List.of());
        assertThat(noFace.errorCode()).isEqualTo(DisLiveness.INVALID_DATA);
        byte[] closed = GenuineCaptures.frames(List.of("CLOSE_EYES")).get(GenuineCaptures.LEAD);
        Evaluation eyes = liveness.eyeGaze(List.of(selfie(Assertion.EYE_GAZE_TOP_LEFT, topLeft),
                selfie(Assertion.EYE_GAZE_TOP_RIGHT, topRight), selfie(Assertion.EYE_GAZE_BOTTOM_LEFT, neutral),
                selfie(Assertion.EYE_GAZE_BOTTOM_RIGHT, closed)), List.of());
        assertThat(eyes.errorCode()).isEqualTo(DisLiveness.INVALID_DATA);
        assertThat(eyes.details().get("reason")).contains("eyes found on 3 segments");
    }

    @Test
    void aChallengeIsTheFourCornersInARandomOrder() {
        SecureRandom random = new SecureRandom();
        HashSet<List<Corner>> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            List<Corner> c = DisLiveness.drawCorners(random);
            assertThat(c).containsExactlyInAnyOrder(Corner.values());
            seen.add(c);
        }
        assertThat(seen.size()).isGreaterThan(5);
    }

    // ------------------------------------------------------------------ selfie checks

    @Test
    void aSelfieCheckSaysNoFaceAndMultipleFaces() {
        assertThat(liveness.check(TestPhotos.bytes(Photos.SUDOKU)).face()).isNull();
        DisLiveness.SelfieCheck group = liveness.check(TestPhotos.bytes(Photos.GROUP1));
        assertThat(group.multipleFaces()).isTrue();
        assertThat(group.face()).isNotNull();
        DisLiveness.SelfieCheck one = liveness.check(neutral);
        assertThat(one.faces()).isEqualTo(1);
        assertThat(one.lowQuality()).isFalse();
        // messi5.jpg's face is 12 px between the eyes: below the liveness minimum
        assertThat(liveness.check(TestPhotos.bytes(Photos.MESSI)).lowQuality()).isTrue();
    }

    // ------------------------------------------------------------------ MagnifEye record

    private static List<TimedFrame> timed(List<byte[]> jpegs) {
        List<TimedFrame> frames = new ArrayList<>();
        for (int i = 0; i < jpegs.size(); i++) {
            frames.add(new TimedFrame(1_000_000 + i * GenuineCaptures.FRAME_MS, jpegs.get(i)));
        }
        return frames;
    }

    @Test
    void aContinuousCaptureOfOnePersonScoresItsBestFramesPassiveLiveness() {
        DisLiveness.RecordEvaluation r = liveness.record(timed(GenuineCaptures.frames(List.of("TURN_LEFT", "TURN_RIGHT"))));
        assertThat(r.verdict().decision()).isEqualTo(ChallengeDecision.PASS);
        assertThat(r.bestFrame()).isNotNegative();
        double raw = Double.parseDouble(r.evaluation().details().get("raw"));
        assertThat(r.evaluation().score()).isCloseTo(PassiveLivenessScore.score(raw), within(1e-3));
    }

    @Test
    void anIdentitySwitchInTheRecordScoresZeroAndAnEmptyOneIsInvalid() {
        List<byte[]> jpegs = new ArrayList<>(GenuineCaptures.frames(List.of("TURN_LEFT", "TURN_RIGHT")));
        byte[] other = TestPhotos.bytes(Photos.MAN_B);
        for (int i = 8; i < jpegs.size(); i++) {
            jpegs.set(i, other);
        }
        DisLiveness.RecordEvaluation r = liveness.record(timed(jpegs));
        assertThat(r.verdict().decision()).isEqualTo(ChallengeDecision.SPOOF);
        assertThat(r.evaluation().score()).isZero();
        assertThat(r.evaluation().details().get("reason")).isNotBlank();
        assertThat(liveness.record(List.of()).evaluation().errorCode()).isEqualTo(DisLiveness.INVALID_DATA);
        List<TimedFrame> noFace = timed(java.util.Collections.nCopies(12, TestPhotos.bytes(Photos.SUDOKU)));
        assertThat(liveness.record(noFace).evaluation().errorCode()).isEqualTo(DisLiveness.INVALID_DATA);
        assertThat(ChallengeVerifier.IDENTITY_SWITCH).isNotBlank();
    }
}
