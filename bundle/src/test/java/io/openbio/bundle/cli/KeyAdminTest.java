package io.openbio.bundle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.bundle.BundleKeyStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KeyAdminTest {
    @Test
    void rotateMakesANewActiveKeyAndKeepsTheOldOne() throws Exception {
        Path file = Files.createTempDirectory("keys").resolve("store.p12");
        System.setProperty("openbio.bundle.keystore", file.toString());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(KeyAdmin.run(new PrintStream(out, true), "list")).isZero();
            String first = BundleKeyStore.openOrCreate(file, io.openbio.bundle.BundleKeys.password()).activeKid();

            assertThat(KeyAdmin.run(new PrintStream(out, true), "rotate")).isZero();
            BundleKeyStore store = BundleKeyStore.openOrCreate(file, io.openbio.bundle.BundleKeys.password());
            assertThat(store.kids()).contains(first).hasSize(2);
            assertThat(store.activeKid()).isNotEqualTo(first);
            assertThat(out.toString()).contains(store.activeKid() + "  (active)");
            assertThat(KeyAdmin.run(new PrintStream(out, true), "bogus")).isEqualTo(2);
        } finally {
            System.clearProperty("openbio.bundle.keystore");
        }
    }
}
