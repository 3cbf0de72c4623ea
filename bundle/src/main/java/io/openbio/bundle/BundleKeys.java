package io.openbio.bundle;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The platform's bundle key store, located by configuration, for the gateway (which serves the
 * public key) and the decrypt stage (which uses the private keys): both must read the same file.
 *
 * <table>
 * <caption>settings (system property, else environment variable)</caption>
 * <tr><th>property</th><th>environment</th><th>default</th></tr>
 * <tr><td>{@code openbio.bundle.keystore}</td><td>{@code OPENBIO_BUNDLE_KEYSTORE}</td><td>{@code .data/keys/bundle-keys.p12}</td></tr>
 * <tr><td>{@code openbio.bundle.keystore-password}</td><td>{@code OPENBIO_BUNDLE_KEYSTORE_PASSWORD}</td><td>{@value #DEV_PASSWORD} (local development only)</td></tr>
 * </table>
 */
public final class BundleKeys {
    private BundleKeys() {}

    public static final String KEYSTORE_PROPERTY = "openbio.bundle.keystore";
    public static final String PASSWORD_PROPERTY = "openbio.bundle.keystore-password";
    public static final String DEFAULT_KEYSTORE = ".data/keys/bundle-keys.p12";
    /** Used only when no password is configured: fine for a laptop, never for a deployment. */
    public static final String DEV_PASSWORD = "openbio-dev-only";

    /** Opens (creating on first use) the configured key store. */
    public static BundleKeyStore open() {
        return BundleKeyStore.openOrCreate(keystorePath(), password());
    }

    public static Path keystorePath() {
        return Path.of(setting(KEYSTORE_PROPERTY, DEFAULT_KEYSTORE));
    }

    /** True when no password is configured and {@link #DEV_PASSWORD} is in use. */
    public static boolean usingDevPassword() {
        return setting(PASSWORD_PROPERTY, null) == null;
    }

    public static char[] password() {
        return setting(PASSWORD_PROPERTY, DEV_PASSWORD).toCharArray();
    }

    /** System property, else the environment variable of the same name upper-cased with '.' and '-' as '_'. */
    static String setting(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
