package io.openbio.bundle;

import io.openbio.bundle.crypto.BundleCrypto;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared fixtures: key pairs, a real JPEG, a sample bundle. */
final class TestData {
    private TestData() {}

    static KeyPair keyPair() {
        return BundleCrypto.generateP256();
    }

    static KeyResolver resolver(String kid, PrivateKey key) {
        return k -> kid.equals(k) ? Optional.of(key) : Optional.empty();
    }

    /** A real JPEG of the given size (a face-like drawing, not a blank image). */
    static byte[] jpeg(int width, int height, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color((int) (seed * 2654435761L) & 0xFFFFFF));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(224, 172, 105));
        g.fillOval(width / 4, height / 6, width / 2, height * 2 / 3);
        g.setColor(Color.DARK_GRAY);
        g.fillOval(width * 3 / 8, height / 3, width / 16 + 1, height / 16 + 1);
        g.fillOval(width * 9 / 16, height / 3, width / 16 + 1, height / 16 + 1);
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "jpg", out)) {
                throw new IllegalStateException("no JPEG writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CaptureBundle sample(int frames) {
        Map<String, String> device = new LinkedHashMap<>();
        device.put("model", "Pixel 8");
        device.put("os", "Android 15");
        device.put("browser", "Chrome 131");
        device.put("userAgent", "Mozilla/5.0 (Linux; Android 15; Pixel 8) Chrome/131.0 Mobile Safari/537.36");
        long start = 1_763_000_000_000L;
        List<CaptureFrame> list = new java.util.ArrayList<>();
        for (int i = 0; i < frames; i++) {
            list.add(new CaptureFrame(jpeg(64 + 8 * i, 48 + 8 * i, i), "image/jpeg", start + 40 + 100L * i, 64 + 8 * i, 48 + 8 * i));
        }
        CaptureMetadata metadata = new CaptureMetadata("nonce-" + frames, start, start + 100L * frames, device,
                new CameraInfo("Integrated Camera (04f2:b6dd)", 640, 480, "user"), "test-client", "1.2.3");
        return new CaptureBundle(metadata, list);
    }
}
