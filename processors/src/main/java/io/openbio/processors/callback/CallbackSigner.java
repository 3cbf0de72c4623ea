package io.openbio.processors.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callback deliveries as the Standard Webhooks specification does
 * (<a href="https://www.standardwebhooks.com/">standardwebhooks.com</a>): header {@code webhook-signature}
 * is {@code v1,<base64 of HMAC-SHA256(secret, "<webhook-id>.<webhook-timestamp>.<body>")>} with the
 * tenant's secret (JCA {@link Mac}), so a receiver proves the callback came from this platform, for its
 * tenant, and was not changed or replayed later than its tolerance.
 *
 * <p>Secrets: {@code OPENBIO_CALLBACK_SECRETS}, {@code tenant=base64,...}, and {@code *=base64} for every
 * other tenant; a value may carry the specification's {@code whsec_} prefix. At least 16 bytes each
 * (the specification asks for 24 to 64 random bytes). A tenant without a secret gets unsigned callbacks
 * (the stage warns at start): a random per-process secret would sign with a key no receiver can know,
 * which only looks safer.
 */
public final class CallbackSigner {
    static final String ALGORITHM = "HmacSHA256";

    private final Map<String, byte[]> secrets;
    private final byte[] fallback;

    private CallbackSigner(Map<String, byte[]> secrets, byte[] fallback) {
        this.secrets = Map.copyOf(secrets);
        this.fallback = fallback;
    }

    /** @throws IllegalArgumentException naming the tenant whose secret cannot be read (never the secret) */
    public static CallbackSigner parse(String setting) {
        Map<String, byte[]> secrets = new HashMap<>();
        byte[] fallback = null;
        if (setting != null) {
            for (String raw : setting.split(",")) {
                String entry = raw.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("OPENBIO_CALLBACK_SECRETS: each entry is tenant=base64 (or *=base64)");
                }
                String tenant = entry.substring(0, eq).trim();
                String value = entry.substring(eq + 1).trim();
                if (value.startsWith("whsec_")) {
                    value = value.substring("whsec_".length());
                }
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("OPENBIO_CALLBACK_SECRETS: the secret of '" + tenant + "' is not base64");
                }
                if (key.length < 16) {
                    throw new IllegalArgumentException("OPENBIO_CALLBACK_SECRETS: the secret of '" + tenant
                            + "' has " + key.length + " bytes; use at least 16 (24 to 64 random bytes recommended)");
                }
                if (tenant.equals("*")) {
                    fallback = key;
                } else {
                    secrets.put(tenant, key);
                }
            }
        }
        return new CallbackSigner(secrets, fallback);
    }

    /** Whether any secret is configured. */
    public boolean configured() {
        return fallback != null || !secrets.isEmpty();
    }

    /** {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} with {@code tenant}'s secret; empty when it has none. */
    public Optional<String> signature(String tenant, String webhookId, long timestampSeconds, byte[] body) {
        byte[] key = secrets.getOrDefault(tenant, fallback);
        if (key == null) {
            return Optional.empty();
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Optional.of("v1," + Base64.getEncoder().encodeToString(mac.doFinal(body)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "CallbackSigner[tenants=" + new java.util.TreeSet<>(secrets.keySet()) + ", default=" + (fallback != null) + "]";
    }
}
