package io.openbio.inference.challenge;

import java.util.List;

/**
 * A challenge as issued: an ordered list of actions derived from a server-chosen random seed
 * ({@link ChallengeGenerator#derive}), bound to a capture nonce. Anyone holding the seed and the
 * parameters re-derives the same actions; nobody can predict them before the server draws the seed.
 *
 * @param id        the challenge id (the capture nonce it is bound to)
 * @param seed      the server's random seed (at least 16 bytes)
 * @param actions   the ordered actions to perform
 * @param issuedAt  epoch ms when it was issued
 * @param expiresAt epoch ms after which a capture for it is refused
 */
public record Challenge(String id, byte[] seed, List<ChallengeAction> actions, long issuedAt, long expiresAt) {
    public Challenge {
        actions = List.copyOf(actions);
        seed = seed.clone();
    }

    @Override
    public byte[] seed() {
        return seed.clone();
    }
}
