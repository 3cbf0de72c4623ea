package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.gateway.security.ApiKeys;
import io.openbio.schemas.PayloadLimits;
import io.openbio.testkit.Photos;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BioServer API (seed 003) over real HTTP, the embedded broker and the real bioserver stage with its
 * models, API keys on ({@code apikey} header), in the seed's flows (api-notes 003 B1-B4, B6-B8):
 * one-to-few in a session, one-to-one direct (/v2/faces then /v2/match), images match, template reuse,
 * image storage, ages, and the errors in the seed's {@code {id, message}}.
 *
 * <p>Photos: the same man in two panels of {@code same_man_x3.jpg} (genuine), {@code man_b.jpg} another
 * identity (impostor), {@code sudoku.png} no face (inference/src/test/resources/face-labels.tsv; the
 * bioserver stage's TopologyTest uses the same ones).
 */
class BioServerIntegrationTest {
    static final String KEY = "bio-key";
    static WiredPlatform platform;
    static int gateway;
    static byte[] man1;
    static byte[] man2;
    static byte[] otherMan;
    static byte[] noFace;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-bioserver", "openbio.security.api-keys=bio:USER:" + ApiKeys.sha256(KEY));
        man1 = Photos.panel(Photos.SAME_MAN_X3, 0, 3);
        man2 = Photos.panel(Photos.SAME_MAN_X3, 1, 3);
        otherMan = Photos.bytes(Photos.MAN_B);
        noFace = Photos.bytes(Photos.SUDOKU);
    }

    /** {@code answer}'s compact JWS verifies with the certificate of GET /bioserver-app/v2/certificate and carries the answer less it. */
    static void verified(JsonNode answer) {
        try {
            if (signingKey == null) {
                Http.Answer pem = Http.get(gateway, "/bioserver-app/v2/certificate");
                signingKey = (java.security.interfaces.RSAPublicKey) java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(pem.body().getBytes(StandardCharsets.US_ASCII))).getPublicKey();
            }
            com.nimbusds.jose.JWSObject jws = com.nimbusds.jose.JWSObject.parse(answer.get("signature").asText());
            assertThat(jws.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(signingKey))).as("signature of %s", answer).isTrue();
            com.fasterxml.jackson.databind.node.ObjectNode rest = ((com.fasterxml.jackson.databind.node.ObjectNode) answer).deepCopy();
            rest.remove("signature");
            assertThat(Http.JSON.readTree(jws.getPayload().toString())).isEqualTo(rest);
        } catch (Exception e) {
            throw new AssertionError("signature of " + answer, e);
        }
    }

    static java.security.interfaces.RSAPublicKey signingKey;

    // ---- HTTP -----------------------------------------------------------------------------------

    static HttpRequest.Builder request(int port, String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(90));
        if (key != null) {
            b.header("apikey", key);
        }
        return b;
    }

    static Http.Answer get(String path) {
        return Http.send(request(gateway, path, KEY).GET().build());
    }

    static Http.Answer delete(String path) {
        return Http.send(request(gateway, path, KEY).DELETE().build());
    }

    static Http.Answer json(String path, String body) {
        return Http.send(request(gateway, path, KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A multipart body as curl -F writes it, sent as multipart/form-data or (the seed's curl) multipart/mixed. */
    static final class Form {
        final String boundary = "----bio" + UUID.randomUUID().toString().replace("-", "");
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final String type;

        Form(String type) {
            this.type = type;
        }

        static Form data() {
            return new Form("multipart/form-data");
        }

        static Form mixed() {
            return new Form("multipart/mixed");
        }

        Form file(String name, String contentType, byte[] data) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name + "\"\r\nContent-Type: "
                    + contentType + "\r\n\r\n");
            body.writeBytes(data);
            write("\r\n");
            return this;
        }

        Form field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        byte[] bytes() {
            write("--" + boundary + "--\r\n");
            return body.toByteArray();
        }

        Http.Answer post(String path) {
            return post(gateway, path, KEY);
        }

        Http.Answer post(int port, String path, String key) {
            return Http.send(request(port, path, key).header("Content-Type", type + "; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes())).build());
        }

        private void write(String s) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The seed's error object: exactly {id, message}, the id a UUID. */
    static void seedError(Http.Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(body.size()).as(answer.body()).isEqualTo(2);
        assertThat(UUID.fromString(body.get("id").asText())).isNotNull();
        if (message != null) {
            assertThat(body.get("message").asText()).isEqualTo(message);
        }
    }

    /** The id after the last '/' of a Location (the seed's regex {@code ^.*\/(.*)}). */
    static String id(Http.Answer created, String prefix) {
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).isEmpty();
        String location = created.raw().headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(prefix);
        String id = location.replaceAll("^.*/(.*)", "$1");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        return id;
    }

    static String session(String body) {
        return id(json("/bioserver-app/v2/bio-sessions", body), "/v2/bio-sessions/");
    }

    static String face(String session, Form form) {
        return id(form.post("/bioserver-app/v2/bio-sessions/" + session + "/faces"), "/v2/bio-sessions/" + session + "/faces/");
    }

    static String params(String imageType) {
        return "{\"imageType\":\"" + imageType + "\",\"friendlyName\":\"" + imageType.toLowerCase() + "\"}";
    }

    // ---- the flows ------------------------------------------------------------------------------

    /** B1: one-to-few in a session, from creation to deletion. */
    @Test
    void oneToFewInASession() {
        String session = session("[{\"correlationId\":\"891a6728-1ac4-11e7-93ae-92361f002671\",\"ttlSeconds\":300}]");
        Http.Answer got = get("/bioserver-app/v2/bio-sessions/" + session);
        assertThat(got.status()).as(got.body()).isEqualTo(200);
        assertThat(got.json().get("id").asText()).isEqualTo(session);
        assertThat(got.json().get("correlationId").asText()).isEqualTo("891a6728-1ac4-11e7-93ae-92361f002671");
        assertThat(got.json().get("imageStorageEnabled").asBoolean()).isFalse();
        assertThat(Duration.between(Instant.parse(got.json().get("created").asText()), Instant.parse(got.json().get("expires").asText())))
                .isEqualTo(Duration.ofSeconds(300));

        // the reference as form-data; the others as the seed's curl sends them (multipart/mixed)
        String document = face(session, Form.data().file("face", "application/json", params("ID_DOCUMENT").getBytes(StandardCharsets.UTF_8))
                .file("image", "image/jpeg", man1));
        String selfie = face(session, Form.mixed().file("face", "application/octet-stream", params("SELFIE").getBytes(StandardCharsets.UTF_8))
                .file("image", "image/jpeg", man2));
        String other = face(session, Form.mixed().field("face", "[" + params("SELFIE") + "]").file("image", "image/jpeg", otherMan));

        Http.Answer face = get("/bioserver-app/v2/bio-sessions/" + session + "/faces/" + selfie);
        assertThat(face.status()).as(face.body()).isEqualTo(200);
        assertThat(face.json().get("id").asText()).isEqualTo(selfie);
        assertThat(face.json().get("imageType").asText()).isEqualTo("SELFIE");
        assertThat(face.json().get("quality").asDouble()).isGreaterThan(100);
        assertThat(face.json().at("/landmarks/eyes/x1").isNumber()).isTrue();
        assertThat(face.json().get("template").asText()).isNotEmpty();
        assertThat(face.json().get("expires").asText()).isEqualTo(got.json().get("expires").asText());

        Http.Answer faces = get("/bioserver-app/v2/bio-sessions/" + session + "/faces");
        assertThat(faces.json()).hasSize(3);

        Http.Answer matches = get("/bioserver-app/v2/bio-sessions/" + session + "/faces/" + selfie + "/matches");
        assertThat(matches.status()).as(matches.body()).isEqualTo(200);
        JsonNode list = matches.json();
        assertThat(list).hasSize(2);
        assertThat(list.get(0).at("/candidate/id").asText()).as("best score first: the same man").isEqualTo(document);
        assertThat(list.get(1).at("/candidate/id").asText()).isEqualTo(other);
        assertThat(list.get(0).get("score").asDouble()).isGreaterThan(list.get(1).get("score").asDouble());
        assertThat(list.get(1).get("score").asDouble()).as("another man: FAR above 1%").isLessThan(2500);
        assertThat(list.get(0).get("score").asDouble()).as("the same man: above the seed's document/selfie threshold").isGreaterThanOrEqualTo(3500);
        // every answer's signature verifies with the published certificate: the session, a face, each of a list
        verified(got.json());
        verified(face.json());
        faces.json().forEach(BioServerIntegrationTest::verified);
        list.forEach(BioServerIntegrationTest::verified);
        for (JsonNode match : list) {
            assertThat(match.get("falseAcceptanceRate").asDouble()).isCloseTo(Math.pow(10, 5 - match.get("score").asDouble() / 500),
                    org.assertj.core.data.Percentage.withPercentage(1e-6));
            assertThat(match.at("/reference/id").asText()).isEqualTo(selfie);
            assertThat(match.at("/reference/template").isMissingNode()).isTrue();
        }

        assertThat(delete("/bioserver-app/v2/bio-sessions/" + session + "/faces/" + other).status()).isEqualTo(204);
        seedError(get("/bioserver-app/v2/bio-sessions/" + session + "/faces/" + other), 404, "Face not found");
        assertThat(delete("/bioserver-app/v2/bio-sessions/" + session).status()).isEqualTo(204);
        seedError(get("/bioserver-app/v2/bio-sessions/" + session), 404, "Session not found");
    }

    /** B2 and B3: one-to-one without a session: /v2/faces then /v2/match; and /v2/match/images with the types as files. */
    @Test
    void oneToOneDirectAndImagesMatch() {
        Http.Answer reference = Form.mixed().file("face", "application/json",
                        "{\"imageType\":\"SELFIE\",\"friendlyName\":\"ref\",\"signatureDisabled\":\"true\"}".getBytes(StandardCharsets.UTF_8))
                .file("image", "image/jpeg", man1).field("correlationId", "891a6728-1ac4-11e7-93ae-92361f002671").post("/bioserver-app/v2/faces");
        assertThat(reference.status()).as(reference.body()).isEqualTo(200);
        JsonNode face = reference.json();
        assertThat(face.get("template").asText()).isNotEmpty();
        assertThat(face.get("templateVersion").isInt()).isTrue();
        assertThat(face.has("expires")).isFalse();
        assertThat(face.get("id").asText()).isEqualTo(reference.raw().headers().firstValue("X-Request-Id").orElseThrow());

        Http.Answer same = Form.data().file("candidateImage", "image/jpeg", man2).field("candidateImageType", "SELFIE")
                .file("referenceFace", "application/json", face.toString().getBytes(StandardCharsets.UTF_8)).field("correlationId", "c-1")
                .post("/bioserver-app/v2/match");
        Http.Answer impostor = Form.mixed().file("candidateImage", "image/jpeg", otherMan).field("candidateImageType", "SELFIE")
                .file("referenceFace", "application/json", face.toString().getBytes(StandardCharsets.UTF_8)).post("/bioserver-app/v2/match");
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(impostor.status()).as(impostor.body()).isEqualTo(200);
        double genuine = same.json().get("score").asDouble();
        assertThat(genuine).isGreaterThan(impostor.json().get("score").asDouble());
        assertThat(genuine).as("the same man").isGreaterThanOrEqualTo(3500);
        verified(same.json());
        verified(impostor.json());
        assertThat(impostor.json().get("score").asDouble()).as("an impostor: FAR above 1%").isLessThan(2500);
        assertThat(same.json().get("correlationId").asText()).isEqualTo("c-1");
        assertThat(same.json().at("/reference/friendlyName").asText()).isEqualTo("ref");

        // the seed's curl: -F 'referenceImageType=@file' -F 'candidateImageType=@file'
        Http.Answer images = Form.data().file("referenceImage", "image/jpeg", man1).file("candidateImage", "image/jpeg", man2)
                .file("referenceImageType", "application/octet-stream", "SELFIE\n".getBytes(StandardCharsets.UTF_8))
                .file("candidateImageType", "application/octet-stream", "SELFIE\n".getBytes(StandardCharsets.UTF_8))
                .post("/bioserver-app/v2/match/images");
        assertThat(images.status()).as(images.body()).isEqualTo(200);
        assertThat(images.json().get("score").asDouble()).isCloseTo(genuine, org.assertj.core.data.Offset.offset(1.0));
        assertThat(images.json().has("expires")).isFalse();
        assertThat(images.json().at("/candidate/template").isMissingNode()).isTrue();
    }

    /** B4: a session face from an earlier Face's JSON (its template); a template of another version is a 400. */
    @Test
    void templateReuse() {
        Http.Answer direct = Form.data().field("face", "{\"imageType\":\"SELFIE\"}").file("image", "image/jpeg", man1).post("/bioserver-app/v2/faces");
        assertThat(direct.status()).as(direct.body()).isEqualTo(200);
        String session = session("{}");
        String imported = id(json("/bioserver-app/v2/bio-sessions/" + session + "/faces", "[" + direct.body() + "]"),
                "/v2/bio-sessions/" + session + "/faces/");
        Http.Answer face = get("/bioserver-app/v2/bio-sessions/" + session + "/faces/" + imported);
        assertThat(face.status()).as(face.body()).isEqualTo(200);
        assertThat(face.json().get("template").asText()).isEqualTo(direct.json().get("template").asText());

        ObjectNode wrong = (ObjectNode) direct.json().deepCopy();
        wrong.put("templateVersion", direct.json().get("templateVersion").asInt() + 1);
        Http.Answer refused = json("/bioserver-app/v2/bio-sessions/" + session + "/faces", wrong.toString());
        seedError(refused, 400, null);
        assertThat(refused.json().get("message").asText()).contains("templateVersion");
        // the seed's curl wraps the Face in doubled braces: not JSON
        seedError(json("/bioserver-app/v2/bio-sessions/" + session + "/faces", "{" + direct.body() + "}"), 400, null);
    }

    /** B6: the image of a session face, stored only when the session says so. */
    @Test
    void imageStorage() throws Exception {
        String stored = session("{\"imageStorageEnabled\":true}");
        String face = face(stored, Form.data().field("face", params("SELFIE")).file("image", "image/jpeg", man1));
        for (String query : new String[] {"", "?compression=true"}) {
            HttpResponse<byte[]> image = Http.CLIENT.send(request(gateway, "/bioserver-app/v2/bio-sessions/" + stored + "/faces/" + face + "/image"
                    + query, KEY).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/jpeg");
            assertThat(image.body()[0] & 0xff).isEqualTo(0xff);
            assertThat(image.body()[1] & 0xff).isEqualTo(0xd8);
        }
        String notStored = session("[{\"imageStorageEnabled\":false}]");
        String other = face(notStored, Form.data().field("face", params("SELFIE")).file("image", "image/jpeg", man1));
        Http.Answer none = get("/bioserver-app/v2/bio-sessions/" + notStored + "/faces/" + other + "/image");
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body()).isEmpty();
    }

    /** B7: age estimation; an image without a face is a 200 without the estimate. */
    @Test
    void ages() {
        Http.Answer age = Form.data().file("image", "image/jpeg", man1).file("age", "application/json", "{\"threshold\":18}".getBytes(StandardCharsets.UTF_8))
                .field("correlationId", "c5a0aec2-1262-41b6-82bd-e9d60da92ef2").post("/bioserver-app/v2/ages");
        assertThat(age.status()).as(age.body()).isEqualTo(200);
        assertThat(age.json().get("ageEstimated").asDouble()).isBetween(18.0, 90.0);
        assertThat(age.json().get("aboveThreshold").asBoolean()).isTrue();
        assertThat(age.json().get("threshold").asInt()).isEqualTo(18);
        assertThat(age.json().get("digest").asText()).hasSize(64);

        Http.Answer none = Form.mixed().file("image", "image/png", noFace).field("age", "[{\"threshold\":18}]").post("/bioserver-app/v2/ages");
        assertThat(none.status()).as(none.body()).isEqualTo(200);
        assertThat(none.json().has("ageEstimated")).isFalse();
        assertThat(none.json().has("aboveThreshold")).isFalse();
        assertThat(none.json().get("quality").asLong()).isNegative();
    }

    /** B8: the errors, each in the seed's {id, message}; and the capabilities health check. */
    @Test
    void errorsInTheSeedsFormat() throws Exception {
        // no key, a wrong key
        seedError(Http.send(request(gateway, "/bioserver-app/v2/bio-sessions", null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()), 401, null);
        seedError(Http.send(request(gateway, "/bioserver-app/v2/capabilities", "wrong").GET().build()), 401, null);
        // unknown, and not even a UUID
        seedError(get("/bioserver-app/v2/bio-sessions/" + UUID.randomUUID()), 404, "Session not found");
        seedError(get("/bioserver-app/v2/bio-sessions/not-a-session/faces"), 404, "Session not found");
        // ttlSeconds above the maximum
        seedError(json("/bioserver-app/v2/bio-sessions", "{\"ttlSeconds\":3601}"), 400, null);
        // over the payload limit
        seedError(Form.mixed().field("face", params("SELFIE")).file("image", "image/jpeg", new byte[PayloadLimits.MAX_PAYLOAD_BYTES + 1])
                .post("/bioserver-app/v2/bio-sessions/" + UUID.randomUUID() + "/faces"), 413, null);
        // no face in the image
        String session = session("{\"ttlSeconds\":1}");
        Http.Answer noFaceHere = Form.data().field("face", params("SELFIE")).file("image", "image/png", noFace)
                .post("/bioserver-app/v2/bio-sessions/" + session + "/faces");
        seedError(noFaceHere, 400, null);
        // an expired session (ttl 1 s): 404 once its second has passed
        await().pollDelay(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(10))
                .until(() -> get("/bioserver-app/v2/bio-sessions/" + session).status() == 404);
        seedError(get("/bioserver-app/v2/bio-sessions/" + session), 404, "Session not found");

        // the platform's shedding (here: no room for any pending request) answers 429 + Retry-After in the seed's format
        int busy = platform.gateway("gw-bioserver-busy", "openbio.gateway.max-pending=0");
        Http.Answer shed = Http.send(request(busy, "/bioserver-app/v2/bio-sessions", null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        seedError(shed, 429, null);
        assertThat(shed.raw().headers().firstValue("Retry-After")).isPresent();

        Http.Answer capabilities = get("/bioserver-app/v2/capabilities");
        assertThat(capabilities.status()).as(capabilities.body()).isEqualTo(200);
        assertThat(capabilities.json().get("currentMode").get(0).asText()).isEqualTo("F5_1_VID60");
        assertThat(capabilities.json().get("version").asText()).isNotBlank();
        assertThat(Http.send(request(gateway, "/video-server/v2/capabilities", KEY).GET().build()).status()).isEqualTo(200);
    }
}
