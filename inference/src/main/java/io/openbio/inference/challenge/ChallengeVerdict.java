package io.openbio.inference.challenge;

import java.util.List;

/**
 * The verifier's verdict on a frame sequence for a challenge.
 *
 * @param decision  PASS / SPOOF / FAILED / TIMEOUT / ERROR
 * @param reason    a short machine-readable reason, e.g. {@code ALL_ACTIONS_FOUND}, {@code STATIC_FACE},
 *                  {@code IDENTITY_SWITCH}, {@code ACTION_NOT_FOUND}, {@code FACE_LOST}
 * @param actions   one entry per requested action, in order
 * @param bestFrame index of the sharpest frontal neutral frame (the output image for later matching), -1 if none
 */
public record ChallengeVerdict(ChallengeDecision decision, String reason, List<ActionEvidence> actions, int bestFrame) {
    public ChallengeVerdict {
        actions = List.copyOf(actions);
    }
}
