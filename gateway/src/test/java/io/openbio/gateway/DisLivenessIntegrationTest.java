package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.gateway.dis.DisClient;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.testkit.GenuineCaptures;
import io.openbio.testkit.Photos;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Digital Identity Service's liveness and customer inspection (seed 004) over real HTTP, the embedded broker and
 * the real dis-customers stage with its models, every answer validated against the reference
 * {@code dis-1.52.0-openapi.json} ({@link DisClient#expect}): flow D1 (passive onboarding up to inspect), D5 (eye
 * gaze with a challenge, smile), D3 (MagnifEye with the platform's capture bundle as the record) of the api-notes,
 * a record that is not a bundle, and a record's nonce ({@code POST /bundle/nonce} with the DIS bearer key): single use
 * across customers, bound to the key's tenant.
 *
 * <p>Images: testkit's {@link GenuineCaptures} frames (ONE real photo, yale_x4's first face, edited so that the
 * models read a smile, a glance at a top corner, a head turn: SYNTHETIC; no glance down can be made), group1.jpg
 * (several faces), sudoku.png (no face).
 */
class DisLivenessIntegrationTest {
    static final String KEY = "dis-live-key";
    /** A key of another tenant on the same gateway. */
    static final String OTHER_KEY = "dis-live-other-key";
    static int gateway;
    static DisClient dis;
    static CaptureClient capture;
    static byte[] neutral;
    static byte[] smile;
    static byte[] topLeft;
    static byte[] topRight;

    @BeforeAll
    static void up() throws Exception {
        WiredPlatform platform = WiredPlatform.get();
        gateway = platform.gateway("gw-dis-liveness", "openbio.security.api-keys=dis:USER:" + ApiKeys.sha256(KEY)
                + ",dis-other:USER:" + ApiKeys.sha256(OTHER_KEY));
        dis = new DisClient(gateway, KEY);
        // the capture client's key comes from a gateway without API keys, as a capture page gets it
        capture = new CaptureClient(platform.gateway("gw-dis-liveness-capture"));
        neutral = GenuineCaptures.frames(List.of()).get(0);
        smile = GenuineCaptures.frames(List.of("SMILE")).get(GenuineCaptures.LEAD);
        topLeft = GenuineCaptures.frames(List.of("GAZE_TOP_LEFT")).get(GenuineCaptures.LEAD);
        topRight = GenuineCaptures.frames(List.of("GAZE_TOP_RIGHT")).get(GenuineCaptures.LEAD);
    }

    /** A capture nonce as a DIS client gets one: {@code POST /bundle/nonce} with its bearer key (the key's tenant). */
    static String nonce(String key) {
        Http.Answer answer = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/bundle/nonce"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("nonce").asText();
    }

    /** A passive capture of one person, 15 frames, as the platform's capture client seals it, with {@code nonce}. */
    static byte[] record(String nonce) throws Exception {
        return capture.challengeBundle(GenuineCaptures.frames(List.of("TURN_LEFT", "TURN_RIGHT")), nonce, null, null, GenuineCaptures.FRAME_MS);
    }

    static String customer() {
        return dis.post("/api/v1/customers").expect(200).json().get("id").asText();
    }

    static String image(byte[] image) {
        return "{\"data\":\"" + Base64.getEncoder().encodeToString(image) + "\"}";
    }

    static DisClient.Call selfie(String id, byte[] image, String assertion) {
        return dis.postJson("/api/v1/customers/" + id + "/liveness/selfies", "{\"image\":" + image(image) + ",\"assertion\":\"" + assertion + "\"}");
    }

    static JsonNode evaluate(String id, String type) {
        return dis.postJson("/api/v1/customers/" + id + "/liveness/evaluation", "{\"type\":\"" + type + "\"}").expect(200).json();
    }

    @Test
    void passiveOnboardingUpToInspect() {
        String id = customer();
        String base = "/api/v1/customers/" + id;
        // liveness before PUT liveness: 404
        assertThat(selfie(id, neutral, "NONE").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.putJson(base + "/selfie", "{\"image\":" + image(neutral) + "}").expect(200);
        // PUT liveness without a body and without a Content-Type
        assertThat(dis.put(base + "/liveness").expect(200).json().at("/links/self").asText()).isEqualTo(base + "/liveness");
        // nothing asserted NONE yet
        assertThat(evaluate(id, "PASSIVE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");
        // the customer's selfie as the liveness selfie
        JsonNode added = dis.postJson(base + "/liveness/selfies",
                "{\"selfieOrigin\":{\"link\":\"" + base + "/selfie\"},\"assertion\":\"NONE\"}").expect(200).json();
        assertThat(added.has("errorCode")).isFalse();
        JsonNode passive = evaluate(id, "PASSIVE_LIVENESS");
        assertThat(passive.has("errorCode")).isFalse();
        assertThat(passive.get("score").asDouble()).isBetween(0.0, 1.0);
        // no face: not kept; several faces: the warning
        assertThat(selfie(id, Photos.bytes(Photos.SUDOKU), "NONE").expect(200).errorCode()).isEqualTo("NO_FACE_DETECTED");
        assertThat(selfie(id, Photos.bytes(Photos.GROUP1), "NEUTRAL").expect(200).json().get("warnings").toString())
                .contains("MULTIPLE_FACES_DETECTED");
        // retrieve: the NONE selfie only
        JsonNode retrieved = dis.postJson(base + "/liveness/selfies/retrieve", "{\"type\":\"PASSIVE_LIVENESS\"}").expect(200).json();
        assertThat(retrieved.get("selfies")).hasSize(1);
        assertThat(retrieved.at("/selfies/0/assertion").asText()).isEqualTo("NONE");
        assertThat(Base64.getDecoder().decode(retrieved.at("/selfies/0/data").asText())).isEqualTo(neutral);
        // request errors
        assertThat(dis.postJson(base + "/liveness/selfies", "{\"image\":" + image(neutral) + "}").expect(400).errorCode())
                .isEqualTo("INVALID_REQUEST_BODY");
        assertThat(dis.postJson(base + "/liveness/evaluation", "{\"type\":\"BLINK\"}").expect(400).errorCode()).isEqualTo("INVALID_REQUEST_BODY");

        // inspect (no body, no Content-Type): the group photo's largest face is another person, so not every
        // liveness selfie shows the selfie's person; without it they all do
        JsonNode mixed = dis.post(base + "/inspect").expect(200).json();
        assertThat(mixed.at("/selfieInspection/similarityWith/livenessSelfies").asBoolean()).isFalse();
        dis.delete(base + "/liveness").expect(204);
        dis.put(base + "/liveness").expect(200);
        selfie(id, neutral, "NONE").expect(200);
        JsonNode inspection = dis.post(base + "/inspect").expect(200).json();
        assertThat(inspection.at("/selfieInspection/similarityWith/livenessSelfies").asBoolean()).isTrue();
        assertThat(inspection.at("/selfieInspection/ageEstimate").asInt()).isBetween(15, 70);
        assertThat(inspection.at("/selfieInspection/genderEstimate").asText()).isIn("M", "F");
        assertThat(inspection.at("/selfieInspection/hasMask").isMissingNode()).isTrue();
        assertThat(inspection.at("/selfieInspection/similarityWith/documentPortrait").isMissingNode()).isTrue();
        // nothing came through a capture bundle
        assertThat(inspection.at("/security/videoInjection/evaluated").asBoolean()).isFalse();
        assertThat(inspection.at("/security/videoInjection/detected").isMissingNode()).isTrue();
        assertThat(inspection.at("/links/documentInspection").asText()).isEqualTo(base + "/document/inspect");
        JsonNode disclose = dis.post(base + "/inspect/disclose").expect(200).json();
        assertThat(disclose.at("/selfieInspection/similarityWith/livenessSelfies/score").asDouble()).isGreaterThan(0.9);

        // DELETE liveness: 204, idempotent, and the liveness is gone
        dis.delete(base + "/liveness").expect(204);
        dis.delete(base + "/liveness").expect(204);
        assertThat(dis.postJson(base + "/liveness/evaluation", "{\"type\":\"PASSIVE_LIVENESS\"}").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.delete(base).expect(204);
    }

    @Test
    void eyeGazeWithAChallenge() {
        String id = customer();
        String base = "/api/v1/customers/" + id;
        dis.put(base + "/liveness").expect(200);
        JsonNode corners = dis.putJson(base + "/liveness/records/challenge", "{\"type\":\"EYE_GAZE_LIVENESS\"}").expect(200).json()
                .at("/details/corners");
        List<String> order = new ArrayList<>();
        corners.forEach(c -> order.add(c.asText()));
        assertThat(order).containsExactlyInAnyOrder("TOP_LEFT", "TOP_RIGHT", "BOTTOM_LEFT", "BOTTOM_RIGHT");
        assertThat(dis.putJson(base + "/liveness/records/challenge", "{\"type\":\"SMILE_LIVENESS\"}").expect(400).errorCode())
                .isEqualTo("INVALID_REQUEST_BODY");
        // the segments in the challenge's order: glances at the top corners, the neutral face for the bottom ones
        for (int i = 0; i < 3; i++) {
            selfie(id, frameFor(order.get(i)), "EYE_GAZE_" + order.get(i)).expect(200);
        }
        assertThat(evaluate(id, "EYE_GAZE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");
        selfie(id, frameFor(order.get(3)), "EYE_GAZE_" + order.get(3)).expect(200);
        JsonNode scored = evaluate(id, "EYE_GAZE_LIVENESS");
        assertThat(scored.has("errorCode")).isFalse();
        // the two top glances match their corners; no edit is read as a glance down
        assertThat(scored.get("score").asDouble()).isEqualTo(0.5);
        JsonNode retrieved = dis.postJson(base + "/liveness/selfies/retrieve", "{\"type\":\"EYE_GAZE_LIVENESS\"}").expect(200).json();
        assertThat(retrieved.get("selfies")).hasSize(4);
        dis.delete(base).expect(204);
    }

    private static byte[] frameFor(String corner) {
        return switch (corner) {
            case "TOP_LEFT" -> topLeft;
            case "TOP_RIGHT" -> topRight;
            default -> neutral;
        };
    }

    @Test
    void smile() {
        String id = customer();
        String base = "/api/v1/customers/" + id;
        dis.put(base + "/liveness").expect(200);
        selfie(id, neutral, "NEUTRAL").expect(200);
        assertThat(evaluate(id, "SMILE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");
        selfie(id, smile, "SMILE").expect(200);
        JsonNode scored = evaluate(id, "SMILE_LIVENESS");
        assertThat(scored.has("errorCode")).isFalse();
        // the edited smile reads about 0.76 (inference/EVALUATION.md): the weakest evidence is the score
        assertThat(scored.get("score").asDouble()).isBetween(0.6, 0.95);
        dis.delete(base).expect(204);
    }

    @Test
    void magnifEyeWithACaptureBundle() throws Exception {
        String id = customer();
        String base = "/api/v1/customers/" + id;
        dis.put(base + "/liveness").expect(200);
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");
        // a record that is not a capture bundle: 200 with INVALID_DATA
        assertThat(dis.postBytes(base + "/liveness/records", neutral).expect(200).errorCode()).isEqualTo("INVALID_DATA");
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("errorCode").asText()).isEqualTo("NOT_ENOUGH_DATA");

        // a passive capture of one person, 15 frames, as the platform's capture client seals it, with a fresh nonce
        byte[] bundle = record(nonce(KEY));
        JsonNode record = dis.postBytes(base + "/liveness/records", bundle).expect(200).json();
        assertThat(record.has("errorCode")).isFalse();
        String link = record.at("/links/selfie").asText();
        assertThat(link).startsWith(base + "/liveness/records/").endsWith("/selfie");
        assertThat(record.at("/selfie/detection/confidence").asDouble()).isBetween(0.5, 1.0);
        byte[] best = Base64.getDecoder().decode(dis.get(link).expect(200).json().get("data").asText());
        assertThat(best[0] & 0xFF).isEqualTo(0xFF);
        JsonNode scored = evaluate(id, "MAGNIFEYE_LIVENESS");
        assertThat(scored.has("errorCode")).isFalse();
        assertThat(scored.get("score").asDouble()).isBetween(0.0, 1.0);
        JsonNode retrieved = dis.postJson(base + "/liveness/selfies/retrieve", "{\"type\":\"MAGNIFEYE_LIVENESS\"}").expect(200).json();
        assertThat(retrieved.get("recordSelfies")).hasSize(1);
        assertThat(retrieved.at("/recordSelfies/0/assertion").asText()).isEqualTo("MAGNIFEYE");

        // the wultra order: the record's selfie becomes the customer's selfie, then inspect
        dis.putJson(base + "/selfie", "{\"selfieOrigin\":{\"link\":\"" + link + "\"}}").expect(200);
        JsonNode inspection = dis.post(base + "/inspect").expect(200).json();
        assertThat(inspection.at("/selfieInspection/similarityWith/livenessSelfies").asBoolean()).isTrue();
        assertThat(inspection.at("/security/videoInjection/evaluated").asBoolean()).isTrue();
        assertThat(inspection.at("/security/videoInjection/detected").asBoolean()).isFalse();

        // a record id that is no UUID, an unknown record
        assertThat(dis.get(base + "/liveness/records/nope/selfie").expect(400).errorCode()).isEqualTo("INVALID_ID");
        assertThat(dis.get(base + "/liveness/records/" + UUID.randomUUID() + "/selfie").expect(404).errorCode()).isEqualTo("NOT_FOUND");
        dis.delete(base).expect(204);
    }

    @Test
    void aRecordsNonceIsSingleUseAndTheKeysTenants() throws Exception {
        String id = customer();
        String base = "/api/v1/customers/" + id;
        dis.put(base + "/liveness").expect(200);
        byte[] bundle = record(nonce(KEY));
        assertThat(dis.postBytes(base + "/liveness/records", bundle).expect(200).json().has("errorCode")).isFalse();
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("score").asDouble()).as("fresh nonce, first use").isGreaterThan(0.0);
        assertThat(dis.post(base + "/inspect").expect(200).json().at("/security/videoInjection/detected").asBoolean()).isFalse();

        // the same bundle PUT again: kept (its selfie link answered), its score 0, the injection detected
        JsonNode replay = dis.postBytes(base + "/liveness/records", bundle).expect(200).json();
        assertThat(replay.has("errorCode")).isFalse();
        assertThat(replay.at("/links/selfie").asText()).startsWith(base + "/liveness/records/");
        assertThat(evaluate(id, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        assertThat(dis.post(base + "/inspect").expect(200).json().at("/security/videoInjection/detected").asBoolean()).isTrue();

        // the same bundle to another customer: the nonce is spent platform-wide
        String other = customer();
        dis.put("/api/v1/customers/" + other + "/liveness").expect(200);
        dis.postBytes("/api/v1/customers/" + other + "/liveness/records", bundle).expect(200);
        assertThat(evaluate(other, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();

        // a nonce issued to another tenant's key, and one this platform never issued
        String third = customer();
        dis.put("/api/v1/customers/" + third + "/liveness").expect(200);
        dis.postBytes("/api/v1/customers/" + third + "/liveness/records", record(nonce(OTHER_KEY))).expect(200);
        assertThat(evaluate(third, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        dis.postBytes("/api/v1/customers/" + third + "/liveness/records", record("never-issued-" + UUID.randomUUID())).expect(200);
        assertThat(evaluate(third, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isZero();
        // and a fresh one of the right tenant scores again
        dis.postBytes("/api/v1/customers/" + third + "/liveness/records", record(nonce(KEY))).expect(200);
        assertThat(evaluate(third, "MAGNIFEYE_LIVENESS").get("score").asDouble()).isGreaterThan(0.0);
        for (String customer : List.of(id, other, third)) {
            dis.delete("/api/v1/customers/" + customer).expect(204);
        }
    }
}
