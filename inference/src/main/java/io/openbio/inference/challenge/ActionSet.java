package io.openbio.inference.challenge;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Named sets of actions a challenge may draw from ({@link ChallengeGenerator#derive}).
 *
 * <p>Seed 003 {@code LIVENESS_ACTIVE} names no action set, so it uses {@link #ALL}; seed 004
 * {@code EYE_GAZE_LIVENESS} asks for screen corners ({@link #GAZE}) and {@code SMILE_LIVENESS} for a
 * neutral then a smiling face ({@link #SMILE}: the verifier's SMILE action already requires the neutral
 * baseline before the smile, so that challenge has k = 1).
 */
public enum ActionSet {
    /** head pose: turn left / right, look up / down (fr_pose). */
    HEAD(EnumSet.of(ChallengeAction.TURN_LEFT, ChallengeAction.TURN_RIGHT, ChallengeAction.LOOK_UP, ChallengeAction.LOOK_DOWN)),
    /** a smile from a neutral face (fr_expression). */
    SMILE(EnumSet.of(ChallengeAction.SMILE)),
    /** close both eyes, then open them (fr_eye). */
    EYES(EnumSet.of(ChallengeAction.CLOSE_EYES)),
    /** look at a screen corner with the head still (iris landmarks). */
    GAZE(EnumSet.of(ChallengeAction.GAZE_TOP_LEFT, ChallengeAction.GAZE_TOP_RIGHT,
            ChallengeAction.GAZE_BOTTOM_LEFT, ChallengeAction.GAZE_BOTTOM_RIGHT)),
    /** every action. */
    ALL(EnumSet.allOf(ChallengeAction.class));

    private final Set<ChallengeAction> actions;

    ActionSet(EnumSet<ChallengeAction> actions) {
        this.actions = Collections.unmodifiableSet(actions);
    }

    public Set<ChallengeAction> actions() {
        return actions;
    }

    /** The union of several sets, e.g. {@code union(HEAD, SMILE)}. */
    public static Set<ChallengeAction> union(ActionSet... sets) {
        EnumSet<ChallengeAction> out = EnumSet.noneOf(ChallengeAction.class);
        for (ActionSet s : sets) {
            out.addAll(s.actions);
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * The set for a seed's liveness type: {@code LIVENESS_ACTIVE} (seed 003) -> ALL,
     * {@code EYE_GAZE_LIVENESS} (seed 004) -> GAZE, {@code SMILE_LIVENESS} (seed 004) -> SMILE.
     *
     * @throws IllegalArgumentException for any other type (passive types take no challenge)
     */
    public static ActionSet forLivenessType(String type) {
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "LIVENESS_ACTIVE" -> ALL;
            case "EYE_GAZE_LIVENESS" -> GAZE;
            case "SMILE_LIVENESS" -> SMILE;
            default -> throw new IllegalArgumentException("no challenge for liveness type " + type);
        };
    }

    /**
     * The action for a seed 004 assertion: {@code EYE_GAZE_TOP_LEFT} .. {@code EYE_GAZE_BOTTOM_RIGHT}
     * and {@code SMILE}. {@code NEUTRAL} and {@code NONE} are not actions (NEUTRAL is the baseline the
     * SMILE action is measured from) and are refused.
     */
    public static ChallengeAction forAssertion(String assertion) {
        String a = assertion.toUpperCase(Locale.ROOT);
        if (a.startsWith("EYE_GAZE_")) {
            return ChallengeAction.valueOf(a.substring("EYE_".length()));
        }
        if (a.equals("SMILE")) {
            return ChallengeAction.SMILE;
        }
        throw new IllegalArgumentException("not an action: " + assertion);
    }
}
