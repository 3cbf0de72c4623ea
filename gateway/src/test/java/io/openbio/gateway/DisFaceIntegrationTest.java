package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.gateway.dis.DisClient;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.inference.embed.Template;
import io.openbio.testkit.Photos;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DIS faces and palms (seed 004, api-notes flows D6 and D7) over real HTTP, the embedded broker and the real dis-faces stage
 * with its models, Bearer API keys; every answer validated against the reference {@code dis-1.52.0-openapi.json}
 * ({@link DisClient#expect}). Photos: two panels of {@code same_man_x3.jpg} (the same man), {@code man_b.jpg}
 * (another man), {@code group1.jpg} (several faces), {@code sudoku.png} (no face, no palm), {@code palm_c.jpg} /
 * {@code palm_d.jpg} (one open palm each). A face can also come from a customer's selfie ({@code faceOrigin.link},
 * through the dis-customers stage).
 */
class DisFaceIntegrationTest {
    static final String KEY = "dis-face-key";
    static DisClient dis;
    static byte[] man1;
    static byte[] man2;
    static byte[] otherMan;
    static byte[] group;
    static byte[] noFace;

    @BeforeAll
    static void up() throws Exception {
        WiredPlatform platform = WiredPlatform.get();
        int gateway = platform.gateway("gw-dis-faces", "openbio.security.api-keys=dis:USER:" + ApiKeys.sha256(KEY));
        dis = new DisClient(gateway, KEY);
        man1 = Photos.panel(Photos.SAME_MAN_X3, 0, 3);
        man2 = Photos.panel(Photos.SAME_MAN_X3, 1, 3);
        otherMan = Photos.bytes(Photos.MAN_B);
        group = Photos.bytes(Photos.GROUP1);
        noFace = Photos.bytes(Photos.SUDOKU);
    }

    static String data(byte[] image) {
        return Base64.getEncoder().encodeToString(image);
    }

    static String createFace(byte[] image) {
        JsonNode created = dis.postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + data(image) + "\"}}").expect(200).json();
        String id = created.get("id").asText();
        assertThat(created.at("/links/self").asText()).isEqualTo("/api/v1/faces/" + id);
        return id;
    }

    @Test
    void faceOperationsFlow() throws Exception {
        // D6: POST /faces -> id -> attributes, crops, template -> similarity by link and by template -> DELETE
        JsonNode created = dis.postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + data(man1) + "\"},\"detection\":{\"mode\":\"STRICT\"}}")
                .expect(200).json();
        String probe = created.get("id").asText();
        assertThat(created.at("/detection/confidence").asDouble()).isBetween(0.5, 1.0);
        assertThat(created.has("warnings")).isFalse();
        String base = "/api/v1/faces/" + probe;

        JsonNode quality = dis.get(base + "/quality").expect(200).json();
        for (String attribute : java.util.List.of("sharpness", "brightness", "contrast", "rightEye", "leftEye", "faceSize")) {
            assertThat(quality.at("/" + attribute + "/score").asDouble(-1)).as(attribute).isBetween(0.0, 1.0);
        }
        assertThat(quality.at("/yaw/angle").isInt()).isTrue();
        assertThat(quality.at("/yaw/preconditionsMet").asBoolean()).isTrue();

        JsonNode aspects = dis.get(base + "/aspects").expect(200).json();
        assertThat(aspects.get("age").asInt()).isBetween(15, 70);
        assertThat(aspects.get("gender").asDouble()).isBetween(0.0, 1.0);

        JsonNode crop = dis.get(base + "/crop?width=200").expect(200).json();
        assertThat(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(crop.get("data").asText()))).getWidth()).isEqualTo(200);
        JsonNode coordinates = dis.get(base + "/crop/coordinates").expect(200).json();
        assertThat(coordinates.at("/coordinates/bottomRight/x").asInt()).isGreaterThan(coordinates.at("/coordinates/topLeft/x").asInt());
        JsonNode cutOut = dis.get(base + "/crop/removed-background?width=128&height=128").expect(200).json();
        var png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(cutOut.get("data").asText())));
        assertThat(png.getColorModel().hasAlpha()).isTrue();
        assertThat(png.getRGB(64, 64) >>> 24).as("the face is kept").isGreaterThan(200);

        // no glasses or mask model: 404 with a message saying so
        DisClient.Call glasses = dis.get(base + "/glasses").expect(404);
        assertThat(glasses.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(glasses.json().get("errorMessage").asText()).contains("No glasses-detection model");
        assertThat(dis.get(base + "/face-mask").expect(404).json().get("errorMessage").asText()).contains("No face-mask-detection model");

        JsonNode template = dis.get(base + "/face-template").expect(200).json();
        assertThat(template.get("version").asText()).matches("1\\.\\d+");
        assertThat(Template.decode(template.get("data").asText()).vector()).hasSize(512);

        String reference = createFace(man2);
        double byLink = dis.postJson(base + "/similarity", "{\"referenceFace\":\"/api/v1/faces/" + reference + "\"}").expect(200)
                .json().get("score").asDouble();
        assertThat(byLink).as("the same man").isGreaterThan(0.9);
        String referenceTemplate = dis.get("/api/v1/faces/" + reference + "/face-template").expect(200).json().get("data").asText();
        double byTemplate = dis.postJson(base + "/similarity", "{\"referenceFaceTemplate\":\"" + referenceTemplate + "\"}").expect(200)
                .json().get("score").asDouble();
        assertThat(byTemplate).isEqualTo(byLink);
        String other = createFace(otherMan);
        double impostor = dis.postJson(base + "/similarity", "{\"referenceFace\":\"/api/v1/faces/" + other + "\"}").expect(200)
                .json().get("score").asDouble();
        assertThat(impostor).as("another man").isLessThan(0.1);

        dis.delete(base).expect(204);
        dis.delete(base).expect(204);
        assertThat(dis.get(base + "/aspects").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.postJson("/api/v1/faces/" + reference + "/similarity", "{\"referenceFace\":\"" + base + "\"}").expect(404).errorCode())
                .as("a deleted reference").isEqualTo("NOT_FOUND");
    }

    @Test
    void strictRefusesAGroupPhotoFreeTakesTheBiggestFace() {
        JsonNode strict = dis.postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + data(group) + "\"},\"detection\":{\"mode\":\"STRICT\"}}")
                .expect(200).json();
        assertThat(strict.get("errorCode").asText()).isEqualTo("MULTIPLE_FACES_DETECTED");
        assertThat(strict.has("id")).isFalse();
        JsonNode free = dis.postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + data(group) + "\"},\"detection\":{\"mode\":\"FREE\"}}")
                .expect(200).json();
        assertThat(free.get("id").asText()).isNotBlank();
        assertThat(free.get("warnings").get(0).asText()).isEqualTo("MULTIPLE_FACES_DETECTED");
        dis.get("/api/v1/faces/" + free.get("id").asText() + "/crop/coordinates").expect(200);

        JsonNode none = dis.postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + data(noFace) + "\"}}").expect(200).json();
        assertThat(none.get("errorCode").asText()).isEqualTo("NO_FACE_DETECTED");

        JsonNode raw = dis.postBytes("/api/v1/faces", man1).expect(200).json();
        assertThat(raw.get("id").asText()).isNotBlank();
    }

    @Test
    void errorCases() {
        String face = createFace(man1);
        String base = "/api/v1/faces/" + face;
        assertThat(dis.get("/api/v1/faces/not-a-uuid/aspects").expect(400).errorCode()).isEqualTo("INVALID_ID");
        assertThat(dis.delete("/api/v1/faces/not-a-uuid").expect(400).errorCode()).isEqualTo("INVALID_ID");
        assertThat(dis.get("/api/v1/faces/" + java.util.UUID.randomUUID() + "/face-template").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.postJson("/api/v1/faces", "{\"image\":{\"url\":\"http://localhost/example.png\"}}").expect(400).errorCode())
                .isEqualTo("DATA_DOWNLOADER_DISABLED");
        assertThat(dis.postJson("/api/v1/faces", "{\"image\":{\"data\":").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + data("no image".getBytes(StandardCharsets.UTF_8)) + "\"}}")
                .expect(400).errorCode()).isEqualTo("INVALID_IMAGE");
        assertThat(dis.postJson("/api/v1/faces", "{\"image\":{\"data\":\"" + data(man1) + "\"},\"detection\":{\"faceSizeRatio\":"
                + "{\"min\":0.6,\"max\":0.2}}}").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.get(base + "/crop?width=0").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_PARAMETER");
        assertThat(dis.get(base + "/crop?height=abc").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_PARAMETER");

        Template mine = Template.decode(dis.get(base + "/face-template").expect(200).json().get("data").asText());
        String foreign = new Template(mine.modelId(), mine.modelVersion() + "-other", mine.vector()).encode();
        assertThat(dis.postJson(base + "/similarity", "{\"referenceFaceTemplate\":\"" + foreign + "\"}").expect(400).errorCode())
                .isEqualTo("UNSUPPORTED_VERSION_TEMPLATE");
        assertThat(dis.postJson(base + "/similarity", "{\"referenceFaceTemplate\":\"" + data("garbage".getBytes(StandardCharsets.UTF_8))
                + "\"}").expect(400).errorCode()).isEqualTo("CORRUPTED_TEMPLATE");
        assertThat(dis.postJson(base + "/similarity", "{}").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");

        DisClient.Call anonymous = dis.withToken(null).get(base + "/aspects").expect(401);
        assertThat(anonymous.body()).isEmpty();
    }

    @Test
    void faceFromACustomerSelfieLink() {
        String customer = dis.post("/api/v1/customers").expect(200).json().get("id").asText();
        String selfie = "/api/v1/customers/" + customer + "/selfie";
        assertThat(dis.postJson("/api/v1/faces", "{\"faceOrigin\":{\"link\":\"" + selfie + "\"}}").expect(404).errorCode())
                .as("no selfie yet").isEqualTo("NOT_FOUND");
        dis.putJson(selfie, "{\"image\":{\"data\":\"" + data(man1) + "\"}}").expect(200);
        JsonNode face = dis.postJson("/api/v1/faces", "{\"faceOrigin\":{\"link\":\"" + selfie + "\"}}").expect(200).json();
        String fromSelfie = face.get("id").asText();
        String uploaded = createFace(man2);
        double score = dis.postJson("/api/v1/faces/" + fromSelfie + "/similarity", "{\"referenceFace\":\"/api/v1/faces/" + uploaded + "\"}")
                .expect(200).json().get("score").asDouble();
        assertThat(score).as("the selfie's man and the same man uploaded").isGreaterThan(0.9);
        dis.delete("/api/v1/customers/" + customer).expect(204);
    }

    @Test
    void palmsFlow() {
        // D7: POST /palms -> template -> similarity -> inspect -> DELETE
        JsonNode created = dis.postJson("/api/v1/palms", "{\"image\":{\"data\":\"" + data(Photos.bytes(Photos.PALM_C)) + "\"}}")
                .expect(200).json();
        String palm = created.get("id").asText();
        assertThat(created.at("/links/self").asText()).isEqualTo("/api/v1/palms/" + palm);
        assertThat(created.at("/detection/confidence").asDouble()).isBetween(0.5, 1.0);
        String base = "/api/v1/palms/" + palm;

        DisClient.Call template = dis.get(base + "/template").expect(404);
        assertThat(template.json().get("errorMessage").asText()).contains("No palm-recognition model");
        String other = dis.postBytes("/api/v1/palms", Photos.bytes(Photos.PALM_D)).expect(200).json().get("id").asText();
        JsonNode similarity = dis.postJson(base + "/similarity", "{\"referencePalm\":\"/api/v1/palms/" + other + "\"}").expect(200).json();
        assertThat(similarity.get("errorCode").asText()).isEqualTo("PALM_TEMPLATE_MATCHING_FAILED");
        assertThat(similarity.has("score")).isFalse();
        JsonNode inspect = dis.post(base + "/inspect").expect(200).json();
        assertThat(inspect.at("/securityInspection/videoInjection/evaluated").asBoolean(true)).isFalse();
        dis.delete(base).expect(204);
        dis.delete(base).expect(204);
        assertThat(dis.post(base + "/inspect").expect(404).errorCode()).isEqualTo("NOT_FOUND");

        assertThat(dis.postJson("/api/v1/palms", "{\"image\":{\"data\":\"" + data(noFace) + "\"}}").expect(200).json()
                .get("errorCode").asText()).isEqualTo("NO_PALM_DETECTED");
        assertThat(dis.postJson("/api/v1/palms", "{\"image\":{\"data\":\"" + data("no image".getBytes(StandardCharsets.UTF_8)) + "\"}}")
                .expect(400).errorCode()).isEqualTo("INVALID_IMAGE");
        assertThat(dis.postJson("/api/v1/palms", "{\"image\":{\"url\":\"http://localhost/x.png\"}}").expect(400).errorCode())
                .isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.get("/api/v1/palms/not-a-uuid/template").expect(400).errorCode()).isEqualTo("INVALID_ID");
    }
}
