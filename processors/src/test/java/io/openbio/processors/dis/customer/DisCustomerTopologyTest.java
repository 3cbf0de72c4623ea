package io.openbio.processors.dis.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.DisCustomer;
import io.openbio.events.DisSession;
import io.openbio.events.ExtractedImage;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.processors.TestSealing;
import io.openbio.processors.core.Analyzers;
import io.openbio.processors.core.Sealing;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.SealedEvents;
import io.openbio.testkit.Drivers;
import io.openbio.testkit.MutableClock;
import io.openbio.testkit.Photos;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
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
 * The dis-customers stage on TopologyTestDriver with the real face models and real photos: customers'
 * lifecycle (client ids, ALREADY_EXISTS, idempotent delete, store), the selfie (detection, age and gender
 * from the models, crop, no face, several faces, an unreadable image, the internal CUSTOMER_IMAGE), DIS
 * sessions (a session's customers only with its token, deleted with it), expiry (reads past it, the
 * punctuation), and that the stores hold images sealed.
 */
class DisCustomerTopologyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "t1";
    static byte[] man;
    static byte[] noFace;
    static byte[] group;

    @BeforeAll
    static void photos() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        man = Photos.bytes(Photos.MAN_A);
        noFace = Photos.bytes(Photos.SUDOKU);
        group = Photos.bytes(Photos.GROUP1);
    }

    static final class Stage implements AutoCloseable {
        final Drivers.Driver driver;
        final TestInputTopic<String, RequestEnvelope> requests;
        final TestOutputTopic<String, ResultEvent> results;
        final MutableClock clock = new MutableClock();
        final DisCustomerProcessor processor;

        Stage(Duration customerTtl) {
            this(customerTtl, DisDocumentInspection.LOW_OCR_CONFIDENCE);
        }

        /** @param lowOcrConfidence the document inspection's {@code OPENBIO_DIS_LOW_OCR_CONFIDENCE} */
        Stage(Duration customerTtl, double lowOcrConfidence) {
            processor = new DisCustomerProcessor(Analyzers::shared, customerTtl, Duration.ofSeconds(5), clock, lowOcrConfidence);
            driver = Drivers.start(processor.topology(Drivers.SERDES));
            requests = driver.input(Topics.DIS_CUSTOMERS);
            results = driver.output(Topics.RESULTS);
        }

        ResultEvent call(String operation, Map<String, String> attributes, Map<String, byte[]> parts) {
            return call(TENANT, operation, attributes, parts);
        }

        /** Keyed as the gateway keys it: {@link DisContract#customerKey}, a session call by its session id. */
        ResultEvent call(String tenant, String operation, Map<String, String> attributes, Map<String, byte[]> parts) {
            List<Part> list = new ArrayList<>();
            parts.forEach((name, bytes) -> list.add(new Part(name, null, ByteBuffer.wrap(bytes))));
            RequestEnvelope request = TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString())
                    .setTenant(tenant).setOperation(operation).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                    .setParts(list).setAttributes(new HashMap<>(attributes)).build());
            String session = attributes.get(DisContract.SESSION_ID);
            String customer = attributes.get(DisContract.CUSTOMER_ID);
            String key = customer != null ? DisContract.customerKey(customer, session) : session;
            requests.pipeInput(key == null ? request.getRequestId() : key, request);
            List<KeyValue<String, ResultEvent>> out = Drivers.readAll(results);
            assertThat(out).as("one result per request").hasSize(1);
            return SealedEvents.openPayload(PayloadKeys.shared(), out.get(0).value);
        }

        ResultEvent customer(String operation, String customerId, String sessionId, Map<String, String> extra, Map<String, byte[]> parts) {
            Map<String, String> attributes = new HashMap<>(extra);
            attributes.put(DisContract.CUSTOMER_ID, customerId);
            if (sessionId != null) {
                attributes.put(DisContract.SESSION_ID, sessionId);
            }
            return call(operation, attributes, parts);
        }

        ResultEvent customer(String operation, String customerId) {
            return customer(operation, customerId, null, Map.of(), Map.of());
        }

        String create(String sessionId) throws Exception {
            String id = UUID.randomUUID().toString();
            JsonNode created = body(customer(DisContract.CUSTOMER_CREATE, id, sessionId, Map.of(), Map.of()));
            assertThat(created.get("id").asText()).isEqualTo(id);
            assertThat(created.at("/links/self").asText()).isEqualTo("/api/v1/customers/" + id);
            return id;
        }

        String session(int timeoutSeconds) {
            String sessionId = DisContract.sessionId(UUID.randomUUID().toString());
            ResultEvent created = call(DisContract.SESSION_CREATE, Map.of(DisContract.SESSION_ID, sessionId,
                    DisContract.SESSION_TIMEOUT, Integer.toString(timeoutSeconds)), Map.of());
            assertThat(status(created)).isEqualTo(200);
            return sessionId;
        }

        KeyValueStore<String, DisCustomer> customers() {
            return driver.getKeyValueStore(DisCustomerProcessor.CUSTOMERS);
        }

        KeyValueStore<String, byte[]> parts() {
            return driver.getKeyValueStore(DisCustomerProcessor.PARTS);
        }

        KeyValueStore<String, DisSession> sessions() {
            return driver.getKeyValueStore(DisCustomerProcessor.SESSIONS);
        }

        /** Closes the driver, then the stage (its Tesseract engines), as ProcessorRuntime does. */
        @Override
        public void close() {
            driver.close();
            processor.close();
        }
    }

    static int status(ResultEvent result) {
        return result.getError() != null ? result.getError().getStatus() : result.getPayload() instanceof ApiResponse r ? r.getStatus() : 200;
    }

    static String code(ResultEvent result) {
        return result.getError() == null ? null : result.getError().getCode();
    }

    static JsonNode body(ResultEvent result) throws Exception {
        assertThat(result.getError()).as("error").isNull();
        return JSON.readTree(((ApiResponse) result.getPayload()).getJson());
    }

    static long count(KeyValueStore<String, ?> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void customerLifecycle() throws Exception {
        try (Stage stage = new Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            assertThat(body(stage.customer(DisContract.CUSTOMER_GET, id))).isEqualTo(JSON.readTree("{\"customer\":{}}"));
            // the client's own id again: 422 ALREADY_EXISTS
            ResultEvent again = stage.customer(DisContract.CUSTOMER_CREATE, id);
            assertThat(status(again)).isEqualTo(422);
            assertThat(code(again)).isEqualTo("ALREADY_EXISTS");
            // another tenant does not see it
            ResultEvent other = stage.call("t2", DisContract.CUSTOMER_GET, Map.of(DisContract.CUSTOMER_ID, id), Map.of());
            assertThat(status(other)).isEqualTo(404);
            assertThat(code(other)).isEqualTo("NOT_FOUND");
            // store: 204, recorded with the customer; the externalId defaults to the customer id
            assertThat(status(stage.customer(DisContract.CUSTOMER_STORE, id, null,
                    Map.of(DisContract.ONBOARDING_STATUS, "IN_PROGRESS"), Map.of()))).isEqualTo(204);
            assertThat(stage.customers().get(id).getExternalId()).isEqualTo(id);
            assertThat(status(stage.customer(DisContract.CUSTOMER_STORE, id, null,
                    Map.of(DisContract.ONBOARDING_STATUS, "FINISHED", DisContract.EXTERNAL_ID, "crm-42"), Map.of()))).isEqualTo(204);
            assertThat(stage.customers().get(id).getExternalId()).isEqualTo("crm-42");
            assertThat(stage.customers().get(id).getOnboardingStatus()).isEqualTo("FINISHED");
            ResultEvent badStatus = stage.customer(DisContract.CUSTOMER_STORE, id, null, Map.of(DisContract.ONBOARDING_STATUS, "DONE"), Map.of());
            assertThat(code(badStatus)).isEqualTo("INVALID_REQUEST_BODY");
            // delete: 204, then 404; deleting again is 204 (idempotent)
            assertThat(status(stage.customer(DisContract.CUSTOMER_DELETE, id))).isEqualTo(204);
            assertThat(status(stage.customer(DisContract.CUSTOMER_GET, id))).isEqualTo(404);
            assertThat(status(stage.customer(DisContract.CUSTOMER_DELETE, id))).isEqualTo(204);
            assertThat(count(stage.customers())).isZero();
            // a store/get of an unknown customer: 404; a non-UUID id: 400 INVALID_ID
            assertThat(code(stage.customer(DisContract.CUSTOMER_STORE, UUID.randomUUID().toString(), null,
                    Map.of(DisContract.ONBOARDING_STATUS, "FINISHED"), Map.of()))).isEqualTo("NOT_FOUND");
            ResultEvent invalid = stage.call(DisContract.CUSTOMER_GET, Map.of(DisContract.CUSTOMER_ID, "not-a-uuid"), Map.of());
            assertThat(status(invalid)).isEqualTo(400);
            assertThat(code(invalid)).isEqualTo("INVALID_ID");
            // an operation this stage does not serve is answered, never left waiting
            ResultEvent unknown = stage.customer("dis.nothing", UUID.randomUUID().toString());
            assertThat(status(unknown)).isEqualTo(400);
        }
    }

    @Test
    void selfieDetectionEstimatesCropAndSealing() throws Exception {
        try (Stage stage = new Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            JsonNode selfie = body(stage.customer(DisContract.SELFIE_PUT, id, null, Map.of(), Map.of(DisContract.IMAGE_PART, man)));
            assertThat(selfie.has("errorCode")).isFalse();
            assertThat(selfie.has("warnings")).isFalse();
            assertThat(selfie.at("/detection/confidence").asDouble()).isBetween(0.5, 1.0);
            JsonNode roi = selfie.at("/detection/faceRectangle");
            assertThat(roi.at("/bottomRight/x").asInt()).isGreaterThan(roi.at("/topLeft/x").asInt() + 30);
            assertThat(roi.at("/bottomRight/y").asInt()).isGreaterThan(roi.at("/topLeft/y").asInt() + 30);
            assertThat(roi.at("/topRight/x").asInt()).isEqualTo(roi.at("/bottomRight/x").asInt());
            assertThat(roi.at("/bottomLeft/y").asInt()).isEqualTo(roi.at("/bottomRight/y").asInt());
            assertThat(selfie.at("/links/self").asText()).isEqualTo("/api/v1/customers/" + id + "/selfie");

            // the customer now has the models' age and gender of the selfie (man_a: an adult man)
            JsonNode customer = body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer");
            assertThat(customer.at("/age/selfie").asText()).matches("\\d{1,3}");
            assertThat(Integer.parseInt(customer.at("/age/selfie").asText())).isBetween(18, 80);
            assertThat(customer.at("/gender/selfie").asText()).isEqualTo("M");

            // GET selfie: the face crop, a JPEG smaller than the photo
            byte[] crop = Base64.getDecoder().decode(body(stage.customer(DisContract.SELFIE_GET, id)).get("data").asText());
            assertThat(crop[0] & 0xFF).isEqualTo(0xFF);
            assertThat(crop[1] & 0xFF).isEqualTo(0xD8);
            assertThat(Analyzers.shared().decode(crop).image().width()).isLessThan(Analyzers.shared().decode(man).image().width());

            // the stores hold the images sealed, never the plain bytes
            byte[] stored = stage.parts().get(CustomerParts.key(id, CustomerParts.SELFIE));
            assertThat(stored).isNotNull();
            assertThat(Arrays.equals(stored, man)).isFalse();
            assertThat(indexOf(stored, Arrays.copyOfRange(man, 0, 64))).isNegative();

            // the internal operation for faceOrigin.link: the selfie as uploaded
            ResultEvent image = stage.customer(DisContract.CUSTOMER_IMAGE, id, null, Map.of(DisContract.IMAGE_SOURCE, DisContract.SELFIE_SOURCE), Map.of());
            assertThat(image.getError()).isNull();
            ExtractedImage extracted = (ExtractedImage) image.getPayload();
            assertThat(extracted.getContentType()).isEqualTo("image/jpeg");
            assertThat(Sealing.bytes(extracted.getData())).isEqualTo(man);

            // DELETE selfie: 204, then GET selfie 404 and the customer without estimates; again 204
            assertThat(status(stage.customer(DisContract.SELFIE_DELETE, id))).isEqualTo(204);
            assertThat(code(stage.customer(DisContract.SELFIE_GET, id))).isEqualTo("NOT_FOUND");
            assertThat(code(stage.customer(DisContract.CUSTOMER_IMAGE, id))).isEqualTo("NOT_FOUND");
            assertThat(body(stage.customer(DisContract.CUSTOMER_GET, id)).get("customer").isEmpty()).isTrue();
            assertThat(status(stage.customer(DisContract.SELFIE_DELETE, id))).isEqualTo(204);
            assertThat(count(stage.parts())).isZero();
        }
    }

    @Test
    void selfieOutcomes() throws Exception {
        try (Stage stage = new Stage(Duration.ofHours(1))) {
            String id = stage.create(null);
            // no face: 200 with errorCode, nothing stored
            JsonNode none = body(stage.customer(DisContract.SELFIE_PUT, id, null, Map.of(), Map.of(DisContract.IMAGE_PART, noFace)));
            assertThat(none).isEqualTo(JSON.readTree("{\"errorCode\":\"NO_FACE_DETECTED\"}"));
            assertThat(code(stage.customer(DisContract.SELFIE_GET, id))).isEqualTo("NOT_FOUND");
            // several faces: the largest is the selfie, with the warning
            JsonNode several = body(stage.customer(DisContract.SELFIE_PUT, id, null, Map.of(), Map.of(DisContract.IMAGE_PART, group)));
            assertThat(several.get("warnings")).isEqualTo(JSON.readTree("[\"MULTIPLE_FACES_DETECTED\"]"));
            assertThat(several.has("detection")).isTrue();
            // bytes that are no image: 400 INVALID_IMAGE
            ResultEvent garbage = stage.customer(DisContract.SELFIE_PUT, id, null, Map.of(), Map.of(DisContract.IMAGE_PART, "not an image".getBytes()));
            assertThat(status(garbage)).isEqualTo(400);
            assertThat(code(garbage)).isEqualTo("INVALID_IMAGE");
            // a liveness record's selfie that does not exist: 404
            ResultEvent record = stage.customer(DisContract.SELFIE_PUT, id, null, Map.of(DisContract.RECORD_ID, UUID.randomUUID().toString()), Map.of());
            assertThat(code(record)).isEqualTo("NOT_FOUND");
            // a selfie for an unknown customer: 404
            assertThat(code(stage.customer(DisContract.SELFIE_PUT, UUID.randomUUID().toString(), null, Map.of(),
                    Map.of(DisContract.IMAGE_PART, man)))).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void sessionBindsItsCustomersAndDeletesThem() throws Exception {
        try (Stage stage = new Stage(Duration.ofHours(1))) {
            String session = stage.session(600);
            assertThat(stage.sessions().get(session).getTenant()).isEqualTo(TENANT);
            String id = stage.create(session);
            assertThat(stage.customers().get(session + "/" + id)).isNotNull();
            assertThat(status(stage.customer(DisContract.SELFIE_PUT, id, session, Map.of(), Map.of(DisContract.IMAGE_PART, man)))).isEqualTo(200);
            assertThat(status(stage.customer(DisContract.CUSTOMER_GET, id, session, Map.of(), Map.of()))).isEqualTo(200);
            // without the token, or with another session's: 404 (existence not revealed)
            assertThat(code(stage.customer(DisContract.CUSTOMER_GET, id))).isEqualTo("NOT_FOUND");
            String other = stage.session(600);
            assertThat(code(stage.customer(DisContract.CUSTOMER_GET, id, other, Map.of(), Map.of()))).isEqualTo("NOT_FOUND");
            // a customer under a token that names no session: 401 (the token is a credential)
            assertThat(status(stage.customer(DisContract.CUSTOMER_CREATE, UUID.randomUUID().toString(),
                    DisContract.sessionId("unknown-token"), Map.of(), Map.of()))).isEqualTo(401);
            // DELETE /sessions: the session, its customers and their parts
            assertThat(status(stage.call(DisContract.SESSION_DELETE, Map.of(DisContract.SESSION_ID, session), Map.of()))).isEqualTo(204);
            assertThat(code(stage.customer(DisContract.CUSTOMER_GET, id, session, Map.of(), Map.of()))).isEqualTo("NOT_FOUND");
            assertThat(stage.sessions().get(session)).isNull();
            assertThat(count(stage.customers())).isZero();
            assertThat(count(stage.parts())).isZero();
            // again: 204 (idempotent)
            assertThat(status(stage.call(DisContract.SESSION_DELETE, Map.of(DisContract.SESSION_ID, session), Map.of()))).isEqualTo(204);
        }
    }

    @Test
    void expiryOfCustomersAndSessions() throws Exception {
        try (Stage stage = new Stage(Duration.ofSeconds(100))) {
            String plain = stage.create(null);
            String session = stage.session(30);
            String bound = stage.create(session);
            // a session customer ends with its session (30 s), before its own time to live (100 s)
            assertThat(stage.customers().get(session + "/" + bound).getExpiresAt()).isEqualTo(stage.sessions().get(session).getExpiresAt());
            stage.clock.advance(Duration.ofSeconds(31));
            assertThat(code(stage.customer(DisContract.CUSTOMER_GET, bound, session, Map.of(), Map.of()))).isEqualTo("NOT_FOUND");
            assertThat(status(stage.customer(DisContract.CUSTOMER_GET, plain))).isEqualTo(200);
            stage.clock.advance(Duration.ofSeconds(70));
            // past the time to live: the store still holds it until the sweep, but reads answer 404 at once
            assertThat(stage.customers().get(plain)).isNotNull();
            stage.driver.advanceWallClockTime(Duration.ofSeconds(6));
            assertThat(stage.customers().get(plain)).isNull();
            assertThat(count(stage.customers())).isZero();
            assertThat(count(stage.sessions())).isZero();
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
