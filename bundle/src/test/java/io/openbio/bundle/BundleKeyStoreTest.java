package io.openbio.bundle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleKeyStoreTest {

    private static final char[] PASSWORD = "changeit-too".toCharArray();

    @TempDir
    Path dir;

    @Test
    void createsAKeyPairOnFirstOpenAndKeepsItOnReopen() throws Exception {
        Path file = dir.resolve("keys/bundle-keys.p12");
        BundleKeyStore first = BundleKeyStore.openOrCreate(file, PASSWORD);
        assertThat(file).exists();
        assertThat(first.kids()).containsExactly(first.activeKid());
        assertThat(first.activeKid()).matches("obk1-[0-9a-f]{12}");

        byte[] bundle = BundleWriter.write(TestData.sample(1), first.activePublicKey(), first.activeKid());
        BundleKeyStore reopened = BundleKeyStore.openOrCreate(file, PASSWORD);
        assertThat(reopened.activeKid()).isEqualTo(first.activeKid());
        assertThat(reopened.activePublicKey().getEncoded()).isEqualTo(first.activePublicKey().getEncoded());
        assertThat(BundleReader.read(bundle, reopened.resolver()).metadata().nonce()).isEqualTo("nonce-1");
    }

    @Test
    void isAStandardPkcs12WithASelfSignedCertificate() throws Exception {
        Path file = dir.resolve("k.p12");
        BundleKeyStore store = BundleKeyStore.openOrCreate(file, PASSWORD);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        var cert = (java.security.cert.X509Certificate) ks.getCertificate(store.activeKid());
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).contains(store.activeKid());
        assertThat(cert.getPublicKey().getEncoded()).isEqualTo(store.activePublicKey().getEncoded());
    }

    @Test
    void rotationKeepsOldBundlesDecryptable() throws Exception {
        Path file = dir.resolve("k.p12");
        BundleKeyStore store = BundleKeyStore.openOrCreate(file, PASSWORD);
        String oldKid = store.activeKid();
        byte[] oldBundle = BundleWriter.write(TestData.sample(1), store.activePublicKey(), oldKid);

        String newKid = store.rotate();
        assertThat(newKid).isNotEqualTo(oldKid).startsWith("obk2-");
        assertThat(store.activeKid()).isEqualTo(newKid);
        assertThat(store.kids()).containsExactly(oldKid, newKid);
        byte[] newBundle = BundleWriter.write(TestData.sample(2), store.activePublicKey(), newKid);

        assertThat(BundleReader.read(oldBundle, store.resolver()).frames()).hasSize(1);
        assertThat(BundleReader.read(newBundle, store.resolver()).frames()).hasSize(2);

        BundleKeyStore reopened = BundleKeyStore.openOrCreate(file, PASSWORD);
        assertThat(reopened.kids()).containsExactly(oldKid, newKid);
        assertThat(reopened.activeKid()).isEqualTo(newKid);
        assertThat(BundleReader.read(oldBundle, reopened.resolver()).frames()).hasSize(1);
        assertThat(reopened.rotate()).startsWith("obk3-");
    }

    @Test
    void aResolverFindsAKeyRotatedByAnotherInstance() throws Exception {
        Path file = dir.resolve("k.p12");
        BundleKeyStore a = BundleKeyStore.openOrCreate(file, PASSWORD);
        BundleKeyStore b = BundleKeyStore.openOrCreate(file, PASSWORD);
        String newKid = a.rotate();
        byte[] bundle = BundleWriter.write(TestData.sample(1), a.activePublicKey(), newKid);
        assertThat(BundleReader.read(bundle, b.resolver()).frames()).hasSize(1);
        assertThat(b.activeKid()).isEqualTo(newKid);
    }

    @Test
    void reloadReadsTheFileOnlyWhenItChanged() throws Exception {
        Path file = dir.resolve("k.p12");
        BundleKeyStore a = BundleKeyStore.openOrCreate(file, PASSWORD);
        BundleKeyStore b = BundleKeyStore.openOrCreate(file, PASSWORD);
        b.reload();
        String first = b.activeKid();
        // an unchanged file is not parsed again: a file that became unreadable in place (same
        // identity, size and time) would fail a real read
        java.nio.file.attribute.FileTime time = java.nio.file.Files.getLastModifiedTime(file);
        byte[] original = java.nio.file.Files.readAllBytes(file);
        byte[] garbage = original.clone();
        java.util.Arrays.fill(garbage, (byte) 0);
        java.nio.file.Files.write(file, garbage, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        java.nio.file.Files.setLastModifiedTime(file, time);
        b.reload();
        assertThat(b.activeKid()).isEqualTo(first);
        java.nio.file.Files.write(file, original, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        java.nio.file.Files.setLastModifiedTime(file, time);
        // a rotation by another instance replaces the file: the next reload sees the new key
        String rotated = a.rotate();
        b.reload();
        assertThat(b.activeKid()).isEqualTo(rotated).isNotEqualTo(first);
    }

    @Test
    void publicKeyBase64IsTheDerSubjectPublicKeyInfo() throws Exception {
        BundleKeyStore store = BundleKeyStore.openOrCreate(dir.resolve("k.p12"), PASSWORD);
        String b64 = BundleKeyStore.publicKeyBase64(store.activePublicKey());
        PublicKey parsed = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        assertThat(parsed).isEqualTo(store.activePublicKey());
        // P-256 SPKI with the named-curve OID is 91 bytes, what WebCrypto importKey('spki') expects
        assertThat(Base64.getDecoder().decode(b64)).hasSize(91);
    }

    @Test
    void wrongPasswordIsAnError() {
        Path file = dir.resolve("k.p12");
        BundleKeyStore.openOrCreate(file, PASSWORD);
        assertThatThrownBy(() -> BundleKeyStore.openOrCreate(file, "wrong".toCharArray()))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void threadsRacingToCreateAgreeOnOneKey() throws Exception {
        Path file = dir.resolve("race/k.p12");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> kids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kids.add(pool.submit(() -> {
                go.await();
                return BundleKeyStore.openOrCreate(file, PASSWORD).activeKid();
            }));
        }
        go.countDown();
        Set<String> distinct = ConcurrentHashMap.newKeySet();
        for (Future<String> f : kids) {
            distinct.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(distinct).hasSize(1);
        assertThat(BundleKeyStore.openOrCreate(file, PASSWORD).kids()).hasSize(1);
    }

    @Test
    void processesRacingToCreateAgreeOnOneKey() throws Exception {
        Path file = dir.resolve("procs/k.p12");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    KeyStoreChild.class.getName(), file.toString(), new String(PASSWORD))
                    .redirectErrorStream(true).start());
        }
        Set<String> kids = new java.util.HashSet<>();
        for (Process p : processes) {
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertThat(p.waitFor()).as(out).isZero();
            kids.add(out);
        }
        assertThat(kids).hasSize(1);
        assertThat(BundleKeyStore.openOrCreate(file, PASSWORD).kids()).containsExactlyElementsOf(kids);
    }

    @Test
    void anExistingStoreOpensFromAReadOnlyDirectory() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Path file = ro.resolve("k.p12");
        String kid = BundleKeyStore.openOrCreate(file, PASSWORD).activeKid();
        Files.deleteIfExists(ro.resolve("k.p12.lock"));
        assertThat(ro.toFile().setWritable(false, false)).isTrue();
        try {
            BundleKeyStore readOnly = BundleKeyStore.openOrCreate(file, PASSWORD);
            assertThat(readOnly.activeKid()).isEqualTo(kid);
            assertThat(Files.exists(ro.resolve("k.p12.lock"))).isFalse();
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }

    @Test
    void bundleKeysOpensTheConfiguredStore() {
        Path file = dir.resolve("configured/bundle-keys.p12");
        String before = System.getProperty(BundleKeys.KEYSTORE_PROPERTY);
        System.setProperty(BundleKeys.KEYSTORE_PROPERTY, file.toString());
        try {
            BundleKeyStore a = BundleKeys.open();
            assertThat(file).exists();
            assertThat(BundleKeys.keystorePath()).isEqualTo(file);
            assertThat(BundleKeys.open().activeKid()).isEqualTo(a.activeKid());
        } finally {
            if (before == null) {
                System.clearProperty(BundleKeys.KEYSTORE_PROPERTY);
            } else {
                System.setProperty(BundleKeys.KEYSTORE_PROPERTY, before);
            }
        }
    }

    /** Child process for the race above: opens or creates the store and prints the active kid. */
    public static final class KeyStoreChild {
        public static void main(String[] args) {
            System.out.println(BundleKeyStore.openOrCreate(Path.of(args[0]), args[1].toCharArray()).activeKid());
        }
    }
}
