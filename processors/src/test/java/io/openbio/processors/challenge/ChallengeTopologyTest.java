package io.openbio.processors.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.AuditEvent;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.ChallengeOutcome;
import io.openbio.events.ChallengeSpec;
import io.openbio.events.NonceIssued;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.Signal;
import io.openbio.inference.challenge.ActionEvidence;
import io.openbio.inference.challenge.ChallengeAction;
import io.openbio.inference.challenge.ChallengeDecision;
import io.openbio.inference.challenge.ChallengeGenerator;
import io.openbio.inference.challenge.ChallengeVerdict;
import io.openbio.processors.TestSealing;
import io.openbio.processors.capture.NonceProcessor;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ChallengeContract;
import io.openbio.schemas.json.ResultJson;
import io.openbio.testkit.Drivers;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The challenge stages on TopologyTestDriver: the nonce stage hands challenge captures to the
 * challenge-verify stage with their nonce's challenge, and that stage decides from the analysis (a fake
 * here, so each decision rule is exercised exactly; the wired test runs the real models), the nonce
 * and the injection signals.
 */
class ChallengeTopologyTest {
    static final Set<ChallengeAction> ALLOWED = EnumSet.of(ChallengeAction.TURN_LEFT, ChallengeAction.TURN_RIGHT,
            ChallengeAction.SMILE, ChallengeAction.CLOSE_EYES);
    static final byte[] SEED = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @org.junit.jupiter.api.BeforeAll
    static void trustEvents() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
    }

    static ChallengeSpec spec() {
        List<String> actions = ChallengeGenerator.derive(SEED, 3, ALLOWED).stream().map(Enum::name).toList();
        return new ChallengeSpec(ByteBuffer.wrap(SEED), 3, ALLOWED.stream().map(Enum::name).toList(), actions, null);
    }

    static CaptureAnalysis decrypted(String requestId, String tenant, String operation, String nonce, Instant received) {
        return CaptureAnalysis.newBuilder()
                .setEnvelope(RequestEnvelope.newBuilder().setRequestId(requestId).setTenant(tenant).setOperation(operation)
                        .setCreatedAt(received).setParts(List.of()).setAttributes(Map.of()).build())
                .setReceivedAt(received).setKeyId("k1").setNonce(nonce).setCaptureStart(0).setCaptureEnd(0).build();
    }

    @Test
    void theNonceStageSendsChallengeCapturesWithTheirChallengeToVerificationAndIadCapturesToFaceDetection() {
        Instant now = Drivers.START.plusSeconds(60);
        try (Drivers.Driver d = Drivers.start(new NonceProcessor().topology(Drivers.SERDES))) {
            var issued = d.input(Topics.CAPTURE_NONCES);
            var captures = d.input(Topics.CAPTURE_DECRYPTED);
            var challenges = d.output(Topics.CHALLENGE_CAPTURES);
            var checked = d.output(Topics.CAPTURE_NONCE_CHECKED);
            ChallengeSpec spec = spec();
            issued.pipeInput("c1", new NonceIssued("c1", "t1", now.minusSeconds(5), now.plusSeconds(120), spec));
            issued.pipeInput("c2", new NonceIssued("c2", "t1", now.minusSeconds(5), now.plusSeconds(120), spec));
            issued.pipeInput("p1", new NonceIssued("p1", "t1", now.minusSeconds(5), now.plusSeconds(300), null));

            captures.pipeInput("c1", decrypted("r1", "t1", ChallengeContract.VERIFY_OPERATION, "c1", now));
            captures.pipeInput("p1", decrypted("r2", "t1", ChallengeContract.VERIFY_OPERATION, "p1", now));
            captures.pipeInput("c2", decrypted("r3", "t1", CaptureContract.CHECK_CAPTURE_LIVENESS, "c2", now));
            captures.pipeInput("c1", decrypted("r4", "t1", ChallengeContract.VERIFY_OPERATION, "c1", now.plusSeconds(1)));

            var verify = Drivers.readAll(challenges);
            assertThat(verify).extracting(kv -> kv.key).containsExactly("r1", "r2", "r4");
            CaptureAnalysis first = verify.get(0).value;
            assertThat(first.getChallenge().getActions()).isEqualTo(spec.getActions());
            assertThat(first.getNonceExpiresAt()).isEqualTo(now.plusSeconds(120).toEpochMilli());
            assertThat(signal(first, "nonce").getPassed()).isTrue();
            assertThat(verify.get(1).value.getChallenge()).as("a plain capture nonce carries no challenge").isNull();
            assertThat(signal(verify.get(1).value, "nonce").getPassed()).isTrue();
            assertThat(signal(verify.get(2).value, "nonce").getPassed()).as("single use").isFalse();
            assertThat(signal(verify.get(2).value, "nonce").getDetail()).contains("already used");

            // a challenge nonce used on /check_capture_liveness: face detection as any nonce, its use spent, no challenge attached
            var iad = Drivers.readAll(checked);
            assertThat(iad).extracting(kv -> kv.key).containsExactly("r3");
            assertThat(iad.get(0).value.getChallenge()).isNull();
            assertThat(signal(iad.get(0).value, "nonce").getPassed()).isTrue();
            captures.pipeInput("c2", decrypted("r5", "t1", ChallengeContract.VERIFY_OPERATION, "c2", now.plusSeconds(2)));
            assertThat(signal(challenges.readValue(), "nonce").getDetail()).contains("already used");
        }
    }

    /** A challenge bundle of 20 frames (more than a passive capture may carry) comes through decrypt with its declared challenge. */
    @Test
    void theDecryptStageReadsChallengeRequestsAndKeepsTheDeclaredChallenge() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair key = generator.generateKeyPair();
        long now = System.currentTimeMillis();
        List<io.openbio.bundle.CaptureFrame> frames = new ArrayList<>();
        for (byte[] image : distinctFrames(20)) {
            frames.add(new io.openbio.bundle.CaptureFrame(image, "image/jpeg", now - 4000 + frames.size() * 150L, 64, 48));
        }
        List<String> actions = spec().getActions();
        io.openbio.bundle.CaptureMetadata meta = new io.openbio.bundle.CaptureMetadata("c-1", now - 4000, now, Map.of("os", "Linux"),
                new io.openbio.bundle.CameraInfo("cam", 64, 48, "user"), "test", "1",
                new io.openbio.bundle.CaptureChallenge("c-1", actions, List.of(now - 3900, now - 2600, now - 1300)));
        byte[] bundle = io.openbio.bundle.BundleWriter.write(new io.openbio.bundle.CaptureBundle(meta, frames), key.getPublic(), "k1");
        RequestEnvelope request = TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId("r1").setTenant("t1")
                .setOperation(ChallengeContract.VERIFY_OPERATION).setCreatedAt(Instant.now())
                .setParts(List.of(new io.openbio.events.Part("bundle", null, ByteBuffer.wrap(bundle)))).setAttributes(Map.of()).build());
        var decrypt = new io.openbio.processors.capture.DecryptProcessor(() -> kid -> java.util.Optional.of(key.getPrivate()));
        try (Drivers.Driver d = Drivers.start(decrypt.topology(Drivers.SERDES))) {
            d.input(Topics.CHALLENGE_REQUESTS).pipeInput("r1", request);
            var out = d.output(Topics.CAPTURE_DECRYPTED).readKeyValue();
            assertThat(out.key).as("keyed by nonce for the nonce stage").isEqualTo("c-1");
            assertThat(out.value.getClaimedChallengeId()).isEqualTo("c-1");
            assertThat(out.value.getClaimedActions()).isEqualTo(actions);
            assertThat(out.value.getFrames()).hasSize(20);
            assertThat(out.value.getEnvelope().getOperation()).isEqualTo(ChallengeContract.VERIFY_OPERATION);
        }
    }

    static Signal signal(CaptureAnalysis capture, String name) {
        return capture.getSignals().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    // ---- the challenge-verify stage -----------------------------------------------------------------

    static byte[] jpeg(int shade) throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(shade, 255 - shade, 128));
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** A nonce-checked challenge capture of {@code images}, captured over the last 3 s, its nonce fresh. */
    static CaptureAnalysis capture(String requestId, List<byte[]> images) {
        long now = System.currentTimeMillis();
        List<CapturedFrame> frames = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            frames.add(new CapturedFrame(TestSealing.sealImage("t1", requestId, images.get(i)), "image/jpeg", now - 2500 + i * 100L, null, null));
        }
        return CaptureAnalysis.newBuilder(decrypted(requestId, "t1", ChallengeContract.VERIFY_OPERATION, "nonce-" + requestId, Instant.ofEpochMilli(now)))
                .setCaptureStart(now - 3000).setCaptureEnd(now - 100).setCameraLabel("Integrated Camera")
                .setNonceIssuedAt(now - 10_000).setNonceExpiresAt(now + 110_000)
                .setChallenge(spec())
                .setClaimedChallengeId("nonce-" + requestId).setClaimedActions(spec().getActions())
                .setFrames(frames)
                .setSignals(List.of(new Signal("nonce", true, "fresh nonce, first use", null)))
                .build();
    }

    static List<byte[]> distinctFrames(int n) throws Exception {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(jpeg((20 + i * 11) % 256));
        }
        return images;
    }

    /** A verdict as the verifier gives it: each requested action found (or not) with its evidence. */
    static ChallengeVerdict verdict(ChallengeDecision decision, String reason, boolean found) {
        List<ActionEvidence> evidence = new ArrayList<>();
        int frame = 0;
        for (String action : spec().getActions()) {
            evidence.add(new ActionEvidence(ChallengeAction.valueOf(action), found, found ? frame : -1, found ? frame + 1 : -1,
                    "yaw", found ? 24.5 : Double.NaN, 15.0, found ? "" : "no segment reached the threshold"));
            frame += 2;
        }
        return new ChallengeVerdict(decision, reason, evidence, found ? 6 : -1);
    }

    record Run(ResultEvent result, JsonNode body, AuditEvent audit, int analysed,
               List<org.apache.kafka.streams.KeyValue<String, ChallengeOutcome>> outcomes) {
    }

    static Run run(CaptureAnalysis capture, ChallengeAnalysis.Result canned) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> frameCounts = new ArrayList<>();
        ChallengeAnalysis fake = (challenge, frames) -> {
            calls.incrementAndGet();
            frameCounts.add(frames.size());
            assertThat(challenge.actions()).extracting(Enum::name).isEqualTo(capture.getChallenge().getActions());
            assertThat(challenge.id()).isEqualTo(capture.getNonce());
            return canned;
        };
        try (Drivers.Driver d = Drivers.start(new ChallengeVerifyProcessor(fake).topology(Drivers.SERDES))) {
            String id = capture.getEnvelope().getRequestId();
            d.input(Topics.CHALLENGE_CAPTURES).pipeInput(id, capture);
            ResultEvent result = d.output(Topics.RESULTS).readValue();
            AuditEvent audit = d.output(Topics.AUDIT).readValue();
            JsonNode body = result.getError() == null ? ResultJson.MAPPER.readTree(TestSealing.json(result)) : null;
            if (calls.get() > 0) {
                assertThat(frameCounts).containsExactly(capture.getFrames().size());
            }
            return new Run(result, body, audit, calls.get(), Drivers.readAll(d.output(Topics.CHALLENGE_OUTCOMES)));
        }
    }

    @Test
    void theChallengesSecurityLevelChoosesTheVerificationPolicy() throws Exception {
        for (String level : new String[] {null, "HIGH", "MEDIUM", "LOW"}) {
            List<io.openbio.inference.challenge.ChallengePolicy> policies = new ArrayList<>();
            ChallengeAnalysis.Result canned = new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.93, Map.of());
            ChallengeAnalysis fake = new ChallengeAnalysis() {
                @Override
                public Result analyze(io.openbio.inference.challenge.Challenge challenge, List<io.openbio.inference.challenge.TimedFrame> frames) {
                    throw new AssertionError("the stage passes the policy");
                }

                @Override
                public Result analyze(io.openbio.inference.challenge.Challenge challenge, List<io.openbio.inference.challenge.TimedFrame> frames,
                                      io.openbio.inference.challenge.ChallengePolicy policy) {
                    policies.add(policy);
                    return canned;
                }
            };
            CaptureAnalysis capture = CaptureAnalysis.newBuilder(capture("lvl-" + level, distinctFrames(8)))
                    .setChallenge(ChallengeSpec.newBuilder(spec()).setSecurityLevel(level).build()).build();
            try (Drivers.Driver d = Drivers.start(new ChallengeVerifyProcessor(fake).topology(Drivers.SERDES))) {
                d.input(Topics.CHALLENGE_CAPTURES).pipeInput(capture.getEnvelope().getRequestId(), capture);
                assertThat(d.output(Topics.RESULTS).readValue().getError()).isNull();
            }
            assertThat(policies).as("level %s", level).containsExactly(io.openbio.inference.challenge.ChallengePolicy.forSecurityLevel(level));
        }
        assertThat(io.openbio.inference.challenge.ChallengePolicy.forSecurityLevel("LOW").turnYawDeg())
                .isLessThan(io.openbio.inference.challenge.ChallengePolicy.forSecurityLevel("HIGH").turnYawDeg());
    }

    @Test
    void everyActionFoundWithALivePassiveScoreAndCleanSignalsPasses() throws Exception {
        CaptureAnalysis capture = capture("r1", distinctFrames(8));
        Run run = run(capture, new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.93,
                Map.of("model-a", 0.91, "model-b", 0.95)));
        JsonNode body = run.body();
        assertThat(body.get("decision").asText()).isEqualTo("PASS");
        assertThat(body.get("reason").asText()).isEqualTo("ALL_ACTIONS_FOUND");
        assertThat(body.get("requestId").asText()).isEqualTo("r1");
        assertThat(body.get("challengeId").asText()).isEqualTo("nonce-r1");
        assertThat(body.get("frames").asInt()).isEqualTo(8);
        assertThat(body.get("bestFrame").asInt()).isEqualTo(6);
        assertThat(body.get("passiveScore").asDouble()).isEqualTo(0.93);
        assertThat(body.get("actions")).hasSize(3);
        JsonNode first = body.get("actions").get(0);
        assertThat(first.get("action").asText()).isEqualTo(spec().getActions().get(0));
        assertThat(first.get("found").asBoolean()).isTrue();
        assertThat(first.get("startFrame").asInt()).isZero();
        assertThat(first.get("endFrame").asInt()).isEqualTo(1);
        assertThat(first.get("measure").asText()).isEqualTo("yaw");
        assertThat(first.get("peak").asDouble()).isEqualTo(24.5);
        assertThat(first.get("threshold").asDouble()).isEqualTo(15.0);
        for (String name : List.of("nonce", "timing", "virtual_camera", "frame_duplication", "resolution", "exif")) {
            assertThat(body.at("/signals/" + name + "/passed").asBoolean()).as(name).isTrue();
        }

        AuditEvent audit = run.audit();
        assertThat(audit.getOutcome()).isEqualTo("OK");
        assertThat(audit.getStages()).containsExactly("challenge-verify");
        assertThat(audit.getSummary()).containsEntry("decision", "PASS").containsEntry("frames", "8")
                .containsEntry("bestFrame", "6").containsEntry("passiveScore", "0.9300")
                .containsEntry("requestedActions", String.join(",", spec().getActions()));
        assertThat(audit.getSignals()).extracting(Signal::getName)
                .contains("nonce", "frame_duplication", "model:model-a", "action:1:" + spec().getActions().get(0),
                        "action:3:" + spec().getActions().get(2));
        Signal action = audit.getSignals().stream().filter(s -> s.getName().startsWith("action:1:")).findFirst().orElseThrow();
        assertThat(action.getDetail()).isEqualTo("frames 0-1, yaw peak 24.5000 threshold 15.0000");
        assertThat(action.getValue()).isEqualTo(24.5);
        // evidence, never image bytes: the audit record is small and names no frame content
        assertThat(audit.toString().length()).isLessThan(4000);
        assertThat(audit.toString()).doesNotContain("\"data\"");
    }

    @Test
    void aPassWithALowPassiveScoreIsSpoofAndWithoutOneFailed() throws Exception {
        Run low = run(capture("r2", distinctFrames(4)),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.31, Map.of("m", 0.31)));
        assertThat(low.body().get("decision").asText()).isEqualTo("SPOOF");
        assertThat(low.body().get("reason").asText()).isEqualTo("PASSIVE_LIVENESS_LOW");
        assertThat(low.body().get("passiveScore").asDouble()).isEqualTo(0.31);

        Run none = run(capture("r3", distinctFrames(4)),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), null, null));
        assertThat(none.body().get("decision").asText()).isEqualTo("FAILED");
        assertThat(none.body().get("reason").asText()).isEqualTo("NO_PASSIVE_SCORE");
        assertThat(none.body().get("passiveScore").isNull()).isTrue();
    }

    @Test
    void aPassWithAFailedInjectionSignalIsSpoof() throws Exception {
        byte[] still = jpeg(90);
        Run replayed = run(capture("r4", List.of(still, still, still, still)),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.97, Map.of()));
        assertThat(replayed.body().get("decision").asText()).isEqualTo("SPOOF");
        assertThat(replayed.body().get("reason").asText()).isEqualTo("INJECTION_SIGNAL");
        assertThat(replayed.body().at("/signals/frame_duplication/passed").asBoolean()).isFalse();

        Run virtual = run(CaptureAnalysis.newBuilder(capture("r5", distinctFrames(4))).setCameraLabel("OBS Virtual Camera").build(),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.97, Map.of()));
        assertThat(virtual.body().get("decision").asText()).isEqualTo("SPOOF");
        assertThat(virtual.body().at("/signals/virtual_camera/passed").asBoolean()).isFalse();
    }

    @Test
    void theVerifiersFailedSpoofAndErrorVerdictsStandWithTheirEvidence() throws Exception {
        Run failed = run(capture("r6", distinctFrames(4)),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.FAILED, "ACTION_NOT_FOUND", false), null, null));
        assertThat(failed.body().get("decision").asText()).isEqualTo("FAILED");
        assertThat(failed.body().get("reason").asText()).isEqualTo("ACTION_NOT_FOUND");
        assertThat(failed.body().at("/actions/0/found").asBoolean()).isFalse();
        assertThat(failed.body().at("/actions/0/peak").isNull()).as("NaN is no JSON number").isTrue();
        assertThat(failed.body().at("/actions/0/startFrame").asInt()).isEqualTo(-1);
        assertThat(failed.body().get("bestFrame").asInt()).isEqualTo(-1);

        Run still = run(capture("r7", distinctFrames(4)),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.SPOOF, "STATIC_FACE", false), 0.8, Map.of()));
        assertThat(still.body().get("decision").asText()).isEqualTo("SPOOF");
        assertThat(still.body().get("reason").asText()).isEqualTo("STATIC_FACE");
    }

    @Test
    void aBundleDeclaringAnotherChallengeIsSpoofWithoutAnalysis() throws Exception {
        Run other = run(CaptureAnalysis.newBuilder(capture("r8", distinctFrames(4))).setClaimedChallengeId("an-earlier-challenge").build(),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.97, Map.of()));
        assertThat(other.body().get("decision").asText()).isEqualTo("SPOOF");
        assertThat(other.body().get("reason").asText()).isEqualTo("CHALLENGE_MISMATCH");
        assertThat(other.analysed()).isZero();

        List<String> reordered = new ArrayList<>(spec().getActions());
        java.util.Collections.rotate(reordered, 1);
        assertThat(reordered).isNotEqualTo(spec().getActions());
        Run order = run(CaptureAnalysis.newBuilder(capture("r9", distinctFrames(4))).setClaimedActions(reordered).build(),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.97, Map.of()));
        assertThat(order.body().get("reason").asText()).isEqualTo("CHALLENGE_MISMATCH");

        // SPEC 5.2: a challenge capture whose bundle declares no challenge is a failed challenge, never a passive capture
        Run undeclared = run(CaptureAnalysis.newBuilder(capture("r10", distinctFrames(4))).setClaimedChallengeId(null)
                        .setClaimedActions(null).build(),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.97, Map.of()));
        assertThat(undeclared.body().get("decision").asText()).isEqualTo("FAILED");
        assertThat(undeclared.body().get("reason").asText()).isEqualTo("CHALLENGE_NOT_DECLARED");
        assertThat(undeclared.analysed()).isZero();
    }

    @Test
    void aRefusedNonceIsA400AnExpiredOneATimeoutAndANonceWithoutChallengeA400() throws Exception {
        ChallengeAnalysis.Result never = new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.9, Map.of());
        Run replay = run(CaptureAnalysis.newBuilder(capture("r11", distinctFrames(2)))
                .setSignals(List.of(new Signal("nonce", false, "nonce already used by an earlier bundle (replay)", null))).build(), never);
        assertThat(replay.result().getError().getStatus()).isEqualTo(400);
        assertThat(replay.result().getError().getCode()).isEqualTo("NONCE_REJECTED");
        assertThat(replay.result().getError().getMessage()).isEqualTo("Capture nonce refused: nonce already used by an earlier bundle (replay)");
        assertThat(replay.audit().getHttpStatus()).isEqualTo(400);
        assertThat(replay.analysed()).isZero();

        CaptureAnalysis late = capture("r12", distinctFrames(2));
        late = CaptureAnalysis.newBuilder(late).setNonceExpiresAt(late.getReceivedAt().toEpochMilli() - 1)
                .setSignals(List.of(new Signal("nonce", false, "nonce expired before the bundle arrived", null))).build();
        Run expired = run(late, never);
        assertThat(expired.body().get("decision").asText()).isEqualTo("TIMEOUT");
        assertThat(expired.body().get("reason").asText()).isEqualTo("NONCE_EXPIRED");
        assertThat(expired.body().get("requestedActions")).hasSize(3);
        assertThat(expired.analysed()).isZero();

        Run plain = run(CaptureAnalysis.newBuilder(capture("r13", distinctFrames(2))).setChallenge(null).build(), never);
        assertThat(plain.result().getError().getStatus()).isEqualTo(400);
        assertThat(plain.result().getError().getCode()).isEqualTo("NO_CHALLENGE");
        assertThat(plain.result().getError().getMessage()).contains("POST /challenge");
    }

    /** The stage as deployed (the real models): a still photo "filmed" for 3 s performs nothing. */
    @Test
    void withTheRealModelsAStillPhotoNeverPassesAndNoActionIsFound() throws Exception {
        byte[] photo = io.openbio.testkit.Photos.bytes(io.openbio.testkit.Photos.MAN_A);
        java.awt.image.BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(photo));
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            frames.add(io.openbio.testkit.Jpegs.encode(image, 0.80f + i * 0.01f));
        }
        CaptureAnalysis capture = capture("r20", frames);
        try (Drivers.Driver d = Drivers.start(new ChallengeVerifyProcessor().topology(Drivers.SERDES))) {
            d.input(Topics.CHALLENGE_CAPTURES).pipeInput("r20", capture);
            JsonNode body = ResultJson.MAPPER.readTree(TestSealing.json(d.output(Topics.RESULTS).readValue()));
            // issue 16: a still photo replayed as video ends SPOOF or FAILED, never PASS
            assertThat(body.get("decision").asText()).as(body.toString()).isIn("SPOOF", "FAILED");
            assertThat(body.get("actions")).hasSize(3);
            body.get("actions").forEach(a -> assertThat(a.get("found").asBoolean()).as(a.toString()).isFalse());
            assertThat(body.at("/signals/frame_duplication/passed").asBoolean()).as("each frame encoded differently").isTrue();
            assertThat(body.get("frames").asInt()).isEqualTo(12);
            assertThat(body.get("passiveScore").isNull()).as("scored only on a best frame").isEqualTo(body.get("bestFrame").asInt() < 0);
        }
    }

    @Test
    void aChallengeThatDoesNotRederiveFromItsSeedIsAnError() throws Exception {
        ChallengeSpec spec = spec();
        List<String> forged = new ArrayList<>(spec.getActions());
        forged.set(0, forged.get(0).equals("SMILE") ? "TURN_LEFT" : "SMILE");
        ChallengeSpec tampered = ChallengeSpec.newBuilder(spec).setActions(forged).build();
        Run run = run(CaptureAnalysis.newBuilder(capture("r14", distinctFrames(2))).setChallenge(tampered).build(),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.9, Map.of()));
        assertThat(run.body().get("decision").asText()).isEqualTo("ERROR");
        assertThat(run.body().get("reason").asText()).isEqualTo("CHALLENGE_NOT_REDERIVED");
    }

    // ---- the outcome record (openbio.challenge.outcomes) ----------------------------------------------

    static byte[] openImage(ChallengeOutcome o) {
        return io.openbio.schemas.crypto.PayloadKeys.shared().open(o.getTenant(), io.openbio.schemas.crypto.Purpose.IMAGE, o.getNonce(),
                TestSealing.bytes(o.getBestFrame()));
    }

    static float[] openEmbedding(ChallengeOutcome o) {
        return io.openbio.schemas.crypto.PayloadKeys.shared().openVector(o.getTenant(), o.getNonce(), TestSealing.bytes(o.getBestEmbedding()));
    }

    @Test
    void aPassRecordsItsOutcomeUnderTheNonceWithTheBestFrameAndEmbeddingSealed() throws Exception {
        List<byte[]> images = distinctFrames(8);
        float[] vector = {0.25f, -0.5f, 0.125f};
        Run run = run(capture("r30", images), new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.93,
                Map.of("m", 0.93), vector, "fr_feature:1"));
        assertThat(run.body().get("decision").asText()).isEqualTo("PASS");
        assertThat(run.outcomes()).hasSize(1);
        assertThat(run.outcomes().get(0).key).as("keyed by the nonce").isEqualTo("nonce-r30");
        ChallengeOutcome o = run.outcomes().get(0).value;
        assertThat(o.getNonce()).isEqualTo("nonce-r30");
        assertThat(o.getTenant()).isEqualTo("t1");
        assertThat(o.getRequestId()).isEqualTo("r30");
        assertThat(o.getVerdict()).isEqualTo("PASS");
        assertThat(o.getReason()).isEqualTo("ALL_ACTIONS_FOUND");
        assertThat(o.getPassiveScore()).isEqualTo(0.93);
        assertThat(o.getModelId()).isEqualTo("fr_feature:1");
        assertThat(o.getCompletedAt()).isNotNull();
        // sealed: not the JPEG, opens (for the tenant, under the nonce) to the best frame and the embedding
        byte[] sealedFrame = TestSealing.bytes(o.getBestFrame());
        assertThat(io.openbio.schemas.crypto.PayloadCipher.isSealed(sealedFrame)).isTrue();
        assertThat(sealedFrame[0] == (byte) 0xFF && sealedFrame[1] == (byte) 0xD8).as("no JPEG signature").isFalse();
        assertThat(openImage(o)).isEqualTo(images.get(6));
        assertThat(openEmbedding(o)).containsExactly(vector);
        assertThat(io.openbio.schemas.crypto.PayloadCipher.isSealed(TestSealing.bytes(o.getBestEmbedding()))).isTrue();
    }

    @Test
    void everyOtherDecisionOnAnAcceptedNonceRecordsItsOutcomeWithoutBiometricData() throws Exception {
        Run low = run(capture("r31", distinctFrames(4)), new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true),
                0.31, Map.of("m", 0.31), new float[] {1f, 2f}, "fr_feature:1"));
        Run failed = run(capture("r32", distinctFrames(4)),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.FAILED, "ACTION_NOT_FOUND", false), null, null));
        Run mismatch = run(CaptureAnalysis.newBuilder(capture("r33", distinctFrames(4))).setClaimedChallengeId("another").build(),
                new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.97, Map.of()));
        for (Run r : List.of(low, failed, mismatch)) {
            assertThat(r.outcomes()).hasSize(1);
            ChallengeOutcome o = r.outcomes().get(0).value;
            assertThat(o.getVerdict()).isEqualTo(r.body().get("decision").asText());
            assertThat(o.getReason()).isEqualTo(r.body().get("reason").asText());
            assertThat(o.getBestFrame()).isNull();
            assertThat(o.getBestEmbedding()).isNull();
            assertThat(o.getModelId()).isNull();
        }
        assertThat(low.outcomes().get(0).value.getVerdict()).isEqualTo("SPOOF");
        assertThat(low.outcomes().get(0).value.getPassiveScore()).isEqualTo(0.31);
        assertThat(mismatch.outcomes().get(0).value.getPassiveScore()).isNull();
    }

    @Test
    void aRefusedExpiredOrChallengeLessNonceRecordsNoOutcome() throws Exception {
        ChallengeAnalysis.Result never = new ChallengeAnalysis.Result(verdict(ChallengeDecision.PASS, "ALL_ACTIONS_FOUND", true), 0.9, Map.of());
        Run replay = run(CaptureAnalysis.newBuilder(capture("r34", distinctFrames(2)))
                .setSignals(List.of(new Signal("nonce", false, "nonce already used by an earlier bundle (replay)", null))).build(), never);
        CaptureAnalysis late = capture("r35", distinctFrames(2));
        late = CaptureAnalysis.newBuilder(late).setNonceExpiresAt(late.getReceivedAt().toEpochMilli() - 1)
                .setSignals(List.of(new Signal("nonce", false, "nonce expired before the bundle arrived", null))).build();
        Run expired = run(late, never);
        Run plain = run(CaptureAnalysis.newBuilder(capture("r36", distinctFrames(2))).setChallenge(null).build(), never);
        assertThat(expired.body().get("decision").asText()).isEqualTo("TIMEOUT");
        assertThat(replay.outcomes()).as("a replay must not overwrite the outcome of the capture that spent the nonce").isEmpty();
        assertThat(expired.outcomes()).isEmpty();
        assertThat(plain.outcomes()).isEmpty();
    }

    /**
     * The stage as deployed (the real models) on testkit's SYNTHETIC genuine capture of the challenge's actions
     * (one real photo edited so that the models read each action): PASS, and its outcome carries the best frame
     * and a 512-d embedding, sealed.
     */
    @Test
    void withTheRealModelsTheSyntheticGenuineCapturePassesAndRecordsItsOutcome() throws Exception {
        List<String> actions = spec().getActions();
        List<byte[]> images = io.openbio.testkit.GenuineCaptures.frames(actions);
        long now = System.currentTimeMillis();
        long step = io.openbio.testkit.GenuineCaptures.FRAME_MS;
        long start = now - images.size() * step - 300;
        List<CapturedFrame> frames = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            frames.add(new CapturedFrame(TestSealing.sealImage("t1", "r40", images.get(i)), "image/jpeg", start + 100 + i * step, null, null));
        }
        CaptureAnalysis capture = CaptureAnalysis.newBuilder(capture("r40", List.of(images.get(0))))
                .setCaptureStart(start).setCaptureEnd(now - 100).setFrames(frames).build();
        try (Drivers.Driver d = Drivers.start(new ChallengeVerifyProcessor().topology(Drivers.SERDES))) {
            d.input(Topics.CHALLENGE_CAPTURES).pipeInput("r40", capture);
            JsonNode body = ResultJson.MAPPER.readTree(TestSealing.json(d.output(Topics.RESULTS).readValue()));
            assertThat(body.get("decision").asText()).as(body.toString()).isEqualTo("PASS");
            body.get("actions").forEach(a -> assertThat(a.get("found").asBoolean()).as(a.toString()).isTrue());
            var outcomes = Drivers.readAll(d.output(Topics.CHALLENGE_OUTCOMES));
            assertThat(outcomes).hasSize(1);
            ChallengeOutcome o = outcomes.get(0).value;
            assertThat(outcomes.get(0).key).isEqualTo("nonce-r40");
            assertThat(o.getVerdict()).isEqualTo("PASS");
            assertThat(o.getPassiveScore()).isEqualTo(body.get("passiveScore").asDouble());
            assertThat(openImage(o)).isEqualTo(images.get(body.get("bestFrame").asInt()));
            assertThat(openEmbedding(o)).hasSize(512);
            assertThat(o.getModelId()).isNotBlank();
        }
    }
}
