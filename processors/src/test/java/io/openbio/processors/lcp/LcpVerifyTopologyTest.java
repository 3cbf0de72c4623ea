package io.openbio.processors.lcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.events.ApiResponse;
import io.openbio.events.AuditEvent;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.LcpAuditEvent;
import io.openbio.events.ChallengeOutcome;
import io.openbio.events.LcpReference;
import io.openbio.events.LcpSession;
import io.openbio.events.NonceIssued;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.Signal;
import io.openbio.processors.TestSealing;
import io.openbio.processors.core.Analyzers;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.crypto.SealedEvents;
import io.openbio.testkit.Drivers;
import io.openbio.testkit.Photos;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lcp-verify stage on TopologyTestDriver with the real models and real photos: reference faces in
 * the built-in user store (global store), init, verify on plain images and on capture bundles (the
 * nonce stage's verdict simulated on the way back), the seed's errors, the audit events with their
 * sealed images, and the remote user-details provider against a real HTTP server.
 */
class LcpVerifyTopologyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "t1";
    static byte[] manReference;
    static byte[] manProbe;
    static byte[] otherMan;

    @BeforeAll
    static void photos() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        manReference = Photos.panel(Photos.SAME_MAN_X3, 0, 3);
        manProbe = Photos.panel(Photos.SAME_MAN_X3, 1, 3);
        otherMan = Photos.bytes(Photos.MAN_B);
    }

    /** The driver's topics. */
    static final class Lcp implements AutoCloseable {
        final Drivers.Driver driver;
        final TestInputTopic<String, RequestEnvelope> requests;
        final TestInputTopic<String, CaptureAnalysis> captures;
        final TestOutputTopic<String, ResultEvent> results;
        final TestOutputTopic<String, LcpAuditEvent> audit;
        final TestOutputTopic<String, AuditEvent> platformAudit;
        final TestOutputTopic<String, LcpReference> references;
        final TestOutputTopic<String, CaptureAnalysis> nonceUses;
        final TestOutputTopic<String, NonceIssued> nonces;
        final TestOutputTopic<String, LcpSession> sessions;
        final TestOutputTopic<String, RequestEnvelope> forwarded;
        final TestInputTopic<String, ChallengeOutcome> outcomes;

        Lcp(LcpVerifyProcessor processor) {
            driver = Drivers.start(processor.topology(Drivers.SERDES));
            requests = driver.input(Topics.LCP_REQUESTS);
            captures = driver.input(Topics.LCP_CAPTURES);
            results = driver.output(Topics.RESULTS);
            audit = driver.output(Topics.LCP_AUDIT);
            platformAudit = driver.output(Topics.AUDIT);
            references = driver.output(Topics.LCP_REFERENCES);
            nonceUses = driver.output(Topics.CAPTURE_DECRYPTED);
            nonces = driver.output(Topics.CAPTURE_NONCES);
            sessions = driver.output(Topics.LCP_SESSIONS);
            forwarded = driver.output(Topics.CHALLENGE_REQUESTS);
            outcomes = driver.input(Topics.CHALLENGE_OUTCOMES);
        }

        /** A token-keyed request (the gateway keys the token style's calls by token). */
        ResultEvent byToken(String token, RequestEnvelope request) {
            requests.pipeInput(token, request);
            List<KeyValue<String, ResultEvent>> out = Drivers.readAll(results);
            assertThat(out).as("one result per request").hasSize(1);
            return SealedEvents.openPayload(PayloadKeys.shared(), out.get(0).value);
        }

        ResultEvent call(String operation, String userId, byte[] image) {
            return call(operation, userId, image, Map.of());
        }

        ResultEvent call(String operation, String userId, byte[] image, Map<String, String> extra) {
            RequestEnvelope request = request(operation, userId, image, extra);
            requests.pipeInput(request.getRequestId(), request);
            List<KeyValue<String, ResultEvent>> out = Drivers.readAll(results);
            assertThat(out).as("one result per request").hasSize(1);
            return SealedEvents.openPayload(PayloadKeys.shared(), out.get(0).value);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    static RequestEnvelope request(String operation, String userId, byte[] image, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>(extra);
        if (userId != null) {
            attributes.put(LcpVerifyProcessor.USER_ID, userId);
        }
        List<Part> parts = image == null ? List.of() : List.of(new Part(LcpVerifyProcessor.IMAGE_PART, null, ByteBuffer.wrap(image)));
        return TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString()).setTenant(TENANT)
                .setOperation(operation).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                .setParts(parts).setAttributes(attributes).build());
    }

    static JsonNode body(ResultEvent result) throws Exception {
        assertThat(result.getError()).as("error %s", result.getError()).isNull();
        return JSON.readTree(((ApiResponse) result.getPayload()).getJson());
    }

    static void assertError(ResultEvent result, int status, String code) {
        assertThat(result.getError()).as("an error result").isNotNull();
        assertThat(result.getError().getStatus()).as(result.getError().getMessage()).isEqualTo(status);
        assertThat(result.getError().getCode()).as(result.getError().getMessage()).isEqualTo(code);
    }

    static byte[] open(LcpAuditEvent event, ByteBuffer sealed) {
        return PayloadKeys.shared().open(event.getTenant(), Purpose.IMAGE, event.getId(), TestSealing.bytes(sealed));
    }

    static boolean isJpeg(byte[] bytes) {
        return bytes.length > 3 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
    }

    static LcpVerifyProcessor stage(LcpSettings settings, KeyPair bundleKeys) {
        return new LcpVerifyProcessor(settings, Analyzers::shared, () -> kid -> Optional.of(bundleKeys.getPrivate()));
    }

    static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void referenceInitAndVerifyOnPlainImagesWithTheirAuditEvents() throws Exception {
        try (Lcp lcp = new Lcp(stage(LcpSettings.defaults(), keyPair()))) {
            // the reference: stored sealed in the user store, which the stage reads back as its global store
            JsonNode stored = body(lcp.call(LcpContract.REFERENCE_PUT, "user1", manReference));
            assertThat(stored.get("userId").asText()).isEqualTo("user1");
            assertThat(stored.has("image")).as("never the image").isFalse();
            List<KeyValue<String, LcpReference>> refs = Drivers.readAll(lcp.references);
            assertThat(refs).extracting(kv -> kv.key).containsExactly("t1/user1");
            byte[] sealedImage = TestSealing.bytes(refs.get(0).value.getImage());
            assertThat(isJpeg(sealedImage)).as("sealed").isFalse();
            assertThat(PayloadKeys.shared().open(TENANT, Purpose.IMAGE, "t1/user1", sealedImage)).isEqualTo(manReference);
            LcpAuditEvent uploaded = lcp.audit.readValue();
            assertThat(uploaded.getKind()).isEqualTo(LcpAudit.REFERENCE_IMAGE);
            assertThat(uploaded.getMessage()).isEqualTo("Reference image uploaded for userId=user1.");
            assertThat(open(uploaded, uploaded.getTrustedImage())).isEqualTo(manReference);
            assertThat(body(lcp.call(LcpContract.REFERENCE_GET, "user1", null)).get("modelId").asText()).isNotBlank();

            JsonNode init = body(lcp.call(LcpContract.INIT, "user1", null));
            assertThat(init.toString()).isEqualTo("{\"initiationType\":\"NONE\",\"reference\":null}");
            LcpAuditEvent initEvent = lcp.audit.readValue();
            assertThat(initEvent.getMessage()).isEqualTo("Received request to initiate liveness verification for userId=user1.");
            assertThat(lcp.audit.isEmpty()).isTrue();

            // the same man, another photo: live and matching
            ResultEvent accepted = lcp.call(LcpContract.VERIFY_OPERATION, "user1", manProbe);
            assertThat(body(accepted).toString()).isEqualTo("{\"result\":\"ACCEPTED\",\"selfie\":null}");
            List<LcpAuditEvent> events = Drivers.readAll(lcp.audit).stream().map(kv -> kv.value).toList();
            assertThat(events).extracting(LcpAuditEvent::getKind).containsExactly(LcpAudit.VERIFY, LcpAudit.PROBE_IMAGE, LcpAudit.RESULT);
            assertThat(events.get(0).getMessage()).isEqualTo("Received request to verify liveness from userId=user1.");
            assertThat(events.get(1).getMessage()).isEqualTo("User with userId=user1 recorded probe image.");
            assertThat(open(events.get(1), events.get(1).getProbeImage())).isEqualTo(manProbe);
            assertThat(open(events.get(1), events.get(1).getTrustedImage())).isEqualTo(manReference);
            assertThat(isJpeg(TestSealing.bytes(events.get(1).getProbeImage()))).isFalse();
            assertThat(events.get(2).getParams()).containsEntry("result", "ACCEPTED").containsEntry("reason", "OK")
                    .containsKeys("livenessProbability", "matchProbability", "userId");
            assertThat(events.get(2).getProbeImage()).isNull();
            assertThat(Double.parseDouble(events.get(2).getParams().get("matchProbability"))).isGreaterThan(0.9);
            List<KeyValue<String, AuditEvent>> platform = Drivers.readAll(lcp.platformAudit);
            Map<String, String> summary = platform.get(platform.size() - 1).value.getSummary();
            assertThat(summary).containsEntry("result", "ACCEPTED").containsKey("livenessProbability");

            // another man: no match
            assertThat(body(lcp.call(LcpContract.VERIFY_OPERATION, "user1", otherMan)).get("result").asText()).isEqualTo("REJECTED");
            assertThat(Drivers.readAll(lcp.audit).get(2).value.getParams()).containsEntry("reason", "NO_MATCH");
            // no face at all: rejected, not an error
            assertThat(body(lcp.call(LcpContract.VERIFY_OPERATION, "user1", Photos.bytes(Photos.SUDOKU))).get("result").asText())
                    .isEqualTo("REJECTED");
            assertThat(Drivers.readAll(lcp.audit).get(2).value.getParams()).containsEntry("reason", "NO_SINGLE_FACE:FACE_NOT_FOUND");
            // not an image
            assertError(lcp.call(LcpContract.VERIFY_OPERATION, "user1", "selfieImage".getBytes(StandardCharsets.UTF_8)), 400, "ERROR_REQUEST");
            // no image, a reference that is no token of this stage
            assertError(lcp.call(LcpContract.VERIFY_OPERATION, "user1", null, Map.of("reference", "abc")), 400, "VERIFICATION_ERROR");
            Drivers.readAll(lcp.audit);
        }
    }

    @Test
    void theSeedsErrorsForUnknownUsersUsersWithoutReferenceAndBadReferenceImages() throws Exception {
        try (Lcp lcp = new Lcp(stage(LcpSettings.defaults(), keyPair()))) {
            assertError(lcp.call(LcpContract.INIT, "nobody", null), 400, "USER_DETAILS_MISSING");
            assertThat(lcp.call(LcpContract.INIT, "nobody", null).getError().getMessage()).isEqualTo("User details are not available.");
            assertError(lcp.call(LcpContract.VERIFY_OPERATION, "nobody", manProbe), 400, "USER_DETAILS_MISSING");
            List<LcpAuditEvent> events = Drivers.readAll(lcp.audit).stream().map(kv -> kv.value).toList();
            assertThat(events).extracting(LcpAuditEvent::getKind)
                    .containsExactly("INIT", "ERROR", "INIT", "ERROR", "VERIFY", "ERROR");
            assertThat(events).allMatch(e -> e.getProbeImage() == null, "an unknown user's probe is not kept");
            assertError(lcp.call(LcpContract.INIT, " ", null), 400, "ERROR_REQUEST");

            // a reference image must show exactly one face
            assertError(lcp.call(LcpContract.REFERENCE_PUT, "user2", Photos.bytes(Photos.SUDOKU)), 400, "ERROR_REQUEST");
            assertThat(lcp.call(LcpContract.REFERENCE_PUT, "user2", Photos.bytes(Photos.GROUP1)).getError().getMessage())
                    .contains("exactly one face");
            assertError(lcp.call(LcpContract.REFERENCE_PUT, "user2", "x".getBytes(StandardCharsets.UTF_8)), 400, "ERROR_REQUEST");
            assertThat(lcp.references.isEmpty()).isTrue();

            // known user without a reference (its reference deleted): INITIATION_ERROR / VERIFICATION_ERROR
            body(lcp.call(LcpContract.REFERENCE_PUT, "user2", manReference));
            ResultEvent deleted = lcp.call(LcpContract.REFERENCE_DELETE, "user2", null);
            assertThat(((ApiResponse) deleted.getPayload()).getStatus()).isEqualTo(204);
            assertThat(Drivers.readAll(lcp.references)).extracting(kv -> kv.value.getImage() == null).containsExactly(false, true);
            assertError(lcp.call(LcpContract.INIT, "user2", null), 400, "INITIATION_ERROR");
            assertThat(lcp.call(LcpContract.INIT, "user2", null).getError().getMessage()).isEqualTo("Could not initiate liveness check for the user.");
            assertError(lcp.call(LcpContract.VERIFY_OPERATION, "user2", manProbe), 400, "VERIFICATION_ERROR");
            assertError(lcp.call(LcpContract.REFERENCE_GET, "user2", null), 404, "ERROR_NOT_FOUND");
            assertError(lcp.call(LcpContract.REFERENCE_DELETE, "user2", null), 404, "ERROR_NOT_FOUND");
            // forgetting the user: a tombstone
            assertThat(((ApiResponse) lcp.call(LcpContract.USER_DELETE, "user2", null).getPayload()).getStatus()).isEqualTo(204);
            List<KeyValue<String, LcpReference>> tombstone = Drivers.readAll(lcp.references);
            assertThat(tombstone).hasSize(1);
            assertThat(tombstone.get(0).value).isNull();
            assertError(lcp.call(LcpContract.INIT, "user2", null), 400, "USER_DETAILS_MISSING");
            assertError(lcp.call(LcpContract.USER_DELETE, "user2", null), 404, "ERROR_NOT_FOUND");
        }
    }

    @Test
    void aCaptureBundleIsDecidedWhenTheNonceVerdictComesBackAndAReplayIsRejected() throws Exception {
        KeyPair key = keyPair();
        try (Lcp lcp = new Lcp(stage(LcpSettings.defaults().withReturnSelfie(true), key))) {
            body(lcp.call(LcpContract.REFERENCE_PUT, "user1", manReference));
            Drivers.readAll(lcp.audit);
            byte[] bundle = bundle(key, "n-1", manProbe);

            RequestEnvelope request = request(LcpContract.VERIFY_OPERATION, "user1", bundle, Map.of());
            lcp.requests.pipeInput(request.getRequestId(), request);
            assertThat(lcp.results.isEmpty()).as("decided when the nonce verdict is back").isTrue();
            KeyValue<String, CaptureAnalysis> use = lcp.nonceUses.readKeyValue();
            assertThat(use.key).as("keyed by nonce for the nonce stage").isEqualTo("n-1");
            assertThat(use.value.getFrames()).as("the first frame only, for the selfie").hasSize(1);
            assertThat(use.value.getEnvelope().getParts()).isEmpty();
            assertThat(use.value.getSignals()).extracting(Signal::getName).contains("timing", "frame_duplication", "resolution");
            assertThat(use.value.getSignals()).allMatch(Signal::getPassed);
            List<LcpAuditEvent> before = Drivers.readAll(lcp.audit).stream().map(kv -> kv.value).toList();
            assertThat(before).extracting(LcpAuditEvent::getKind).containsExactly(LcpAudit.VERIFY, LcpAudit.PROBE_IMAGE);
            assertThat(open(before.get(1), before.get(1).getProbeImage())).as("the frame the decision is made on").isEqualTo(manProbe);

            // the nonce stage: first use passes
            lcp.captures.pipeInput(request.getRequestId(), withNonce(use.value, true));
            ResultEvent result = SealedEvents.openPayload(PayloadKeys.shared(), lcp.results.readValue());
            JsonNode answer = body(result);
            assertThat(answer.get("result").asText()).isEqualTo("ACCEPTED");
            assertThat(Base64.getDecoder().decode(answer.get("selfie").asText())).as("selfie on").isEqualTo(manProbe);
            assertThat(result.getTrace()).extracting(t -> t.getStage()).containsExactly("lcp-verify", "nonce", "lcp-verify");
            LcpAuditEvent verdict = lcp.audit.readValue();
            assertThat(verdict.getKind()).isEqualTo(LcpAudit.RESULT);
            assertThat(verdict.getParams()).containsEntry("result", "ACCEPTED").containsEntry("injectionSignals", "6");

            // the same bundle again: the nonce stage says replay
            RequestEnvelope replay = request(LcpContract.VERIFY_OPERATION, "user1", bundle, Map.of());
            lcp.requests.pipeInput(replay.getRequestId(), replay);
            lcp.captures.pipeInput(replay.getRequestId(), withNonce(lcp.nonceUses.readValue(), false));
            assertThat(body(SealedEvents.openPayload(PayloadKeys.shared(), lcp.results.readValue())).get("result").asText()).isEqualTo("REJECTED");
            assertThat(Drivers.readAll(lcp.audit).get(2).value.getParams()).containsEntry("reason", "INJECTION:nonce");

            // an unreadable bundle: 400
            byte[] broken = bundle.clone();
            broken[broken.length - 5] ^= 1;
            assertError(lcp.call(LcpContract.VERIFY_OPERATION, "user1", broken), 400, "ERROR_REQUEST");
        }
    }

    /** What the nonce stage makes of a capture: its verdict added, its trace extended, keyed by request id. */
    static CaptureAnalysis withNonce(CaptureAnalysis capture, boolean passed) {
        List<Signal> signals = new ArrayList<>(capture.getSignals());
        signals.add(new Signal("nonce", passed, passed ? "fresh nonce, first use" : "nonce already used by an earlier bundle (replay)", null));
        List<io.openbio.events.StageTrace> trace = new ArrayList<>(capture.getTrace());
        trace.add(new io.openbio.events.StageTrace("nonce", "test", Instant.now()));
        return CaptureAnalysis.newBuilder(capture).setSignals(signals).setTrace(trace)
                .setNonceIssuedAt(Instant.now().minusSeconds(30).toEpochMilli()).build();
    }

    static byte[] bundle(KeyPair key, String nonce, byte[] jpeg) throws Exception {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
        long now = System.currentTimeMillis();
        CaptureMetadata meta = new CaptureMetadata(nonce, now - 2000, now - 1000, Map.of("os", "Linux"),
                new CameraInfo("Integrated Camera", image.getWidth(), image.getHeight(), "user"), "test", "1", null);
        CaptureFrame frame = new CaptureFrame(jpeg, "image/jpeg", now - 1500, image.getWidth(), image.getHeight());
        return BundleWriter.write(new CaptureBundle(meta, List.of(frame)), key.getPublic(), "k1");
    }

    // ------------------------------------------------------------------ the remote user-details provider

    @Test
    void theRemoteUserDetailsProviderOverRealHttp() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
        server.createContext("/users/", exchange -> {
            String user = exchange.getRequestURI().getRawPath().substring("/users/".length());
            calls.merge(user, 1, Integer::sum);
            assertThat(exchange.getRequestHeaders().getFirst("X-Tenant-Id")).isEqualTo(TENANT);
            int status = 200;
            String body = switch (user) {
                case "user%201" -> "{\"userId\":\"user 1\",\"referenceImage\":\"" + Base64.getEncoder().encodeToString(manReference) + "\"}";
                case "noimage" -> "{\"userId\":\"noimage\",\"referenceImage\":null}";
                case "noface" -> "{\"userId\":\"noface\",\"referenceImage\":\""
                        + Base64.getEncoder().encodeToString(Photos.bytes(Photos.SUDOKU)) + "\"}";
                case "garbage" -> "<html>not json";
                case "badbase64" -> "{\"referenceImage\":\"!!!\"}";
                case "slow" -> {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield "{}";
                }
                case "broken" -> {
                    status = 500;
                    yield "oops";
                }
                default -> {
                    status = 404;
                    yield "";
                }
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/users/{userId}";
        LcpSettings settings = LcpSettings.defaults().withUserDetails(url, Duration.ofMillis(500));
        try (Lcp lcp = new Lcp(stage(settings, keyPair()))) {
            assertThat(body(lcp.call(LcpContract.INIT, "user 1", null)).get("initiationType").asText()).isEqualTo("NONE");
            assertThat(body(lcp.call(LcpContract.VERIFY_OPERATION, "user 1", manProbe)).get("result").asText()).isEqualTo("ACCEPTED");
            assertThat(body(lcp.call(LcpContract.VERIFY_OPERATION, "user 1", otherMan)).get("result").asText()).isEqualTo("REJECTED");
            assertError(lcp.call(LcpContract.INIT, "unknown", null), 400, "USER_DETAILS_MISSING");
            assertError(lcp.call(LcpContract.INIT, "noimage", null), 400, "INITIATION_ERROR");
            assertError(lcp.call(LcpContract.VERIFY_OPERATION, "noimage", manProbe), 400, "VERIFICATION_ERROR");
            assertError(lcp.call(LcpContract.INIT, "noface", null), 400, "USER_NOT_ENROLLED");
            for (String failing : List.of("broken", "garbage", "badbase64", "slow")) {
                ResultEvent result = lcp.call(LcpContract.INIT, failing, null);
                assertError(result, 409, "ERROR_REMOTE");
                assertThat(result.getError().getMessage()).isEqualTo("REST API call failed when fetching User Details.");
            }
            // the built-in store is off
            assertError(lcp.call(LcpContract.REFERENCE_PUT, "user 1", manReference), 400, "ERROR_REQUEST");
            assertThat(calls).containsKeys("user%201", "unknown", "noimage", "broken", "slow");
        } finally {
            server.stop(0);
        }
        // nobody listening: ERROR_REMOTE
        try (Lcp lcp = new Lcp(stage(settings, keyPair()))) {
            assertError(lcp.call(LcpContract.INIT, "user 1", null), 409, "ERROR_REMOTE");
        }
    }

    // ------------------------------------------------------------------ token style

    static RequestEnvelope tokenRequest(String operation, String tenant, String token, byte[] bundle) {
        List<Part> parts = bundle == null ? List.of() : List.of(new Part(LcpVerifyProcessor.BUNDLE_PART, "application/octet-stream", ByteBuffer.wrap(bundle)));
        return TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString()).setTenant(tenant)
                .setOperation(operation).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                .setParts(parts).setAttributes(Map.of(LcpVerifyProcessor.TOKEN, token)).build());
    }

    static RequestEnvelope tokenVerify(String userId, String token) {
        return request(LcpContract.VERIFY_OPERATION, userId, null, Map.of(LcpVerifyProcessor.REFERENCE, token));
    }

    /** What challenge-verify writes for a capture of {@code token}: PASS with the best frame and its embedding sealed under the token. */
    static ChallengeOutcome outcome(String token, String verdict, String reason, byte[] bestFrame) {
        ChallengeOutcome.Builder out = ChallengeOutcome.newBuilder().setNonce(token).setTenant(TENANT).setRequestId(UUID.randomUUID().toString())
                .setVerdict(verdict).setReason(reason).setCompletedAt(Instant.now()).setPassiveScore(bestFrame == null ? null : 0.93);
        if ("PASS".equals(verdict)) {
            io.openbio.inference.embed.Template embedding = Analyzers.shared().embed(bestFrame);
            out.setBestFrame(ByteBuffer.wrap(PayloadKeys.shared().seal(TENANT, Purpose.IMAGE, token, bestFrame)))
                    .setBestEmbedding(ByteBuffer.wrap(PayloadKeys.shared().sealVector(TENANT, token, embedding.vector())))
                    .setModelId(embedding.modelId() + ":" + embedding.modelVersion());
        }
        return out.build();
    }

    /** init in the token style: the answer's token, checked against the nonce and session written with it. */
    static String initToken(Lcp lcp, String userId, Map<String, String> extra) throws Exception {
        JsonNode init = body(lcp.call(LcpContract.INIT, userId, null, extra));
        assertThat(init.get("initiationType").asText()).isEqualTo("TOKEN");
        String token = init.get("reference").asText();
        assertThat(token).matches("[0-9a-f]{32}");
        List<KeyValue<String, NonceIssued>> nonces = Drivers.readAll(lcp.nonces);
        assertThat(nonces).extracting(kv -> kv.key).containsExactly(token);
        NonceIssued nonce = nonces.get(0).value;
        assertThat(nonce.getTenant()).isEqualTo(TENANT);
        assertThat(nonce.getChallenge()).as("a challenge nonce").isNotNull();
        assertThat(nonce.getChallenge().getActions()).hasSize(3);
        assertThat(nonce.getChallenge().getAllowed()).doesNotContain("GAZE_TOP_LEFT").contains("SMILE", "CLOSE_EYES", "TURN_LEFT");
        assertThat(nonce.getExpiresAt()).isAfter(nonce.getIssuedAt());
        List<KeyValue<String, LcpSession>> sessions = Drivers.readAll(lcp.sessions);
        assertThat(sessions).extracting(kv -> kv.key).containsExactly(token);
        assertThat(sessions.get(0).value.getState()).isEqualTo("ISSUED");
        assertThat(sessions.get(0).value.getUserId()).isEqualTo(userId);
        assertThat(sessions.get(0).value.getChallenge()).isEqualTo(nonce.getChallenge());
        return token;
    }

    @Test
    void tokenInitIssuesAChallengeNonceAndASessionAndTheDeviceFetchesTheChallengeAndUploadsTheCapture() throws Exception {
        try (Lcp lcp = new Lcp(stage(LcpSettings.defaults().withInitiationType("TOKEN"), keyPair()))) {
            body(lcp.call(LcpContract.REFERENCE_PUT, "user1", manReference));
            assertError(lcp.call(LcpContract.INIT, "nobody", null), 400, "USER_DETAILS_MISSING");
            assertThat(lcp.nonces.isEmpty() && lcp.sessions.isEmpty()).as("no token for an unknown user").isTrue();
            Drivers.readAll(lcp.audit);

            String token = initToken(lcp, "user1", Map.of());
            assertThat(lcp.audit.readValue().getKind()).isEqualTo(LcpAudit.INIT);
            // the request may choose the image style
            assertThat(body(lcp.call(LcpContract.INIT, "user1", null, Map.of("initiationType", "NONE"))).toString())
                    .isEqualTo("{\"initiationType\":\"NONE\",\"reference\":null}");
            assertThat(lcp.nonces.isEmpty()).isTrue();

            // the device: the challenge, in POST /challenge's shape
            JsonNode challenge = body(lcp.byToken(token, tokenRequest(LcpContract.CHALLENGE_GET, "default", token, null)));
            assertThat(challenge.get("nonce").asText()).isEqualTo(token);
            assertThat(challenge.get("challengeId").asText()).isEqualTo(token);
            assertThat(challenge.get("actions")).hasSize(3);
            assertThat(challenge.get("prompts")).hasSize(3);
            assertThat(challenge.has("expiresAt") && challenge.has("issuedAt") && challenge.has("seed")).isTrue();
            String unknown = "0123456789abcdef0123456789abcdef";
            assertError(lcp.byToken(unknown, tokenRequest(LcpContract.CHALLENGE_GET, "default", unknown, null)), 404, "ERROR_NOT_FOUND");
            assertError(lcp.byToken(unknown, tokenRequest(LcpContract.CAPTURE, "default", unknown, new byte[] {1})), 404, "ERROR_NOT_FOUND");

            // the capture: on to the challenge route under the session's tenant, the same request id; nobody answers here
            byte[] bundle = "a capture bundle".getBytes(StandardCharsets.UTF_8);
            RequestEnvelope upload = tokenRequest(LcpContract.CAPTURE, "default", token, bundle);
            lcp.requests.pipeInput(token, upload);
            assertThat(lcp.results.isEmpty()).as("challenge-verify answers it").isTrue();
            KeyValue<String, RequestEnvelope> forward = lcp.forwarded.readKeyValue();
            assertThat(forward.key).isEqualTo(upload.getRequestId());
            assertThat(forward.value.getRequestId()).isEqualTo(upload.getRequestId());
            assertThat(forward.value.getReplyTo()).isEqualTo("openbio.replies.gw");
            assertThat(forward.value.getTenant()).isEqualTo(TENANT);
            assertThat(forward.value.getOperation()).isEqualTo(io.openbio.schemas.contract.ChallengeContract.VERIFY_OPERATION);
            assertThat(forward.value.getParts()).extracting(Part::getName).containsExactly("bundle");
            assertThat(io.openbio.processors.core.Envelopes.part(forward.value, "bundle")).contains(bundle);
            assertThat(Drivers.readAll(lcp.sessions)).extracting(kv -> kv.value.getState()).containsExactly("CAPTURED");
            // until the outcome is there, the challenge can be fetched again (e.g. an unreadable upload retried)
            body(lcp.byToken(token, tokenRequest(LcpContract.CHALLENGE_GET, "default", token, null)));
            lcp.outcomes.pipeInput(token, outcome(token, "FAILED", "ACTION_NOT_FOUND", null));
            assertError(lcp.byToken(token, tokenRequest(LcpContract.CHALLENGE_GET, "default", token, null)), 404, "ERROR_NOT_FOUND");
            assertError(lcp.byToken(token, tokenRequest(LcpContract.CAPTURE, "default", token, bundle)), 404, "ERROR_NOT_FOUND");
        }
    }

    @Test
    void tokenVerifyDecidesOnTheChallengeOutcomeAndTheMatchOnceAndOnlyForTheUser() throws Exception {
        try (Lcp lcp = new Lcp(stage(LcpSettings.defaults().withReturnSelfie(true), keyPair()))) {
            body(lcp.call(LcpContract.REFERENCE_PUT, "user1", manReference));
            body(lcp.call(LcpContract.REFERENCE_PUT, "user2", otherMan));
            // the request chooses the token style (the setting says NONE)
            String token = initToken(lcp, "user1", Map.of("initiationType", "TOKEN"));
            Drivers.readAll(lcp.audit);

            // no capture yet: VERIFICATION_ERROR, and the token stays usable
            ResultEvent early = lcp.byToken(token, tokenVerify("user1", token));
            assertError(early, 400, "VERIFICATION_ERROR");
            assertThat(early.getError().getMessage()).isEqualTo("Could not verify liveness of the user.");
            assertThat(lcp.sessions.isEmpty()).isTrue();
            lcp.outcomes.pipeInput(token, outcome(token, "PASS", "ALL_ACTIONS_FOUND", manProbe));
            // another user, another tenant: VERIFICATION_ERROR
            assertError(lcp.byToken(token, tokenVerify("user2", token)), 400, "VERIFICATION_ERROR");
            RequestEnvelope otherTenant = RequestEnvelope.newBuilder(tokenVerify("user1", token)).setTenant("t2").build();
            assertError(lcp.byToken(token, otherTenant), 400, "VERIFICATION_ERROR");
            assertThat(lcp.sessions.isEmpty()).as("none of these spends the token").isTrue();
            Drivers.readAll(lcp.audit);

            // the challenge passed and the best frame is the user's face: ACCEPTED, the best frame as selfie
            JsonNode accepted = body(lcp.byToken(token, tokenVerify("user1", token)));
            assertThat(accepted.get("result").asText()).isEqualTo("ACCEPTED");
            assertThat(Base64.getDecoder().decode(accepted.get("selfie").asText())).isEqualTo(manProbe);
            List<LcpAuditEvent> events = Drivers.readAll(lcp.audit).stream().map(kv -> kv.value).toList();
            assertThat(events).extracting(LcpAuditEvent::getKind).containsExactly(LcpAudit.VERIFY, LcpAudit.PROBE_IMAGE, LcpAudit.RESULT);
            assertThat(open(events.get(1), events.get(1).getProbeImage())).isEqualTo(manProbe);
            assertThat(open(events.get(1), events.get(1).getTrustedImage())).isEqualTo(manReference);
            assertThat(events.get(2).getParams()).containsEntry("result", "ACCEPTED").containsEntry("challengeVerdict", "PASS")
                    .containsKey("matchProbability");
            assertThat(Drivers.readAll(lcp.sessions)).extracting(kv -> kv.key + ":" + kv.value.getState()).containsExactly(token + ":USED");
            // single use
            assertError(lcp.byToken(token, tokenVerify("user1", token)), 400, "VERIFICATION_ERROR");

            // a passed challenge by somebody else: REJECTED (no match)
            String other = initToken(lcp, "user1", Map.of("initiationType", "TOKEN"));
            lcp.outcomes.pipeInput(other, outcome(other, "PASS", "ALL_ACTIONS_FOUND", otherMan));
            Drivers.readAll(lcp.audit);
            assertThat(body(lcp.byToken(other, tokenVerify("user1", other))).get("result").asText()).isEqualTo("REJECTED");
            assertThat(Drivers.readAll(lcp.audit).get(2).value.getParams()).containsEntry("reason", "NO_MATCH");
            assertThat(Drivers.readAll(lcp.sessions)).extracting(kv -> kv.value.getState()).containsExactly("USED");
            assertError(lcp.byToken(other, tokenVerify("user1", other)), 400, "VERIFICATION_ERROR");

            // a spoof: REJECTED whatever the face, and spent
            String spoof = initToken(lcp, "user1", Map.of("initiationType", "TOKEN"));
            lcp.outcomes.pipeInput(spoof, outcome(spoof, "SPOOF", "STATIC_FACE", null));
            Drivers.readAll(lcp.audit);
            JsonNode rejected = body(lcp.byToken(spoof, tokenVerify("user1", spoof)));
            assertThat(rejected.toString()).isEqualTo("{\"result\":\"REJECTED\",\"selfie\":null}");
            List<LcpAuditEvent> spoofEvents = Drivers.readAll(lcp.audit).stream().map(kv -> kv.value).toList();
            assertThat(spoofEvents).extracting(LcpAuditEvent::getKind).containsExactly(LcpAudit.VERIFY, LcpAudit.RESULT);
            assertThat(spoofEvents.get(1).getParams()).containsEntry("reason", "CHALLENGE:SPOOF:STATIC_FACE");
            assertError(lcp.byToken(spoof, tokenVerify("user1", spoof)), 400, "VERIFICATION_ERROR");
        }
    }
}
