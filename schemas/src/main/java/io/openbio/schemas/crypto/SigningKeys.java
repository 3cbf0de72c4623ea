package io.openbio.schemas.crypto;

import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The BioServer response-signing key of this process, from the settings
 * {@code OPENBIO_BIOSERVER_SIGNING_KEYSTORE} and {@code OPENBIO_BIOSERVER_SIGNING_KEYSTORE_PASSWORD}.
 * As for the payload key store ({@link PayloadKeys}): a missing store is created, so a laptop run
 * works; the local run makes it before starting any gateway and deployments mount theirs (a Secret,
 * a shared volume), so gateways never race to create different keys.
 *
 * <p>Key tool: {@code java -cp ... io.openbio.schemas.crypto.SigningKeys create [bits]} makes the
 * configured store (k8s/README.md; RSA 2048 unless told), {@code certificate} prints its certificate as PEM.
 */
public final class SigningKeys {
    private SigningKeys() {
    }

    /** The configured store, created when missing. */
    public static SigningKeyStore fromSettings() {
        return SigningKeyStore.openOrCreate(keystorePath(), password());
    }

    public static Path keystorePath() {
        return Path.of(KafkaSettings.setting(Settings.BIOSERVER_SIGNING_KEYSTORE));
    }

    public static char[] password() {
        return KafkaSettings.setting(Settings.BIOSERVER_SIGNING_KEYSTORE_PASSWORD).toCharArray();
    }

    /** True while the password is the development default (a deployment must set its own). */
    public static boolean usingDevPassword() {
        return KafkaSettings.setting(Settings.BIOSERVER_SIGNING_KEYSTORE_PASSWORD, null) == null;
    }

    /** {@code create [bits]}: a new store at the configured path (refused if one is there); {@code certificate}: its certificate, PEM. */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "certificate" : args[0];
        Path path = keystorePath();
        switch (command) {
            case "create" -> {
                if (Files.exists(path)) {
                    System.err.println(path + " exists: move it away first to replace the signing key");
                    System.exit(1);
                }
                int bits = args.length > 1 ? Integer.parseInt(args[1]) : SigningKeyStore.DEFAULT_KEY_BITS;
                SigningKeyStore.create(path, password(), bits);
                System.out.println("created " + path + " (RSA " + bits + ")");
            }
            case "certificate" -> System.out.print(SigningKeyStore.open(path, password()).certificatePem());
            default -> {
                System.err.println("usage: SigningKeys create [bits] | certificate");
                System.exit(2);
            }
        }
    }
}
