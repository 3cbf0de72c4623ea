package io.openbio.bundle;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bundles written by the browser module (js/openbio-bundle.mjs, run under Node) read by BundleReader. */
class CrossImplementationTest {

    private static final char[] PASSWORD = "x".toCharArray();
    private static final Path JS = Path.of("js");

    @TempDir
    static Path dir;
    static BundleKeyStore store;

    @BeforeAll
    static void needsNode() {
        assumeTrue(nodeVersion() != null, "node is not on PATH: skipping the browser-module tests");
        store = BundleKeyStore.openOrCreate(dir.resolve("keys.p12"), PASSWORD);
    }

    @Test
    void browserModuleBundleDecryptsInJava() throws Exception {
        byte[] jpeg = TestData.jpeg(320, 240, 7);
        Path image = Files.write(dir.resolve("face.jpg"), jpeg);
        Path out = dir.resolve("from-js.bin");

        String log = node(JS.resolve("test/make-bundle.mjs").toString(),
                "--public-key", BundleKeyStore.publicKeyBase64(store.activePublicKey()),
                "--kid", store.activeKid(), "--nonce", "nonce-from-server-1",
                "--image", image.toString(), "--image", image.toString(),
                "--camera-label", "FaceTime HD Camera", "--width", "320", "--height", "240",
                "--out", out.toString());

        byte[] bundle = Files.readAllBytes(out);
        assertThat(BundleReader.header(bundle)).as(log).isEqualTo(new BundleHeader(1, store.activeKid(), "ECDH-P256-HKDF-SHA256-A256GCM"));
        CaptureBundle read = BundleReader.read(bundle, store.resolver());
        assertThat(read.frames()).hasSize(2);
        for (CaptureFrame f : read.frames()) {
            assertThat(f.image()).isEqualTo(jpeg);
            assertThat(f.contentType()).isEqualTo("image/jpeg");
            assertThat(f.width()).isEqualTo(320);
            assertThat(f.height()).isEqualTo(240);
        }
        CaptureMetadata m = read.metadata();
        assertThat(m.nonce()).isEqualTo("nonce-from-server-1");
        assertThat(m.camera()).isEqualTo(new CameraInfo("FaceTime HD Camera", 320, 240, "user"));
        assertThat(m.clientName()).isEqualTo("openbio-bundle-js");
        assertThat(m.clientVersion()).isNotBlank();
        assertThat(m.device()).containsKey("runtime").containsEntry("arch", System.getProperty("os.arch").replace("amd64", "x64"));
        assertThat(read.frames().get(1).timestampMillis() - read.frames().get(0).timestampMillis()).isEqualTo(100);
        assertThat(m.captureStartMillis()).isEqualTo(read.frames().get(0).timestampMillis());
        assertThat(m.captureEndMillis()).isGreaterThanOrEqualTo(read.frames().get(1).timestampMillis());
    }

    @Test
    void browserModuleBundleForARotatedOutKeyStillDecrypts() throws Exception {
        BundleKeyStore rotating = BundleKeyStore.openOrCreate(dir.resolve("rotating.p12"), PASSWORD);
        String oldKid = rotating.activeKid();
        Path image = Files.write(dir.resolve("a.jpg"), TestData.jpeg(64, 64, 3));
        Path out = dir.resolve("old.bin");
        node(JS.resolve("test/make-bundle.mjs").toString(),
                "--public-key", BundleKeyStore.publicKeyBase64(rotating.activePublicKey()), "--kid", oldKid,
                "--nonce", "n", "--image", image.toString(), "--out", out.toString());
        rotating.rotate();
        assertThat(BundleReader.read(Files.readAllBytes(out), rotating.resolver()).metadata().nonce()).isEqualTo("n");
    }

    @Test
    void browserModuleChallengeCaptureDecryptsInJava() throws Exception {
        List<String> args = new ArrayList<>(List.of(JS.resolve("test/make-bundle.mjs").toString(),
                "--public-key", BundleKeyStore.publicKeyBase64(store.activePublicKey()), "--kid", store.activeKid(),
                "--nonce", "challenge-nonce-1", "--actions", "TURN_LEFT,SMILE", "--out", dir.resolve("challenge.bin").toString()));
        int frames = io.openbio.bundle.format.BundleFormat.MAX_FRAMES + 4;
        for (int i = 0; i < frames; i++) {
            args.add("--image");
            args.add(Files.write(dir.resolve("seq-" + i + ".jpg"), TestData.jpeg(64, 48, i)).toString());
        }
        node(args.toArray(String[]::new));

        CaptureBundle read = BundleReader.read(Files.readAllBytes(dir.resolve("challenge.bin")), store.resolver());
        assertThat(read.frames()).hasSize(frames);
        CaptureChallenge challenge = read.metadata().challenge();
        assertThat(challenge.id()).isEqualTo("challenge-nonce-1").isEqualTo(read.metadata().nonce());
        assertThat(challenge.actions()).containsExactly("TURN_LEFT", "SMILE");
        assertThat(challenge.prompts()).containsExactly(read.frames().get(0).timestampMillis(), read.frames().get(frames / 2).timestampMillis());
        assertThat(read.frames().get(frames - 1).image()).isEqualTo(TestData.jpeg(64, 48, frames - 1));
    }

    @Test
    void browserModuleSelfTestsPass() throws Exception {
        String log = node("--test", JS.resolve("test/openbio-bundle.test.mjs").toString());
        assertThat(log).contains("# fail 0");
    }

    private static String node(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(p.exitValue()).as("node %s failed:%n%s", String.join(" ", args), output).isZero();
        return output;
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? v : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
