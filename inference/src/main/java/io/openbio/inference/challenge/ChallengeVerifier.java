package io.openbio.inference.challenge;

import java.util.List;

/**
 * Decides an active-liveness capture from its per-frame measurements: one face tracked with the
 * same identity and no cuts, each requested action found as a segment, in order, within its time
 * window, with a return to neutral between actions; a static face is SPOOF.
 */
public final class ChallengeVerifier {
    public ChallengeVerdict verify(Challenge challenge, List<FrameMeasurement> frames) {
        throw new UnsupportedOperationException("issue 16: being built");
    }
}
