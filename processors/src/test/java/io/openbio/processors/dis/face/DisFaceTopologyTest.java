package io.openbio.processors.dis.face;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.events.ApiResponse;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.inference.embed.Template;
import io.openbio.processors.TestSealing;
import io.openbio.processors.core.Analyzers;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DisContract;
import io.openbio.schemas.crypto.PayloadCipher;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.SealedEvents;
import io.openbio.testkit.Drivers;
import io.openbio.testkit.MutableClock;
import io.openbio.testkit.Photos;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dis-faces stage on TopologyTestDriver with the real models and real photos: creation (STRICT and
 * FREE on a group photo, no face, faceSizeRatio, unreadable image), similarity by template (same person
 * high, another low, another model's template, garbage), template, crops and their coordinates, aspects,
 * the attributes with no model, deletion, tenants, expiry by the punctuation, and sealing in the stores.
 */
class DisFaceTopologyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = "t1";
    static byte[] man1;
    static byte[] man2;
    static byte[] otherMan;
    static byte[] group;
    static byte[] noFace;

    final MutableClock clock = new MutableClock();
    Drivers.Driver driver;
    TestInputTopic<String, RequestEnvelope> requests;
    TestOutputTopic<String, ResultEvent> results;

    @BeforeAll
    static void photos() {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        man1 = Photos.panel(Photos.SAME_MAN_X3, 0, 3);
        man2 = Photos.panel(Photos.SAME_MAN_X3, 1, 3);
        otherMan = Photos.bytes(Photos.MAN_B);
        group = Photos.bytes(Photos.GROUP1);
        noFace = Photos.bytes(Photos.SUDOKU);
    }

    @BeforeEach
    void start() {
        driver = Drivers.start(new DisFaceProcessor(Analyzers::shared, Duration.ofSeconds(30), clock).topology(Drivers.SERDES));
        requests = driver.input(Topics.DIS_FACES);
        results = driver.output(Topics.RESULTS);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    ResultEvent call(String key, String tenant, String operation, Map<String, String> attributes, Map<String, byte[]> parts) {
        List<Part> list = new ArrayList<>();
        parts.forEach((name, bytes) -> list.add(new Part(name, null, ByteBuffer.wrap(bytes))));
        RequestEnvelope request = TestSealing.sealed(RequestEnvelope.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setTenant(tenant).setOperation(operation).setCreatedAt(Instant.now()).setReplyTo("openbio.replies.gw")
                .setParts(list).setAttributes(new HashMap<>(attributes)).build());
        requests.pipeInput(key, request);
        List<KeyValue<String, ResultEvent>> out = Drivers.readAll(results);
        assertThat(out).as("one result per request").hasSize(1);
        return SealedEvents.openPayload(PayloadKeys.shared(), out.get(0).value);
    }

    ResultEvent onFace(String id, String operation, Map<String, String> extra) {
        return onFace(id, TENANT, operation, extra);
    }

    ResultEvent onFace(String id, String tenant, String operation, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put(DisContract.FACE_ID, id);
        return call(id, tenant, operation, attributes, Map.of());
    }

    ResultEvent create(String id, byte[] image, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put(DisContract.FACE_ID, id);
        return call(id, TENANT, DisContract.FACE_CREATE, attributes, Map.of(DisContract.IMAGE_PART, image));
    }

    String createFace(byte[] image) {
        String id = UUID.randomUUID().toString();
        JsonNode body = body(create(id, image, Map.of()));
        assertThat(body.path("id").asText()).as(body.toString()).isEqualTo(id);
        return id;
    }

    ResultEvent similarity(String probe, String template) {
        return call(probe, TENANT, DisContract.FACE_SIMILARITY, Map.of(DisContract.FACE_ID, probe),
                Map.of(DisContract.TEMPLATE_PART, template.getBytes(StandardCharsets.UTF_8)));
    }

    static int status(ResultEvent result) {
        return result.getError() != null ? result.getError().getStatus() : ((ApiResponse) result.getPayload()).getStatus();
    }

    static String code(ResultEvent result) {
        assertThat(result.getError()).as("an error").isNotNull();
        return result.getError().getCode();
    }

    static JsonNode body(ResultEvent result) {
        assertThat(result.getError()).as(() -> String.valueOf(result.getError())).isNull();
        ApiResponse response = (ApiResponse) result.getPayload();
        assertThat(response.getStatus()).isEqualTo(200);
        try {
            return JSON.readTree(response.getJson());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    KeyValueStore<String, String> faces() {
        return driver.getKeyValueStore(DisFaceProcessor.FACES);
    }

    KeyValueStore<String, byte[]> images() {
        return driver.getKeyValueStore(DisFaceProcessor.IMAGES);
    }

    @Test
    void createsAFaceWithItsDetectionAndKeepsItSealed() {
        String id = UUID.randomUUID().toString();
        JsonNode created = body(create(id, man1, Map.of()));
        assertThat(created.get("id").asText()).isEqualTo(id);
        assertThat(created.at("/links/self").asText()).isEqualTo("/api/v1/faces/" + id);
        assertThat(created.at("/detection/confidence").asDouble()).isBetween(0.5, 1.0);
        JsonNode roi = created.at("/detection/faceRectangle");
        assertThat(roi.at("/bottomRight/x").asInt()).isGreaterThan(roi.at("/topLeft/x").asInt());
        assertThat(roi.at("/bottomLeft/y").asInt()).isGreaterThan(roi.at("/topLeft/y").asInt());
        assertThat(created.has("warnings")).isFalse();
        assertThat(created.has("errorCode")).isFalse();

        String record = faces().get("face:" + id);
        assertThat(record).contains("\"tenant\":\"t1\"");
        // template and geometry sealed: no template (Base64 of its magic "OBFT" is "T0JGV") and no landmarks in clear
        assertThat(record).contains("\"template\":").doesNotContain("T0JGV").doesNotContain("landmarks");
        assertThat(PayloadCipher.isSealed(images().get("face:" + id))).as("the image is sealed").isTrue();
    }

    @Test
    void strictRefusesAGroupPhotoAndFreeTakesTheBiggestFaceWithAWarning() {
        JsonNode strict = body(create(UUID.randomUUID().toString(), group, Map.of(DisContract.DETECTION_MODE, "STRICT")));
        assertThat(strict.get("errorCode").asText()).isEqualTo("MULTIPLE_FACES_DETECTED");
        assertThat(strict.has("id")).isFalse();

        String id = UUID.randomUUID().toString();
        JsonNode free = body(create(id, group, Map.of(DisContract.DETECTION_MODE, "FREE")));
        assertThat(free.get("id").asText()).isEqualTo(id);
        assertThat(free.get("warnings")).hasSize(1);
        assertThat(free.get("warnings").get(0).asText()).isEqualTo("MULTIPLE_FACES_DETECTED");

        // STRICT on one face is fine
        assertThat(body(create(UUID.randomUUID().toString(), man1, Map.of(DisContract.DETECTION_MODE, "STRICT"))).has("id")).isTrue();
    }

    @Test
    void noFaceFaceSizeRatioAndUnreadableImages() {
        JsonNode none = body(create(UUID.randomUUID().toString(), noFace, Map.of()));
        assertThat(none.get("errorCode").asText()).isEqualTo("NO_FACE_DETECTED");
        assertThat(faces().approximateNumEntries()).isZero();

        // the portrait's face is far larger than 1% of the image and smaller than 100%: a window excluding it finds none
        JsonNode tooBig = body(create(UUID.randomUUID().toString(), man1, Map.of(DisContract.FACE_SIZE_MIN, "0.0",
                DisContract.FACE_SIZE_MAX, "0.01")));
        assertThat(tooBig.get("errorCode").asText()).isEqualTo("NO_FACE_DETECTED");
        assertThat(body(create(UUID.randomUUID().toString(), man1, Map.of(DisContract.FACE_SIZE_MIN, "0.01",
                DisContract.FACE_SIZE_MAX, "1"))).has("id")).isTrue();

        ResultEvent garbage = create(UUID.randomUUID().toString(), "not an image".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(status(garbage)).isEqualTo(400);
        assertThat(code(garbage)).isEqualTo("INVALID_IMAGE");
    }

    @Test
    void similarityByTemplateScoresTheSamePersonHighAndAnotherLow() {
        String probe = createFace(man1);
        String same = createFace(man2);
        String other = createFace(otherMan);
        JsonNode template = body(onFace(same, DisContract.FACE_TEMPLATE, Map.of()));
        assertThat(template.get("version").asText()).matches("1\\.\\d+");
        Template decoded = Template.decode(template.get("data").asText());
        assertThat(decoded.vector()).hasSize(512);

        double sameScore = body(similarity(probe, template.get("data").asText())).get("score").asDouble();
        String otherTemplate = body(onFace(other, DisContract.FACE_TEMPLATE, Map.of())).get("data").asText();
        double otherScore = body(similarity(probe, otherTemplate)).get("score").asDouble();
        assertThat(sameScore).isBetween(0.9, 1.0);
        assertThat(otherScore).isBetween(0.0, 0.1);

        // a template of another model version, and bytes that are no template
        Template foreign = new Template(decoded.modelId(), decoded.modelVersion() + "-other", decoded.vector());
        ResultEvent wrongVersion = similarity(probe, foreign.encode());
        assertThat(status(wrongVersion)).isEqualTo(400);
        assertThat(code(wrongVersion)).isEqualTo("UNSUPPORTED_VERSION_TEMPLATE");
        ResultEvent corrupted = similarity(probe, Base64.getEncoder().encodeToString("garbage".getBytes(StandardCharsets.UTF_8)));
        assertThat(code(corrupted)).isEqualTo("CORRUPTED_TEMPLATE");
        assertThat(code(similarity(probe, "%%% not base64"))).isEqualTo("CORRUPTED_TEMPLATE");
        assertThat(code(similarity(UUID.randomUUID().toString(), template.get("data").asText()))).isEqualTo("NOT_FOUND");
    }

    @Test
    void cropsCoordinatesAndAspects() throws Exception {
        String id = createFace(man1);
        JsonNode crop = body(onFace(id, DisContract.FACE_CROP, Map.of(DisContract.WIDTH, "200")));
        var image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(crop.get("data").asText())));
        assertThat(image.getWidth()).isEqualTo(200);
        assertThat(image.getHeight()).isEqualTo(200); // the crop is square
        JsonNode sized = body(onFace(id, DisContract.FACE_CROP, Map.of(DisContract.WIDTH, "120", DisContract.HEIGHT, "160")));
        var both = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(sized.get("data").asText())));
        assertThat(both.getWidth()).isEqualTo(120);
        assertThat(both.getHeight()).isEqualTo(160);
        assertThat(code(onFace(id, DisContract.FACE_CROP, Map.of(DisContract.WIDTH, "0")))).isEqualTo("INVALID_REQUEST_PARAMETER");

        JsonNode cutOut = body(onFace(id, DisContract.FACE_CROP_NO_BACKGROUND, Map.of(DisContract.WIDTH, "128")));
        var png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(cutOut.get("data").asText())));
        assertThat(png.getWidth()).isEqualTo(128);
        assertThat(png.getColorModel().hasAlpha()).as("a PNG with transparency").isTrue();
        assertThat(png.getRGB(64, 64) >>> 24).as("the face (centre) is kept").isGreaterThan(200);
        assertThat(png.getRGB(2, 2) >>> 24).as("a corner is background").isLessThan(128);

        JsonNode coordinates = body(onFace(id, DisContract.FACE_CROP_COORDINATES, Map.of()));
        assertThat(coordinates.has("fullyCaptured")).isTrue();
        assertThat(coordinates.at("/coordinates/bottomRight/x").asInt()).isGreaterThan(coordinates.at("/coordinates/topLeft/x").asInt());

        JsonNode aspects = body(onFace(id, DisContract.FACE_ASPECTS, Map.of()));
        assertThat(aspects.get("age").isInt()).isTrue();
        assertThat(aspects.get("age").asInt()).isBetween(15, 70);
        assertThat(aspects.get("gender").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void qualityHasTheAttributesAndHeadPose() {
        String id = createFace(man1);
        JsonNode quality = body(onFace(id, DisContract.FACE_QUALITY, Map.of()));
        for (String name : List.of("sharpness", "brightness", "contrast", "uniqueIntensityLevels", "specularity", "eyeDistance", "rightEye",
                "leftEye", "faceSize", "faceRelativeArea", "faceRelativeAreaInImage")) {
            assertThat(quality.at("/" + name + "/score").asDouble(-1)).as(name).isBetween(0.0, 1.0);
            assertThat(quality.at("/" + name + "/preconditionsMet").isBoolean()).as(name).isTrue();
        }
        assertThat(quality.at("/rightEye/score").asDouble()).as("eyes open").isGreaterThan(0.5);
        for (String pose : List.of("roll", "yaw", "pitch")) {
            assertThat(quality.at("/" + pose + "/angle").isInt()).as(pose).isTrue();
            assertThat(quality.at("/" + pose + "/preconditionsMet").asBoolean()).as(pose).isTrue();
        }
        assertThat(quality.size()).isBetween(17, 21);
    }

    ResultEvent onPalm(String id, String operation) {
        return call(id, TENANT, operation, Map.of(DisContract.PALM_ID, id), Map.of());
    }

    @Test
    void palmsAreDetectedAndSayWhatTheyCannotDo() {
        String id = UUID.randomUUID().toString();
        JsonNode created = body(call(id, TENANT, DisContract.PALM_CREATE, Map.of(DisContract.PALM_ID, id),
                Map.of(DisContract.IMAGE_PART, Photos.bytes(Photos.PALM_C))));
        assertThat(created.get("id").asText()).isEqualTo(id);
        assertThat(created.at("/links/self").asText()).isEqualTo("/api/v1/palms/" + id);
        assertThat(created.at("/detection/confidence").asDouble()).isBetween(0.5, 1.0);
        JsonNode rectangle = created.at("/detection/palmRectangle");
        assertThat(rectangle.at("/bottomLeft/y").asInt()).as("upright palm: the wrist side below the fingers").isGreaterThan(rectangle.at("/topLeft/y").asInt());
        assertThat(faces().get("palm:" + id)).doesNotContain("template");
        assertThat(images().get("palm:" + id)).as("no palm image kept").isNull();

        String none = UUID.randomUUID().toString();
        assertThat(body(call(none, TENANT, DisContract.PALM_CREATE, Map.of(DisContract.PALM_ID, none),
                Map.of(DisContract.IMAGE_PART, noFace))).get("errorCode").asText()).isEqualTo("NO_PALM_DETECTED");

        JsonNode similarity = body(onPalm(id, DisContract.PALM_SIMILARITY));
        assertThat(similarity.get("errorCode").asText()).isEqualTo("PALM_TEMPLATE_MATCHING_FAILED");
        assertThat(similarity.has("score")).isFalse();
        assertThat(body(onPalm(id, DisContract.PALM_INSPECT)).at("/securityInspection/videoInjection/evaluated").asBoolean(true)).isFalse();
        ResultEvent template = onPalm(id, DisContract.PALM_TEMPLATE);
        assertThat(status(template)).isEqualTo(404);
        assertThat(template.getError().getMessage()).contains("No palm-recognition model");
        assertThat(status(onPalm(id, DisContract.PALM_DELETE))).isEqualTo(204);
        assertThat(status(onPalm(id, DisContract.PALM_DELETE))).isEqualTo(204);
        assertThat(onPalm(id, DisContract.PALM_SIMILARITY).getError().getMessage()).isEqualTo("Palm not found");
        assertThat(code(onFace(id, DisContract.FACE_TEMPLATE, Map.of()))).as("a palm id is no face").isEqualTo("NOT_FOUND");
    }

    @Test
    void glassesAndMaskHaveNoModelAndSaySo() {
        String id = createFace(man1);
        ResultEvent glasses = onFace(id, DisContract.FACE_GLASSES, Map.of());
        assertThat(status(glasses)).isEqualTo(404);
        assertThat(glasses.getError().getMessage()).contains("No glasses-detection model");
        ResultEvent mask = onFace(id, DisContract.FACE_MASK, Map.of());
        assertThat(mask.getError().getMessage()).contains("No face-mask-detection model");
        assertThat(onFace(UUID.randomUUID().toString(), DisContract.FACE_GLASSES, Map.of()).getError().getMessage())
                .isEqualTo("Face not found");
    }

    @Test
    void deleteIsIdempotentAndTenantsAreApart() {
        String id = createFace(man1);
        assertThat(status(onFace(id, "t2", DisContract.FACE_TEMPLATE, Map.of()))).as("another tenant's face").isEqualTo(404);
        assertThat(status(onFace(id, "t2", DisContract.FACE_DELETE, Map.of()))).isEqualTo(204);
        assertThat(faces().get("face:" + id)).as("another tenant deletes nothing").isNotNull();
        assertThat(status(onFace(id, DisContract.FACE_DELETE, Map.of()))).isEqualTo(204);
        assertThat(faces().get("face:" + id)).isNull();
        assertThat(images().get("face:" + id)).isNull();
        assertThat(status(onFace(id, DisContract.FACE_DELETE, Map.of()))).isEqualTo(204);
        assertThat(code(onFace(id, DisContract.FACE_TEMPLATE, Map.of()))).isEqualTo("NOT_FOUND");
        assertThat(code(onFace("not-a-uuid", DisContract.FACE_TEMPLATE, Map.of()))).isEqualTo("INVALID_ID");
    }

    @Test
    void facesExpireAfterTheirTimeToLive() {
        String id = createFace(man1);
        clock.advance(Duration.ofSeconds(20));
        driver.advanceWallClockTime(Duration.ofSeconds(31));
        assertThat(faces().get("face:" + id)).as("not expired yet").isNotNull();
        clock.advance(Duration.ofSeconds(11));
        assertThat(code(onFace(id, DisContract.FACE_TEMPLATE, Map.of()))).as("past its expiry: not found at once").isEqualTo("NOT_FOUND");
        driver.advanceWallClockTime(Duration.ofSeconds(31));
        assertThat(faces().get("face:" + id)).isNull();
        assertThat(images().get("face:" + id)).isNull();
    }
}
