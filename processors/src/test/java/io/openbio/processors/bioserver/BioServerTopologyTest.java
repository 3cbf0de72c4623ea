package io.openbio.processors.bioserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.BioServerSession;
import io.openbio.events.ExtractedImage;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.processors.TestSealing;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Sealing;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.BioServerContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.SealedEvents;
import io.openbio.testkit.Drivers;
import io.openbio.testkit.MutableClock;
import io.openbio.testkit.Photos;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bioserver stage on TopologyTestDriver with the real models and real photos: a session's
 * lifecycle and expiry (the punctuation included), faces from images and from an earlier Face's
 * template, 1:few matches sorted by score, image storage on and off, the direct operations, ages, and
 * the seed's errors. Templates and images in the stores are sealed.
 */
class BioServerTopologyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "t1";
    static byte[] man1;
    static byte[] man2;
    static byte[] otherMan;
    static byte[] noFace;

    @BeforeAll
    static void photos() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        man1 = Photos.panel(Photos.SAME_MAN_X3, 0, 3);
        man2 = Photos.panel(Photos.SAME_MAN_X3, 1, 3);
        otherMan = Photos.bytes(Photos.MAN_B);
        noFace = Photos.bytes(Photos.SUDOKU);
    }

    static final class Stage implements AutoCloseable {
        final Drivers.Driver driver;
        final TestInputTopic<String, RequestEnvelope> requests;
        final TestOutputTopic<String, ResultEvent> results;
        final TestOutputTopic<String, io.openbio.events.NonceIssued> nonces;
        final TestOutputTopic<String, RequestEnvelope> forwarded;
        final TestInputTopic<String, io.openbio.events.ChallengeOutcome> outcomes;

        /** The stage's clock: moved by hand. */
        final MutableClock clock = new MutableClock();

        Stage(int maxFaces) {
            driver = Drivers.start(new BioServerProcessor(Analyzers::shared, maxFaces, Duration.ofSeconds(5), 120_000, clock).topology(Drivers.SERDES));
            requests = driver.input(Topics.BIOSERVER_REQUESTS);
            results = driver.output(Topics.RESULTS);
            nonces = driver.output(Topics.CAPTURE_NONCES);
            forwarded = driver.output(Topics.CHALLENGE_REQUESTS);
            outcomes = driver.input(Topics.CHALLENGE_OUTCOMES);
        }

        ResultEvent call(String key, String operation, Map<String, String> attributes, Map<String, byte[]> parts) {
            return call(key, TENANT, operation, attributes, parts);
        }

        ResultEvent call(String key, String tenant, String operation, Map<String, String> attributes, Map<String, byte[]> parts) {
            List<Part> list = new ArrayList<>();
            parts.forEach((name, bytes) -> list.add(new Part(name, null, ByteBuffer.wrap(bytes))));
            RequestEnvelope request = TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .setTenant(tenant).setOperation(operation).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                    .setParts(list).setAttributes(new HashMap<>(attributes)).build());
            requests.pipeInput(key == null ? request.getRequestId() : key, request);
            List<KeyValue<String, ResultEvent>> out = Drivers.readAll(results);
            assertThat(out).as("one result per request").hasSize(1);
            return SealedEvents.openPayload(PayloadKeys.shared(), out.get(0).value);
        }

        /** A session call: keyed by the session key, as the gateway publishes it. */
        ResultEvent session(String sessionId, String operation, Map<String, String> extra, Map<String, byte[]> parts) {
            Map<String, String> attributes = new HashMap<>(extra);
            attributes.put(BioServerContract.SESSION_ID, sessionId);
            return call(BioServerContract.sessionKey(sessionId), operation, attributes, parts);
        }

        String createSession(int ttlSeconds, boolean storeImages) {
            String id = UUID.randomUUID().toString();
            ResultEvent created = session(id, BioServerContract.SESSION_CREATE, Map.of(BioServerContract.TTL_SECONDS, Integer.toString(ttlSeconds),
                    BioServerContract.CORRELATION_ID, "corr-1", BioServerContract.IMAGE_STORAGE_ENABLED, Boolean.toString(storeImages)), Map.of());
            assertThat(status(created)).isEqualTo(201);
            return id;
        }

        String addFace(String sessionId, byte[] image, String imageType) {
            String faceId = UUID.randomUUID().toString();
            ResultEvent created = session(sessionId, BioServerContract.FACE_CREATE, Map.of(BioServerContract.FACE_ID, faceId,
                    BioServerContract.IMAGE_TYPE, imageType, BioServerContract.FRIENDLY_NAME, "face " + faceId.substring(0, 4)),
                    Map.of(BioServerContract.IMAGE_PART, image));
            assertThat(status(created)).as(error(created)).isEqualTo(201);
            return faceId;
        }

        KeyValueStore<String, BioServerSession> sessions() {
            return driver.getKeyValueStore(BioServerProcessor.SESSIONS);
        }

        KeyValueStore<String, byte[]> images() {
            return driver.getKeyValueStore(BioServerProcessor.IMAGES);
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    static int status(ResultEvent result) {
        return result.getError() != null ? result.getError().getStatus() : result.getPayload() instanceof ApiResponse r ? r.getStatus() : 200;
    }

    static String error(ResultEvent result) {
        return result.getError() == null ? "" : result.getError().getMessage();
    }

    static JsonNode body(ResultEvent result) throws Exception {
        assertThat(result.getError()).as("error").isNull();
        return JSON.readTree(((ApiResponse) result.getPayload()).getJson());
    }

    @Test
    void oneToFewInASession() throws Exception {
        try (Stage stage = new Stage(64)) {
            String session = stage.createSession(300, false);
            JsonNode got = body(stage.session(session, BioServerContract.SESSION_GET, Map.of(), Map.of()));
            assertThat(got.get("id").asText()).isEqualTo(session);
            assertThat(got.get("correlationId").asText()).isEqualTo("corr-1");
            assertThat(got.get("imageStorageEnabled").asBoolean()).isFalse();
            assertThat(Instant.parse(got.get("expires").asText())).isEqualTo(Instant.parse(got.get("created").asText()).plusSeconds(300));
            assertThat(got.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

            String reference = stage.addFace(session, man1, "SELFIE");
            String same = stage.addFace(session, man2, "SELFIE");
            String other = stage.addFace(session, otherMan, "SELFIE");

            JsonNode face = body(stage.session(session, BioServerContract.FACE_GET, Map.of(BioServerContract.FACE_ID, reference), Map.of()));
            assertThat(face.get("id").asText()).isEqualTo(reference);
            assertThat(face.get("digest").asText()).isEqualTo(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(man1)));
            assertThat(face.get("imageType").asText()).isEqualTo("SELFIE");
            assertThat(face.get("mode").asText()).isEqualTo(BioServerProcessor.DEFAULT_MODE);
            assertThat(face.get("quality").asLong()).isGreaterThan(100);
            assertThat(face.at("/landmarks/eyes/x1").asDouble()).isLessThan(face.at("/landmarks/eyes/x2").asDouble());
            assertThat(face.at("/landmarks/box/width").asInt()).isPositive();
            assertThat(face.get("template").asText()).isNotEmpty();
            assertThat(face.get("templateVersion").isInt()).isTrue();
            assertThat(face.get("expires").asText()).isEqualTo(got.get("expires").asText());

            JsonNode list = body(stage.session(session, BioServerContract.FACES_LIST, Map.of(), Map.of()));
            assertThat(list).hasSize(3);
            assertThat(list.get(0).get("id").asText()).isEqualTo(reference);

            JsonNode matches = body(stage.session(session, BioServerContract.MATCHES, Map.of(BioServerContract.FACE_ID, reference), Map.of()));
            assertThat(matches).hasSize(2);
            assertThat(matches.get(0).at("/candidate/id").asText()).as("best score first").isEqualTo(same);
            assertThat(matches.get(1).at("/candidate/id").asText()).isEqualTo(other);
            assertThat(matches.get(0).get("score").asDouble()).isGreaterThan(matches.get(1).get("score").asDouble());
            assertThat(matches.get(1).get("score").asDouble()).as("different people").isLessThan(2500);
            assertThat(matches.get(0).at("/reference/template").isMissingNode()).as("no template in a match").isTrue();
            assertThat(matches.get(0).get("correlationId").asText()).isEqualTo("corr-1");
            for (JsonNode match : matches) {
                double score = match.get("score").asDouble();
                double far = match.get("falseAcceptanceRate").asDouble();
                assertThat(score).isBetween(1500.0, 10000.0);
                assertThat(far).as("the seed's scale").isCloseTo(Math.pow(10, 5 - score / 500), org.assertj.core.data.Percentage.withPercentage(1e-6));
            }

            // templates sealed in the store: no template text of the answers in the stored record
            BioServerSession stored = stage.sessions().get(BioServerContract.sessionKey(session));
            assertThat(stored.getFaces()).hasSize(3);
            assertThat(stored.toString()).doesNotContain(face.get("template").asText().substring(0, 40));

            assertThat(status(stage.session(session, BioServerContract.FACE_DELETE, Map.of(BioServerContract.FACE_ID, other), Map.of()))).isEqualTo(204);
            assertThat(body(stage.session(session, BioServerContract.FACES_LIST, Map.of(), Map.of()))).hasSize(2);
            assertThat(status(stage.session(session, BioServerContract.FACE_GET, Map.of(BioServerContract.FACE_ID, other), Map.of()))).isEqualTo(404);
            assertThat(status(stage.session(session, BioServerContract.FACES_DELETE, Map.of(), Map.of()))).isEqualTo(204);
            assertThat(body(stage.session(session, BioServerContract.FACES_LIST, Map.of(), Map.of()))).isEmpty();

            assertThat(status(stage.session(session, BioServerContract.SESSION_DELETE, Map.of(), Map.of()))).isEqualTo(204);
            ResultEvent gone = stage.session(session, BioServerContract.SESSION_GET, Map.of(), Map.of());
            assertThat(status(gone)).isEqualTo(404);
            assertThat(error(gone)).isEqualTo("Session not found");
            assertThat(stage.sessions().get(BioServerContract.sessionKey(session))).isNull();
        }
    }

    @Test
    void anotherTenantDoesNotSeeTheSession() {
        try (Stage stage = new Stage(64)) {
            String session = stage.createSession(300, false);
            ResultEvent other = stage.call(BioServerContract.sessionKey(session), "t2", BioServerContract.SESSION_GET,
                    Map.of(BioServerContract.SESSION_ID, session), Map.of());
            assertThat(status(other)).isEqualTo(404);
        }
    }

    @Test
    void aSessionExpiresAfterItsTtlAndThePunctuationDeletesIt() {
        try (Stage stage = new Stage(64)) {
            String kept = stage.createSession(3600, true);
            String session = stage.createSession(1, true);
            stage.addFace(session, man1, "SELFIE");
            assertThat(stage.images().approximateNumEntries()).isEqualTo(1);
            stage.driver.advanceWallClockTime(Duration.ofSeconds(6));
            assertThat(stage.sessions().get(BioServerContract.sessionKey(session))).as("not expired yet").isNotNull();
            stage.clock.advance(Duration.ofMillis(1000));
            stage.driver.advanceWallClockTime(Duration.ofSeconds(6));
            assertThat(stage.sessions().get(BioServerContract.sessionKey(session))).as("deleted by the punctuation").isNull();
            assertThat(status(stage.session(session, BioServerContract.SESSION_GET, Map.of(), Map.of()))).isEqualTo(404);
            try (var it = stage.images().all()) {
                assertThat(it.hasNext()).as("the expired session's image is gone").isFalse();
            }
            assertThat(status(stage.session(kept, BioServerContract.SESSION_GET, Map.of(), Map.of()))).isEqualTo(200);
        }
    }

    @Test
    void imageStorageOnAndOff() throws Exception {
        try (Stage stage = new Stage(64)) {
            String off = stage.createSession(300, false);
            String faceOff = stage.addFace(off, man1, "SELFIE");
            assertThat(status(stage.session(off, BioServerContract.FACE_IMAGE, Map.of(BioServerContract.FACE_ID, faceOff), Map.of()))).isEqualTo(204);

            String on = stage.createSession(300, true);
            String faceOn = stage.addFace(on, man1, "SELFIE");
            byte[] stored = stage.images().get(BioServerProcessor.faceKey(stage.sessions().get(BioServerContract.sessionKey(on)), faceOn));
            assertThat(indexOf(stored, java.util.Arrays.copyOfRange(man1, 100, 132))).as("sealed at rest").isNegative();
            ResultEvent image = stage.session(on, BioServerContract.FACE_IMAGE, Map.of(BioServerContract.FACE_ID, faceOn), Map.of());
            ExtractedImage extracted = (ExtractedImage) image.getPayload();
            assertThat(extracted.getContentType()).isEqualTo("image/jpeg");
            assertThat(Sealing.bytes(extracted.getData())).isEqualTo(man1);
            ResultEvent compressed = stage.session(on, BioServerContract.FACE_IMAGE, Map.of(BioServerContract.FACE_ID, faceOn,
                    BioServerContract.COMPRESSION, "true"), Map.of());
            byte[] jpeg = Sealing.bytes(((ExtractedImage) compressed.getPayload()).getData());
            assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
            assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);
        }
    }

    @Test
    void aFaceFromAnEarlierFacesTemplateAndTheDirectOperations() throws Exception {
        try (Stage stage = new Stage(64)) {
            JsonNode direct = body(stage.call(null, BioServerContract.DIRECT_FACE, Map.of(BioServerContract.IMAGE_TYPE, "SELFIE",
                    BioServerContract.FRIENDLY_NAME, "ref"), Map.of(BioServerContract.IMAGE_PART, man1)));
            assertThat(direct.get("template").asText()).isNotEmpty();
            assertThat(direct.get("friendlyName").asText()).isEqualTo("ref");
            assertThat(direct.has("expires")).isFalse();

            // one-to-one: the Face JSON against a candidate image
            JsonNode same = body(stage.call(null, BioServerContract.MATCH, Map.of(BioServerContract.CANDIDATE_IMAGE_TYPE, "SELFIE",
                    BioServerContract.CORRELATION_ID, "c-9"), Map.of(BioServerContract.FACE_PART, direct.toString().getBytes(StandardCharsets.UTF_8),
                    BioServerContract.CANDIDATE_IMAGE_PART, man2)));
            JsonNode impostor = body(stage.call(null, BioServerContract.MATCH, Map.of(BioServerContract.CANDIDATE_IMAGE_TYPE, "SELFIE"),
                    Map.of(BioServerContract.FACE_PART, direct.toString().getBytes(StandardCharsets.UTF_8), BioServerContract.CANDIDATE_IMAGE_PART, otherMan)));
            assertThat(same.get("score").asDouble()).isGreaterThan(impostor.get("score").asDouble());
            assertThat(impostor.get("score").asDouble()).isLessThan(2500);
            assertThat(same.get("correlationId").asText()).isEqualTo("c-9");
            assertThat(same.at("/reference/friendlyName").asText()).isEqualTo("ref");
            assertThat(same.has("expires")).isFalse();

            JsonNode images = body(stage.call(null, BioServerContract.MATCH_IMAGES, Map.of(BioServerContract.REFERENCE_IMAGE_TYPE, "SELFIE",
                    BioServerContract.CANDIDATE_IMAGE_TYPE, "SELFIE"), Map.of(BioServerContract.REFERENCE_IMAGE_PART, man1,
                    BioServerContract.CANDIDATE_IMAGE_PART, man2)));
            assertThat(images.get("score").asDouble()).isCloseTo(same.get("score").asDouble(), org.assertj.core.data.Offset.offset(1.0));

            // template reuse inside a session
            String session = stage.createSession(300, false);
            String imported = UUID.randomUUID().toString();
            ResultEvent created = stage.session(session, BioServerContract.FACE_IMPORT, Map.of(BioServerContract.FACE_ID, imported),
                    Map.of(BioServerContract.FACE_PART, direct.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(status(created)).isEqualTo(201);
            JsonNode face = body(stage.session(session, BioServerContract.FACE_GET, Map.of(BioServerContract.FACE_ID, imported), Map.of()));
            assertThat(face.get("template").asText()).isEqualTo(direct.get("template").asText());
            assertThat(face.get("digest").asText()).isEqualTo(direct.get("digest").asText());

            // a template of another version: 400
            var wrong = (com.fasterxml.jackson.databind.node.ObjectNode) direct.deepCopy();
            wrong.put("templateVersion", direct.get("templateVersion").asInt() + 1);
            ResultEvent refused = stage.session(session, BioServerContract.FACE_IMPORT, Map.of(BioServerContract.FACE_ID, UUID.randomUUID().toString()),
                    Map.of(BioServerContract.FACE_PART, wrong.toString().getBytes(StandardCharsets.UTF_8)));
            assertThat(status(refused)).isEqualTo(400);
            assertThat(error(refused)).contains("templateVersion");
            var corrupt = (com.fasterxml.jackson.databind.node.ObjectNode) direct.deepCopy();
            corrupt.put("template", "AAAA");
            assertThat(status(stage.session(session, BioServerContract.FACE_IMPORT, Map.of(BioServerContract.FACE_ID, UUID.randomUUID().toString()),
                    Map.of(BioServerContract.FACE_PART, corrupt.toString().getBytes(StandardCharsets.UTF_8))))).isEqualTo(400);
        }
    }

    @Test
    void agesAndTheirNoPersonAnswer() throws Exception {
        try (Stage stage = new Stage(64)) {
            JsonNode age = body(stage.call(null, BioServerContract.AGES, Map.of(BioServerContract.THRESHOLD, "18"),
                    Map.of(BioServerContract.IMAGE_PART, man1)));
            assertThat(age.get("ageEstimated").asDouble()).isBetween(18.0, 90.0);
            assertThat(age.get("aboveThreshold").asBoolean()).isTrue();
            assertThat(age.get("threshold").asInt()).isEqualTo(18);
            assertThat(age.get("imageType").asText()).isEqualTo("SELFIE");
            assertThat(age.get("quality").asLong()).isPositive();

            JsonNode none = body(stage.call(null, BioServerContract.AGES, Map.of(BioServerContract.THRESHOLD, "18"),
                    Map.of(BioServerContract.IMAGE_PART, noFace)));
            assertThat(none.has("ageEstimated")).isFalse();
            assertThat(none.has("aboveThreshold")).isFalse();
            assertThat(none.get("quality").asLong()).isEqualTo(-10000);
            assertThat(none.get("digest").asText()).hasSize(64);
        }
    }

    @Test
    void theSeedsErrors() {
        try (Stage stage = new Stage(2)) {
            String unknown = UUID.randomUUID().toString();
            assertThat(status(stage.session(unknown, BioServerContract.SESSION_GET, Map.of(), Map.of()))).isEqualTo(404);
            assertThat(status(stage.session(unknown, BioServerContract.SESSION_DELETE, Map.of(), Map.of()))).isEqualTo(404);
            String session = stage.createSession(300, false);
            ResultEvent noFaceFound = stage.session(session, BioServerContract.FACE_CREATE, Map.of(BioServerContract.FACE_ID, UUID.randomUUID().toString(),
                    BioServerContract.IMAGE_TYPE, "SELFIE"), Map.of(BioServerContract.IMAGE_PART, noFace));
            assertThat(status(noFaceFound)).isEqualTo(400);
            ResultEvent notAnImage = stage.session(session, BioServerContract.FACE_CREATE, Map.of(BioServerContract.FACE_ID, UUID.randomUUID().toString(),
                    BioServerContract.IMAGE_TYPE, "SELFIE"), Map.of(BioServerContract.IMAGE_PART, "not an image".getBytes(StandardCharsets.UTF_8)));
            assertThat(status(notAnImage)).isEqualTo(400);
            ResultEvent badType = stage.session(session, BioServerContract.FACE_CREATE, Map.of(BioServerContract.FACE_ID, UUID.randomUUID().toString(),
                    BioServerContract.IMAGE_TYPE, "PASSPORT"), Map.of(BioServerContract.IMAGE_PART, man1));
            assertThat(status(badType)).isEqualTo(400);
            assertThat(status(stage.session(session, BioServerContract.MATCHES, Map.of(BioServerContract.FACE_ID, UUID.randomUUID().toString()),
                    Map.of()))).isEqualTo(404);
            stage.addFace(session, man1, "SELFIE");
            stage.addFace(session, man2, "SELFIE");
            ResultEvent full = stage.session(session, BioServerContract.FACE_CREATE, Map.of(BioServerContract.FACE_ID, UUID.randomUUID().toString(),
                    BioServerContract.IMAGE_TYPE, "SELFIE"), Map.of(BioServerContract.IMAGE_PART, otherMan));
            assertThat(status(full)).isEqualTo(400);
            assertThat(error(full)).contains("2 faces");
        }
    }

    @Test
    void replayLivenessFromInitToTheCallback() throws Exception {
        try (Stage stage = new Stage(64)) {
            String session = UUID.randomUUID().toString();
            assertThat(status(stage.session(session, BioServerContract.SESSION_CREATE, Map.of(BioServerContract.TTL_SECONDS, "300",
                    BioServerContract.IMAGE_STORAGE_ENABLED, "true", BioServerContract.CALLBACK_URL, "https://sp.example/callback"), Map.of())))
                    .isEqualTo(201);
            String key = BioServerContract.sessionKey(session);
            assertThat(status(stage.session(session, BioServerContract.REPLAY_METADATA, Map.of(), Map.of()))).as("before init").isEqualTo(404);

            JsonNode params = body(stage.session(session, BioServerContract.LIVENESS_INIT, Map.of(BioServerContract.LIVENESS_TYPE, "LIVENESS_ACTIVE",
                    BioServerContract.NB_CHALLENGE, "2", BioServerContract.IMAGE_RETRIEVAL_DISABLED, "false", BioServerContract.REPLAY_ID, "replay-id"), Map.of()));
            assertThat(params.get("id").asText()).isEqualTo("replay-id");
            assertThat(params.get("type").asText()).isEqualTo("LIVENESS_ACTIVE");
            assertThat(params.get("securityLevel").asText()).isEqualTo("HIGH");
            assertThat(params.get("nbChallenge").asInt()).isEqualTo(2);
            assertThat(params.get("seed").isInt()).isTrue();
            assertThat(java.util.Base64.getDecoder().decode(params.get("serverRandom").asText())).hasSize(32);
            List<KeyValue<String, io.openbio.events.NonceIssued>> nonces = Drivers.readAll(stage.nonces);
            assertThat(nonces).hasSize(1);
            assertThat(nonces.get(0).key).as("the nonce is the session key").isEqualTo(key);
            assertThat(nonces.get(0).value.getChallenge().getActions()).hasSize(2);
            assertThat(nonces.get(0).value.getChallenge().getSecurityLevel()).as("the verification follows it").isEqualTo("HIGH");
            assertThat(body(stage.session(session, BioServerContract.LIVENESS_PARAMETERS, Map.of(), Map.of()))).isEqualTo(params);
            assertThat(body(stage.session(session, BioServerContract.REPLAY_METADATA, Map.of(), Map.of())).get("status").asText()).isEqualTo("INITIALIZED");

            // the capture client: no key, so under another (the default) tenant
            Map<String, String> sid = Map.of(BioServerContract.SESSION_ID, session);
            JsonNode challenge = body(stage.call(key, "default", BioServerContract.LIVENESS_CHALLENGE, sid, Map.of()));
            assertThat(challenge.get("nonce").asText()).isEqualTo(key);
            assertThat(challenge.get("actions")).hasSize(2);
            stage.requests.pipeInput(key, TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString()).setTenant("default")
                    .setOperation(BioServerContract.LIVENESS_CAPTURE).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                    .setParts(List.of(new Part(BioServerContract.BUNDLE_PART, null, ByteBuffer.wrap(new byte[] {1, 2, 3})))).setAttributes(sid).build()));
            assertThat(Drivers.readAll(stage.results)).as("challenge-verify answers the capture").isEmpty();
            List<KeyValue<String, RequestEnvelope>> forwarded = Drivers.readAll(stage.forwarded);
            assertThat(forwarded).hasSize(1);
            assertThat(forwarded.get(0).value.getTenant()).as("on under the session's tenant").isEqualTo(TENANT);
            assertThat(forwarded.get(0).value.getOperation()).isEqualTo(io.openbio.schemas.contract.ChallengeContract.VERIFY_OPERATION);
            assertThat(body(stage.session(session, BioServerContract.REPLAY_METADATA, Map.of(), Map.of())).get("status").asText()).isEqualTo("IN_PROGRESS");
            ResultEvent busy = stage.session(session, BioServerContract.SESSION_DELETE, Map.of(), Map.of());
            assertThat(status(busy)).isEqualTo(409);
            assertThat(status(stage.session(session, BioServerContract.LIVENESS_INIT, Map.of(BioServerContract.LIVENESS_TYPE, "LIVENESS_PASSIVE"), Map.of())))
                    .as("one liveness per session").isEqualTo(409);
            assertThat(status(stage.call(key, "default", BioServerContract.LIVENESS_CAPTURE, sid, Map.of()))).as("a second capture").isEqualTo(404);

            // challenge-verify's outcome, keyed by the nonce
            stage.outcomes.pipeInput(key, io.openbio.events.ChallengeOutcome.newBuilder().setNonce(key).setTenant(TENANT)
                    .setRequestId(forwarded.get(0).value.getRequestId()).setVerdict("PASS").setReason("ALL_ACTIONS_FOUND")
                    .setCompletedAt(Instant.now()).setPassiveScore(0.9)
                    .setBestFrame(ByteBuffer.wrap(PayloadKeys.shared().seal(TENANT, io.openbio.schemas.crypto.Purpose.IMAGE, key, man1))).build());
            List<KeyValue<String, ResultEvent>> callbacks = Drivers.readAll(stage.results);
            assertThat(callbacks).hasSize(1);
            ResultEvent callback = SealedEvents.openPayload(PayloadKeys.shared(), callbacks.get(0).value);
            assertThat(callback.getCallbackUrl()).isEqualTo("https://sp.example/callback");
            assertThat(callback.getOperation()).isEqualTo(BioServerContract.REPLAY_CALLBACK);
            assertThat(body(callback)).isEqualTo(JSON.readTree("{\"sessionId\":\"" + session + "\"}"));
            assertThat(new String(io.openbio.processors.callback.CallbackSender.body(callbacks.get(0).value), StandardCharsets.UTF_8))
                    .as("the POST's body is the seed's, not the platform's result JSON").isEqualTo("{\"sessionId\":\"" + session + "\"}");

            JsonNode metadata = body(stage.session(session, BioServerContract.REPLAY_METADATA, Map.of(), Map.of()));
            assertThat(metadata.get("status").asText()).isEqualTo("SUCCESS");
            assertThat(java.util.Base64.getDecoder().decode(metadata.get("image").asText())).isEqualTo(man1);
            assertThat(metadata.at("/landmarks/box/width").asInt()).isPositive();
            JsonNode result = body(stage.session(session, BioServerContract.CHALLENGE_RESULT, Map.of(), Map.of()));
            assertThat(result.get("livenessStatus").asText()).isEqualTo("SUCCESS");
            String best = result.get("bestImageId").asText();
            JsonNode face = body(stage.session(session, BioServerContract.FACE_GET, Map.of(BioServerContract.FACE_ID, best), Map.of()));
            assertThat(face.get("imageType").asText()).isEqualTo("VIDEO_FRAME");
            assertThat(status(stage.session(session, BioServerContract.FACE_IMAGE, Map.of(BioServerContract.FACE_ID, best), Map.of()))).isEqualTo(200);
            assertThat(status(stage.session(session, BioServerContract.SESSION_DELETE, Map.of(), Map.of()))).isEqualTo(204);
        }
    }

    @Test
    void aPassiveReplayLeftWithoutCaptureTimesOutWithItsCallback() throws Exception {
        try (Stage stage = new Stage(64)) {
            String session = UUID.randomUUID().toString();
            stage.session(session, BioServerContract.SESSION_CREATE, Map.of(BioServerContract.TTL_SECONDS, "3600",
                    BioServerContract.CALLBACK_URL, "https://sp.example/cb"), Map.of());
            JsonNode params = body(stage.session(session, BioServerContract.LIVENESS_INIT, Map.of(BioServerContract.LIVENESS_TYPE, "LIVENESS_PASSIVE_VIDEO"), Map.of()));
            assertThat(params.has("nbChallenge")).isFalse();
            assertThat(params.get("imageRetrievalDisabled").asBoolean()).as("the seed's default").isTrue();
            assertThat(Drivers.readAll(stage.nonces).get(0).value.getChallenge().getActions()).as("nothing to perform").isEmpty();
            stage.clock.advance(Duration.ofMillis(120_000 + ReplayLiveness.GRACE_MS));
            assertThat(body(stage.session(session, BioServerContract.REPLAY_METADATA, Map.of(), Map.of())).get("status").asText()).isEqualTo("TIMEOUT");
            stage.driver.advanceWallClockTime(Duration.ofSeconds(6));
            List<KeyValue<String, ResultEvent>> callbacks = Drivers.readAll(stage.results);
            assertThat(callbacks).hasSize(1);
            assertThat(callbacks.get(0).value.getCallbackUrl()).isEqualTo("https://sp.example/cb");
            stage.driver.advanceWallClockTime(Duration.ofSeconds(6));
            assertThat(Drivers.readAll(stage.results)).as("one callback").isEmpty();
            assertThat(status(stage.session(session, BioServerContract.LIVENESS_INIT, Map.of(BioServerContract.LIVENESS_TYPE, "LIVENESS_ACTIVE"), Map.of())))
                    .isEqualTo(409);
            assertThat(status(stage.session(session, BioServerContract.LIVENESS_INIT, Map.of(BioServerContract.LIVENESS_TYPE, "NO_LIVENESS"), Map.of())))
                    .isIn(400, 409);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
