package io.openbio.bundle.fuzz;

import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.bundle.crypto.BundleCrypto;
import io.openbio.bundle.crypto.TestVector;
import io.openbio.bundle.format.InnerBody;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed inputs of {@link BundleReaderFuzzTest}, deterministic: sealed to the SPEC test-vector
 * server key with its ephemeral key and IV. Run {@code main} with the module directory to rewrite
 * the {@code seed-*} files under {@code src/test/resources/io/openbio/bundle/fuzz/BundleReaderFuzzTestInputs/}.
 */
final class BundleSeeds {
    private BundleSeeds() {}

    static final byte[] IV = TestVector.IV;

    static KeyPair server() {
        try {
            return TestVector.server();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ephemeral() {
        try {
            return TestVector.ephemeral();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] jpeg(int w, int h, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, w, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    static Map<String, CaptureBundle> contents() throws IOException {
        Map<String, String> device = new LinkedHashMap<>();
        device.put("model", "Pixel 8");
        device.put("os", "Android 15");
        device.put("userAgent", "Mozilla/5.0 (Linux; Android 15; Pixel 8) Chrome/131.0 Mobile Safari/537.36");
        long t = 1_763_000_000_000L;
        Map<String, CaptureBundle> out = new LinkedHashMap<>();
        out.put("test-vector", TestVector.content());
        out.put("two-frames", new CaptureBundle(
                new CaptureMetadata("nonce-two", t, t + 200, device, new CameraInfo("Integrated Camera", 640, 480, "user"),
                        "web-client", "1.2.3"),
                List.of(new CaptureFrame(jpeg(8, 8, 0xE0AC69), "image/jpeg", t + 40, 8, 8),
                        new CaptureFrame(jpeg(8, 8, 0x202020), "image/jpeg", t + 140, 8, 8))));
        out.put("challenge-vector", TestVector.challengeContent());
        out.put("minimal", new CaptureBundle(new CaptureMetadata("n", 1, 2, Map.of(), null, null, null),
                List.of(new CaptureFrame(new byte[] {1, 2, 3}, "image/png", 1, null, null))));
        return out;
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args.length > 0 ? args[0] : ".")
                .resolve("src/test/resources/io/openbio/bundle/fuzz/BundleReaderFuzzTestInputs");
        Path outer = Files.createDirectories(base.resolve("outerBundle"));
        Path inner = Files.createDirectories(base.resolve("innerBody"));
        KeyPair server = server();
        KeyPair eph = ephemeral();
        for (Map.Entry<String, CaptureBundle> e : contents().entrySet()) {
            byte[] body = InnerBody.encode(e.getValue());
            Files.write(inner.resolve("seed-" + e.getKey()), body);
            Files.write(outer.resolve("seed-" + e.getKey()), BundleCrypto.seal(body, server.getPublic(), TestVector.KID, eph, IV));
        }
        System.out.println("seeds written under " + base);
    }
}
