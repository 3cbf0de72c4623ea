package io.openbio.bundle;

import io.openbio.bundle.crypto.BundleCrypto;
import io.openbio.bundle.format.InnerBody;

import java.security.PublicKey;

/** Writes capture bundles, format v1 ({@code bundle/SPEC.md}). */
public final class BundleWriter {
    private BundleWriter() {}

    /**
     * Encrypts {@code bundle} to the server's EC P-256 public key {@code serverKey}, named {@code kid}.
     *
     * @throws IllegalArgumentException when the content breaks a limit of the format (no frames,
     *         more than 16, empty nonce, too large, ...), the kid is not 1-64 characters of
     *         {@code [A-Za-z0-9._-]}, or the key is not an EC P-256 public key
     */
    public static byte[] write(CaptureBundle bundle, PublicKey serverKey, String kid) {
        return BundleCrypto.seal(InnerBody.encode(bundle), serverKey, kid);
    }
}
