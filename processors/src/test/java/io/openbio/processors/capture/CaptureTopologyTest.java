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
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each capture stage's topology on TopologyTestDriver, with real keys, real photos and the real models. */
class CaptureTopologyTest {
    static final EventSerdes SERDES = EventSerdes.unregistered();
    static KeyPair serverKey;
    static byte[] photo;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        serverKey = generator.generateKeyPair();
        photo = Files.readAllBytes(photoPath("man_a.jpg"));
    }

    static Path photoPath(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(".photos").resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError(".photos/" + name + " missing: the inference module's build fetches it");
    }

    static TopologyTestDriver driver(Topology topology) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "capture-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/capture-test-" + System.nanoTime());
        return new TopologyTestDriver(topology, p);
    }

    static <V extends org.apache.avro.specific.SpecificRecord> TestInputTopic<String, V> in(TopologyTestDriver d, TopicSpec<V> t) {
        return d.createInputTopic(t.name(), t.keySerde().serializer(), t.valueSerde(SERDES).serializer());
    }

    static <V extends org.apache.avro.specific.SpecificRecord> TestOutputTopic<String, V> out(TopologyTestDriver d, TopicSpec<V> t) {
        return d.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde(SERDES).deserializer());
    }

    static byte[] bundle(String nonce, String label) {
        long now = System.currentTimeMillis();
        CaptureMetadata meta = new CaptureMetadata(nonce, now - 1000, now, Map.of("os", "Linux"),
                new CameraInfo(label, null, null, "user"), "test", "1");
        return BundleWriter.write(new CaptureBundle(meta, List.of(new CaptureFrame(photo, "image/jpeg", now - 500, null, null))),
                serverKey.getPublic(), "k1");
    }

    static RequestEnvelope request(String id, String operation, byte[] bundle) {
        return RequestEnvelope.newBuilder().setRequestId(id).setTenant("t1").setOperation(operation)
                .setCreatedAt(Instant.now()).setParts(List.of(new Part("bundle", null, ByteBuffer.wrap(bundle))))
                .setAttributes(Map.of()).build();
    }

    static DecryptProcessor decrypt() {
        return new DecryptProcessor(() -> kid -> kid.equals("k1") ? Optional.of(serverKey.getPrivate()) : Optional.empty());
    }

    @Test
    void decryptKeysCapturesByNonceAndAnswersExtractImageDirectly() {
        try (TopologyTestDriver d = driver(decrypt().topology(SERDES))) {
            var requests = in(d, Topics.CAPTURE_REQUESTS);
            var decrypted = out(d, Topics.CAPTURE_DECRYPTED);
            var results = out(d, Topics.RESULTS);

            requests.pipeInput("r1", request("r1", DecryptProcessor.CHECK_LIVENESS, bundle("n-1", "cam")));
            var capture = decrypted.readKeyValue();
            assertThat(capture.key).isEqualTo("n-1");
            assertThat(capture.value.getEnvelope().getParts()).as("bundle removed after decryption").isEmpty();
            assertThat(capture.value.getCameraLabel()).isEqualTo("cam");
            assertThat(capture.value.getFrames()).hasSize(1);

            requests.pipeInput("r2", request("r2", DecryptProcessor.EXTRACT_IMAGE, bundle("n-2", "cam")));
            ExtractedImage image = (ExtractedImage) results.readValue().getPayload();
            byte[] bytes = new byte[image.getData().remaining()];
            image.getData().get(bytes);
            assertThat(bytes).isEqualTo(photo);
        }
    }

    @Test
    void unreadableBundlesEndWithTheSeedsMessages() {
        try (TopologyTestDriver d = driver(decrypt().topology(SERDES))) {
            var requests = in(d, Topics.CAPTURE_REQUESTS);
            var results = out(d, Topics.RESULTS);
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
        try (TopologyTestDriver d = driver(new NonceProcessor().topology(SERDES))) {
            var issued = in(d, Topics.CAPTURE_NONCES);
            var captures = in(d, Topics.CAPTURE_DECRYPTED);
            var checked = out(d, Topics.CAPTURE_NONCE_CHECKED);
            Instant now = Instant.now();
            issued.pipeInput("good", new NonceIssued("good", "t1", now.minusSeconds(10), now.plusSeconds(300)));
            issued.pipeInput("old", new NonceIssued("old", "t1", now.minusSeconds(900), now.minusSeconds(600)));
            issued.pipeInput("other", new NonceIssued("other", "t2", now.minusSeconds(10), now.plusSeconds(300)));

            captures.pipeInput("good", capture("r1", "t1", "good", now));
            captures.pipeInput("good", capture("r2", "t1", "good", now));
            captures.pipeInput("never", capture("r3", "t1", "never", now));
            captures.pipeInput("old", capture("r4", "t1", "old", now));
            captures.pipeInput("other", capture("r5", "t1", "other", now));
            // A duplicate issue record must not reset a used nonce.
            issued.pipeInput("good", new NonceIssued("good", "t1", now, now.plusSeconds(300)));
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
                .setFrames(List.of(new io.openbio.events.CapturedFrame(ByteBuffer.wrap(photo), "image/jpeg", now - 500, null, null)))
                .setSignals(List.of(new Signal("nonce", true, "fresh", null)))
                .build();
        CaptureAnalysis withFace;
        try (TopologyTestDriver d = driver(new FaceDetectProcessor(Analyzers::shared).topology(SERDES))) {
            in(d, Topics.CAPTURE_NONCE_CHECKED).pipeInput("r1", capture);
            withFace = out(d, Topics.CAPTURE_FACES).readValue();
        }
        assertThat(withFace.getFaces()).hasSize(1);
        assertThat(withFace.getFaces().get(0).getInterEyeDistance()).isGreaterThan(60);
        assertThat(withFace.getFaces().get(0).getLandmarks()).hasSize(136);

        try (TopologyTestDriver d = driver(new LivenessProcessor(Analyzers::shared).topology(SERDES))) {
            in(d, Topics.CAPTURE_FACES).pipeInput("r1", withFace);
            CaptureLivenessResult live = (CaptureLivenessResult) out(d, Topics.RESULTS).readValue().getPayload();
            assertThat(live.getPassiveLiveness()).isBetween(0.0, 1.0);
            assertThat(live.getProbability()).isEqualTo(live.getPassiveLiveness());
            assertThat(live.getSignals()).extracting(Signal::getName)
                    .contains("nonce", "timing", "virtual_camera", "frame_duplication", "resolution", "passive_liveness");

            in(d, Topics.CAPTURE_FACES).pipeInput("r2", CaptureAnalysis.newBuilder(withFace).setCameraLabel("ManyCam Virtual Webcam").build());
            CaptureLivenessResult injected = (CaptureLivenessResult) out(d, Topics.RESULTS).readValue().getPayload();
            assertThat(injected.getProbability()).isZero();
            assertThat(injected.getPassiveLiveness()).isEqualTo(live.getPassiveLiveness());
        }
    }

    @Test
    void aFrameWithoutAFaceEndsWithFaceNotFound() throws Exception {
        long now = System.currentTimeMillis();
        byte[] noFace = Files.readAllBytes(photoPath("sudoku.png"));
        CaptureAnalysis capture = CaptureAnalysis.newBuilder(capture("r1", "t1", "n", Instant.ofEpochMilli(now)))
                .setFrames(List.of(new io.openbio.events.CapturedFrame(ByteBuffer.wrap(noFace), "image/png", now, null, null))).build();
        try (TopologyTestDriver d = driver(new FaceDetectProcessor(Analyzers::shared).topology(SERDES))) {
            in(d, Topics.CAPTURE_NONCE_CHECKED).pipeInput("r1", capture);
            ResultEvent result = out(d, Topics.RESULTS).readValue();
            assertThat(result.getError().getStatus()).isEqualTo(400);
            assertThat(result.getError().getCode()).isEqualTo("FACE_NOT_FOUND");
        }
    }
}
