package io.openbio.inference.challenge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a caller of {@code POST /challenge} chooses: kinds of action (each a set of
 * {@link ChallengeAction}s one face model verifies) and the prompt shown for each action; and the
 * answer a capture client gets for an issued challenge ({@link #answer}). Shared by the gateway's
 * {@code POST /challenge} and the Liveness Check Proxy's token style (lcp-verify stage), which issue
 * challenges the same way.
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

    /**
     * The kinds of a comma-separated list ({@code "HEAD,SMILE"}), checked: unknown kinds, an empty list and
     * a set that cannot give {@code k} actions (one action only, k above 1) are refused.
     */
    public static Set<ChallengeAction> parse(String kinds, int k) {
        List<String> names = new ArrayList<>();
        for (String kind : kinds.split(",")) {
            if (!kind.isBlank()) {
                names.add(kind.trim().toUpperCase(java.util.Locale.ROOT));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no challenge kind named: " + kinds);
        }
        if (k < MIN_ACTIONS || k > MAX_ACTIONS) {
            throw new IllegalArgumentException("a challenge asks for " + MIN_ACTIONS + " to " + MAX_ACTIONS + " actions: " + k);
        }
        Set<ChallengeAction> allowed = allowed(names);
        if (allowed.size() == 1 && k > 1) {
            throw new IllegalArgumentException("kinds " + names + " allow one action only: " + k + " actions would repeat it");
        }
        return allowed;
    }

    /**
     * The answer a capture client gets for {@code challenge} issued with its nonce ({@code challenge.id()}):
     * {@code nonce}, {@code challengeId} (= nonce), {@code actions}, {@code prompts}, {@code seed}
     * (base64url), {@code issuedAt}, {@code expiresAt} (ISO-8601), as {@code POST /challenge} answers it.
     */
    public static Map<String, Object> answer(Challenge challenge) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("nonce", challenge.id());
        answer.put("challengeId", challenge.id());
        answer.put("actions", challenge.actions().stream().map(Enum::name).toList());
        answer.put("prompts", challenge.actions().stream().map(ChallengeKinds::prompt).toList());
        answer.put("seed", Base64.getUrlEncoder().withoutPadding().encodeToString(challenge.seed()));
        answer.put("issuedAt", Instant.ofEpochMilli(challenge.issuedAt()).toString());
        answer.put("expiresAt", Instant.ofEpochMilli(challenge.expiresAt()).toString());
        return answer;
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
