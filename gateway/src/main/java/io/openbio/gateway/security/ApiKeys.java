package io.openbio.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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

    private record Entry(byte[] hash, Principal principal) {
    }

    private final List<Entry> entries = new ArrayList<>();

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
            entries.add(new Entry(HexFormat.of().parseHex(parts[2].toLowerCase()), new Principal(parts[0], parts[1])));
        }
    }

    public boolean enabled() {
        return !entries.isEmpty();
    }

    /**
     * The caller {@code key} stands for. Its SHA-256 is compared with every configured hash in
     * constant time ({@link MessageDigest#isEqual}), all of them every time, so the answer time says
     * nothing about which hash or how much of it matched.
     */
    public Optional<Principal> find(String key) {
        if (key == null || key.isBlank()) {
            return Optional.empty();
        }
        byte[] hash = digest(key.trim());
        Principal found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), hash) && found == null) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    public static String sha256(String key) {
        return HexFormat.of().formatHex(digest(key));
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
