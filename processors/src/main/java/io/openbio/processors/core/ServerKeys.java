package io.openbio.processors.core;

import io.openbio.bundle.BundleKeys;
import io.openbio.bundle.KeyResolver;

/**
 * The server's capture-bundle private keys for this process (the key store of
 * {@code OPENBIO_BUNDLE_KEYSTORE}), opened on first use and shared by every stage that decrypts.
 * The resolver re-reads the store for a key id it does not know, so keys rotated later are found.
 */
public final class ServerKeys {
    private static volatile KeyResolver shared;

    private ServerKeys() {
    }

    public static KeyResolver shared() {
        KeyResolver local = shared;
        if (local == null) {
            synchronized (ServerKeys.class) {
                local = shared;
                if (local == null) {
                    local = BundleKeys.open().resolver();
                    shared = local;
                }
            }
        }
        return local;
    }
}
