package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.gateway.dis.DisClient;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.testkit.Photos;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Digital Identity Service's customers, selfie and sessions (seed 004) over real HTTP, the embedded
 * broker and the real dis-customers stage with its face models, API keys on ({@code Authorization: Bearer}).
 * Every answer is validated against the reference {@code dis-1.52.0-openapi.json} ({@link DisClient#expect}):
 * the customer lifecycle, the selfie (JSON and octet-stream, no face, several faces, the crop, age and gender
 * on the customer), flow D4 (sessions) and flow D8 (errors) of the api-notes.
 *
 * <p>Photos: {@code man_a.jpg} and {@code man_b.jpg} (one adult man each), {@code group1.jpg} (several
 * faces), {@code sudoku.png} (no face).
 */
class DisCustomerIntegrationTest {
    static final String KEY = "dis-key";
    static DisClient dis;
    static int gateway;
    static byte[] manA;
    static byte[] manB;
    static byte[] group;
    static byte[] noFace;

    @BeforeAll
    static void up() throws Exception {
        WiredPlatform platform = WiredPlatform.get();
        gateway = platform.gateway("gw-dis-customers", "openbio.security.api-keys=dis:USER:" + ApiKeys.sha256(KEY),
                "openbio.dis.session-max-timeout-seconds=900");
        dis = new DisClient(gateway, KEY);
        manA = Photos.bytes(Photos.MAN_A);
        manB = Photos.bytes(Photos.MAN_B);
        group = Photos.bytes(Photos.GROUP1);
        noFace = Photos.bytes(Photos.SUDOKU);
    }

    static String customer(DisClient client) {
        JsonNode created = client.post("/api/v1/customers").expect(200).json();
        String id = created.get("id").asText();
        assertThat(UUID.fromString(id).version()).isEqualTo(4);
        assertThat(created.at("/links/self").asText()).isEqualTo("/api/v1/customers/" + id);
        return id;
    }

    static String imageJson(byte[] image) {
        return "{\"image\":{\"data\":\"" + Base64.getEncoder().encodeToString(image) + "\"}}";
    }

    @Test
    void customerLifecycle() {
        String id = customer(dis);
        assertThat(dis.get("/api/v1/customers/" + id).expect(200).json().get("customer").isEmpty()).isTrue();
        // store: 204; the externalId pattern and the status enum are checked
        dis.postJson("/api/v1/customers/" + id + "/store", "{\"externalId\":\"crm_42.a-b\",\"onboardingStatus\":\"IN_PROGRESS\"}").expect(204);
        dis.postJson("/api/v1/customers/" + id + "/store", "{\"onboardingStatus\":\"FINISHED\"}").expect(204);
        assertThat(dis.postJson("/api/v1/customers/" + id + "/store", "{\"externalId\":\"no spaces\",\"onboardingStatus\":\"FINISHED\"}")
                .expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.postJson("/api/v1/customers/" + id + "/store", "{\"externalId\":\"x\"}").expect(400).errorCode())
                .isEqualTo("INVALID_REQUEST_BODY");
        // the client's own id: created once, then 422 ALREADY_EXISTS
        String own = UUID.randomUUID().toString();
        assertThat(dis.post("/api/v1/customers/" + own).expect(200).json().get("id").asText()).isEqualTo(own);
        assertThat(dis.post("/api/v1/customers/" + own).expect(422).errorCode()).isEqualTo("ALREADY_EXISTS");
        // delete: 204, then 404; again 204 (idempotent)
        dis.delete("/api/v1/customers/" + id).expect(204);
        assertThat(dis.get("/api/v1/customers/" + id).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.delete("/api/v1/customers/" + id).expect(204);
        dis.delete("/api/v1/customers/" + own).expect(204);
    }

    @Test
    void selfie() {
        String id = customer(dis);
        String selfie = "/api/v1/customers/" + id + "/selfie";
        JsonNode detected = dis.putJson(selfie, imageJson(manA)).expect(200).json();
        assertThat(detected.has("errorCode")).isFalse();
        assertThat(detected.at("/detection/confidence").asDouble()).isBetween(0.5, 1.0);
        assertThat(detected.at("/detection/faceRectangle/bottomRight/x").asInt())
                .isGreaterThan(detected.at("/detection/faceRectangle/topLeft/x").asInt());
        assertThat(detected.at("/links/self").asText()).isEqualTo(selfie);
        // the customer carries the face models' estimates of the selfie
        JsonNode customer = dis.get("/api/v1/customers/" + id).expect(200).json().get("customer");
        assertThat(Integer.parseInt(customer.at("/age/selfie").asText())).isBetween(18, 80);
        assertThat(customer.at("/gender/selfie").asText()).isEqualTo("M");
        // GET selfie: the face crop as base64 JPEG
        byte[] crop = Base64.getDecoder().decode(dis.get(selfie).expect(200).json().get("data").asText());
        assertThat(crop[0] & 0xFF).isEqualTo(0xFF);
        assertThat(crop[1] & 0xFF).isEqualTo(0xD8);
        assertThat(crop.length).isLessThan(manA.length);

        // the raw image as application/octet-stream replaces it
        assertThat(dis.putBytes(selfie, manB).expect(200).json().has("detection")).isTrue();
        // several faces: the largest, with the warning
        JsonNode several = dis.putJson(selfie, imageJson(group)).expect(200).json();
        assertThat(several.get("warnings").toString()).isEqualTo("[\"MULTIPLE_FACES_DETECTED\"]");
        // no face: 200 with NO_FACE_DETECTED, and the selfie is gone
        assertThat(dis.putJson(selfie, imageJson(noFace)).expect(200).errorCode()).isEqualTo("NO_FACE_DETECTED");
        assertThat(dis.get(selfie).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        // DELETE selfie: 204, idempotent
        dis.putBytes(selfie, manA).expect(200);
        dis.delete(selfie).expect(204);
        assertThat(dis.get(selfie).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.delete(selfie).expect(204);
        assertThat(dis.get("/api/v1/customers/" + id).expect(200).json().get("customer").isEmpty()).isTrue();
        dis.delete("/api/v1/customers/" + id).expect(204);
    }

    @Test
    void selfieErrors() {
        String id = customer(dis);
        String selfie = "/api/v1/customers/" + id + "/selfie";
        assertThat(dis.putJson(selfie, "{\"image\":{\"url\":\"http://localhost/example.png\"}}").expect(400).errorCode())
                .isEqualTo("DATA_DOWNLOADER_DISABLED");
        assertThat(dis.putJson(selfie, "{\"image\":{\"data\":\"%%%not base64\"}}").expect(400).errorCode()).isEqualTo("INVALID_IMAGE");
        assertThat(dis.putBytes(selfie, "not an image".getBytes()).expect(400).errorCode()).isEqualTo("INVALID_IMAGE");
        assertThat(dis.putJson(selfie, "{\"image\":").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.putJson(selfie, "{}").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.putJson(selfie, "{\"selfieOrigin\":{\"link\":\"/api/v1/faces/x\"}}").expect(400).errorCode())
                .isEqualTo("INVALID_REQUEST_BODY");
        // a liveness record that does not exist
        assertThat(dis.putJson(selfie, "{\"selfieOrigin\":{\"link\":\"/api/v1/customers/" + id + "/liveness/records/"
                + UUID.randomUUID() + "/selfie\"}}").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        // the selfie of an unknown customer
        assertThat(dis.putBytes("/api/v1/customers/" + UUID.randomUUID() + "/selfie", manA).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.delete("/api/v1/customers/" + id).expect(204);
    }

    /** Flow D4: a session's token binds its customers; DELETE /sessions deletes them; a session expires after its timeout. */
    @Test
    void sessions() {
        String token = dis.postJson("/api/v1/sessions", "{\"timeout\":600}").expect(200).json().get("token").asText();
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        DisClient session = dis.withSession(token);
        String id = customer(session);
        session.putJson("/api/v1/customers/" + id + "/selfie", imageJson(manA)).expect(200);
        session.get("/api/v1/customers/" + id).expect(200);
        // without the token, or with another session's: 404 (existence not revealed)
        assertThat(dis.get("/api/v1/customers/" + id).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        String other = dis.postJson("/api/v1/sessions", "{\"timeout\":600}").expect(200).json().get("token").asText();
        assertThat(dis.withSession(other).get("/api/v1/customers/" + id).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        // DELETE /sessions: the session and its customers
        session.delete("/api/v1/sessions").expect(204);
        assertThat(session.get("/api/v1/customers/" + id).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        session.delete("/api/v1/sessions").expect(204);
        dis.withSession(other).delete("/api/v1/sessions").expect(204);
        // a customer under a token of no live session: 401, no body
        assertThat(session.post("/api/v1/customers").expect(401).body()).isEmpty();

        // expiry after the timeout
        String brief = dis.postJson("/api/v1/sessions", "{\"timeout\":1}").expect(200).json().get("token").asText();
        String shortLived = customer(dis.withSession(brief));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> dis.withSession(brief).get("/api/v1/customers/" + shortLived).status() == 404);
        dis.withSession(brief).get("/api/v1/customers/" + shortLived).expect(404);

        // the timeout is checked
        assertThat(dis.postJson("/api/v1/sessions", "{\"timeout\":901}").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.postJson("/api/v1/sessions", "{\"timeout\":0}").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.postJson("/api/v1/sessions", "{\"timeout\":\"600\"}").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.postJson("/api/v1/sessions", "{").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.post("/api/v1/sessions").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");
        // DELETE /sessions without its header: 401, no body
        assertThat(dis.delete("/api/v1/sessions").expect(401).body()).isEmpty();
    }

    /** Flow D8: bad ids, an existing id, no or a wrong bearer (401 without a body), /info and /health open. */
    @Test
    void errorsAndOpenPaths() {
        assertThat(dis.get("/api/v1/customers/not-a-uuid").expect(400).errorCode()).isEqualTo("INVALID_ID");
        assertThat(dis.post("/api/v1/customers/not-a-uuid").expect(400).errorCode()).isEqualTo("INVALID_ID");
        assertThat(dis.delete("/api/v1/customers/12345").expect(400).errorCode()).isEqualTo("INVALID_ID");
        assertThat(dis.get("/api/v1/customers/" + UUID.randomUUID()).expect(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(dis.withToken(null).post("/api/v1/customers").expect(401).body()).isEmpty();
        assertThat(dis.withToken("wrong").get("/api/v1/customers/" + UUID.randomUUID()).expect(401).body()).isEmpty();
        DisClient anonymous = dis.withToken(null);
        JsonNode info = anonymous.get("/api/v1/info").expect(200).json();
        assertThat(info.at("/build/artifact").asText()).isEqualTo("openbio-gateway");
        assertThat(anonymous.get("/api/v1/health").expect(200).json().get("status").asText()).isIn("UP", "DOWN");
    }
}
