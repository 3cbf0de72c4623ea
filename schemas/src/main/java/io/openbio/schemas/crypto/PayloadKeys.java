package io.openbio.schemas.crypto;

import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The payload cipher of this process, from the settings {@code OPENBIO_PAYLOAD_KEYSTORE},
 * {@code OPENBIO_PAYLOAD_KEYSTORE_PASSWORD}, {@code OPENBIO_PAYLOAD_KEK} and
 * {@code OPENBIO_PAYLOAD_DEK_MAX_AGE_MS}: opened on first use and shared by the gateway and every
 * stage in the JVM (one data-key cache per process). A missing key store is created with one KEK, as
 * for the bundle keys, so a laptop run works; the local run makes it before starting anything and
 * deployments mount theirs (a Secret), so the processes never race to create different ones.
 *
 * <p>Key tool: {@code java -cp ... io.openbio.schemas.crypto.PayloadKeys add-kek} adds a new
 * key-encryption key to the configured store (rotation, README "Payload encryption").
 */
public final class PayloadKeys {
    private static volatile PayloadCipher shared;

    private PayloadKeys() {
    }

    public static PayloadCipher shared() {
        PayloadCipher local = shared;
        if (local == null) {
            synchronized (PayloadKeys.class) {
                local = shared;
                if (local == null) {
                    local = fromSettings();
                    shared = local;
                }
            }
        }
        return local;
    }

    /** A new cipher over the configured key store (benchmarks; {@link #shared} everywhere else). */
    public static PayloadCipher fromSettings() {
        PayloadKeyStore store = PayloadKeyStore.openOrCreate(keystorePath(), password(),
                KafkaSettings.setting(Settings.PAYLOAD_KEK, null));
        return new PayloadCipher(store, Duration.ofMillis(Long.parseLong(KafkaSettings.setting(Settings.PAYLOAD_DEK_MAX_AGE_MS))));
    }

    public static Path keystorePath() {
        return Path.of(KafkaSettings.setting(Settings.PAYLOAD_KEYSTORE));
    }

    public static char[] password() {
        return KafkaSettings.setting(Settings.PAYLOAD_KEYSTORE_PASSWORD).toCharArray();
    }

    /** {@code add-kek}: a new KEK in the configured store; {@code list}: its key ids and the primary. */
    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "list" : args[0];
        Path path = keystorePath();
        switch (command) {
            case "add-kek" -> {
                if (!java.nio.file.Files.exists(path)) {
                    System.out.println("created " + path + " with " + PayloadKeyStore.create(path, password()));
                } else {
                    System.out.println("added " + PayloadKeyStore.addKek(path, password()) + " to " + path);
                }
            }
            case "list" -> {
                PayloadKeyStore store = PayloadKeyStore.open(path, password(), KafkaSettings.setting(Settings.PAYLOAD_KEK, null));
                System.out.println("keys " + new java.util.TreeSet<>(store.keys().keySet()) + ", primary " + store.primaryId());
            }
            default -> {
                System.err.println("usage: PayloadKeys add-kek | list");
                System.exit(2);
            }
        }
    }
}
