package io.openbio.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.openbio.bundle.format.BundleFormat;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md 8, "What a challenge capture needs": 64 frames of real photographs at 640x480, JPEG
 * quality 0.85 as the browser module's captureSequence encodes them, make a bundle within the
 * gateway's 10 MiB request limit, even for the photograph that encodes largest. Uses the
 * repository's test photos ({@code ../.photos}); skipped without them.
 */
class ChallengeCaptureSizeTest {
    /** The gateway's request body limit ({@code io.openbio.schemas.PayloadLimits.MAX_PAYLOAD_BYTES}; bundle does not depend on schemas). */
    static final int GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    private static final Path PHOTOS = Path.of("..", ".photos");

    static byte[] jpeg640x480(BufferedImage src, float quality) throws IOException {
        int sw = src.getWidth();
        int sh = src.getHeight();
        int cw = sw;
        int ch = sw * 3 / 4;
        if (ch > sh) {
            ch = sh;
            cw = sh * 4 / 3;
        }
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, 640, 480, (sw - cw) / 2, (sh - ch) / 2, (sw + cw) / 2, (sh + ch) / 2, null);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream io = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(io);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    @Test
    void sixtyFour640x480FramesFitTheGatewayLimit() throws Exception {
        assumeTrue(Files.isDirectory(PHOTOS), "no ../.photos: skipping the capture-size measurement");
        byte[] largest = null;
        try (Stream<Path> files = Files.list(PHOTOS)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                BufferedImage src = ImageIO.read(p.toFile());
                if (src != null) {
                    byte[] frame = jpeg640x480(src, 0.85f);
                    if (largest == null || frame.length > largest.length) {
                        largest = frame;
                    }
                }
            }
        }
        assumeTrue(largest != null, "no readable photo in ../.photos");
        List<CaptureFrame> frames = new ArrayList<>();
        long start = 1_700_000_000_000L;
        for (int i = 0; i < BundleFormat.MAX_CHALLENGE_FRAMES; i++) {
            frames.add(new CaptureFrame(largest, "image/jpeg", start + 200L * i, 640, 480));
        }
        String nonce = "x".repeat(43);
        CaptureMetadata meta = new CaptureMetadata(nonce, start, start + 200L * 63, Map.of("userAgent", "u".repeat(200)),
                new CameraInfo("Integrated Camera", 640, 480, "user"), "openbio-bundle-js", "0.1.0",
                new CaptureChallenge(nonce, List.of("TURN_LEFT", "SMILE", "LOOK_UP", "CLOSE_EYES"), List.of(start, start + 3000, start + 6000, start + 9000)));
        KeyPair key = TestData.keyPair();
        byte[] bundle = BundleWriter.write(new CaptureBundle(meta, frames), key.getPublic(), "obk1-5d41402abc4b");
        assertThat(largest.length).as("largest 640x480 q0.85 frame").isLessThan(GATEWAY_MAX_PAYLOAD_BYTES / BundleFormat.MAX_CHALLENGE_FRAMES);
        assertThat(bundle.length).as("64 frames of the largest photograph").isLessThanOrEqualTo(GATEWAY_MAX_PAYLOAD_BYTES);
        System.out.printf("largest 640x480 q0.85 frame %d bytes; 64-frame challenge bundle %d bytes (limit %d)%n",
                largest.length, bundle.length, GATEWAY_MAX_PAYLOAD_BYTES);
    }
}
