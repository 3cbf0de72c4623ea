package io.openbio.gateway;

import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.testkit.Photos;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Builds capture bundles against a running gateway the way a capture client does (key + nonce from the server). */
final class CaptureClient {
    private final int port;

    CaptureClient(int port) {
        this.port = port;
    }

    /** A test photo's bytes (testkit's {@link Photos} finds the folder and names the fix when it is missing). */
    static byte[] photo(String name) throws Exception {
        return Photos.bytes(name);
    }

    String kid() {
        return Http.get(port, "/bundle/public-key").json().get("kid").asText();
    }

    PublicKey publicKey() throws Exception {
        String b64 = Http.get(port, "/bundle/public-key").json().get("publicKey").asText();
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    String nonce() {
        Http.Answer answer = Http.post(port, "/bundle/nonce", "application/json", new byte[0]);
        if (answer.status() != 200) {
            throw new AssertionError("nonce: " + answer.status() + " " + answer.body());
        }
        return answer.json().get("nonce").asText();
    }

    /** A bundle of one real photo, as a live capture of about a second that ended just now. */
    byte[] bundle(byte[] image, String cameraLabel) throws Exception {
        return bundle(List.of(image), cameraLabel, nonce());
    }

    byte[] bundle(List<byte[]> images, String cameraLabel, String nonce) throws Exception {
        return bundle(images, cameraLabel, nonce, publicKey(), kid());
    }

    byte[] bundle(List<byte[]> images, String cameraLabel, String nonce, PublicKey key, String kid) throws Exception {
        long end = System.currentTimeMillis();
        long start = end - 1000;
        BufferedImage first = ImageIO.read(new ByteArrayInputStream(images.get(0)));
        List<CaptureFrame> frames = new java.util.ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(images.get(i)));
            frames.add(new CaptureFrame(images.get(i), "image/jpeg", start + 500 + i * 100L, decoded.getWidth(), decoded.getHeight()));
        }
        CaptureMetadata metadata = new CaptureMetadata(nonce, start, end,
                Map.of("os", "Linux", "browser", "test", "model", "integration-test"),
                new CameraInfo(cameraLabel, first.getWidth(), first.getHeight(), "user"), "openbio-it", "1");
        return BundleWriter.write(new CaptureBundle(metadata, frames), key, kid);
    }

    /** {@code POST /challenge} with {@code json} (null: no body); the answer must be 200. */
    com.fasterxml.jackson.databind.JsonNode challenge(String json) {
        Http.Answer answer = Http.post(port, "/challenge", "application/json",
                json == null ? new byte[0] : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (answer.status() != 200) {
            throw new AssertionError("challenge: " + answer.status() + " " + answer.body());
        }
        return answer.json();
    }

    /**
     * A challenge capture (bundle/SPEC.md 5.2) of {@code images}, one frame every {@code frameMs} ms ending
     * just now, declaring {@code challengeId} and {@code actions} (each prompt shown at an equal share of
     * the capture); no challenge member when {@code actions} is null.
     */
    byte[] challengeBundle(List<byte[]> images, String nonce, String challengeId, List<String> actions, long frameMs) throws Exception {
        long end = System.currentTimeMillis();
        long start = end - images.size() * frameMs - 100;
        BufferedImage first = ImageIO.read(new ByteArrayInputStream(images.get(0)));
        List<CaptureFrame> frames = new java.util.ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(images.get(i)));
            frames.add(new CaptureFrame(images.get(i), "image/jpeg", start + 50 + i * frameMs, decoded.getWidth(), decoded.getHeight()));
        }
        io.openbio.bundle.CaptureChallenge challenge = null;
        if (actions != null) {
            List<Long> prompts = new java.util.ArrayList<>();
            for (int i = 0; i < actions.size(); i++) {
                prompts.add(start + (end - start) * i / actions.size());
            }
            challenge = new io.openbio.bundle.CaptureChallenge(challengeId, actions, prompts);
        }
        CaptureMetadata metadata = new CaptureMetadata(nonce, start, end,
                Map.of("os", "Linux", "browser", "test", "model", "integration-test"),
                new CameraInfo("Integrated Camera", first.getWidth(), first.getHeight(), "user"), "openbio-it", "1", challenge);
        return BundleWriter.write(new CaptureBundle(metadata, frames), publicKey(), kid());
    }

    /**
     * A bundle of one frame of any bytes declared as {@code contentType}: what a capture client that
     * is not ours can seal (e.g. HTML declared {@code text/html}).
     */
    byte[] bundleOf(byte[] frame, String contentType, int width, int height) throws Exception {
        long end = System.currentTimeMillis();
        long start = end - 1000;
        CaptureMetadata metadata = new CaptureMetadata(nonce(), start, end,
                Map.of("os", "Linux", "browser", "test", "model", "integration-test"),
                new CameraInfo("Integrated Camera", width, height, "user"), "openbio-it", "1");
        return BundleWriter.write(new CaptureBundle(metadata, List.of(new CaptureFrame(frame, contentType, start + 500, width, height))),
                publicKey(), kid());
    }
}
