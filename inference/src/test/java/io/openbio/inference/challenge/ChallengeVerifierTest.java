package io.openbio.inference.challenge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.openbio.inference.challenge.ChallengeAction.CLOSE_EYES;
import static io.openbio.inference.challenge.ChallengeAction.GAZE_TOP_LEFT;
import static io.openbio.inference.challenge.ChallengeAction.GAZE_TOP_RIGHT;
import static io.openbio.inference.challenge.ChallengeAction.LOOK_DOWN;
import static io.openbio.inference.challenge.ChallengeAction.LOOK_UP;
import static io.openbio.inference.challenge.ChallengeAction.SMILE;
import static io.openbio.inference.challenge.ChallengeAction.TURN_LEFT;
import static io.openbio.inference.challenge.ChallengeAction.TURN_RIGHT;
import static io.openbio.inference.challenge.ChallengeDecision.FAILED;
import static io.openbio.inference.challenge.ChallengeDecision.PASS;
import static io.openbio.inference.challenge.ChallengeDecision.SPOOF;
import static io.openbio.inference.challenge.ChallengeDecision.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** Verifier decisions on SYNTHETIC measurement series ({@link Measurements}), 10 frames per second. */
class ChallengeVerifierTest {
    static final long ISSUED = 1_000_000;
    final ChallengeVerifier verifier = new ChallengeVerifier();

    static Challenge challenge(ChallengeAction... actions) {
        return new Challenge("nonce", new byte[32], List.of(actions), ISSUED, ISSUED + 60_000);
    }

    static Measurements live() {
        return Measurements.from(ISSUED + 500, 100).neutral(5);
    }

    static List<FrameMeasurement> performing(ChallengeAction... actions) {
        Measurements m = live();
        for (ChallengeAction a : actions) {
            m.perform(a).neutral(2);
        }
        return m.build();
    }

    ChallengeVerdict verify(List<FrameMeasurement> frames, ChallengeAction... actions) {
        return verifier.verify(challenge(actions), frames);
    }

