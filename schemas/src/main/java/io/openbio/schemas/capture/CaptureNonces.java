package io.openbio.schemas.capture;

import io.openbio.events.NonceIssued;
import io.openbio.schemas.Topics;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capture nonces (bundle/SPEC.md 2), issued the same way wherever a client asks for one: the gateway's
 * {@code POST /bundle/nonce} and the Kafka clients' {@code iad.nonce}. A nonce is 32 random bytes,
 * base64url without padding, bound to one tenant and valid for {@code OPENBIO_BUNDLE_NONCE_TTL}; the
 * issuer records its {@link NonceIssued} on {@link Topics#CAPTURE_NONCES} (compacted, keyed by the
 * nonce) before the client sees it, so the nonce stage knows it when the bundle arrives.
 */
public final class CaptureNonces {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CaptureNonces() {
    }

    /** A fresh nonce: 32 random bytes, base64url without padding. */
    public static String newNonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * A fresh nonce for {@code tenant}, issued at {@code now} and expiring {@code ttl} later (both to the
     * millisecond, as the topic keeps them), without a challenge. Record it on {@link Topics#CAPTURE_NONCES}
     * under {@link NonceIssued#getNonce()} before answering with {@link #answer}.
     */
    public static NonceIssued issue(String tenant, Instant now, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a nonce's time to live must be positive: " + ttl);
        }
        Instant issuedAt = now.truncatedTo(ChronoUnit.MILLIS);
        return new NonceIssued(newNonce(), tenant, issuedAt, issuedAt.plus(ttl).truncatedTo(ChronoUnit.MILLIS), null);
    }

    /** The client's answer: {@code {"nonce": ..., "expiresAt": ISO-8601}} (the {@code BundleNonce} schema of the OpenAPI document). */
    public static Map<String, Object> answer(NonceIssued issued) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nonce", issued.getNonce());
        body.put("expiresAt", issued.getExpiresAt().toString());
        return body;
    }
}
