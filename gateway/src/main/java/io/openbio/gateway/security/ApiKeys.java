package io.openbio.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys the gateway accepts, stored hashed: {@code OPENBIO_API_KEYS} (property
 * {@code openbio.security.api-keys}) is a comma-separated list of {@code tenant:ROLE:sha256hex},
 * where {@code sha256hex} is the lower-case hex SHA-256 of the key (e.g.
 * {@code printf %s "$KEY" | sha256sum}). Roles: {@code USER} (the product APIs) and {@code ADMIN}
 * (also collection administration and the audit trail, {@code GET /audit/records}). No keys
 * configured means authentication is off (the local default; every request then belongs to the
 * tenant of its {@code X-Tenant-Id} header).
 */
public final class ApiKeys {
    /** A caller: its tenant and role. */
    public record Principal(String tenant, String role) {
        public boolean admin() {
            return "ADMIN".equals(role);
        }
    }

    private final Map<String, Principal> byHash = new HashMap<>();

    public ApiKeys(String configured) {
        if (configured == null || configured.isBlank()) {
            return;
        }
        for (String entry : configured.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 3 || !parts[2].matches("[0-9a-fA-F]{64}") || !(parts[1].equals("USER") || parts[1].equals("ADMIN"))
                    || !parts[0].matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException("openbio.security.api-keys entries must be tenant:USER|ADMIN:sha256hex");
            }
            byHash.put(parts[2].toLowerCase(), new Principal(parts[0], parts[1]));
        }
    }

    public boolean enabled() {
        return !byHash.isEmpty();
    }

    public Optional<Principal> find(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(sha256(key.trim())));
    }

    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