    @ParameterizedTest
    @EnumSource(ChallengeAction.class)
    void everyActionPassesWhenPerformed(ChallengeAction a) {
        ChallengeVerdict v = verify(performing(a), a);
        assertThat(v.decision()).as(v.toString()).isEqualTo(PASS);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.ALL_ACTIONS_FOUND);
        assertThat(v.actions()).singleElement().satisfies(e -> assertThat(e.found()).isTrue());
    }

    @ParameterizedTest
    @EnumSource(ChallengeAction.class)
    void everyActionFailsWhenAnotherIsPerformed(ChallengeAction a) {
        ChallengeAction other = a == SMILE ? TURN_LEFT : SMILE;
        ChallengeVerdict v = verify(performing(other), a);
        assertThat(v.decision()).as(v.toString()).isEqualTo(FAILED);
        assertThat(v.actions().get(0).found()).isFalse();
    }

    @Test
    void aSequenceOfActionsPassesWithEvidenceForEach() {
        List<FrameMeasurement> f = performing(TURN_LEFT, SMILE, GAZE_TOP_RIGHT, LOOK_DOWN);
        ChallengeVerdict v = verify(f, TURN_LEFT, SMILE, GAZE_TOP_RIGHT, LOOK_DOWN);
        assertThat(v.decision()).as(v.toString()).isEqualTo(PASS);
        ActionEvidence turn = v.actions().get(0);
        // 5 neutral frames, then the ramp 10.5, 21, 30, 30, 30 degrees (+- 1.2 noise): the first frame at or beyond 20
        assertThat(turn.startFrame()).isBetween(6, 7);
        assertThat(f.get(turn.startFrame()).yaw()).isGreaterThanOrEqualTo(20);
        assertThat(f.get(turn.startFrame() - 1).yaw()).isLessThan(20);
        assertThat(turn.endFrame()).isGreaterThan(turn.startFrame());
        assertThat(f.get(turn.endFrame()).yaw()).isLessThan(10);
        assertThat(turn.measure()).isEqualTo("yaw");
        assertThat(turn.peak()).isBetween(27.0, 33.0);
        assertThat(turn.threshold()).isEqualTo(20);
        ActionEvidence smile = v.actions().get(1);
        assertThat(smile.startFrame()).isGreaterThan(turn.endFrame());
        assertThat(smile.measure()).isEqualTo("smile");
        assertThat(smile.peak()).isGreaterThan(0.8);
        assertThat(v.actions().get(2).measure()).isEqualTo("gazeX,gazeY");
        assertThat(v.actions().get(2).peak()).isGreaterThan(0.4);
        assertThat(v.actions().get(3).threshold()).isEqualTo(-12);
        assertThat(v.actions().get(3).peak()).isLessThan(-17);
        assertThat(v.bestFrame()).isBetween(0, f.size() - 1);
    }

    @Test
    void naturalBlinksAndPassingSmilesBetweenActionsAreIgnored() {
        Measurements m = live().perform(TURN_LEFT).perform(CLOSE_EYES).perform(SMILE).perform(LOOK_UP);
        ChallengeVerdict v = verify(m.build(), TURN_LEFT, LOOK_UP);
        assertThat(v.decision()).as(v.toString()).isEqualTo(PASS);
    }

    // ---- attacks

    @Test
    void stillPhotoReplayIsStaticFace() {
        List<FrameMeasurement> f = Measurements.from(ISSUED + 500, 100).set(s -> s.noise = 0.2).neutral(40).build();
        ChallengeVerdict v = verify(f, TURN_LEFT, SMILE);
        assertThat(v.decision()).isEqualTo(SPOOF);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.STATIC_FACE);
        assertThat(v.actions()).hasSize(2).allMatch(e -> !e.found());
        assertThat(v.actions().get(0).note()).isNotBlank();
        assertThat(v.actions().get(0).peak()).isLessThan(5);
    }

    @Test
    void stillPhotoWithAffineJitterAndZoomIsStillStaticNotACut() {
        Measurements m = Measurements.from(ISSUED + 500, 100).set(s -> s.noise = 0.2);
        for (int i = 0; i < 40; i++) {
            int k = i;
            // jitter moves and scales the box (and rotates: roll), not the pose, eyes or expression
            m.set(s -> {
                s.cx = 320 + 6 * Math.sin(k);
                s.cy = 240 + 6 * Math.cos(1.3 * k);
                s.w = 160 * (1 + 0.04 * Math.sin(0.7 * k));
                s.roll = 3 * Math.sin(0.5 * k);
            }).neutral(1);
        }
        ChallengeVerdict v = verify(m.build(), TURN_RIGHT);
        assertThat(v.decision()).isEqualTo(SPOOF);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.STATIC_FACE);
    }

    @Test
    void aLiveFaceThatDoesNothingIsNotStaticButFails() {
        List<FrameMeasurement> f = live().neutral(30).build();
        ChallengeVerdict v = verify(f, TURN_LEFT);
        // live noise alone can fall below the static thresholds: what matters is that it never passes
        assertThat(v.decision()).isIn(FAILED, SPOOF);
    }

    @Test
    void identitySwitchIsSpoof() {
        Measurements m = live().perform(TURN_LEFT);
        m.set(s -> s.simPrev = 0.2).frames(1).set(s -> {
            s.simPrev = 0.93;
            s.simFirst = 0.1;
        });
        m.perform(SMILE);
        ChallengeVerdict v = verify(m.build(), TURN_LEFT, SMILE);
        assertThat(v.decision()).isEqualTo(SPOOF);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.IDENTITY_SWITCH);
        assertThat(v.actions()).allMatch(ActionEvidence::found);
    }

    @Test
    void identityEdges() {
        ChallengePolicy p = ChallengePolicy.DEFAULT;
        assertThat(verify(live().set(s -> s.simPrev = p.identityToPreviousMin()).perform(TURN_LEFT).build(), TURN_LEFT).decision())
                .isEqualTo(PASS);
        assertThat(verify(live().set(s -> s.simPrev = p.identityToPreviousMin() - 0.01).perform(TURN_LEFT).build(), TURN_LEFT).reason())
                .isEqualTo(ChallengeVerifier.IDENTITY_SWITCH);
        assertThat(verify(live().set(s -> s.simFirst = p.identityToFirstMin()).perform(TURN_LEFT).build(), TURN_LEFT).decision())
                .isEqualTo(PASS);
        assertThat(verify(live().set(s -> s.simFirst = p.identityToFirstMin() - 0.01).perform(TURN_LEFT).build(), TURN_LEFT).reason())
                .isEqualTo(ChallengeVerifier.IDENTITY_SWITCH);
    }

    @Test
    void aFaceBoxJumpIsACut() {
        Measurements m = live().perform(TURN_LEFT);
        m.set(s -> s.cx += 0.3 * s.w).perform(SMILE);
        ChallengeVerdict v = verify(m.build(), TURN_LEFT, SMILE);
        assertThat(v.decision()).isEqualTo(SPOOF);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.CUT);
    }

    @Test
    void aSuddenZoomIsACut() {
        Measurements m = live().perform(TURN_LEFT);
        m.set(s -> s.w *= 1.4).perform(SMILE);
        assertThat(verify(m.build(), TURN_LEFT, SMILE).reason()).isEqualTo(ChallengeVerifier.CUT);
    }

    @Test
    void steadyMovementOfTheHeadIsNotACut() {
        Measurements m = live().set(s -> s.noise = 0);
        for (int i = 0; i < 10; i++) {
            m.set(s -> s.cx += 0.2 * s.w).frames(1); // 20% of the face width per 100 ms
        }
        m.perform(TURN_LEFT);
        assertThat(verify(m.build(), TURN_LEFT).decision()).isEqualTo(PASS);
    }

    @Test
    void theSameShiftOverALongerGapIsNotACut() {
        Measurements m = live().perform(TURN_LEFT);
        m.skip(300).set(s -> s.cx += 0.6 * s.w).perform(SMILE); // 60% in 400 ms = 15% per 100 ms
        assertThat(verify(m.build(), TURN_LEFT, SMILE).decision()).isEqualTo(PASS);
    }

    @Test
    void framesOutOfOrderAreSpoof() {
        List<FrameMeasurement> f = new ArrayList<>(performing(TURN_LEFT, SMILE));
        Collections.swap(f, 10, 11);
        ChallengeVerdict v = verify(f, TURN_LEFT, SMILE);
        assertThat(v.decision()).isEqualTo(SPOOF);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.FRAMES_OUT_OF_ORDER);
        assertThat(v.actions()).hasSize(2);
    }

    @Test
    void aReversedCaptureWithItsTimestampsIsSpoof() {
        List<FrameMeasurement> f = new ArrayList<>(performing(TURN_LEFT, SMILE));
        Collections.reverse(f);
        assertThat(verify(f, TURN_LEFT, SMILE).reason()).isEqualTo(ChallengeVerifier.FRAMES_OUT_OF_ORDER);
    }

    @Test
    void aReversedCaptureRestampedPerformsTheWrongOrder() {
        List<FrameMeasurement> f = new ArrayList<>(performing(TURN_LEFT, SMILE));
        Collections.reverse(f);
        List<FrameMeasurement> restamped = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            FrameMeasurement m = f.get(i);
            restamped.add(new FrameMeasurement(i, ISSUED + 500 + 100L * i, m.faceCount(), m.face(), m.yaw(), m.pitch(), m.roll(),
                    m.eyesOpen(), m.smile(), m.gazeX(), m.gazeY(), m.similarityToPrevious(), m.similarityToFirst(), m.sharpness()));
        }
        ChallengeVerdict v = verify(restamped, TURN_LEFT, SMILE);
        assertThat(v.decision()).isEqualTo(FAILED);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.WRONG_ORDER);
    }

    @Test
    void actionsInTheWrongOrderFail() {
        ChallengeVerdict v = verify(performing(LOOK_UP, TURN_RIGHT), TURN_RIGHT, LOOK_UP);
        assertThat(v.decision()).isEqualTo(FAILED);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.WRONG_ORDER);
        assertThat(v.actions().get(0).note()).contains("LOOK_UP performed instead");
    }

    @Test
    void aVideoPerformingEveryActionDoesNotPass() {
        List<FrameMeasurement> f = performing(TURN_LEFT, TURN_RIGHT, LOOK_UP, LOOK_DOWN, SMILE, CLOSE_EYES);
        ChallengeVerdict v = verify(f, TURN_RIGHT, LOOK_DOWN);
        assertThat(v.decision()).isEqualTo(FAILED);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.UNEXPECTED_ACTION);
        assertThat(v.actions().get(0).note()).contains("TURN_LEFT performed instead");
        ChallengeVerdict corners = verify(performing(GAZE_TOP_RIGHT, GAZE_TOP_LEFT), GAZE_TOP_LEFT);
        assertThat(corners.decision()).isEqualTo(FAILED);
        assertThat(corners.reason()).isEqualTo(ChallengeVerifier.UNEXPECTED_ACTION);
    }

    // ---- time, continuity, faces

    @Test
    void framesAfterExpiryTimeOut() {
        Challenge c = new Challenge("n", new byte[32], List.of(TURN_LEFT), ISSUED, ISSUED + 2_000);
        ChallengeVerdict v = verifier.verify(c, performing(TURN_LEFT));
        assertThat(v.decision()).isEqualTo(TIMEOUT);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.EXPIRED);
        assertThat(v.actions().get(0).found()).isTrue();
    }

    @Test
    void framesLongBeforeIssueFail() {
        List<FrameMeasurement> f = Measurements.from(ISSUED - 10_000, 100).neutral(5).perform(TURN_LEFT).build();
        assertThat(verify(f, TURN_LEFT).reason()).isEqualTo(ChallengeVerifier.BEFORE_ISSUE);
        List<FrameMeasurement> skewed = Measurements.from(ISSUED - 1_500, 100).neutral(5).perform(TURN_LEFT).build();
        assertThat(verify(skewed, TURN_LEFT).decision()).isEqualTo(PASS);
    }

    @Test
    void tooFewFramesFail() {
        List<FrameMeasurement> f = live().build();
        ChallengeVerdict v = verify(f, TURN_LEFT);
        assertThat(v.decision()).isEqualTo(FAILED);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.TOO_FEW_FRAMES);
        assertThat(verify(List.of(), TURN_LEFT).reason()).isEqualTo(ChallengeVerifier.NO_FRAMES);
        assertThat(verify(List.of(), TURN_LEFT).actions()).hasSize(1);
    }

    @Test
    void duplicateTimestampsAndGapsAreNotContinuous() {
        Measurements dup = live().perform(TURN_LEFT);
        dup.skip(-100).frames(1).neutral(2);
        assertThat(verify(dup.build(), TURN_LEFT).reason()).isEqualTo(ChallengeVerifier.NOT_CONTINUOUS);
        Measurements gap = live().perform(TURN_LEFT);
        gap.skip(1_501 - 100).neutral(3);
        assertThat(verify(gap.build(), TURN_LEFT).reason()).isEqualTo(ChallengeVerifier.NOT_CONTINUOUS);
        Measurements ok = live().perform(TURN_LEFT);
        ok.skip(1_500 - 100).neutral(3);
        assertThat(verify(ok.build(), TURN_LEFT).decision()).isEqualTo(PASS);
    }

    @Test
    void aFaceLostOrASecondFaceDuringTheActionsFails() {
        Measurements lost = live().perform(TURN_LEFT);
        lost.set(s -> s.faceCount = 0).frames(2).set(s -> s.faceCount = 1).perform(SMILE);
        assertThat(verify(lost.build(), TURN_LEFT, SMILE).reason()).isEqualTo(ChallengeVerifier.FACE_LOST);
        Measurements two = live().perform(TURN_LEFT);
        two.set(s -> s.faceCount = 2).frames(1).set(s -> s.faceCount = 1).perform(SMILE);
        assertThat(verify(two.build(), TURN_LEFT, SMILE).reason()).isEqualTo(ChallengeVerifier.MULTIPLE_FACES);
    }

    @Test
    void noFaceBeforeTheFaceAppearsIsFine() {
        Measurements m = Measurements.from(ISSUED + 500, 100).set(s -> s.faceCount = 0).frames(5).set(s -> s.faceCount = 1)
                .neutral(3).perform(TURN_LEFT);
        assertThat(verify(m.build(), TURN_LEFT).decision()).isEqualTo(PASS);
    }

    @Test
    void eachActionMustStartWithinItsWindowOfThePreviousEnd() {
        long window = ChallengePolicy.DEFAULT.actionWindowMs();
        // the smile ramp's first frame at or above 0.6 is its 2nd frame: 200 ms after the last neutral frame
        Measurements late = live().perform(TURN_LEFT);
        late.neutral((int) (window / 100) - 1).perform(SMILE);
        ChallengeVerdict v = verify(late.build(), TURN_LEFT, SMILE);
        assertThat(v.decision()).isEqualTo(FAILED);
        assertThat(v.reason()).isEqualTo(ChallengeVerifier.ACTION_NOT_FOUND);
        assertThat(v.actions().get(1).note()).contains("after the previous action");
        Measurements inTime = live().perform(TURN_LEFT);
        inTime.neutral((int) (window / 100) - 6).perform(SMILE);
        assertThat(verify(inTime.build(), TURN_LEFT, SMILE).decision()).isEqualTo(PASS);
    }

    @Test
    void anActionWithoutReturnToNeutralIsNotFound() {
        Measurements m = live().set(s -> s.yaw = 30).frames(10);
        ChallengeVerdict v = verify(m.build(), TURN_LEFT);
        assertThat(v.decision()).isEqualTo(FAILED);
        assertThat(v.actions().get(0).note()).contains("no return to neutral");
        assertThat(v.actions().get(0).peak()).isGreaterThan(25);
    }

    @Test
    void aSmileNeedsANeutralBaselineFirst() {
        List<FrameMeasurement> f = Measurements.from(ISSUED + 500, 100).set(s -> s.smile = 0.4).frames(10)
                .set(s -> s.smile = 0.9).frames(5).set(s -> s.smile = 0.4).frames(5).build();
        ChallengeVerdict v = verify(f, SMILE);
        assertThat(v.decision()).isEqualTo(FAILED);
        assertThat(v.actions().get(0).note()).contains("no neutral frame");
    }

    // ---- threshold edges (no noise)

    static List<FrameMeasurement> exact(ChallengeAction a, double peak) {
        return Measurements.from(ISSUED + 500, 100).set(s -> s.noise = 0).neutral(5).perform(a, peak).build();
    }

    @Test
    void thresholdEdges() {
        ChallengePolicy p = ChallengePolicy.DEFAULT;
        assertThat(verify(exact(TURN_LEFT, p.turnYawDeg()), TURN_LEFT).decision()).isEqualTo(PASS);
        assertThat(verify(exact(TURN_LEFT, p.turnYawDeg() - 0.1), TURN_LEFT).decision()).isEqualTo(FAILED);
        assertThat(verify(exact(TURN_RIGHT, p.turnYawDeg()), TURN_RIGHT).decision()).isEqualTo(PASS);
        assertThat(verify(exact(TURN_RIGHT, p.turnYawDeg() - 0.1), TURN_RIGHT).decision()).isEqualTo(FAILED);
        assertThat(verify(exact(LOOK_UP, p.lookPitchDeg()), LOOK_UP).decision()).isEqualTo(PASS);
        assertThat(verify(exact(LOOK_UP, p.lookPitchDeg() - 0.1), LOOK_UP).decision()).isEqualTo(FAILED);
        assertThat(verify(exact(LOOK_DOWN, p.lookPitchDeg()), LOOK_DOWN).decision()).isEqualTo(PASS);
        assertThat(verify(exact(SMILE, p.smileMin()), SMILE).decision()).isEqualTo(PASS);
        assertThat(verify(exact(SMILE, p.smileMin() - 0.01), SMILE).decision()).isEqualTo(FAILED);
        assertThat(verify(exact(CLOSE_EYES, p.eyesClosedMax() - 0.01), CLOSE_EYES).decision()).isEqualTo(PASS);
        assertThat(verify(exact(CLOSE_EYES, p.eyesClosedMax()), CLOSE_EYES).decision()).isEqualTo(FAILED);
        assertThat(verify(exact(GAZE_TOP_LEFT, p.gazeMin()), GAZE_TOP_LEFT).decision()).isEqualTo(PASS);
        assertThat(verify(exact(GAZE_TOP_LEFT, p.gazeMin() - 0.01), GAZE_TOP_LEFT).decision()).isEqualTo(FAILED);
    }

    @Test
    void aGazeCornerNeedsBothAxesAndAStillHead() {
        List<FrameMeasurement> oneAxis = Measurements.from(ISSUED + 500, 100).set(s -> s.noise = 0).neutral(5)
                .set(s -> s.gazeX = 0.5).frames(3).neutral(3).build();
        assertThat(verify(oneAxis, GAZE_TOP_LEFT).decision()).isEqualTo(FAILED);
        List<FrameMeasurement> turned = Measurements.from(ISSUED + 500, 100).set(s -> s.noise = 0).neutral(5)
                .set(s -> {
                    s.gazeX = 0.5;
                    s.gazeY = 0.5;
                    s.yaw = ChallengePolicy.DEFAULT.gazeHeadStillDeg();
                }).frames(3).neutral(3).build();
        assertThat(verify(turned, GAZE_TOP_LEFT).decision()).isEqualTo(FAILED);
        // the opposite corner is not this one
        assertThat(verify(exact(GAZE_TOP_RIGHT, 0.5), GAZE_TOP_LEFT).decision()).isEqualTo(FAILED);
    }

    @Test
    void lowerSecurityLevelsAskForSmallerMovementsOnly() {
        List<FrameMeasurement> f = exact(TURN_LEFT, 16);
        assertThat(verify(f, TURN_LEFT).decision()).isEqualTo(FAILED);
        assertThat(new ChallengeVerifier(ChallengePolicy.forSecurityLevel("LOW")).verify(challenge(TURN_LEFT), f).decision())
                .isEqualTo(PASS);
    }

    // ---- best frame

    @Test
    void bestFrameIsTheSharpestFrontalNeutralFrame() {
        Measurements m = live().set(s -> s.noise = 0);
        m.set(s -> s.sharpness = 500).perform(TURN_LEFT); // sharp but turned, then sharp neutral frames
        m.set(s -> s.sharpness = 50).neutral(3);
        m.set(s -> {
            s.sharpness = 900;
            s.smile = 0.9;
        }).frames(1).set(s -> s.sharpness = 50).neutral(3);
        List<FrameMeasurement> f = m.build();
        ChallengeVerdict v = verify(f, TURN_LEFT);
        FrameMeasurement best = f.get(v.bestFrame());
        assertThat(best.sharpness()).isEqualTo(500);
        assertThat(Math.abs(best.yaw())).isLessThan(10);
        assertThat(best.smile()).isLessThan(0.3);
        List<FrameMeasurement> none = Measurements.from(ISSUED, 100).set(s -> s.yaw = 40).frames(12).build();
        assertThat(verify(none, TURN_LEFT).bestFrame()).isEqualTo(-1);
    }

    // ---- the person's own neutral pose

    @Test
    void anglesAreTakenFromThePersonsOwnNeutralPose() {
        // fr_pose reads some frontal faces 15 degrees off: the movement counts, not the absolute angle
        List<FrameMeasurement> g = Measurements.from(ISSUED + 500, 100).set(s -> {
            s.yaw = 15;
            s.pitch = -15;
        }).frames(5).set(s -> s.yaw = 30).frames(2).set(s -> s.yaw = 45).frames(1).set(s -> s.yaw = 60).frames(3)
                .set(s -> s.yaw = 30).frames(1).set(s -> s.yaw = 15).frames(6).build();
        assertThat(new ChallengeVerifier().neutral(g.get(0))).as("absolute: not neutral").isFalse();
        ChallengeVerdict v = verify(g, TURN_LEFT);
        assertThat(v.decision()).as(v.toString()).isEqualTo(PASS);
        assertThat(v.actions().get(0).peak()).as("relative to the neutral pose").isBetween(40.0, 50.0);
    }

    @Test
    void theNeutralPoseIsWhereTheFaceStaysMostNotTheMedian() {
        Measurements m = live().set(s -> s.noise = 0);
        m.set(s -> s.yaw = 25).frames(4).set(s -> s.yaw = 30).frames(4).set(s -> s.yaw = 35).frames(4).neutral(5);
        assertThat(ChallengeVerifier.neutralPose(m.build(), FrameMeasurement::yaw, 10)).isEqualTo(0);
    }

    @Test
    void aPersonWhoNeverFacesTheCameraFindsNoNeutralFrame() {
        List<FrameMeasurement> f = Measurements.from(ISSUED + 500, 100).set(s -> s.yaw = 25).frames(10)
                .set(s -> s.yaw = 50).frames(4).set(s -> s.yaw = 25).frames(10).build();
        ChallengeVerdict v = verify(f, TURN_LEFT);
        assertThat(v.decision()).isEqualTo(FAILED);
        assertThat(v.actions().get(0).note()).contains("no neutral frame");
    }

    @Test
    void gazeIsTakenFromThePersonsNeutralGaze() {
        // the iris measure reads about +0.4 vertically on a person looking at the camera
        List<FrameMeasurement> f = live().set(s -> s.noise = 0).set(s -> s.gazeY = 0.4).frames(5)
                .set(s -> {
                    s.gazeX = -0.4;
                    s.gazeY = 0.4 - 0.4;
                }).frames(3).set(s -> {
                    s.gazeX = 0;
                    s.gazeY = 0.4;
                }).frames(6).build();
        assertThat(verify(f, ChallengeAction.GAZE_BOTTOM_RIGHT).decision()).isEqualTo(PASS);
        assertThat(verify(f, GAZE_TOP_RIGHT).decision()).isEqualTo(FAILED);
    }

    @Test
    void aPersonSmilingWithHalfClosedEyesStillPassesAHeadChallengeButNotASmile() {
        List<FrameMeasurement> f = live().set(s -> {
            s.smile = 0.8;
            s.eyesOpen = 0.4;
        }).frames(5).perform(TURN_LEFT, 30).set(s -> {
            s.smile = 0.8;
            s.eyesOpen = 0.4;
        }).frames(5).build();
        // perform() ends on a neutral face; the smile is back for the last frames
        assertThat(verify(f, TURN_LEFT).decision()).isEqualTo(PASS);
        List<FrameMeasurement> smiling = live().set(s -> s.smile = 0.8).frames(5).set(s -> s.yaw = 30).frames(3)
                .set(s -> s.yaw = 0).frames(5).build().subList(5, 18);
        assertThat(verify(smiling, TURN_LEFT, SMILE).decision()).isEqualTo(FAILED);
    }
}
