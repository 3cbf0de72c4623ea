package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.testkit.IdCards;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The IDLive eKYC API (seed 002) over real HTTP through the broker, the ekyc stages and the search shards. */
class EkycIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static byte[] manA;
    static byte[] manB;
    static byte[] document;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-ekyc");
        manA = CaptureClient.photo("man_a.jpg");
        manB = CaptureClient.photo("man_b.jpg");
        document = idCard(manA);
    }

    /** A synthetic ID card: a light card on a dark desk, man A's photo as its portrait, text lines (testkit's {@link IdCards}). */
    static byte[] idCard(byte[] portraitPhoto) throws Exception {
        return IdCards.withPortrait(portraitPhoto);
    }

    private static Http.Answer post(String path, String type, byte[] body) {
        return Http.post(gateway, path, type, body);
    }

    private static Http.Answer delete(String path) {
        return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + path)).DELETE().build());
    }

    private static void assertSeedError(Http.Answer answer, String messagePart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonNode body = answer.json();
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(body.get("message").asText()).contains(messagePart);
        assertThat(body.size()).as("exactly status and message: %s", body).isEqualTo(2);
    }

    @Test
    void templatesAreGeneratedAndMatchedTheSamePersonHighAndAnotherLow() {
        Http.Answer generated = post("/generate-template?encrypted=false", "application/octet-stream", manA);
        assertThat(generated.status()).as(generated.body()).isEqualTo(201);
        String template = generated.json().get("template").asText();

        Http.Answer same = Http.send(new Multipart().file("file", "file", "application/octet-stream", manA)
                .file("template", "template", "application/octet-stream", template.getBytes(StandardCharsets.UTF_8))
                .post(gateway, "/match-over-template?encrypted=false"));
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(same.json().get("score").asDouble()).isGreaterThan(0.9);

        Http.Answer other = Http.send(new Multipart().file("file", "file", "application/octet-stream", manB)
                .field("template", null, template).post(gateway, "/match-over-template?encrypted=false"));
        assertThat(other.json().get("score").asDouble()).isLessThan(0.5);
    }

    @Test
    void collectionLifecycleWithRecordsAndForce() {
        String c = "lifecycle";
        assertThat(post("/collections?collection=" + c, "application/json", new byte[0]).status()).isEqualTo(201);
        assertSeedError(post("/collections?collection=" + c, "application/json", new byte[0]), "already exists");

        Http.Answer added = post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", manA);
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        String recordId = added.json().get("record_ids").get(0).asText();

        String template = post("/generate-template?encrypted=false", "application/octet-stream", manB).json().get("template").asText();
        Http.Answer viaTemplate = post("/add-template?collection=" + c, "application/json",
                ("{\"templates\":[\"" + template + "\"]}").getBytes(StandardCharsets.UTF_8));
        assertThat(viaTemplate.status()).as(viaTemplate.body()).isEqualTo(201);
        assertThat(viaTemplate.json().get("record_ids")).hasSize(1);

        assertSeedError(delete("/collections?collection=" + c), "not empty");
        assertThat(delete("/collections/remove-record?collection=" + c + "&recordId=" + recordId).status()).isEqualTo(204);
        assertSeedError(delete("/collections/remove-record?collection=" + c + "&recordId=" + recordId), "does not exist");
        assertThat(delete("/collections?collection=" + c + "&force=true").status()).isEqualTo(204);
        assertSeedError(post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", manA), "Collection does not exist");
        assertThat(post("/collections?collection=empty-one", "application/json", new byte[0]).status()).isEqualTo(201);
        assertThat(delete("/collections?collection=empty-one").status()).as("empty collection, no force").isEqualTo(204);
    }

    @Test
    void fullCheckWithFaceCheckMatchAndSearchFindsTheEnrolledPerson() throws Exception {
        String c = "ekyc-search";
        post("/collections?collection=" + c, "application/json", new byte[0]);
        String enrolledA = post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", manA)
                .json().get("record_ids").get(0).asText();
        post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", manB);

        String model = "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\",\"FACE_MATCH_SEARCH\"],"
                + "\"document_check_parameters\":{\"pipelines\":[{\"type\":\"SCREEN_REPLAY_ATTACK\"},{\"type\":\"PRINTED_COPY_ATTACK\"},"
                + "{\"type\":\"PORTRAIT_SUBSTITUTION_ATTACK\",\"calibration\":\"HARD\"},{\"type\":\"DIGITAL_MANIPULATION_ATTACK\"}]},"
                + "\"face_search_parameters\":{\"collections\":[\"" + c + "\"],\"limit\":5,\"max_faces\":1}}";
        Http.Answer answer = Http.send(new Multipart().field("checkModel", "application/json", model)
                .file("face", "face", "application/octet-stream", manA)
                .file("doc", "doc", "application/octet-stream", document)
                .post(gateway, "/check?encrypted=false"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();

        JsonNode face = body.at("/face_result/results");
        assertThat(face).hasSize(3);
        assertThat(face.get(0).get("type").asText()).isEqualTo("PRESENTATION_ATTACK");
        assertThat(face.get(0).get("status_code").asText()).isEqualTo("OK");
        assertThat(face.get(0).get("probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(face.get(1).get("type").asText()).isEqualTo("DEEPFAKE_ATTACK");
        assertThat(face.get(1).get("status_code").asText()).isEqualTo("ERROR");
        assertThat(face.get(1).has("probability")).as("no made-up deepfake probability").isFalse();
        assertThat(face.get(2).get("type").asText()).isEqualTo("INJECTION_ATTACK");
        assertThat(face.get(2).get("status_code").asText()).as("plain image: no capture evidence").isEqualTo("ERROR");

        assertThat(body.at("/face_validation_result/status_code").asText()).isEqualTo("OK");
        assertThat(body.at("/face_validation_result/probability").asDouble()).as("selfie vs card portrait of the same man").isGreaterThan(0.5);

        JsonNode searches = body.at("/face_search_result/results");
        assertThat(searches).hasSize(2);
        JsonNode bySelfie = searches.get(0);
        assertThat(bySelfie.get("image_source").asText()).isEqualTo("FACE");
        assertThat(bySelfie.get("status_code").asText()).isEqualTo("OK");
        assertThat(bySelfie.get("results").get(0).get("record_id").asText()).isEqualTo(enrolledA);
        assertThat(bySelfie.get("results").get(0).get("probability").asDouble()).isGreaterThan(0.9);
        assertThat(searches.get(1).get("image_source").asText()).isEqualTo("DOCUMENT");
        JsonNode doc = body.at("/doc_result/results");
        assertThat(doc).hasSize(4);
        assertThat(doc.get(0).get("type").asText()).isEqualTo("SCREEN_REPLAY_ATTACK");
        assertThat(doc.get(0).get("pipeline").asText()).isEqualTo("default-sr");
        assertThat(doc.get(2).get("calibration").asText()).isEqualTo("HARD");
        for (JsonNode entry : doc) {
            assertThat(entry.get("status_code").asText()).as("card found with its portrait: %s", entry).isEqualTo("OK");
            assertThat(entry.get("probability").asDouble()).isBetween(0.0, 1.0);
            assertThat(entry.get("quality_warnings").isArray()).isTrue();
        }
        List<String> order = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(order::add);
        assertThat(order).containsExactly("face_result", "doc_result", "face_validation_result", "face_search_result");
    }

    @Test
    void searchInAMissingCollectionAnswersTheSeedsError() {
        String model = "{\"operations\":[\"FACE_MATCH_SEARCH\"],\"face_search_parameters\":{\"collections\":[\"no-such\"]}}";
        Http.Answer answer = Http.send(new Multipart().field("checkModel", "application/json", model)
                .file("face", "face", "application/octet-stream", manA).post(gateway, "/check?encrypted=false"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode entry = answer.json().at("/face_search_result/results/0");
        assertThat(entry.get("status_code").asText()).isEqualTo("ERROR");
        assertThat(entry.get("error").asText()).isEqualTo("Collection does not exist");
    }

    @Test
    void badRequestsAre400InTheSeedsFormat() {
        // missing part
        assertSeedError(Http.send(new Multipart().file("face", "face", "application/octet-stream", manA)
                .post(gateway, "/check?encrypted=false")), "checkModel");
        // unknown operation
        assertSeedError(Http.send(new Multipart().field("checkModel", "application/json", "{\"operations\":[\"FLY\"]}")
                .file("face", "face", "application/octet-stream", manA).post(gateway, "/check?encrypted=false")), "Unknown operation");
        // malformed checkModel
        assertSeedError(Http.send(new Multipart().field("checkModel", "application/json", "{\"operations\":")
                .post(gateway, "/check?encrypted=false")), "checkModel");
        // FACE_CHECK without a face
        assertSeedError(Http.send(new Multipart().field("checkModel", "application/json", "{\"operations\":[\"FACE_CHECK\"]}")
                .post(gateway, "/check?encrypted=false")), "face");
        // wrong type of parameter and body
        assertSeedError(post("/generate-template?encrypted=maybe", "application/octet-stream", manA), "encrypted");
        assertSeedError(post("/generate-template", "application/octet-stream", manA), "encrypted");
        assertSeedError(post("/check", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), "");
        // a non-image
        assertSeedError(post("/generate-template?encrypted=false", "application/octet-stream", "not an image".getBytes(StandardCharsets.UTF_8)), "image");
        // an encrypted flag on a plain image
        assertSeedError(post("/generate-template?encrypted=true", "application/octet-stream", manA), "Failed to parse file");
        // an oversized file
        assertSeedError(post("/generate-template?encrypted=false", "application/octet-stream", new byte[11 * 1024 * 1024]), "exceeds");
        assertSeedError(Http.send(new Multipart().field("checkModel", "application/json", "{\"operations\":[\"FACE_CHECK\"]}")
                .file("face", "face", "application/octet-stream", new byte[11 * 1024 * 1024]).post(gateway, "/check?encrypted=false")), "");
        // add-template with garbage
        post("/collections?collection=bad-input", "application/json", new byte[0]);
        assertSeedError(post("/add-template?collection=bad-input", "application/json", "{\"templates\":[\"AAAA\"]}".getBytes(StandardCharsets.UTF_8)), "");
        assertSeedError(post("/add-template?collection=bad-input", "application/json", "{\"templates\":".getBytes(StandardCharsets.UTF_8)), "");
        assertSeedError(post("/decrypt", "application/octet-stream", "junk".getBytes(StandardCharsets.UTF_8)), "Failed to parse file");
        assertSeedError(post("/add-image?collection=bad-input&encrypted=false&maxFaces=zero", "application/octet-stream", manA), "maxFaces");
    }

    @Test
    void decryptReturnsTheBundlesImage() throws Exception {
        byte[] bundle = new CaptureClient(gateway).bundle(manA, "Integrated Camera");
        var response = Http.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/decrypt"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");
        assertThat(response.body()).isEqualTo(manA);
    }

    @Test
    void openApiDocumentAndSwaggerUiCoverTheEndpoints() {
        Http.Answer docs = Http.get(gateway, "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        for (String path : List.of("/check", "/collections", "/collections/remove-record", "/generate-template", "/match-over-template",
                "/add-template", "/add-image", "/decrypt", "/check_capture_liveness", "/extract_image", "/api_version",
                "/bundle/public-key", "/bundle/nonce", "/diagnostic/digest", "/health")) {
            assertThat(paths.has(path)).as("OpenAPI documents %s", path).isTrue();
        }
        assertThat(paths.at("/~1check/post/requestBody/content").has("multipart/form-data")).isTrue();
        assertThat(Http.get(gateway, "/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void anEncryptedCheckRunsInjectionDetectionOnTheSelfieBundle() throws Exception {
        CaptureClient client = new CaptureClient(gateway);
        byte[] faceBundle = client.bundle(manA, "Integrated Camera");
        byte[] docBundle = client.bundle(document, "Integrated Camera");
        String model = "{\"operations\":[\"FACE_CHECK\",\"FACE_MATCH_VALIDATION\"]}";
        Http.Answer answer = Http.send(new Multipart().field("checkModel", "application/json", model)
                .file("face", "face", "application/octet-stream", faceBundle)
                .file("doc", "doc", "application/octet-stream", docBundle)
                .post(gateway, "/check"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode injection = answer.json().at("/face_result/results/2");
        assertThat(injection.get("type").asText()).isEqualTo("INJECTION_ATTACK");
        assertThat(injection.get("status_code").asText()).isEqualTo("OK");
        assertThat(injection.get("probability").asDouble()).isEqualTo(1.0);
        assertThat(answer.json().at("/face_validation_result/probability").asDouble()).isGreaterThan(0.5);

        // The same selfie bundle again: its nonce was used by the first check (replay).
        Http.Answer replay = Http.send(new Multipart().field("checkModel", "application/json", "{\"operations\":[\"FACE_CHECK\"]}")
                .file("face", "face", "application/octet-stream", faceBundle).post(gateway, "/check"));
        assertThat(replay.status()).as(replay.body()).isEqualTo(200);
        assertThat(replay.json().at("/face_result/results/2/status_code").asText()).isEqualTo("OK");
        assertThat(replay.json().at("/face_result/results/2/probability").asDouble()).as("replayed bundle").isZero();

        byte[] virtual = client.bundle(manA, "OBS Virtual Camera");
        Http.Answer flagged = Http.send(new Multipart().field("checkModel", "application/json", "{\"operations\":[\"FACE_CHECK\"]}")
                .file("face", "face", "application/octet-stream", virtual).post(gateway, "/check?encrypted=true"));
        assertThat(flagged.json().at("/face_result/results/2/probability").asDouble()).isZero();
    }

    @Test
    void searchFindsTheEnrolledPersonAfterTheSearchProcessorRestarts() throws Exception {
        String c = "restart-search";
        post("/collections?collection=" + c, "application/json", new byte[0]);
        String a = post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", manA).json().get("record_ids").get(0).asText();
        post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", manB);

        platform.stopProcessor("search");
        platform.startProcessor("search").awaitReady(java.time.Duration.ofSeconds(60));

        String model = "{\"operations\":[\"FACE_MATCH_SEARCH\"],\"face_search_parameters\":{\"collections\":[\"" + c + "\"]}}";
        Http.Answer answer = Http.send(new Multipart().field("checkModel", "application/json", model)
                .file("face", "face", "application/octet-stream", manA).post(gateway, "/check?encrypted=false"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode hits = answer.json().at("/face_search_result/results/0/results");
        assertThat(hits.get(0).get("record_id").asText()).isEqualTo(a);
        assertThat(hits.get(0).get("probability").asDouble()).isGreaterThan(0.9);
        assertThat(hits.size()).isEqualTo(2);
        assertThat(hits.get(1).get("probability").asDouble()).isLessThan(0.5);
    }

    @Test
    void aSelfieSentAsTheDocumentIsDocumentNotFound() {
        Http.Answer answer = Http.send(new Multipart().field("checkModel", "application/json", "{\"operations\":[\"DOC_CHECK\"]}")
                .file("doc", "doc", "application/octet-stream", manB).post(gateway, "/check?encrypted=false"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode results = answer.json().at("/doc_result/results");
        assertThat(results).hasSize(4);
        for (JsonNode entry : results) {
            assertThat(entry.get("status_code").asText()).isIn("DOCUMENT_NOT_FOUND", "DOCUMENT_CROPPED");
            assertThat(entry.has("probability")).isFalse();
        }
    }
}
