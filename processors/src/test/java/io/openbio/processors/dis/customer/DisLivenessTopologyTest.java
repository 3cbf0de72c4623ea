package io.openbio.processors.dis.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.bundle.BundleKeyStore;
import io.openbio.bundle.BundleKeys;
import io.openbio.bundle.BundleWriter;
import io.openbio.bundle.CameraInfo;
import io.openbio.bundle.CaptureBundle;
import io.openbio.bundle.CaptureFrame;
import io.openbio.bundle.CaptureMetadata;
import io.openbio.events.ApiResponse;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.DisCustomer;
import io.openbio.events.DisLivenessRecord;
import io.openbio.events.NonceIssued;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.processors.TestSealing;
import io.openbio.processors.capture.NonceProcessor;
import io.openbio.processors.core.Analyzers;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.SealedEvents;
import io.openbio.testkit.Drivers;
import io.openbio.testkit.GenuineCaptures;
import io.openbio.testkit.Photos;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The liveness and inspection operations of the dis-customers stage on TopologyTestDriver, with the real models and
 * the server's capture-bundle keys ({@link BundleKeys}, as {@code ServerKeys} opens them): the liveness lifecycle,
 * selfies and their checks, evaluations and their preconditions, a record that is a capture bundle and one that is
 * not, and the inspection's similarity and video-injection fields; the stores hold images sealed. A record's nonce
 * use goes through the real nonce stage ({@link NonceProcessor}, its own driver; the test carries the records between
 * the two): single use across customers, bound to the tenant.
 */
class DisLivenessTopologyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "t1";
    static Drivers.Driver driver;
    static TestInputTopic<String, RequestEnvelope> requests;
    static TestOutputTopic<String, ResultEvent> results;
    /** The dis-customers stage's nonce uses and what comes back to it. */
    static TestOutputTopic<String, CaptureAnalysis> nonceUses;
    static TestInputTopic<String, CaptureAnalysis> captures;
    /** The real nonce stage, in its own driver: issued nonces, the uses it checks, the records it sends back. */
    static Drivers.Driver nonceDriver;
    static TestInputTopic<String, NonceIssued> issued;
    static TestInputTopic<String, CaptureAnalysis> toCheck;
    static TestOutputTopic<String, CaptureAnalysis> checked;
    static byte[] neutral;
    static byte[] smile;

    @BeforeAll
    static void start() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        driver = Drivers.start(new DisCustomerProcessor(Analyzers::shared, Duration.ofHours(1), Duration.ofSeconds(5), Clock.systemUTC())
                .topology(Drivers.SERDES));
        requests = driver.input(Topics.DIS_CUSTOMERS);
        results = driver.output(Topics.RESULTS);
        nonceUses = driver.output(Topics.CAPTURE_DECRYPTED);
        captures = driver.input(Topics.DIS_CAPTURES);
        nonceDriver = Drivers.start(new NonceProcessor().topology(Drivers.SERDES));
        issued = nonceDriver.input(Topics.CAPTURE_NONCES);
        toCheck = nonceDriver.input(Topics.CAPTURE_DECRYPTED);
        checked = nonceDriver.output(Topics.DIS_CAPTURES);
        neutral = GenuineCaptures.frames(List.of()).get(0);
        smile = GenuineCaptures.frames(List.of("SMILE")).get(GenuineCaptures.LEAD);
    }

    @AfterAll
    static void stop() {
        driver.close();
        nonceDriver.close();
    }

    static ResultEvent call(String operation, String customer, Map<String, String> extra, Map<String, byte[]> parts) {
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put(DisContract.CUSTOMER_ID, customer);
        List<Part> list = new ArrayList<>();
        parts.forEach((name, bytes) -> list.add(new Part(name, null, ByteBuffer.wrap(bytes))));
        RequestEnvelope request = TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setTenant(TENANT).setOperation(operation).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                .setParts(list).setAttributes(attributes).build());
        String key = DisContract.customerKey(customer, null);
        requests.pipeInput(key, request);
        // a record's nonce use: through the nonce stage (keyed by nonce) and back (keyed by the customer key)
        for (KeyValue<String, CaptureAnalysis> use : Drivers.readAll(nonceUses)) {
            assertThat(use.key).as("keyed by nonce for the nonce stage").isEqualTo(use.value.getNonce());
            toCheck.pipeInput(use.key, use.value);
        }
        for (KeyValue<String, CaptureAnalysis> back : Drivers.readAll(checked)) {
            assertThat(back.key).as("back on the customer's partition").isEqualTo(key);
            captures.pipeInput(back.key, back.value);
        }
        List<KeyValue<String, ResultEvent>> out = Drivers.readAll(results);
        assertThat(out).as("one result per request").hasSize(1);
        return SealedEvents.openPayload(PayloadKeys.shared(), out.get(0).value);
    }

    static int status(ResultEvent result) {
        return result.getError() != null ? result.getError().getStatus() : ((ApiResponse) result.getPayload()).getStatus();
    }

    static JsonNode body(ResultEvent result) throws Exception {
        assertThat(result.getError()).as("error").isNull();
        return JSON.readTree(((ApiResponse) result.getPayload()).getJson());
    }

    static String customer() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(status(call(DisContract.CUSTOMER_CREATE, id, Map.of(), Map.of()))).isEqualTo(200);
        return id;
    }

    static JsonNode selfie(String id, byte[] image, String assertion) throws Exception {
        return body(call(DisContract.LIVENESS_SELFIE_ADD, id, Map.of(DisContract.ASSERTION, assertion), Map.of(DisContract.IMAGE_PART, image)));
    }

    static JsonNode evaluate(String id, String type) throws Exception {
        return body(call(DisContract.LIVENESS_EVALUATION, id, Map.of(DisContract.LIVENESS_TYPE, type), Map.of()));
    }

    static KeyValueStore<String, byte[]> parts() {
        return driver.getKeyValueStore(DisCustomerProcessor.PARTS);
    }

    @Test
    void livenessLifecycleSelfiesAndEvaluations() throws Exception {
        String id = customer();
        // no liveness yet: 404 for its operations, 204 for its delete
        assertThat(call(DisContract.LIVENESS_SELFIE_ADD, id, Map.of(DisContract.ASSERTION, "NONE"), Map.of(DisContract.IMAGE_PART, neutral))
                .getError().getCode()).isEqualTo("NOT_FOUND");
        assertThat(status(call(DisContract.LIVENESS_DELETE, id, Map.of(), Map.of()))).isEqualTo(204);
        assertThat(body(call(DisContract.LIVENESS_PUT, id, Map.of(), Map.of())).at("/links/self").asText())
                .isEqualTo("/api/v1/customers/" + id + "/liveness");

        assertThat(selfie(id, neutral, "NONE").isEmpty()).isTrue();
        assertThat(selfie(id, Photos.bytes(Photos.SUDOKU), "NONE").get("errorCode").asText()).isEqualTo("NO_FACE_DETECTED");
        assertThat(selfie(id, Photos.bytes(Photos.MESSI), "NONE").get("warnings").toString()).contains("LOW_QUALITY");
        assertThat(call(DisContract.LIVENESS_SELFIE_ADD, id, Map.of(DisContract.ASSERTION, "NONE"),
                Map.of(DisContract.IMAGE_PART, "not an image".getBytes(StandardCharsets.UTF_8))).getError().getCode()).isEqualTo("INVALID_IMAGE");
        assertThat(call(DisContract.LIVENESS_SELFIE_ADD, id, Map.of(DisContract.ASSERTION, "BLINK"), Map.of(DisContract.IMAGE_PART, neutral))
                .getError().getCode()).isEqualTo("INVALID_REQUEST_BODY");
        // the customer's selfie as a liveness selfie: none yet
        assertThat(call(DisContract.LIVENESS_SELFIE_ADD, id, Map.of(DisContract.ASSERTION, "NEUTRAL", DisContract.FROM_SELFIE, "true"), Map.of())
                .getError().getCode()).isEqualTo("NOT_FOUND");

        // two NONE selfies kept (neutral, messi): the passive score is the lower one's
        JsonNode passive = evaluate(id, "PASSIVE_LIVENESS");
        assertThat(passive.get("score").asDouble()).isBetween(0.0, 1.0);
        assertThat(evaluate(id, "SMILE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");
        assertThat(evaluate(id, "EYE_GAZE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");
        selfie(id, neutral, "NEUTRAL");
        selfie(id, smile, "SMILE");
        assertThat(evaluate(id, "SMILE_LIVENESS").get("score").asDouble()).isBetween(0.6, 0.95);

        JsonNode retrieved = body(call(DisContract.LIVENESS_SELFIES_RETRIEVE, id, Map.of(DisContract.LIVENESS_TYPE, "SMILE_LIVENESS"), Map.of()));
        assertThat(retrieved.get("selfies")).hasSize(2);
        assertThat(Base64.getDecoder().decode(retrieved.at("/selfies/1/data").asText())).isEqualTo(smile);

        // a challenge: the four corners, kept on the liveness
        JsonNode challenge = body(call(DisContract.LIVENESS_CHALLENGE, id, Map.of(DisContract.LIVENESS_TYPE, "EYE_GAZE_LIVENESS"), Map.of()));
        assertThat(challenge.at("/details/corners")).hasSize(4);
        assertThat(call(DisContract.LIVENESS_CHALLENGE, id, Map.of(DisContract.LIVENESS_TYPE, "SMILE_LIVENESS"), Map.of()).getError().getCode())
                .isEqualTo("INVALID_REQUEST_BODY");
        DisCustomer stored = driver.<String, DisCustomer>getKeyValueStore(DisCustomerProcessor.CUSTOMERS).get(id);
        assertThat(stored.getLiveness().getChallenge()).hasSize(4);
        assertThat(stored.getLiveness().getSelfies()).hasSize(4);

        // the selfies are sealed in the parts store
        byte[] sealed = parts().get(id + "/" + DisLivenessOps.selfiePart(0));
        assertThat(sealed).isNotNull().isNotEqualTo(neutral);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("JFIF");

        // DELETE liveness drops its parts; a new PUT starts empty
        assertThat(status(call(DisContract.LIVENESS_DELETE, id, Map.of(), Map.of()))).isEqualTo(204);
        assertThat(parts().get(id + "/" + DisLivenessOps.selfiePart(0))).isNull();
        body(call(DisContract.LIVENESS_PUT, id, Map.of(), Map.of()));
        assertThat(evaluate(id, "PASSIVE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");
        assertThat(status(call(DisContract.CUSTOMER_DELETE, id, Map.of(), Map.of()))).isEqualTo(204);
    }

    @Test
    void aRecordWhoseNonceExpiredScoresZero() throws Exception {
        String id = customer();
        body(call(DisContract.LIVENESS_PUT, id, Map.of(), Map.of()));
        // issued to this tenant ten minutes ago, expired five minutes ago (the TTL of POST /bundle/nonce elapsed)
        String nonce = "n-" + UUID.randomUUID();
        Instant now = Instant.now();
        issued.pipeInput(nonce, new NonceIssued(nonce, TENANT, now.minusSeconds(600), now.minusSeconds(300), null));
        JsonNode added = body(call(DisContract.LIVENESS_RECORD_ADD, id, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()),
                Map.of(DisContract.RECORD_PART, bundle(GenuineCaptures.frames(List.of("TURN_LEFT", "TURN_RIGHT")), "Integrated Camera", nonce))));
        assertThat(added.has("errorCode")).as("kept as evidence").isFalse();
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        assertThat(records(id).get(0).getFailedSignals()).containsExactly("nonce");
        assertThat(body(call(DisContract.CUSTOMER_INSPECT, id, Map.of(), Map.of())).at("/security/videoInjection/detected").asBoolean()).isTrue();
        assertThat(status(call(DisContract.CUSTOMER_DELETE, id, Map.of(), Map.of()))).isEqualTo(204);
    }

    /** A nonce as {@code POST /bundle/nonce} records it for {@code tenant}. */
    static String nonce(String tenant) {
        String nonce = "n-" + UUID.randomUUID();
        Instant now = Instant.now();
        issued.pipeInput(nonce, new NonceIssued(nonce, tenant, now, now.plusSeconds(300), null));
        return nonce;
    }

    static byte[] bundle(List<byte[]> images, String cameraLabel) {
        return bundle(images, cameraLabel, nonce(TENANT));
    }

    static byte[] bundle(List<byte[]> images, String cameraLabel, String nonce) {
        BundleKeyStore keys = BundleKeys.open();
        long end = System.currentTimeMillis();
        long start = end - images.size() * GenuineCaptures.FRAME_MS - 100;
        List<CaptureFrame> frames = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            frames.add(new CaptureFrame(images.get(i), "image/jpeg", start + 50 + i * GenuineCaptures.FRAME_MS, 360, 360));
        }
        CaptureMetadata meta = new CaptureMetadata(nonce, start, end, Map.of("os", "Linux"),
                new CameraInfo(cameraLabel, 360, 360, "user"), "test", "1");
        return BundleWriter.write(new CaptureBundle(meta, frames), keys.activePublicKey(), keys.activeKid());
    }

    @Test
    void recordsAndInspection() throws Exception {
        String id = customer();
        body(call(DisContract.LIVENESS_PUT, id, Map.of(), Map.of()));
        // not a bundle: 200 INVALID_DATA, nothing kept
        JsonNode invalid = body(call(DisContract.LIVENESS_RECORD_ADD, id, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()),
                Map.of(DisContract.RECORD_PART, neutral)));
        assertThat(invalid.get("errorCode").asText()).isEqualTo("INVALID_DATA");
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");

        // the inspection before any bundle: video injection not evaluated, no selfie inspection without a selfie
        JsonNode before = body(call(DisContract.CUSTOMER_INSPECT, id, Map.of(), Map.of()));
        assertThat(before.at("/security/videoInjection/evaluated").asBoolean()).isFalse();
        assertThat(before.has("selfieInspection")).isFalse();
        assertThat(before.at("/links/documentInspection").asText()).isEqualTo("/api/v1/customers/" + id + "/document/inspect");

        String recordId = UUID.randomUUID().toString();
        JsonNode record = body(call(DisContract.LIVENESS_RECORD_ADD, id, Map.of(DisContract.RECORD_ID, recordId),
                Map.of(DisContract.RECORD_PART, bundle(GenuineCaptures.frames(List.of("TURN_LEFT", "TURN_RIGHT")), "Integrated Camera"))));
        assertThat(record.has("errorCode")).isFalse();
        assertThat(record.at("/links/selfie").asText()).isEqualTo("/api/v1/customers/" + id + "/liveness/records/" + recordId + "/selfie");
        assertThat(record.at("/selfie/detection/confidence").asDouble()).isBetween(0.5, 1.0);
        double score = evaluate(id, "MAGNIFEYE_LIVENESS").get("score").asDouble();
        assertThat(score).isBetween(0.0, 1.0);
        JsonNode recordSelfie = body(call(DisContract.LIVENESS_RECORD_SELFIE, id, Map.of(DisContract.RECORD_ID, recordId), Map.of()));
        assertThat(Base64.getDecoder().decode(recordSelfie.get("data").asText())[0] & 0xFF).isEqualTo(0xFF);
        assertThat(call(DisContract.LIVENESS_RECORD_SELFIE, id, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()), Map.of())
                .getError().getCode()).isEqualTo("NOT_FOUND");

        // the record's selfie as the customer's selfie (the wultra order), then inspect
        assertThat(status(call(DisContract.SELFIE_PUT, id, Map.of(DisContract.RECORD_ID, recordId), Map.of()))).isEqualTo(200);
        JsonNode inspection = body(call(DisContract.CUSTOMER_INSPECT, id, Map.of(), Map.of()));
        assertThat(inspection.at("/selfieInspection/similarityWith/livenessSelfies").asBoolean()).isTrue();
        assertThat(inspection.at("/selfieInspection/ageEstimate").asInt()).isBetween(15, 70);
        assertThat(inspection.at("/security/videoInjection/evaluated").asBoolean()).isTrue();
        assertThat(inspection.at("/security/videoInjection/detected").asBoolean()).isFalse();
        JsonNode disclose = body(call(DisContract.CUSTOMER_INSPECT_DISCLOSE, id, Map.of(), Map.of()));
        assertThat(disclose.at("/selfieInspection/similarityWith/livenessSelfies/score").asDouble()).isGreaterThan(0.9);

        // a second record from a virtual camera: injection detected, its MagnifEye score 0; another person's liveness
        // selfie makes livenessSelfies false
        body(call(DisContract.LIVENESS_RECORD_ADD, id, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()),
                Map.of(DisContract.RECORD_PART, bundle(GenuineCaptures.frames(List.of("TURN_LEFT", "TURN_RIGHT")), "OBS Virtual Camera"))));
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        selfie(id, Photos.bytes(Photos.MAN_B), "NONE");
        JsonNode after = body(call(DisContract.CUSTOMER_INSPECT, id, Map.of(), Map.of()));
        assertThat(after.at("/security/videoInjection/detected").asBoolean()).isTrue();
        assertThat(after.at("/selfieInspection/similarityWith/livenessSelfies").asBoolean()).isFalse();
        assertThat(body(call(DisContract.CUSTOMER_INSPECT_DISCLOSE, id, Map.of(), Map.of()))
                .at("/selfieInspection/similarityWith/livenessSelfies/score").asDouble()).isLessThan(0.5);
        assertThat(status(call(DisContract.CUSTOMER_DELETE, id, Map.of(), Map.of()))).isEqualTo(204);
        assertThat(parts().get(id + "/" + CustomerParts.recordSelfie(recordId))).isNull();
    }

    /** The stored records of a customer, in arrival order. */
    static List<DisLivenessRecord> records(String id) {
        DisCustomer stored = driver.<String, DisCustomer>getKeyValueStore(DisCustomerProcessor.CUSTOMERS).get(id);
        return stored.getLiveness().getRecords();
    }

    @Test
    void aRecordsNonceIsSingleUseAndBoundToTheTenant() throws Exception {
        String id = customer();
        body(call(DisContract.LIVENESS_PUT, id, Map.of(), Map.of()));
        List<byte[]> frames = GenuineCaptures.frames(List.of("TURN_LEFT", "TURN_RIGHT"));
        byte[] fresh = bundle(frames, "Integrated Camera");
        JsonNode first = body(call(DisContract.LIVENESS_RECORD_ADD, id, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()),
                Map.of(DisContract.RECORD_PART, fresh)));
        assertThat(first.has("errorCode")).isFalse();
        double score = evaluate(id, "MAGNIFEYE_LIVENESS").get("score").asDouble();
        assertThat(score).as("a fresh nonce, first use: the record scores").isGreaterThan(0.0);
        assertThat(records(id).get(0).getFailedSignals()).isEmpty();
        assertThat(body(call(DisContract.CUSTOMER_INSPECT, id, Map.of(), Map.of())).at("/security/videoInjection/detected").asBoolean()).isFalse();

        // the same bundle again, to the same customer: kept as evidence, its score 0, the injection detected
        JsonNode replay = body(call(DisContract.LIVENESS_RECORD_ADD, id, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()),
                Map.of(DisContract.RECORD_PART, fresh)));
        assertThat(replay.has("errorCode")).isFalse();
        assertThat(replay.at("/links/selfie").asText()).startsWith("/api/v1/customers/" + id + "/liveness/records/");
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        assertThat(records(id).get(1).getFailedSignals()).containsExactly("nonce");
        assertThat(body(call(DisContract.CUSTOMER_INSPECT, id, Map.of(), Map.of())).at("/security/videoInjection/detected").asBoolean()).isTrue();

        // the same bundle to another customer: the nonce is spent across customers (and every capture API)
        String other = customer();
        body(call(DisContract.LIVENESS_PUT, other, Map.of(), Map.of()));
        body(call(DisContract.LIVENESS_RECORD_ADD, other, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()),
                Map.of(DisContract.RECORD_PART, fresh)));
        assertThat(evaluate(other, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        assertThat(records(other).get(0).getFailedSignals()).containsExactly("nonce");

        // another tenant's nonce, and a nonce this platform never issued: score 0 as well
        String third = customer();
        body(call(DisContract.LIVENESS_PUT, third, Map.of(), Map.of()));
        body(call(DisContract.LIVENESS_RECORD_ADD, third, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()),
                Map.of(DisContract.RECORD_PART, bundle(frames, "Integrated Camera", nonce("t2")))));
        assertThat(evaluate(third, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        body(call(DisContract.LIVENESS_RECORD_ADD, third, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()),
                Map.of(DisContract.RECORD_PART, bundle(frames, "Integrated Camera", "never-issued"))));
        assertThat(evaluate(third, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        assertThat(records(third)).extracting(DisLivenessRecord::getFailedSignals).containsExactly(List.of("nonce"), List.of("nonce"));

        // the customer's liveness deleted while its record was at the nonce stage: the record answers 404, nothing kept
        byte[] late = bundle(frames, "Integrated Camera");
        Map<String, String> attributes = new HashMap<>(Map.of(DisContract.CUSTOMER_ID, third, DisContract.RECORD_ID, UUID.randomUUID().toString()));
        RequestEnvelope request = TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setTenant(TENANT).setOperation(DisContract.LIVENESS_RECORD_ADD).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                .setParts(List.of(new Part(DisContract.RECORD_PART, null, ByteBuffer.wrap(late)))).setAttributes(attributes).build());
        requests.pipeInput(third, request);
        assertThat(results.isEmpty()).as("answered when the nonce verdict is back").isTrue();
        List<KeyValue<String, CaptureAnalysis>> uses = Drivers.readAll(nonceUses);
        assertThat(uses).hasSize(1);
        assertThat(uses.get(0).value.getEnvelope().getParts()).as("the bundle is not carried on").isEmpty();
        assertThat(status(call(DisContract.LIVENESS_DELETE, third, Map.of(), Map.of()))).isEqualTo(204);
        toCheck.pipeInput(uses.get(0).key, uses.get(0).value);
        captures.pipeInput(third, Drivers.readAll(checked).get(0).value);
        ResultEvent gone = SealedEvents.openPayload(PayloadKeys.shared(), Drivers.readAll(results).get(0).value);
        assertThat(gone.getError().getCode()).isEqualTo("NOT_FOUND");
        assertThat(gone.getTrace()).extracting(t -> t.getStage()).containsExactly("dis-customers", "nonce", "dis-customers");
        for (String customer : List.of(id, other, third)) {
            assertThat(status(call(DisContract.CUSTOMER_DELETE, customer, Map.of(), Map.of()))).isEqualTo(204);
        }
    }
}
