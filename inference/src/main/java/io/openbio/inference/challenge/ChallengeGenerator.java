package io.openbio.inference.challenge;

import java.util.List;
import java.util.Set;

/**
 * Draws challenges: a fresh random seed (SecureRandom) per challenge, and a deterministic
 * derivation of the ordered actions from the seed, so any stage re-derives them.
 */
public final class ChallengeGenerator {
    private ChallengeGenerator() {
    }

    /** The k actions the seed yields from {@code allowed} (no action twice in a row). */
    public static List<ChallengeAction> derive(byte[] seed, int k, Set<ChallengeAction> allowed) {
        throw new UnsupportedOperationException("issue 16: being built");
    }

    /** A new challenge bound to {@code id} (the capture nonce). */
    public static Challenge issue(String id, int k, Set<ChallengeAction> allowed, long now, long ttlMs) {
        throw new UnsupportedOperationException("issue 16: being built");
    }
}
