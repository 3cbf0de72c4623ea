package io.openbio.bundle.cli;

import com.sun.net.httpserver.HttpServer;
import io.openbio.bundle.BundleKeyStore;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI against a local HTTP server that serves the two key endpoints. */
class BundleCliTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private BundleKeyStore keys;
    private final List<String> tenants = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private BundleCli cli;

    @BeforeEach
    void start() throws Exception {
        keys = BundleKeyStore.openOrCreate(dir.resolve("server.p12"), "pw".toCharArray());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bundle/public-key", ex -> {
            byte[] body = ("{\"kid\":\"" + keys.activeKid() + "\",\"alg\":\"ECDH-P256-HKDF-SHA256-A256GCM\",\"curve\":\"P-256\","
                    + "\"publicKey\":\"" + BundleKeyStore.publicKeyBase64(keys.activePublicKey()) + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(ex.getRequestMethod().equals("GET") ? 200 : 405, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/bundle/nonce", ex -> {
            tenants.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Tenant-Id")));
            byte[] body = "{\"nonce\":\"srv-nonce-42\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ex.getRequestMethod().equals("POST") ? 200 : 405, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        cli = new BundleCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void createWritesABundleTheServerKeyOpens() throws Exception {
        byte[] jpeg = image("jpg", 200, 150);
        byte[] png = image("png", 40, 30);
        Path face = Files.write(dir.resolve("face.jpg"), jpeg);
        Path more = Files.write(dir.resolve("more.png"), png);
        Path bundleFile = dir.resolve("out/bundle.bin");

        int status = cli.run("create", "--image", face.toString(), "--image", more.toString(), "--server", url(),
                "--out", bundleFile.toString(), "--camera-label", "Integrated Camera", "--tenant", "acme");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("wrote").contains(keys.activeKid());
        assertThat(tenants).containsExactly("acme");
        CaptureBundle read = BundleReader.read(Files.readAllBytes(bundleFile), keys.resolver());
        assertThat(read.metadata().nonce()).isEqualTo("srv-nonce-42");
        assertThat(read.metadata().clientName()).isEqualTo("openbio-bundle-cli");
        assertThat(read.metadata().clientVersion()).isNotBlank().doesNotStartWith("@");
        assertThat(read.metadata().camera().label()).isEqualTo("Integrated Camera");
        assertThat(read.metadata().camera().width()).as("images of two sizes: no camera size (SPEC.md 6.3)").isNull();
        assertThat(read.metadata().camera().height()).isNull();
        assertThat(read.metadata().device()).containsKeys("os", "osVersion", "arch", "model", "userAgent");
        CaptureFrame f0 = read.frames().get(0);
        CaptureFrame f1 = read.frames().get(1);
        assertThat(f0.image()).isEqualTo(jpeg);
        assertThat(f0.contentType()).isEqualTo("image/jpeg");
        assertThat(f0.width()).isEqualTo(200);
        assertThat(f0.height()).isEqualTo(150);
        assertThat(f1.image()).isEqualTo(png);
        assertThat(f1.contentType()).isEqualTo("image/png");
        assertThat(f1.width()).isEqualTo(40);
        long start = read.metadata().captureStartMillis();
        long end = read.metadata().captureEndMillis();
        assertThat(f0.timestampMillis()).isBetween(start, end);
        assertThat(f1.timestampMillis()).isBetween(f0.timestampMillis(), end);
    }

    @Test
    void createWorksWithoutAServerFromTheKeyAndNonceAnswersSavedAsFiles() throws Exception {
        Path face = Files.write(dir.resolve("face.jpg"), image("jpg", 64, 48));
        // what a Kafka client saved from its iad.public_key and iad.nonce results: the HTTP answers' JSON
        Path keyFile = Files.writeString(dir.resolve("key.json"),
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(keys.publicKeyDocument()));
        Path nonceFile = Files.writeString(dir.resolve("nonce.json"), "{\"nonce\":\"kafka-nonce-7\",\"expiresAt\":\"2030-01-01T00:05:00Z\"}");
        Path bundleFile = dir.resolve("offline.bin");

        int status = cli.run("create", "--image", face.toString(), "--key-file", keyFile.toString(), "--nonce-file", nonceFile.toString(),
                "--out", bundleFile.toString());

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains(keys.activeKid()).contains("nonce expires 2030-01-01T00:05:00Z");
        assertThat(tenants).as("no server asked").isEmpty();
        CaptureBundle read = BundleReader.read(Files.readAllBytes(bundleFile), keys.resolver());
        assertThat(read.metadata().nonce()).isEqualTo("kafka-nonce-7");
        assertThat(read.frames()).hasSize(1);

        // a key file that is not a P-256 bundle key, a nonce file without a nonce, and mixed sources are refused
        Path wrongAlg = Files.writeString(dir.resolve("rsa.json"), "{\"kid\":\"" + keys.activeKid() + "\",\"alg\":\"RSA-OAEP\",\"curve\":\"P-256\",\"publicKey\":\"AAAA\"}");
        assertThat(cli.run("create", "--image", face.toString(), "--key-file", wrongAlg.toString(), "--nonce-file", nonceFile.toString()))
                .isEqualTo(1);
        Path noNonce = Files.writeString(dir.resolve("empty.json"), "{\"expiresAt\":\"2030-01-01T00:05:00Z\"}");
        assertThat(cli.run("create", "--image", face.toString(), "--key-file", keyFile.toString(), "--nonce-file", noNonce.toString()))
                .isEqualTo(1);
        assertThat(cli.run("create", "--image", face.toString(), "--key-file", keyFile.toString(), "--server", url(),
                "--nonce-file", nonceFile.toString())).isEqualTo(2);
        assertThat(cli.run("create", "--image", face.toString(), "--key-file", keyFile.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("needs --nonce-file or --nonce");
    }

    @Test
    void theCameraSizeIsDeclaredWhenEveryImageHasIt() throws Exception {
        Path a = Files.write(dir.resolve("a.jpg"), image("jpg", 64, 48));
        Path b = Files.write(dir.resolve("b.png"), image("png", 64, 48));
        Path bundleFile = dir.resolve("same.bin");
        assertThat(cli.run("create", "--image", a.toString(), "--image", b.toString(), "--server", url(),
                "--out", bundleFile.toString())).as(err.toString()).isZero();
        CaptureBundle read = BundleReader.read(Files.readAllBytes(bundleFile), keys.resolver());
        assertThat(read.metadata().camera().width()).isEqualTo(64);
        assertThat(read.metadata().camera().height()).isEqualTo(48);
    }

    @Test
    void inspectPrintsTheHeaderWithoutAKey() throws Exception {
        Path face = Files.write(dir.resolve("face.jpg"), image("jpg", 32, 32));
        Path bundleFile = dir.resolve("bundle.bin");
        assertThat(cli.run("create", "--image", face.toString(), "--server", url(), "--out", bundleFile.toString())).isZero();
        out.reset();

        assertThat(cli.run("inspect", bundleFile.toString())).isZero();
        assertThat(out.toString()).contains("version: 1").contains("kid:     " + keys.activeKid())
                .contains("alg:     ECDH-P256-HKDF-SHA256-A256GCM");
        assertThat(tenants).containsExactly("null");
    }

    @Test
    void errorsAreReportedWithAStatus() throws Exception {
        Path junk = Files.write(dir.resolve("junk.bin"), new byte[] {1, 2, 3});
        assertThat(cli.run("inspect", junk.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Failed to parse file");
        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.run("create", "--server", url())).isEqualTo(2);
        assertThat(cli.run("create", "--image", junk.toString())).isEqualTo(2);
        assertThat(cli.run("frobnicate")).isEqualTo(2);
        assertThat(cli.run("create", "--image", junk.toString(), "--server", url() + "/nowhere")).isEqualTo(1);
        assertThat(cli.run("create", "--image", dir.resolve("missing.jpg").toString(), "--server", url())).isEqualTo(1);
        assertThat(cli.run("--help")).isZero();
    }

    private static byte[] image(String format, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 7) << 16 | (y * 5) << 8 | (x ^ y));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, format, bytes);
        return bytes.toByteArray();
    }
}
