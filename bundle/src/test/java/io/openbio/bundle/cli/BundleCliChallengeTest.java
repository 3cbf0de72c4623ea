package io.openbio.bundle.cli;

import com.sun.net.httpserver.HttpServer;
import io.openbio.bundle.BundleKeyStore;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureChallenge;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.format.BundleFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bundle create} for challenge captures (SPEC.md 5.2) from a folder of frames, against a
 * local stub of the server's {@code POST /challenge} and key endpoints, and offline.
 */
class BundleCliChallengeTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private BundleKeyStore keys;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile String challengeAnswer =
            "{\"nonce\":\"ch-nonce-7\",\"challengeId\":\"ch-nonce-7\",\"actions\":[\"TURN_LEFT\",\"SMILE\",\"LOOK_UP\"],"
                    + "\"expiresAt\":\"2030-01-01T00:00:00Z\"}";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private BundleCli cli;

    @BeforeEach
    void start() throws Exception {
        keys = BundleKeyStore.openOrCreate(dir.resolve("server.p12"), "pw".toCharArray());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bundle/public-key", ex -> {
            calls.add(ex.getRequestMethod() + " /bundle/public-key");
            answer(ex, 200, "{\"kid\":\"" + keys.activeKid() + "\",\"alg\":\"ECDH-P256-HKDF-SHA256-A256GCM\",\"curve\":\"P-256\","
                    + "\"publicKey\":\"" + BundleKeyStore.publicKeyBase64(keys.activePublicKey()) + "\"}");
        });
        server.createContext("/bundle/nonce", ex -> {
            calls.add(ex.getRequestMethod() + " /bundle/nonce");
            answer(ex, 200, "{\"nonce\":\"plain-nonce\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}");
        });
        server.createContext("/challenge", ex -> {
            calls.add(ex.getRequestMethod() + " /challenge " + ex.getRequestHeaders().getFirst("X-Tenant-Id"));
            answer(ex, ex.getRequestMethod().equals("POST") ? 200 : 405, challengeAnswer);
        });
        server.start();
        cli = new BundleCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String json) throws java.io.IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code n} distinct JPEG frames named frame-000.jpg ..., written in reverse order (so only the name sorts them). */
    private Path framesDir(String name, int n) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (int i = n - 1; i >= 0; i--) {
            Files.write(folder.resolve(String.format("frame-%03d.jpg", i)), jpeg(64, 48, i));
        }
        Files.writeString(folder.resolve(".DS_Store"), "not a frame");
        Files.createDirectories(folder.resolve("sub"));
        return folder;
    }

    @Test
    void aChallengeCaptureFromAFolderTakesNonceAndActionsFromTheServer() throws Exception {
        int n = BundleFormat.MAX_FRAMES + 4;
        Path folder = framesDir("seq", n);
        Path bundleFile = dir.resolve("challenge.bin");
        long before = System.currentTimeMillis();

        int status = cli.run("create", "--frames-dir", folder.toString(), "--fps", "50", "--server", url(),
                "--challenge", "--tenant", "acme", "--camera-label", "Integrated Camera", "--out", bundleFile.toString());

        assertThat(status).as(err.toString()).isZero();
        long after = System.currentTimeMillis();
        assertThat(calls).containsExactly("GET /bundle/public-key", "POST /challenge acme");
        assertThat(out.toString()).contains("20 frame(s)").contains("challenge TURN_LEFT,SMILE,LOOK_UP");
        CaptureBundle read = BundleReader.read(Files.readAllBytes(bundleFile), keys.resolver());
        assertThat(read.metadata().nonce()).isEqualTo("ch-nonce-7");
        CaptureChallenge challenge = read.metadata().challenge();
        assertThat(challenge.id()).isEqualTo("ch-nonce-7");
        assertThat(challenge.actions()).containsExactly("TURN_LEFT", "SMILE", "LOOK_UP");
        List<CaptureFrame> frames = read.frames();
        assertThat(frames).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(frames.get(i).image()).as("frame %d in name order", i).isEqualTo(jpeg(64, 48, i));
            assertThat(frames.get(i).timestampMillis() - frames.get(0).timestampMillis()).isEqualTo(20L * i);
            assertThat(frames.get(i).width()).isEqualTo(64);
        }
        // prompts spread evenly over the sequence: frames 0, 6 and 13 of 20
        assertThat(challenge.prompts()).containsExactly(frames.get(0).timestampMillis(), frames.get(6).timestampMillis(),
                frames.get(13).timestampMillis());
        long start = read.metadata().captureStartMillis();
        assertThat(start).isEqualTo(frames.get(0).timestampMillis()).isBetween(before, after);
        assertThat(read.metadata().captureEndMillis()).isEqualTo(frames.get(n - 1).timestampMillis());
        assertThat(after).as("returns only once the last frame's time has come").isGreaterThanOrEqualTo(read.metadata().captureEndMillis());
        assertThat(read.metadata().camera().width()).isEqualTo(64);
    }

    @Test
    void offlineWithKeyNonceAndActionsGivenCallsNoServer() throws Exception {
        Path folder = framesDir("offline", 12);
        Path keyFile = Files.writeString(dir.resolve("key.b64"), BundleKeyStore.publicKeyBase64(keys.activePublicKey()) + "\n");
        Path bundleFile = dir.resolve("offline.bin");

        int status = cli.run("create", "--frames-dir", folder.toString(), "--fps", "4", "--public-key", "@" + keyFile,
                "--kid", keys.activeKid(), "--nonce", "my-nonce", "--actions", "SMILE,CLOSE_EYES", "--prompt-frames", "1,7",
                "--start", "1700000000000", "--out", bundleFile.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(calls).isEmpty();
        CaptureBundle read = BundleReader.read(Files.readAllBytes(bundleFile), keys.resolver());
        assertThat(read.metadata().challenge()).isEqualTo(new CaptureChallenge("my-nonce", List.of("SMILE", "CLOSE_EYES"),
                List.of(1_700_000_000_250L, 1_700_000_001_750L)));
        assertThat(read.metadata().captureStartMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(read.metadata().captureEndMillis()).isEqualTo(1_700_000_002_750L);
        assertThat(read.frames()).extracting(CaptureFrame::timestampMillis)
                .containsExactly(1_700_000_000_000L, 1_700_000_000_250L, 1_700_000_000_500L, 1_700_000_000_750L,
                        1_700_000_001_000L, 1_700_000_001_250L, 1_700_000_001_500L, 1_700_000_001_750L,
                        1_700_000_002_000L, 1_700_000_002_250L, 1_700_000_002_500L, 1_700_000_002_750L);
        // the public key may also be given inline
        assertThat(cli.run("create", "--frames-dir", folder.toString(), "--public-key", BundleKeyStore.publicKeyBase64(keys.activePublicKey()),
                "--kid", keys.activeKid(), "--nonce", "n2", "--start", "5", "--out", dir.resolve("passive.bin").toString()))
                .as(err.toString()).isZero();
        CaptureBundle passive = BundleReader.read(Files.readAllBytes(dir.resolve("passive.bin")), keys.resolver());
        assertThat(passive.metadata().challenge()).isNull();
        assertThat(passive.frames().get(1).timestampMillis()).as("default 5 fps").isEqualTo(205);
    }

    @Test
    void aServerWhoseChallengeIdIsNotItsNonceIsRefused() throws Exception {
        challengeAnswer = "{\"nonce\":\"a\",\"challengeId\":\"b\",\"actions\":[\"SMILE\"],\"expiresAt\":\"2030-01-01T00:00:00Z\"}";
        Path folder = framesDir("x", 2);
        assertThat(cli.run("create", "--frames-dir", folder.toString(), "--fps", "50", "--server", url(), "--challenge",
                "--out", dir.resolve("x.bin").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("challengeId");
        assertThat(dir.resolve("x.bin")).doesNotExist();
        err.reset();
        challengeAnswer = "{\"nonce\":\"a\",\"actions\":[],\"expiresAt\":\"2030-01-01T00:00:00Z\"}";
        assertThat(cli.run("create", "--frames-dir", folder.toString(), "--fps", "50", "--server", url(), "--challenge",
                "--out", dir.resolve("x.bin").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("actions");
    }

    @Test
    void frameLimitsAndOptionMistakesAreUsageErrors() throws Exception {
        Path seventeen = framesDir("seventeen", BundleFormat.MAX_FRAMES + 1);
        Path tooMany = framesDir("too-many", BundleFormat.MAX_CHALLENGE_FRAMES + 1);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path one = framesDir("one", 1);
        String key = BundleKeyStore.publicKeyBase64(keys.activePublicKey());
        List<List<String>> usage = new ArrayList<>();
        usage.add(List.of("--frames-dir", seventeen.toString(), "--server", url()));
        usage.add(List.of("--frames-dir", tooMany.toString(), "--server", url(), "--challenge"));
        usage.add(List.of("--frames-dir", empty.toString(), "--server", url()));
        usage.add(List.of("--frames-dir", dir.resolve("missing").toString(), "--server", url()));
        usage.add(List.of("--frames-dir", one.toString(), "--image", one.resolve("frame-000.jpg").toString(), "--server", url()));
        usage.add(List.of("--frames-dir", one.toString(), "--challenge", "--public-key", key, "--kid", "k", "--nonce", "n"));
        usage.add(List.of("--frames-dir", one.toString(), "--server", url(), "--challenge", "--actions", "SMILE"));
        usage.add(List.of("--frames-dir", one.toString(), "--server", url(), "--actions", "SMILE"));
        usage.add(List.of("--frames-dir", one.toString(), "--public-key", key, "--kid", "k"));
        usage.add(List.of("--frames-dir", one.toString(), "--public-key", key, "--nonce", "n"));
        usage.add(List.of("--frames-dir", one.toString(), "--server", url(), "--prompt-frames", "0"));
        usage.add(List.of("--frames-dir", one.toString(), "--server", url(), "--fps", "0"));
        usage.add(List.of("--frames-dir", one.toString(), "--server", url(), "--fps", "fast"));
        usage.add(List.of("--frames-dir", one.toString(), "--public-key", key, "--kid", "k", "--nonce", "n",
                "--actions", "SMILE,LOOK_UP", "--prompt-frames", "0"));
        usage.add(List.of("--frames-dir", one.toString(), "--public-key", key, "--kid", "k", "--nonce", "n",
                "--actions", "SMILE", "--prompt-frames", "1"));
        for (List<String> args : usage) {
            List<String> command = new ArrayList<>(List.of("create"));
            command.addAll(args);
            command.addAll(List.of("--out", dir.resolve("never.bin").toString()));
            assertThat(cli.run(command.toArray(String[]::new))).as("%s", args).isEqualTo(2);
        }
        assertThat(calls).as("usage errors are found before any server call").isEmpty();
        // an action name the format refuses is a failure, not a bundle
        assertThat(cli.run("create", "--frames-dir", one.toString(), "--public-key", key, "--kid", "k", "--nonce", "n",
                "--actions", "turn left", "--start", "1", "--out", dir.resolve("never.bin").toString())).isEqualTo(1);
        assertThat(dir.resolve("never.bin")).doesNotExist();
        // 17 frames are fine with a challenge
        assertThat(cli.run("create", "--frames-dir", seventeen.toString(), "--public-key", key, "--kid", "k", "--nonce", "n",
                "--actions", "SMILE", "--start", "1", "--out", dir.resolve("ok.bin").toString())).as(err.toString()).isZero();
    }

    static byte[] jpeg(int w, int h, int seed) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 7 + seed * 31) & 0xFF) << 16 | ((y * 5 + seed * 17) & 0xFF) << 8 | ((x ^ y) + seed) & 0xFF);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", bytes);
        return bytes.toByteArray();
    }
}
