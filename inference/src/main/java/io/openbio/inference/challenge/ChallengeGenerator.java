package io.openbio.inference.challenge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Draws challenges: a fresh random seed (SecureRandom) per challenge, and a deterministic
 * derivation of the ordered actions from the seed, so any stage re-derives them.
 *
 * <p>Derivation ({@link #derive}): HMAC-SHA256 keyed with the seed, used as a counter-mode DRBG
 * (block i = HMAC(seed, "openbio/challenge/v1" || i as 4 big-endian bytes), consumed 4 bytes at a time
 * as unsigned 32-bit integers). Each pick takes an integer r and keeps it only when r is below the
 * largest multiple of n (the number of candidates) that fits in 2^32, else draws the next one
 * (rejection sampling), so every candidate has exactly the same probability. Candidates are the
 * allowed actions in enum order, less the previous action (no action twice in a row) and, when the set
 * holds any non-gaze action, less every gaze corner after a gaze corner (at most one gaze corner in a
 * row: two corners back to back differ only by eye movement, the weakest signal here). A set of gaze
 * corners only ({@link ActionSet#GAZE}) may chain corners, never the same one twice.
 *
 * <p>Seed 003 parameters: {@code nbChallenge} is k ({@link #actionCount}); {@code securityLevel} is the
 * verification policy ({@link ChallengePolicy#forSecurityLevel}), not the challenge. Seed 003 reports
 * its {@code seed} as a 32-bit integer; ours is 32 bytes, so an API exposing it must carry it as bytes
 * (base64), not as that integer.
 */
public final class ChallengeGenerator {
    /** seed length drawn by {@link #issue}. */
    public static final int SEED_BYTES = 32;
    /** shortest seed {@link #derive} accepts (the {@link Challenge} contract). */
    public static final int MIN_SEED_BYTES = 16;
    /** k when seed 003's {@code nbChallenge} is absent: the seed gives no default, 2 is its example. */
    public static final int DEFAULT_ACTIONS = 2;
    /**
     * largest k: with 5 s per action ({@link ChallengePolicy#actionWindowMs}) eight actions already ask
     * for a capture of about 40 s, and a person asked for more tends to lose the thread.
     */
    public static final int MAX_ACTIONS = 8;

    private static final byte[] LABEL = "openbio/challenge/v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChallengeGenerator() {
    }

    /**
     * k for seed 003's {@code nbChallenge}: null -> {@link #DEFAULT_ACTIONS}; below 1 (the seed: "must
     * be one or greater") or above {@link #MAX_ACTIONS} is refused.
     */
    public static int actionCount(Integer nbChallenge) {
        if (nbChallenge == null) {
            return DEFAULT_ACTIONS;
        }
        if (nbChallenge < 1 || nbChallenge > MAX_ACTIONS) {
            throw new IllegalArgumentException("nbChallenge must be 1.." + MAX_ACTIONS + ", was " + nbChallenge);
        }
        return nbChallenge;
    }

    /** The k actions the seed yields from {@code allowed} (no action twice in a row); none for k = 0 (a passive capture). */
    public static List<ChallengeAction> derive(byte[] seed, int k, Set<ChallengeAction> allowed) {
        if (seed == null || seed.length < MIN_SEED_BYTES) {
            throw new IllegalArgumentException("seed must be at least " + MIN_SEED_BYTES + " bytes");
        }
        if (k < 0 || k > MAX_ACTIONS) {
            throw new IllegalArgumentException("k must be 0.." + MAX_ACTIONS + ", was " + k);
        }
        if (k == 0) {
            // a passive capture (seed 003's LIVENESS_PASSIVE / LIVENESS_PASSIVE_VIDEO): nothing to perform
            return List.of();
        }
        if (allowed.isEmpty() || (k > 1 && allowed.size() < 2)) {
            throw new IllegalArgumentException("an action set of " + allowed.size() + " cannot give " + k
                    + " actions without repeating one in a row");
        }
        EnumSet<ChallengeAction> set = EnumSet.copyOf(allowed);
        boolean gazeOnly = set.stream().allMatch(ChallengeAction::isGaze);
        Drbg drbg = new Drbg(seed);
        List<ChallengeAction> out = new ArrayList<>(k);
        ChallengeAction prev = null;
        for (int i = 0; i < k; i++) {
            List<ChallengeAction> candidates = new ArrayList<>(set.size());
            for (ChallengeAction a : set) {
                if (a == prev || (!gazeOnly && prev != null && prev.isGaze() && a.isGaze())) {
                    continue;
                }
                candidates.add(a);
            }
            prev = candidates.get(drbg.below(candidates.size()));
            out.add(prev);
        }
        return List.copyOf(out);
    }

    /** A new challenge bound to {@code id} (the capture nonce). */
    public static Challenge issue(String id, int k, Set<ChallengeAction> allowed, long now, long ttlMs) {
        if (ttlMs <= 0) {
            throw new IllegalArgumentException("ttlMs must be positive");
        }
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return new Challenge(id, seed, derive(seed, k, allowed), now, now + ttlMs);
    }

    /** HMAC-SHA256 in counter mode, read as unsigned 32-bit integers. */
    private static final class Drbg {
        private final Mac mac;
        private final ByteBuffer block = ByteBuffer.allocate(32);
        private int counter;

        Drbg(byte[] seed) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(seed, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
            }
            block.position(block.limit());
        }

        private long nextUnsigned32() {
            if (block.remaining() < 4) {
                mac.update(LABEL);
                mac.update(ByteBuffer.allocate(4).putInt(counter++).array());
                block.clear();
                block.put(mac.doFinal());
                block.flip();
            }
            return Integer.toUnsignedLong(block.getInt());
        }

        /** uniform in [0, n) by rejection sampling. */
        int below(int n) {
            long range = 1L << 32;
            long limit = range - (range % n);
            while (true) {
                long r = nextUnsigned32();
                if (r < limit) {
                    return (int) (r % n);
                }
            }
        }
    }
}
