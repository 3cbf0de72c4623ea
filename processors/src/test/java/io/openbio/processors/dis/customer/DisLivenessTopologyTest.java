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
import io.openbio.events.DisCustomer;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.processors.TestSealing;
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
 * not, and the inspection's similarity and video-injection fields; the stores hold images sealed.
 */
class DisLivenessTopologyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "t1";
    static Drivers.Driver driver;
    static TestInputTopic<String, RequestEnvelope> requests;
    static TestOutputTopic<String, ResultEvent> results;
    static byte[] neutral;
    static byte[] smile;

    @BeforeAll
    static void start() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        driver = Drivers.start(new DisCustomerProcessor(Analyzers::shared, Duration.ofHours(1), Duration.ofSeconds(5), Clock.systemUTC())
                .topology(Drivers.SERDES));
        requests = driver.input(Topics.DIS_CUSTOMERS);
        results = driver.output(Topics.RESULTS);
        neutral = GenuineCaptures.frames(List.of()).get(0);
        smile = GenuineCaptures.frames(List.of("SMILE")).get(GenuineCaptures.LEAD);
    }

    @AfterAll
    static void stop() {
        driver.close();
    }

    static ResultEvent call(String operation, String customer, Map<String, String> extra, Map<String, byte[]> parts) {
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put(DisContract.CUSTOMER_ID, customer);
        List<Part> list = new ArrayList<>();
        parts.forEach((name, bytes) -> list.add(new Part(name, null, ByteBuffer.wrap(bytes))));
        RequestEnvelope request = TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setTenant(TENANT).setOperation(operation).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                .setParts(list).setAttributes(attributes).build());
        requests.pipeInput(DisContract.customerKey(customer, null), request);
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

    static byte[] bundle(List<byte[]> images, String cameraLabel) {
        BundleKeyStore keys = BundleKeys.open();
        long end = System.currentTimeMillis();
        long start = end - images.size() * GenuineCaptures.FRAME_MS - 100;
        List<CaptureFrame> frames = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            frames.add(new CaptureFrame(images.get(i), "image/jpeg", start + 50 + i * GenuineCaptures.FRAME_MS, 360, 360));
        }
        CaptureMetadata meta = new CaptureMetadata("dis-record-nonce", start, end, Map.of("os", "Linux"),
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
}
