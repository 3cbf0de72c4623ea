package io.openbio.bundle.cli;

import io.openbio.bundle.BundleKeyStore;
import io.openbio.bundle.BundleKeys;
import java.io.PrintStream;

/**
 * Operator commands for the server's bundle key store (the file and password of
 * {@code OPENBIO_BUNDLE_KEYSTORE} / {@code OPENBIO_BUNDLE_KEYSTORE_PASSWORD}):
 * <ul>
 * <li>{@code list}: every key id, the active one marked;</li>
 * <li>{@code rotate}: a new key pair becomes active; older keys stay, so bundles made for them still
 * decrypt. Gateways pick the new key up within a minute (they reload the store), decrypt stages
 * on the first bundle that names it.</li>
 * </ul>
 * {@code java -cp "bundle/target/bundle-0.1.0-SNAPSHOT.jar:bundle/target/lib/*" io.openbio.bundle.cli.KeyAdmin rotate}
 */
public final class KeyAdmin {
    private KeyAdmin() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    static int run(PrintStream out, String... args) {
        if (args.length != 1 || !(args[0].equals("list") || args[0].equals("rotate"))) {
            out.println("usage: KeyAdmin list|rotate   (key store: " + BundleKeys.keystorePath() + ")");
            return 2;
        }
        BundleKeyStore store = BundleKeys.open();
        if (args[0].equals("rotate")) {
            out.println("active key is now " + store.rotate());
        }
        for (String kid : store.kids()) {
            out.println(kid + (kid.equals(store.activeKid()) ? "  (active)" : ""));
        }
        return 0;
    }
}
