package io.openbio.inference.challenge;

import java.util.Locale;

/**
 * The thresholds {@link ChallengeVerifier} judges a capture with. Angles in degrees, scores 0..1, times
 * in ms. {@link #DEFAULT} is the policy of seed 003's default {@code securityLevel} HIGH.
 *
 * <p>Why these values (chosen before any evaluation; see inference/EVALUATION.md "Active liveness"):
 * a requested turn of 20 degrees is well outside the few degrees fr_pose moves on a still face and easy
 * for anyone; looking up or down moves the head less (12 degrees); "neutral" is within 10 degrees,
 * so a turn must cross a 10-degree band between neutral and done. Smile and eye scores are the models'
 * probabilities, with a gap between the neutral and the active value (0.3 / 0.6) so that one noisy
 * frame near 0.5 cannot count as both.
 *
 * @param turnYawDeg           |yaw| a turn must reach, in the asked direction
 * @param lookPitchDeg         |pitch| looking up / down must reach
 * @param neutralYawDeg        |yaw| of a neutral (frontal) frame, strictly below
 * @param neutralPitchDeg      |pitch| of a neutral frame, strictly below
 * @param smileMin             smile score of a smile
 * @param smileNeutralMax      smile score of a neutral face, strictly below
 * @param eyesClosedMax        eyesOpen of closed eyes, strictly below
 * @param eyesOpenMin          eyesOpen of open eyes (neutral), strictly above
 * @param gazeMin              |gazeX| and |gazeY| a corner needs, each in the corner's direction
 * @param gazeHeadStillDeg     |yaw| and |pitch| must stay below this while looking at a corner
 * @param minActiveFrames      frames an action's condition must hold
 * @param actionWindowMs       an action must start within this of the previous action's end (the first
 *                             action: of the first neutral frame) and end within this of its start
 * @param maxFrameGapMs        largest gap between consecutive frames of a continuous capture
 * @param minFrames            fewest frames judged at all
 * @param clockSkewMs          frames may be timestamped this much before the challenge was issued
 *                             (client and server clocks differ)
 * @param identityToPreviousMin embedding cosine to the previous frame's face below which the identity switched
 * @param identityToFirstMin   embedding cosine to the first face below which the identity switched
 * @param cutShiftPer100ms     face-box centre shift, in face widths per 100 ms, above which the video was cut
 * @param cutScaleRatio        face-box width ratio between consecutive frames above which the video was cut
 * @param staticPoseRangeDeg   yaw and pitch ranges below this are measurement noise (a still face)
 * @param staticScoreRange     eyesOpen and smile ranges below this are noise
 * @param staticGazeRange      gazeX and gazeY ranges below this are noise
 * @param maxBaselineDeg       the capture's median |yaw| and |pitch| up to which angles are taken relative to
 *                             that median (the person's own neutral pose, see {@link ChallengeVerifier}); beyond
 *                             it the person never faced the camera and angles stay absolute
 */
public record ChallengePolicy(double turnYawDeg, double lookPitchDeg, double neutralYawDeg, double neutralPitchDeg,
                              double smileMin, double smileNeutralMax, double eyesClosedMax, double eyesOpenMin,
                              double gazeMin, double gazeHeadStillDeg, int minActiveFrames, long actionWindowMs,
                              long maxFrameGapMs, int minFrames, long clockSkewMs,
                              double identityToPreviousMin, double identityToFirstMin,
                              double cutShiftPer100ms, double cutScaleRatio,
                              double staticPoseRangeDeg, double staticScoreRange, double staticGazeRange,
                              double maxBaselineDeg) {

    /** seed 003 {@code securityLevel}; the seed: "the higher the level, the stricter the fraud verification". */
    public enum SecurityLevel { LOW, MEDIUM, HIGH }

    public static final ChallengePolicy DEFAULT = new ChallengePolicy(
            20, 12, 10, 10,
            0.6, 0.3, 0.3, 0.6,
            0.25, 10, 1, 5_000,
            1_500, 10, 2_000,
            0.5, 0.4,
            0.25, 1.25,
            4, 0.2, 0.12,
            20);

    public ChallengePolicy {
        if (turnYawDeg <= neutralYawDeg || lookPitchDeg <= neutralPitchDeg) {
            throw new IllegalArgumentException("a turn / look threshold must lie beyond the neutral band");
        }
        if (smileMin <= smileNeutralMax || eyesOpenMin <= eyesClosedMax) {
            throw new IllegalArgumentException("active and neutral scores must not overlap");
        }
        if (minActiveFrames < 1 || minFrames < 1 || actionWindowMs <= 0 || maxFrameGapMs <= 0) {
            throw new IllegalArgumentException("frame counts and windows must be positive");
        }
    }

    /**
     * The policy for seed 003's {@code securityLevel} (null -> HIGH, the seed's default). Lower levels
     * only ask for smaller movements (turn 17 / 15 degrees, smile 0.55 / 0.5, gaze 0.22 / 0.2), which
     * lowers the share of live people failing; the attack checks (identity, cut, static face, order,
     * continuity, time) are the same at every level, because relaxing them would accept attacks, not
     * people.
     */
    public static ChallengePolicy forSecurityLevel(String level) {
        SecurityLevel l = level == null ? SecurityLevel.HIGH : SecurityLevel.valueOf(level.toUpperCase(Locale.ROOT));
        return switch (l) {
            case HIGH -> DEFAULT;
            case MEDIUM -> DEFAULT.withAmplitudes(17, 0.55, 0.22);
            case LOW -> DEFAULT.withAmplitudes(15, 0.5, 0.2);
        };
    }

    /** This policy with other action amplitudes (turn yaw, smile score, gaze). */
    public ChallengePolicy withAmplitudes(double turnYaw, double smile, double gaze) {
        return new ChallengePolicy(turnYaw, lookPitchDeg, neutralYawDeg, neutralPitchDeg, smile, smileNeutralMax,
                eyesClosedMax, eyesOpenMin, gaze, gazeHeadStillDeg, minActiveFrames, actionWindowMs, maxFrameGapMs,
                minFrames, clockSkewMs, identityToPreviousMin, identityToFirstMin, cutShiftPer100ms, cutScaleRatio,
                staticPoseRangeDeg, staticScoreRange, staticGazeRange, maxBaselineDeg);
    }
}
