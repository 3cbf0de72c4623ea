package io.openbio.gateway.api.challenge;

import io.openbio.inference.challenge.ChallengeAction;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a caller of {@code POST /challenge} chooses: kinds of action (each a set of
 * {@link ChallengeAction}s one face model verifies) and the prompt shown for each action.
 */
public final class ChallengeKinds {
    /** Kind name to the actions it allows. */
    public static final Map<String, Set<ChallengeAction>> KINDS = kinds();

    /** The kinds when the request names none: head pose, smile, eyes (gaze needs a calibrated screen position). */
    public static final List<String> DEFAULT_KINDS = List.of("HEAD", "SMILE", "EYES");

    public static final int DEFAULT_ACTIONS = 3;
    public static final int MIN_ACTIONS = 1;
    public static final int MAX_ACTIONS = 6;

    private ChallengeKinds() {
    }

    private static Map<String, Set<ChallengeAction>> kinds() {
        Map<String, Set<ChallengeAction>> kinds = new LinkedHashMap<>();
        kinds.put("HEAD", EnumSet.of(ChallengeAction.TURN_LEFT, ChallengeAction.TURN_RIGHT, ChallengeAction.LOOK_UP, ChallengeAction.LOOK_DOWN));
        kinds.put("SMILE", EnumSet.of(ChallengeAction.SMILE));
        kinds.put("EYES", EnumSet.of(ChallengeAction.CLOSE_EYES));
        kinds.put("GAZE", EnumSet.of(ChallengeAction.GAZE_TOP_LEFT, ChallengeAction.GAZE_TOP_RIGHT, ChallengeAction.GAZE_BOTTOM_LEFT,
                ChallengeAction.GAZE_BOTTOM_RIGHT));
        return Map.copyOf(kinds);
    }

    /** The actions {@code kinds} allow. */
    public static Set<ChallengeAction> allowed(List<String> kinds) {
        Set<ChallengeAction> allowed = EnumSet.noneOf(ChallengeAction.class);
        for (String kind : kinds) {
            Set<ChallengeAction> actions = KINDS.get(kind);
            if (actions == null) {
                throw new IllegalArgumentException("unknown kind '" + kind + "'; known: " + List.of("HEAD", "SMILE", "EYES", "GAZE"));
            }
            allowed.addAll(actions);
        }
        return allowed;
    }

    /** What the person is asked to do, as a capture page shows it. */
    public static String prompt(ChallengeAction action) {
        return switch (action) {
            case TURN_LEFT -> "Turn your head to your left";
            case TURN_RIGHT -> "Turn your head to your right";
            case LOOK_UP -> "Tilt your head up";
            case LOOK_DOWN -> "Tilt your head down";
            case SMILE -> "Smile";
            case CLOSE_EYES -> "Close both eyes, then open them";
            case GAZE_TOP_LEFT -> "Keep your head still and look at the top-left corner of the screen";
            case GAZE_TOP_RIGHT -> "Keep your head still and look at the top-right corner of the screen";
            case GAZE_BOTTOM_LEFT -> "Keep your head still and look at the bottom-left corner of the screen";
            case GAZE_BOTTOM_RIGHT -> "Keep your head still and look at the bottom-right corner of the screen";
        };
    }
}
