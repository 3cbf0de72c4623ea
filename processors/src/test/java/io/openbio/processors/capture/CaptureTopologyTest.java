package io.openbio.processors.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CaptureLivenessResult;
import io.openbio.events.ExtractedImage;
import io.openbio.events.NonceIssued;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.Signal;
import io.openbio.processors.core.Analyzers;
import io.openbio.schemas.Topics;
import io.openbio.testkit.Drivers;
import io.openbio.testkit.Photos;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each capture stage's topology on TopologyTestDriver, with real keys, real photos and the real models. */
class CaptureTopologyTest {
    static KeyPair serverKey;
    static byte[] photo;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        serverKey = generator.generateKeyPair();
        photo = Photos.bytes(Photos.MAN_A);
    }

    static byte[] bundle(String nonce, String label) {
        long now = System.currentTimeMillis();
        CaptureMetadata meta = new CaptureMetadata(nonce, now - 1000, now, Map.of("os", "Linux"),
                new CameraInfo(label, null, null, "user"), "test", "1");
        return BundleWriter.write(new CaptureBundle(meta, List.of(new CaptureFrame(photo, "image/jpeg", now - 500, null, null))),
                serverKey.getPublic(), "k1");
    }

    static RequestEnvelope request(String id, String operation, byte[] bundle) {
        return io.openbio.processors.TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(id).setTenant("t1").setOperation(operation)
                .setCreatedAt(Instant.now()).setParts(List.of(new Part("bundle", null, ByteBuffer.wrap(bundle))))
                .setAttributes(Map.of()).build());
    }

    static DecryptProcessor decrypt() {
        return new DecryptProcessor(() -> kid -> kid.equals("k1") ? Optional.of(serverKey.getPrivate()) : Optional.empty());
    }

    @Test
    void decryptKeysCapturesByNonceAndAnswersExtractImageDirectly() {
        try (Drivers.Driver d = Drivers.start(decrypt().topology(Drivers.SERDES))) {
            var requests = d.input(Topics.CAPTURE_REQUESTS);
            var decrypted = d.output(Topics.CAPTURE_DECRYPTED);
            var results = d.output(Topics.RESULTS);

            requests.pipeInput("r1", request("r1", DecryptProcessor.CHECK_LIVENESS, bundle("n-1", "cam")));
            var capture = decrypted.readKeyValue();
            assertThat(capture.key).isEqualTo("n-1");
            assertThat(capture.value.getEnvelope().getParts()).as("bundle removed after decryption").isEmpty();
            assertThat(capture.value.getCameraLabel()).isEqualTo("cam");
            assertThat(capture.value.getFrames()).hasSize(1);

            requests.pipeInput("r2", request("r2", DecryptProcessor.EXTRACT_IMAGE, bundle("n-2", "cam")));
            var extracted = results.readValue();
            ExtractedImage image = (ExtractedImage) extracted.getPayload();
            assertThat(io.openbio.processors.TestSealing.bytes(image.getData())).as("sealed on the topic").isNotEqualTo(photo);
            assertThat(io.openbio.processors.TestSealing.image(extracted)).isEqualTo(photo);
        }
    }

    /** Both references promise image/jpeg: a PNG capture is re-encoded (was answered as image/png), a JPEG passes unchanged. */
    @Test
    void extractImageAnswersAPngCaptureAsJpeg() throws Exception {
        long now = System.currentTimeMillis();
        byte[] png = Photos.bytes(Photos.ASTRONAUT);
        CaptureMetadata meta = new CaptureMetadata("n-png", now - 1000, now, Map.of("os", "Linux"),
                new CameraInfo("cam", null, null, "user"), "test", "1");
        byte[] bundle = BundleWriter.write(new CaptureBundle(meta, List.of(new CaptureFrame(png, "image/png", now - 500, null, null))),
                serverKey.getPublic(), "k1");
        try (Drivers.Driver d = Drivers.start(decrypt().topology(Drivers.SERDES))) {
            d.input(Topics.CAPTURE_REQUESTS).pipeInput("r1", request("r1", DecryptProcessor.EXTRACT_IMAGE, bundle));
            ResultEvent result = d.output(Topics.RESULTS).readValue();
            ExtractedImage image = (ExtractedImage) result.getPayload();
            byte[] bytes = io.openbio.processors.TestSealing.image(result);
            assertThat(image.getContentType()).isEqualTo("image/jpeg");
            assertThat(io.openbio.inference.image.JpegImages.isJpeg(bytes)).isTrue();
            java.awt.image.BufferedImage decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
            assertThat(decoded.getWidth()).isEqualTo(512);
            assertThat(decoded.getHeight()).isEqualTo(512);
        }
    }

    @Test
    void unreadableBundlesEndWithTheSeedsMessages() {
        try (Drivers.Driver d = Drivers.start(decrypt().topology(Drivers.SERDES))) {
            var requests = d.input(Topics.CAPTURE_REQUESTS);
            var results = d.output(Topics.RESULTS);
            requests.pipeInput("r1", request("r1", DecryptProcessor.CHECK_LIVENESS, "not a bundle".getBytes()));
            byte[] tampered = bundle("n", "cam");
            tampered[tampered.length - 20] ^= 1;
            requests.pipeInput("r2", request("r2", DecryptProcessor.CHECK_LIVENESS, tampered));
            List<ResultEvent> errors = results.readValuesToList();
            assertThat(errors).extracting(r -> r.getError().getMessage())
                    .containsExactly("Failed to parse file", "Failed to decrypt message");
            assertThat(errors).extracting(r -> r.getError().getStatus()).containsOnly(400);
        }
    }

    static CaptureAnalysis capture(String requestId, String tenant, String nonce, Instant received) {
        return CaptureAnalysis.newBuilder()
                .setEnvelope(RequestEnvelope.newBuilder().setRequestId(requestId).setTenant(tenant).setOperation("x")
                        .setCreatedAt(received).setParts(List.of()).setAttributes(Map.of()).build())
                .setReceivedAt(received).setKeyId("k1").setNonce(nonce).setCaptureStart(0).setCaptureEnd(0).build();
    }

    static Signal nonceSignal(CaptureAnalysis checked) {
        return checked.getSignals().stream().filter(s -> s.getName().equals("nonce")).findFirst().orElseThrow();
    }

    @Test
    void nonceStageAcceptsAFreshNonceOnceAndFlagsReplayUnknownExpiredAndForeignNonces() {
        try (Drivers.Driver d = Drivers.start(new NonceProcessor().topology(Drivers.SERDES))) {
            var issued = d.input(Topics.CAPTURE_NONCES);
            var captures = d.input(Topics.CAPTURE_DECRYPTED);
            var checked = d.output(Topics.CAPTURE_NONCE_CHECKED);
            Instant now = Instant.now();
            issued.pipeInput("good", new NonceIssued("good", "t1", now.minusSeconds(10), now.plusSeconds(300), null));
            issued.pipeInput("old", new NonceIssued("old", "t1", now.minusSeconds(900), now.minusSeconds(600), null));
            issued.pipeInput("other", new NonceIssued("other", "t2", now.minusSeconds(10), now.plusSeconds(300), null));

            captures.pipeInput("good", capture("r1", "t1", "good", now));
            captures.pipeInput("good", capture("r2", "t1", "good", now));
            captures.pipeInput("never", capture("r3", "t1", "never", now));
            captures.pipeInput("old", capture("r4", "t1", "old", now));
            captures.pipeInput("other", capture("r5", "t1", "other", now));
            // A duplicate issue record must not reset a used nonce.
            issued.pipeInput("good", new NonceIssued("good", "t1", now, now.plusSeconds(300), null));
            captures.pipeInput("good", capture("r6", "t1", "good", now));

            var out = checked.readKeyValuesToList();
            assertThat(out).extracting(kv -> kv.key).containsExactly("r1", "r2", "r3", "r4", "r5", "r6");
            assertThat(out).extracting(kv -> nonceSignal(kv.value).getPassed()).containsExactly(true, false, false, false, false, false);
            assertThat(nonceSignal(out.get(1).value).getDetail()).contains("already used");
            assertThat(nonceSignal(out.get(2).value).getDetail()).contains("never issued");
            assertThat(nonceSignal(out.get(3).value).getDetail()).contains("expired");
            assertThat(nonceSignal(out.get(4).value).getDetail()).contains("another tenant");
        }
    }

    @Test
    void faceDetectAndLivenessScoreARealPhotoWithTheModels() {
        long now = System.currentTimeMillis();
        CaptureAnalysis capture = CaptureAnalysis.newBuilder(capture("r1", "t1", "n", Instant.ofEpochMilli(now)))
                .setCaptureStart(now - 1000).setCaptureEnd(now - 10).setCameraLabel("Integrated Camera")
                .setFrames(List.of(new io.openbio.events.CapturedFrame(io.openbio.processors.TestSealing.sealImage("t1", "r1", photo), "image/jpeg", now - 500, null, null)))
                .setSignals(List.of(new Signal("nonce", true, "fresh", null)))
                .build();
        CaptureAnalysis withFace;
        try (Drivers.Driver d = Drivers.start(new FaceDetectProcessor(Analyzers::shared).topology(Drivers.SERDES))) {
            d.input(Topics.CAPTURE_NONCE_CHECKED).pipeInput("r1", capture);
            withFace = d.output(Topics.CAPTURE_FACES).readValue();
        }
        assertThat(withFace.getFaces()).hasSize(1);
        assertThat(withFace.getFaces().get(0).getInterEyeDistance()).isGreaterThan(60);
        assertThat(withFace.getFaces().get(0).getLandmarks()).hasSize(136);

        try (Drivers.Driver d = Drivers.start(new LivenessProcessor(Analyzers::shared).topology(Drivers.SERDES))) {
            d.input(Topics.CAPTURE_FACES).pipeInput("r1", withFace);
            CaptureLivenessResult live = (CaptureLivenessResult) d.output(Topics.RESULTS).readValue().getPayload();
            assertThat(live.getPassiveLiveness()).isBetween(0.0, 1.0);
            assertThat(live.getProbability()).isEqualTo(live.getPassiveLiveness());
            assertThat(live.getSignals()).extracting(Signal::getName)
                    .contains("nonce", "timing", "virtual_camera", "frame_duplication", "resolution", "passive_liveness");

            d.input(Topics.CAPTURE_FACES).pipeInput("r2", CaptureAnalysis.newBuilder(withFace).setCameraLabel("ManyCam Virtual Webcam").build());
            CaptureLivenessResult injected = (CaptureLivenessResult) d.output(Topics.RESULTS).readValue().getPayload();
            assertThat(injected.getProbability()).isZero();
            assertThat(injected.getPassiveLiveness()).isEqualTo(live.getPassiveLiveness());
        }
    }

    @Test
    void aFrameWithoutAFaceEndsWithFaceNotFound() throws Exception {
        long now = System.currentTimeMillis();
        byte[] noFace = Photos.bytes(Photos.SUDOKU);
        CaptureAnalysis capture = CaptureAnalysis.newBuilder(capture("r1", "t1", "n", Instant.ofEpochMilli(now)))
                .setFrames(List.of(new io.openbio.events.CapturedFrame(io.openbio.processors.TestSealing.sealImage("t1", "r1", noFace), "image/png", now, null, null))).build();
        try (Drivers.Driver d = Drivers.start(new FaceDetectProcessor(Analyzers::shared).topology(Drivers.SERDES))) {
            d.input(Topics.CAPTURE_NONCE_CHECKED).pipeInput("r1", capture);
            ResultEvent result = d.output(Topics.RESULTS).readValue();
            assertThat(result.getError().getStatus()).isEqualTo(400);
            assertThat(result.getError().getCode()).isEqualTo("FACE_NOT_FOUND");
        }
    }

    /** SPEC.md 7.2 / README: a frame 0 that is no decodable image ends with 400 INVALID_IMAGE, for JPEG junk and a truncated JPEG alike. */
    @Test
    void aFrameThatIsNoImageEndsWithInvalidImage() throws Exception {
        long now = System.currentTimeMillis();
        byte[] truncated = java.util.Arrays.copyOf(photo, 600);
        try (Drivers.Driver d = Drivers.start(new FaceDetectProcessor(Analyzers::shared).topology(Drivers.SERDES))) {
            int i = 0;
            for (byte[] frame : List.of("not an image at all".getBytes(), truncated)) {
                String id = "r" + i++;
                CaptureAnalysis capture = CaptureAnalysis.newBuilder(capture(id, "t1", "n", Instant.ofEpochMilli(now)))
                        .setFrames(List.of(new io.openbio.events.CapturedFrame(io.openbio.processors.TestSealing.sealImage("t1", id, frame),
                                "image/jpeg", now, null, null))).build();
                d.input(Topics.CAPTURE_NONCE_CHECKED).pipeInput(id, capture);
                ResultEvent result = d.output(Topics.RESULTS).readValue();
                assertThat(result.getError().getStatus()).as(id).isEqualTo(400);
                assertThat(result.getError().getCode()).as(id).isEqualTo("INVALID_IMAGE");
                assertThat(result.getError().getMessage()).as(id).isEqualTo("Failed to read the image");
            }
        }
    }
}
