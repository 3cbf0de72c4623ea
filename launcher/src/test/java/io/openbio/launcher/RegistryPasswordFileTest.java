package io.openbio.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local run's registry password: generated once (random, 256 bits), readable by its owner only,
 * and the same on every later start, so a restarted local run keeps writing to its registry.
 */
class RegistryPasswordFileTest {
    @Test
    void generatedOnceOwnerOnlyAndKept(@TempDir Path data) throws Exception {
        Path file = data.resolve("registry/credentials");
        String first = LocalPlatform.registryPassword(file);

        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(LocalPlatform.registryPassword(file)).as("the next run reads the same password").isEqualTo(first);
        assertThat(LocalPlatform.registryPassword(data.resolve("other/credentials"))).as("another data folder, another password")
                .isNotEqualTo(first);
    }

    /** The payload key store likewise: made once with its generated password, owner-only, kept (its KEK with it). */
    @Test
    void payloadKeyStoreMadeOnceOwnerOnlyAndKept(@TempDir Path data) throws Exception {
        String password = LocalPlatform.registryPassword(data.resolve("keys/payload-keys.password"));
        Path store = data.resolve("keys/payload-keys.p12");
        LocalPlatform.payloadKeystore(store, password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("keys/payload-keys.password")))).isEqualTo("rw-------");
        byte[] first = Files.readAllBytes(store);
        LocalPlatform.payloadKeystore(store, password);
        assertThat(Files.readAllBytes(store)).as("the next run keeps the store").isEqualTo(first);
        var keys = io.openbio.schemas.crypto.PayloadKeyStore.open(store, password.toCharArray(), null);
        assertThat(keys.keys()).containsOnlyKeys("kek-1");
    }

    /** A store the password does not open (its password file lost, an older run's data) stops the start with a clear message. */
    @Test
    void aPayloadKeyStoreItsPasswordDoesNotOpenStopsTheStart(@TempDir Path data) throws Exception {
        Path store = data.resolve("keys/payload-keys.p12");
        LocalPlatform.payloadKeystore(store, LocalPlatform.registryPassword(data.resolve("keys/payload-keys.password")));
        Files.delete(data.resolve("keys/payload-keys.password"));
        String regenerated = LocalPlatform.registryPassword(data.resolve("keys/payload-keys.password"));
        assertThatThrownBy(() -> LocalPlatform.payloadKeystore(store, regenerated)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("does not open with its password").hasMessageContaining("OPENBIO_PAYLOAD_KEYSTORE_PASSWORD");
    }

    /** The BioServer signing key store likewise: made once with its generated password, owner-only, kept (its key with it). */
    @Test
    void signingKeyStoreMadeOnceOwnerOnlyAndKept(@TempDir Path data) throws Exception {
        String password = LocalPlatform.registryPassword(data.resolve("keys/bioserver-signing.password"));
        Path store = data.resolve("keys/bioserver-signing.p12");
        LocalPlatform.signingKeystore(store, password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
        byte[] first = Files.readAllBytes(store);
        var certificate = io.openbio.schemas.crypto.SigningKeyStore.open(store, password.toCharArray()).certificate();
        LocalPlatform.signingKeystore(store, password);
        assertThat(Files.readAllBytes(store)).as("the next run keeps the store").isEqualTo(first);
        assertThat(io.openbio.schemas.crypto.SigningKeyStore.open(store, password.toCharArray()).certificate()).isEqualTo(certificate);
    }
}
