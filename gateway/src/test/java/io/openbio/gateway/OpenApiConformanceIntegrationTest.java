package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.ekyc.CheckModel;
import io.openbio.testkit.IdCards;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The OpenAPI document against the live platform (issue 14): every answer of the seeds' endpoints
 * (000: IAD Server, 002: IDLive eKYC), success and error alike, sent over real HTTP through the
 * broker and the stages, is validated against the document served at {@code /v3/api-docs} by the same
 * gateway. A status the operation does not declare, a Content-Type it does not declare for that
 * status, or a body its schema refuses (a missing required field, a field it does not list, a value
 * outside an enum, a wrong type) fails the test, so the document cannot drift from the code.
 *
 * <p>Validator: Atlassian's {@code swagger-request-validator-core} 2.46.1. It reads the document
 * as a generated client would (swagger-parser), matches each answer to its operation, status and media
 * type, and validates JSON bodies against the schema (additionalProperties, required, enum, nullable,
 * formats); it resolves from Maven Central with all its dependencies and is maintained. Its 3.0.0
 * (renamed openapi-request-validator-core, with OpenAPI 3.1 support) is built for Java 21 and this
 * build runs on 17, so the document is served as OpenAPI 3.0 (also what client generators read fully).
 * openapi4j is unmaintained since 2021; networknt json-schema-validator plus swagger-parser alone
 * would mean re-implementing the operation, status and media-type matching.
 *
 * <p>Answers to paths or methods the document has no operation for (404, 405) are checked against the
 * product's error component directly ({@link SchemaValidator}). The last test checks that every
 * seed operation was answered with each status it documents.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiConformanceIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static String document;
    static JsonNode doc;
    static OpenApiInteractionValidator validator;
    static OpenApiInteractionValidator requests;
    static SchemaValidator schemas;
    static CaptureClient client;
    static byte[] manA;
    static byte[] manB;
    static byte[] idCard;
    static byte[] noFace;
    /** "METHOD path status" of every validated answer. */
    static final Set<String> validated = new ConcurrentSkipListSet<>();

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-oas");
        // the document is generated on its first request: give it longer than Http.get's 30 s on a loaded machine
        Http.Answer answer = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/v3/api-docs"))
                .timeout(Duration.ofSeconds(180)).GET().build());
        assertThat(answer.status()).isEqualTo(200);
        document = answer.body();
        doc = answer.json();
        // the document as served, for review
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "api-docs.json"), doc.toPrettyString());
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
        // The wired gateway runs without API keys (the document's apiKey scheme applies only where keys are configured).
        requests = OpenApiInteractionValidator.createForInlineApiSpecification(document).withLevelResolver(LevelResolver.create()
                .withLevel("validation.request.security.missing", ValidationReport.Level.IGNORE).build()).build();
        OpenAPI parsed = new OpenAPIV3Parser().readContents(document).getOpenAPI();
        schemas = new SchemaValidator(parsed, new MessageResolver());
        client = new CaptureClient(gateway);
        manA = CaptureClient.photo("man_a.jpg");
        manB = CaptureClient.photo("man_b.jpg");
        idCard = IdCards.withPortrait(manA);
        noFace = grey();
    }

    // ---- seed 000: IAD Server -------------------------------------------------------------------

    @Test
    @Order(1)
    void iadServerAnswersMatchTheDocument() throws Exception {
        expect(get("/api_version"), 200);
        byte[] bundle = client.bundle(manA, "Integrated Camera");
        expect(post("/check_capture_liveness", "application/octet-stream", bundle), 200);
        expect(post("/check_capture_liveness?debug=true", "application/octet-stream", client.bundle(manA, "OBS Virtual Camera")), 200);
        expect(post("/extract_image", "application/octet-stream", client.bundle(manA, "Integrated Camera")), 200);

        byte[] random = new byte[5000];
        new Random(7).nextBytes(random);
        byte[] tampered = client.bundle(manA, "Integrated Camera");
        tampered[tampered.length - 40] ^= 0x01;
        for (String path : List.of("/check_capture_liveness", "/extract_image")) {
            expect(post(path, "application/octet-stream", random), 400);
            expect(post(path, "application/octet-stream", tampered), 400);
            expect(post(path, "application/octet-stream", new byte[0]), 400);
            expect(post(path, "application/x-www-form-urlencoded", bundle), 415);
            expect(post(path, "application/octet-stream", new byte[PayloadLimits.MAX_PAYLOAD_BYTES + 1]), 413);
        }
        expect(get("/health"), 200);
        expect(get("/metrics"), 200);
    }

    // ---- seed 002: IDLive eKYC ------------------------------------------------------------------

    @Test
    @Order(2)
    void collectionsAndTemplatesAnswersMatchTheDocument() {
        String c = "oas-collection";
        expect(post("/collections?collection=" + c, "application/json", new byte[0]), 201);
        expect(post("/collections?collection=" + c, "application/json", new byte[0]), 400);
        expect(post("/collections", "application/json", new byte[0]), 400);

        Http.Answer added = expect(post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", manA), 201);
        String recordId = added.json().at("/record_ids/0").asText();
        expect(post("/add-image?collection=" + c + "&encrypted=false&maxFaces=0", "application/octet-stream", manA), 400);
        expect(post("/add-image?collection=no-such&encrypted=false", "application/octet-stream", manA), 400);
        expect(post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", noFace), 400);
        expect(post("/add-image?collection=" + c + "&encrypted=false", "application/x-www-form-urlencoded", manA), 400);

        Http.Answer generated = expect(post("/generate-template?encrypted=false", "application/octet-stream", manB), 201);
        String template = generated.json().get("template").asText();
        expect(post("/generate-template?encrypted=false", "image/jpeg", manB), 201);
        expect(post("/generate-template?encrypted=false", "application/octet-stream", "not an image".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/generate-template?encrypted=true", "application/octet-stream", manA), 400);
        expect(post("/generate-template", "application/octet-stream", manA), 400);
        expect(post("/generate-template?encrypted=false", "application/octet-stream", new byte[PayloadLimits.MAX_PAYLOAD_BYTES + 1]), 400);

        expect(send(new Multipart().file("file", "file", "application/octet-stream", manB)
                .field("template", null, template).post(gateway, "/match-over-template?encrypted=false")), 200);
        expect(send(new Multipart().file("file", "file", "application/octet-stream", manB)
                .post(gateway, "/match-over-template?encrypted=false")), 400);
        expect(send(new Multipart().file("file", "file", "application/octet-stream", manB)
                .field("template", null, "AAAA").post(gateway, "/match-over-template?encrypted=false")), 400);

        expect(post("/add-template?collection=" + c, "application/json",
                ("{\"templates\":[\"" + template + "\"]}").getBytes(StandardCharsets.UTF_8)), 201);
        expect(post("/add-template?collection=" + c, "application/json", "{\"templates\":[\"AAAA\"]}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/add-template?collection=" + c, "application/json", "{\"templates\":".getBytes(StandardCharsets.UTF_8)), 400);

        expect(delete("/collections?collection=" + c), 400);
        expect(delete("/collections/remove-record?collection=" + c + "&recordId=" + recordId), 204);
        expect(delete("/collections/remove-record?collection=" + c + "&recordId=" + recordId), 400);
        expect(delete("/collections?collection=" + c + "&force=true"), 204);
        expect(delete("/collections?collection=" + c), 400);
    }

    @Test
    @Order(3)
    void checkAnswersMatchTheDocument() throws Exception {
        String c = "oas-search";
        expect(post("/collections?collection=" + c, "application/json", new byte[0]), 201);
        expect(post("/add-image?collection=" + c + "&encrypted=false", "application/octet-stream", manA), 201);
        String all = "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\",\"FACE_MATCH_SEARCH\"],"
                + "\"face_check_parameters\":{\"domain\":\"DESKTOP\",\"pipelines\":[{\"type\":\"PRESENTATION_ATTACK\",\"pipeline\":\"pad-r-1\","
                + "\"calibration\":\"SOFT\"},{\"type\":\"DEEPFAKE_ATTACK\"},{\"type\":\"INJECTION_ATTACK\"}]},"
                + "\"face_search_parameters\":{\"collections\":[\"" + c + "\",\"no-such\"],\"limit\":5,\"max_faces\":1}}";
        JsonNode full = expect(check(all, manA, idCard, "/check?encrypted=false"), 200).json();
        assertThat(full.at("/face_result/results/0/status_code").asText()).isEqualTo("OK");
        assertThat(full.at("/face_search_result/results")).hasSize(4);

        // encrypted: injection detection on the selfie bundle
        expect(check("{\"operations\":[\"FACE_CHECK\",\"FACE_MATCH_VALIDATION\"]}", client.bundle(manA, "Integrated Camera"),
                client.bundle(idCard, "Integrated Camera"), "/check"), 200);
        // validation codes inside a 200: no face, no document
        JsonNode failed = expect(check("{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\"]}", noFace, manB,
                "/check?encrypted=false"), 200).json();
        assertThat(failed.at("/face_result/results/0/status_code").asText()).isEqualTo("FACE_NOT_FOUND");
        assertThat(failed.at("/face_validation_result/status_code").asText()).isEqualTo("ERROR");

        expect(check("{\"operations\":[\"FLY\"]}", manA, null, "/check?encrypted=false"), 400);
        expect(check("{\"operations\":", manA, null, "/check?encrypted=false"), 400);
        expect(check("{\"operations\":[\"FACE_CHECK\"]}", null, null, "/check?encrypted=false"), 400);
        expect(check("{\"operations\":[\"FACE_CHECK\"]}", manA, null, "/check"), 400);
        expect(send(new Multipart().file("face", "face", "application/octet-stream", manA).post(gateway, "/check?encrypted=false")), 400);
        expect(post("/check", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(delete("/collections?collection=" + c + "&force=true"), 204);
    }

    @Test
    @Order(4)
    void decryptAnswersMatchTheDocument() throws Exception {
        expect(post("/decrypt", "application/octet-stream", client.bundle(manA, "Integrated Camera")), 200);
        expect(post("/decrypt", "application/octet-stream", "junk".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/decrypt", "application/octet-stream", new byte[0]), 400);
        expect(post("/decrypt", "application/x-www-form-urlencoded", manA), 400);
    }

    /** No operation for these, so no operation to validate against: the body is the path's product's error component. */
    @Test
    @Order(5)
    void answersWithoutAnOperationHaveTheProductsErrorBody() {
        expectError(get("/no-such-endpoint"), 404, "Error");
        expectError(get("/check"), 405, "IdliveError");
        expectError(get("/check_capture_liveness"), 405, "Error");
        expectError(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/collections?collection=x"))
                .method("PUT", HttpRequest.BodyPublishers.noBody()).build()), 405, "IdliveError");
    }

    // ---- the platform's own endpoints -----------------------------------------------------------

    @Test
    @Order(6)
    void platformEndpointsMatchTheDocument() {
        expect(get("/bundle/public-key"), 200);
        expect(get("/bioserver-app/v2/certificate"), 200);
        expect(post("/bundle/nonce", "application/json", new byte[0]), 200);
        expect(post("/diagnostic/digest", "application/octet-stream", manA), 200);
        expect(post("/diagnostic/digest?wait=false", "application/octet-stream", manA), 202);
        expect(post("/diagnostic/digest", "application/json", "{\"payload\":\"aGVsbG8=\"}".getBytes(StandardCharsets.UTF_8)), 200);
        expect(post("/diagnostic/digest", "application/json", "{\"payload\":\"%%%\"}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/diagnostic/digest", "application/octet-stream", new byte[0]), 400);
        expect(get("/audit/records?limit=5"), 200);
        expect(get("/audit/records?limit=0"), 400);
    }

    /** Liveness Check Proxy audit log (seed 001): list and detail, answers and errors, from events on openbio.lcp.audit. */
    @Test
    @Order(6)
    void lcpAuditAnswersMatchTheDocument() throws Exception {
        long now = System.currentTimeMillis();
        io.openbio.events.LcpAuditEvent plain = LcpAuditIntegrationTest.event("default", "oas-user", now - 2000, "INIT",
                "Received request to verify liveness from userId=oas-user.", null, null);
        io.openbio.events.LcpAuditEvent images = LcpAuditIntegrationTest.event("default", "oas-user", now - 1000, "PROBE_IMAGE",
                "User with userId=oas-user recorded probe image.", LcpAuditIntegrationTest.image(3), LcpAuditIntegrationTest.image(4));
        LcpAuditIntegrationTest.produce(platform, List.of(plain, images));
        org.awaitility.Awaitility.await("the two audit records").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> Http.get(gateway, "/admin/audit/users/oas-user"), a -> a.status() != 200 || a.json().get("records").size() == 2);
        expect(get("/admin/audit/users/oas-user"), 200);
        expect(get("/admin/audit/users/oas-user?start=" + (now - 5000) + "&end=" + now + "&pageSize=1&pageNumber=1"), 200);
        expect(get("/admin/audit/users/oas-user?pageSize=0"), 400);
        expect(get("/admin/audit/users/oas-user?start=abc"), 400);
        expect(get("/admin/audit/" + plain.getId()), 200);
        expect(get("/admin/audit/" + images.getId()), 200);
        expect(get("/admin/audit/" + java.util.UUID.randomUUID()), 400);
    }

    /** Active-liveness challenges (issue 16): issuance and verification, answers and errors. */
    @Test
    @Order(6)
    void challengeAnswersMatchTheDocument() throws Exception {
        Http.Answer issued = expect(post("/challenge", "application/json", new byte[0]), 200);
        expect(post("/challenge", "application/json", "{\"actions\":4,\"kinds\":[\"HEAD\",\"GAZE\"]}".getBytes(StandardCharsets.UTF_8)), 200);
        expect(post("/challenge", "application/json", "{\"actions\":9}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/challenge", "application/json", "{\"kinds\":[\"FLY\"]}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/challenge", "application/json", "{\"actions\":".getBytes(StandardCharsets.UTF_8)), 400);

        String nonce = issued.json().get("nonce").asText();
        List<String> actions = new ArrayList<>();
        issued.json().get("actions").forEach(a -> actions.add(a.asText()));
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            frames.add(ChallengeIntegrationTest.reencoded(manA, 0.80f + i * 0.01f));
        }
        byte[] bundle = client.challengeBundle(frames, nonce, nonce, actions, 300);
        expect(post("/challenge/verify", "application/octet-stream", bundle), 200);
        expect(post("/challenge/verify", "application/octet-stream", bundle), 400);
        String plain = client.nonce();
        expect(post("/challenge/verify", "application/octet-stream", client.challengeBundle(frames.subList(0, 2), plain, plain, List.of("SMILE"), 300)), 400);
        expect(post("/challenge/verify", "application/octet-stream", new byte[0]), 400);
        expect(post("/challenge/verify", "application/octet-stream", "junk".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/challenge/verify", "application/x-www-form-urlencoded", bundle), 415);
    }

    /** The Liveness Check Proxy (seed 001): init, verify and the reference faces, answers and errors in the seed's envelope. */
    @Test
    @Order(6)
    void livenessCheckProxyAnswersMatchTheDocument() throws Exception {
        expect(put("/admin/users/oas-user1/reference", "image/jpeg", manA), 200);
        for (int i = 0; i < 150 && get("/admin/users/oas-user1/reference").response().statusCode() != 200; i++) {
            Thread.sleep(200); // the stage reads its user store back as a global store
        }
        expect(get("/admin/users/oas-user1/reference"), 200);
        expect(put("/admin/users/oas-user2/reference", "application/json",
                ("{\"image\":\"" + java.util.Base64.getEncoder().encodeToString(manB) + "\"}").getBytes(StandardCharsets.UTF_8)), 200);
        expect(put("/admin/users/oas-user3/reference", "image/jpeg", noFace), 400);
        expect(get("/admin/users/oas-nobody/reference"), 404);

        expect(post("/liveness/init", "application/json", "{\"userId\":\"oas-user1\"}".getBytes(StandardCharsets.UTF_8)), 200);
        expect(post("/liveness/init", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/liveness/init", "application/json", "{\"userId\":\"oas-nobody\"}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/liveness/init", "text/plain", "userId=oas-user1".getBytes(StandardCharsets.UTF_8)), 400);
        String image = java.util.Base64.getEncoder().encodeToString(manA);
        expect(post("/liveness/verify", "application/json", ("{\"userId\":\"oas-user1\",\"livenessRecord\":{\"image\":\"" + image + "\"}}")
                .getBytes(StandardCharsets.UTF_8)), 200);
        expect(post("/liveness/verify", "application/json", "{\"userId\":\"oas-user1\"}".getBytes(StandardCharsets.UTF_8)), 400);

        // the token style and its two platform additions
        String token = expect(post("/liveness/init", "application/json", "{\"userId\":\"oas-user2\",\"initiationType\":\"TOKEN\"}"
                .getBytes(StandardCharsets.UTF_8)), 200).json().get("reference").asText();
        Http.Answer challenge = expect(get("/liveness/challenge/" + token), 200);
        expect(get("/liveness/challenge/0123456789abcdef0123456789abcdef"), 404);
        expect(post("/liveness/capture/" + token, "application/octet-stream", "junk".getBytes(StandardCharsets.UTF_8)), 400);
        expect(post("/liveness/capture/0123456789abcdef0123456789abcdef", "application/octet-stream", "junk".getBytes(StandardCharsets.UTF_8)), 404);
        List<String> tokenActions = new ArrayList<>();
        challenge.json().get("actions").forEach(a -> tokenActions.add(a.asText()));
        List<byte[]> tokenFrames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tokenFrames.add(ChallengeIntegrationTest.reencoded(manB, 0.80f + i * 0.01f));
        }
        expect(post("/liveness/capture/" + token, "application/octet-stream",
                client.challengeBundle(tokenFrames, token, token, tokenActions, 300)), 200);
        byte[] byToken = ("{\"userId\":\"oas-user2\",\"livenessRecord\":{\"reference\":\"" + token + "\"}}").getBytes(StandardCharsets.UTF_8);
        expect(post("/liveness/verify", "application/json", byToken), 200);
        expect(post("/liveness/verify", "application/json", byToken), 400);

        expect(delete("/admin/users/oas-user1/reference"), 204);
        for (int i = 0; i < 150 && get("/admin/users/oas-user1/reference").response().statusCode() != 404; i++) {
            Thread.sleep(200);
        }
        expect(delete("/admin/users/oas-user1/reference"), 404);
        expect(delete("/admin/users/oas-user1"), 204);
        expect(delete("/admin/users/oas-nobody"), 404);
    }

    /**
     * BioServer (seed 003): sessions, faces, matches, image, the direct operations, capabilities and replay liveness,
     * answers and errors ({id, message}).
     */
    @Test
    @Order(6)
    void bioServerAnswersMatchTheDocument() throws Exception {
        String base = "/bioserver-app/v2";
        expect(get(base + "/capabilities"), 200);
        Exchange created = post(base + "/bio-sessions", "application/json",
                "{\"correlationId\":\"oas\",\"ttlSeconds\":300,\"imageStorageEnabled\":false}".getBytes(StandardCharsets.UTF_8));
        expect(created, 201);
        String session = created.response().headers().firstValue("Location").orElseThrow().replaceAll("^.*/(.*)", "$1");
        expect(post(base + "/bio-sessions", "application/json", "{\"ttlSeconds\":0}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(get(base + "/bio-sessions/" + session), 200);
        expect(get(base + "/bio-sessions/" + java.util.UUID.randomUUID()), 404);

        Exchange face = send(new Multipart().field("face", "application/json", "{\"imageType\":\"SELFIE\"}")
                .file("image", "a.jpg", "image/jpeg", manA).post(gateway, base + "/bio-sessions/" + session + "/faces"));
        expect(face, 201);
        String faceId = face.response().headers().firstValue("Location").orElseThrow().replaceAll("^.*/(.*)", "$1");
        expect(send(new Multipart().field("face", "application/json", "{\"imageType\":\"SELFIE\"}")
                .file("image", "b.jpg", "image/jpeg", manB).post(gateway, base + "/bio-sessions/" + session + "/faces")), 201);
        expect(send(new Multipart().field("face", "application/json", "{\"imageType\":\"PASSPORT\"}")
                .file("image", "b.jpg", "image/jpeg", manB).post(gateway, base + "/bio-sessions/" + session + "/faces")), 400);
        expect(get(base + "/bio-sessions/" + session + "/faces"), 200);
        expect(get(base + "/bio-sessions/" + session + "/faces/" + faceId), 200);
        expect(get(base + "/bio-sessions/" + session + "/faces/" + java.util.UUID.randomUUID()), 404);
        expect(get(base + "/bio-sessions/" + session + "/faces/" + faceId + "/matches"), 200);
        expect(get(base + "/bio-sessions/" + session + "/faces/" + faceId + "/image"), 204);

        byte[] faceJson = expect(send(new Multipart().field("face", "application/json", "{\"imageType\":\"SELFIE\"}")
                .file("image", "a.jpg", "image/jpeg", manA).post(gateway, base + "/faces")), 200).body().getBytes(StandardCharsets.UTF_8);
        expect(post(base + "/bio-sessions/" + session + "/faces", "application/json", faceJson), 201);
        expect(send(new Multipart().file("candidateImage", "b.jpg", "image/jpeg", manB).field("candidateImageType", null, "SELFIE")
                .file("referenceFace", "face.json", "application/json", faceJson).post(gateway, base + "/match")), 200);
        expect(send(new Multipart().file("referenceImage", "a.jpg", "image/jpeg", manA).file("candidateImage", "b.jpg", "image/jpeg", manB)
                .field("referenceImageType", null, "SELFIE").field("candidateImageType", null, "SELFIE").post(gateway, base + "/match/images")), 200);
        expect(send(new Multipart().file("referenceImage", "a.jpg", "image/jpeg", manA).post(gateway, base + "/match/images")), 400);
        expect(send(new Multipart().file("image", "a.jpg", "image/jpeg", manA).field("age", "application/json", "{\"threshold\":18}")
                .post(gateway, base + "/ages")), 200);
        expect(send(new Multipart().file("image", "g.jpg", "image/jpeg", noFace).field("age", "application/json", "{\"threshold\":18}")
                .post(gateway, base + "/ages")), 200);
        expect(send(new Multipart().file("image", "a.jpg", "image/jpeg", manA).post(gateway, base + "/ages")), 400);

        // replay liveness: init, parameters, the v3 metadata, the integrators' routes, the capture client's challenge
        expect(post(base + "/bio-sessions/" + session + "/init-liveness-parameters", "application/json",
                "[{\"type\":\"LIVENESS_PASSIVE_VIDEO\",\"id\":\"oas-replay\"}]".getBytes(StandardCharsets.UTF_8)), 200);
        expect(post(base + "/bio-sessions/" + session + "/init-liveness-parameters", "application/json",
                "{\"type\":\"NO_LIVENESS\"}".getBytes(StandardCharsets.UTF_8)), 400);
        expect(get(base + "/bio-sessions/" + session + "/liveness-parameters"), 200);
        expect(get("/bioserver-app/v3/bio-sessions/" + session + "/replay-liveness-metadata"), 200);
        expect(get("/bioserver-app/v3/bio-sessions/" + java.util.UUID.randomUUID() + "/replay-liveness-metadata"), 404);
        expect(get(base + "/bio-sessions/" + session + "/liveness-challenge-result"), 200);
        expect(get(base + "/bio-sessions/" + session + "/liveness-challenge"), 200);
        expect(get(base + "/bio-sessions/" + java.util.UUID.randomUUID() + "/liveness-challenge"), 404);
        expect(post("/video-server/init-liveness-session", "application/json",
                "{\"livenessMode\":\"LIVENESS_ACTIVE\",\"numberOfChallenge\":2}".getBytes(StandardCharsets.UTF_8)), 201);

        expect(delete(base + "/bio-sessions/" + session + "/faces/" + faceId), 204);
        expect(delete(base + "/bio-sessions/" + session + "/faces"), 204);
        expect(delete(base + "/bio-sessions/" + session), 204);
        expect(delete(base + "/bio-sessions/" + session), 404);
    }

    private static Exchange put(String pathAndQuery, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), body);
    }

    /**
     * The statuses every operation shares, from a gateway with API keys, a quota of one request a second
     * and a pipeline timeout of 1 ms: 401 without a key, 403 for a USER key on collection administration,
     * 504 when the result is late, 429 (with Retry-After) right after; each in its product's body.
     */
    /**
     * Seed 004 (Digital Identity Service, customers and sessions): the platform's own document describes what
     * the DIS operations answer, success and errors. Whether those answers are the reference's
     * ({@code dis-1.52.0-openapi.json}) is checked where every DIS answer is: DisCustomerIntegrationTest
     * (DisClient validates each against the reference), so only a sample of operations is exercised here.
     */
    @Test
    @Order(6)
    void disCustomerAnswersMatchTheDocument() throws Exception {
        expect(get("/api/v1/info"), 200);
        expect(get("/api/v1/health"), 200);
        // POST without a body and without a Content-Type, as integrators send it
        Exchange created = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/v1/customers"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build());
        expect(created, 200);
        String id = Http.JSON.readTree(created.response().body()).get("id").asText();
        String customer = "/api/v1/customers/" + id;
        expect(get(customer), 200);
        expect(get("/api/v1/customers/not-a-uuid"), 400);
        expect(get("/api/v1/customers/" + java.util.UUID.randomUUID()), 404);
        expect(post(customer + "/store", "application/json", "{\"onboardingStatus\":\"IN_PROGRESS\"}".getBytes(StandardCharsets.UTF_8)), 204);
        expect(post(customer + "/store", "application/json", "{\"onboardingStatus\":\"DONE\"}".getBytes(StandardCharsets.UTF_8)), 400);
        byte[] selfie = ("{\"image\":{\"data\":\"" + java.util.Base64.getEncoder().encodeToString(manA) + "\"}}").getBytes(StandardCharsets.UTF_8);
        expect(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + customer + "/selfie")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofByteArray(selfie)).build(), selfie), 200);
        expect(get(customer + "/selfie"), 200);
        expect(get(customer), 200);
        expect(delete(customer + "/selfie"), 204);
        expect(get(customer + "/selfie"), 404);
        Exchange session = post("/api/v1/sessions", "application/json", "{\"timeout\":600}".getBytes(StandardCharsets.UTF_8));
        expect(session, 200);
        expect(post("/api/v1/sessions", "application/json", "{\"timeout\":".getBytes(StandardCharsets.UTF_8)), 400);
        String token = Http.JSON.readTree(session.response().body()).get("token").asText();
        expect(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/api/v1/sessions")).timeout(Duration.ofSeconds(60))
                .header("x-inn-session-token", token).DELETE().build()), 204);
        // the document (DisDocumentIntegrationTest validates every answer against the reference)
        String document = customer + "/document";
        expect(put(document + "/pages", "application/octet-stream", manA), 404);
        expect(put(document, "application/json", "{\"advice\":{\"classification\":{\"types\":[\"identity-card\"]}}}".getBytes(StandardCharsets.UTF_8)), 200);
        expect(put(document, "application/json", "{\"sources\":[\"FACE\"]}".getBytes(StandardCharsets.UTF_8)), 400);
        byte[] page = ("{\"image\":{\"data\":\"" + java.util.Base64.getEncoder().encodeToString(io.openbio.testkit.IdCards.withPortrait(manA))
                + "\"},\"advice\":{\"classification\":{\"pageTypes\":[\"front\"]}}}").getBytes(StandardCharsets.UTF_8);
        expect(put(document + "/pages", "application/json", page), 200);
        // a SYNTHETIC TD1 card as the back (octet-stream, no advice): GET customer then answers the MRZ, the fields by source
        expect(put(document + "/pages", "application/octet-stream", io.openbio.testkit.MrzCardPhotos.onDesk(io.openbio.testkit.MrzDocuments.Layout.TD1,
                new io.openbio.testkit.MrzDocuments.Holder("ID", "CZE", "SVOBODOVA", "EVA MARIA", "HK4726190", "CZE", "850317", "F", "310911", ""),
                manA, 1000)), 200);
        expect(put(document + "/pages", "application/octet-stream", manA), 200); // no card: errorCode
        // the customer with what was read: the document's MRZ object and the fields by source, as the document describes them
        assertThat(Http.JSON.readTree(expect(get(customer), 200).body()).at("/customer/document/mrz/td1/documentNumber").asText())
                .isEqualTo("HK4726190");
        expect(get("/api/v1/metadata"), 200);
        expect(get(document + "/portrait"), 200);
        expect(get(document + "/pages/front?width=200"), 200);
        expect(get(document + "/pages/front?width=0"), 400);
        expect(get(document + "/pages/front/quality"), 200);
        expect(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + document + "/chip/challenge"))
                .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.noBody()).build()), 200);
        expect(put(document + "/chip/data", "application/octet-stream", "not a chip".getBytes(StandardCharsets.UTF_8)), 200);
        expect(get(document + "/chip/portrait"), 404);
        // the document inspection and the crops that are never located (DisInspectionIntegrationTest validates against the reference)
        for (String inspect : List.of("/inspect", "/inspect/disclose")) {
            expect(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + document + inspect))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build()), 200);
        }
        expect(get(document + "/signature"), 404);
        expect(get(document + "/ghost-portrait?width=100"), 404);
        expect(get(document + "/fingerprint?height=0"), 400);
        expect(delete(document), 204);
        expect(delete(customer), 204);
    }

    @Test
    @Order(7)
    void sharedErrorStatusesMatchTheDocument() throws Exception {
        String keys = "oas:USER:" + io.openbio.gateway.security.ApiKeys.sha256("oas-user-key")
                + ",oas:ADMIN:" + io.openbio.gateway.security.ApiKeys.sha256("oas-admin-key");
        int guarded = platform.gateway("gw-oas-guarded", "openbio.security.api-keys=" + keys, "openbio.gateway.tenant.max-rate=1",
                "openbio.gateway.tenant.burst=1", "openbio.gateway.request-timeout=1ms");
        byte[] random = new byte[5000];
        new Random(11).nextBytes(random);

        expect(postTo(guarded, "/check_capture_liveness", null, random), 401);
        expect(postTo(guarded, "/generate-template?encrypted=false", null, manA), 401);
        expect(postTo(guarded, "/collections?collection=guarded", "oas-user-key", new byte[0]), 403);
        burst(guarded, "/generate-template?encrypted=false", manA);
        Thread.sleep(1200);
        burst(guarded, "/check_capture_liveness", random);
    }

    /**
     * Three requests at once against the guarded gateway (1 request/s, burst 1, 1 ms timeout): the one that gets the
     * token times out (504), the others are shed (429 with Retry-After), each answer as the document says. At once,
     * not one after the other: on a loaded machine a second request sent after the first answer may arrive a second
     * later, when the bucket has a token again.
     */
    private static final ExecutorService BURST = Executors.newFixedThreadPool(3, runnable -> {
        Thread thread = new Thread(runnable, "oas-burst");
        thread.setDaemon(true);
        return thread;
    });

    private static void burst(int port, String pathAndQuery, byte[] body) throws Exception {
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(CompletableFuture.supplyAsync(() -> postTo(port, pathAndQuery, "oas-user-key", body), BURST));
        }
        List<Exchange> answers = new ArrayList<>();
        for (CompletableFuture<Exchange> future : sent) {
            answers.add(future.get());
        }
        List<Integer> statuses = answers.stream().map(a -> a.response().statusCode()).toList();
        assertThat(statuses).as(pathAndQuery).containsOnly(504, 429).contains(504, 429);
        for (Exchange answer : answers) {
            expect(answer, answer.response().statusCode());
            if (answer.response().statusCode() == 429) {
                assertThat(answer.response().headers().firstValue("Retry-After")).isPresent();
            }
        }
    }

    private static Exchange postTo(int port, String pathAndQuery, String apiKey, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        return send(request.build(), body);
    }

    // ---- what the document declares ------------------------------------------------------------

    /** The status codes and media types each seed documents, per operation, are in the document. */
    @Test
    @Order(8)
    void theDocumentDeclaresWhatTheSeedsDocument() {
        // seed 000
        declares("get", "/api_version", null, Map.of("200", "application/json"));
        declares("post", "/check_capture_liveness", "application/octet-stream", Map.of("200", "application/json", "400", "application/json"));
        declares("post", "/extract_image", "application/octet-stream", Map.of("200", "image/jpeg", "400", "application/json"));
        declares("get", "/health", null, Map.of("200", "application/json", "503", "application/json"));
        declares("get", "/metrics", null, Map.of("200", "text/plain"));
        // seed 002
        declares("post", "/check", "multipart/form-data", Map.of("200", "application/json", "400", "application/json"));
        declares("post", "/collections", null, Map.of("201", "", "400", "application/json"));
        declares("delete", "/collections", null, Map.of("204", "", "400", "application/json"));
        declares("delete", "/collections/remove-record", null, Map.of("204", "", "400", "application/json"));
        declares("post", "/generate-template", "application/octet-stream", Map.of("201", "application/json", "400", "application/json"));
        declares("post", "/match-over-template", "multipart/form-data", Map.of("200", "application/json", "400", "application/json"));
        declares("post", "/add-template", "application/json", Map.of("201", "application/json", "400", "application/json"));
        declares("post", "/add-image", "application/octet-stream", Map.of("201", "application/json", "400", "application/json"));
        declares("post", "/decrypt", "application/octet-stream", Map.of("200", "image/jpeg", "400", "application/json"));

        // issue 16: active-liveness challenges
        declares("post", "/challenge", "application/json", Map.of("200", "application/json", "400", "application/json"));
        declares("post", "/challenge/verify", "application/octet-stream", Map.of("200", "application/json", "400", "application/json"));
        assertThat(errorSchemaOf("post", "/challenge/verify", "400")).isEqualTo("Error");
        assertThat(enumOf("ChallengeVerification", "decision")).containsExactlyInAnyOrder("PASS", "SPOOF", "FAILED", "TIMEOUT", "ERROR");

        // seed 003: BioServer (the seed's error object on every error)
        declares("post", "/bioserver-app/v2/bio-sessions", "application/json", Map.of("201", "", "400", "application/json",
                "401", "application/json", "429", "application/json"));
        declares("get", "/bioserver-app/v2/bio-sessions/{bioSessionId}", null, Map.of("200", "application/json", "404", "application/json"));
        declares("delete", "/bioserver-app/v2/bio-sessions/{bioSessionId}", null, Map.of("204", "", "404", "application/json"));
        for (String type : List.of("multipart/form-data", "multipart/mixed", "application/json")) {
            declares("post", "/bioserver-app/v2/bio-sessions/{bioSessionId}/faces", type, Map.of("201", "", "400", "application/json",
                    "413", "application/json"));
        }
        declares("get", "/bioserver-app/v2/bio-sessions/{bioSessionId}/faces/{faceId}/image", null, Map.of("200", "image/jpeg", "204", ""));
        for (String path : List.of("/bioserver-app/v2/faces", "/bioserver-app/v2/match", "/bioserver-app/v2/match/images", "/bioserver-app/v2/ages")) {
            declares("post", path, "multipart/mixed", Map.of("200", "application/json", "400", "application/json", "413", "application/json",
                    "429", "application/json"));
            assertThat(errorSchemaOf("post", path, "400")).as(path).isEqualTo("BioServerError");
        }
        declares("get", "/bioserver-app/v2/capabilities", null, Map.of("200", "application/json", "500", "application/json"));
        assertThat(fields("BioServerCapabilities")).containsExactlyInAnyOrder("currentMode", "version");
        assertThat(enumOf("BioServerFaceParameters", "imageType")).containsExactlyInAnyOrder("ID_DOCUMENT", "SELFIE", "VIDEO_FRAME");

        // seed 001: Liveness Check Proxy (its error table: 400, 409, 500; the seed's envelope)
        declares("post", "/liveness/init", "application/json", Map.of("200", "application/json", "400", "application/json",
                "409", "application/json", "500", "application/json"));
        declares("post", "/liveness/verify", "application/json", Map.of("200", "application/json", "400", "application/json",
                "409", "application/json", "500", "application/json"));
        declares("put", "/admin/users/{userId}/reference", "image/*", Map.of("200", "application/json", "400", "application/json"));
        declares("get", "/admin/users/{userId}/reference", null, Map.of("200", "application/json", "404", "application/json"));
        declares("delete", "/admin/users/{userId}/reference", null, Map.of("204", "", "404", "application/json"));
        declares("delete", "/admin/users/{userId}", null, Map.of("204", "", "404", "application/json"));

        // seed 003: the public certificate of the BioServer response signatures (platform addition), no API key
        declares("get", "/bioserver-app/v2/certificate", null, Map.of("200", "application/x-pem-file"));
        assertThat(doc.at("/paths/" + pointer("/bioserver-app/v2/certificate") + "/get/security").isMissingNode()).isTrue();
        for (String path : List.of("/liveness/init", "/liveness/verify")) {
            assertThat(errorSchemaOf("post", path, "400")).as(path).isEqualTo("LcpError");
            assertThat(errorSchemaOf("post", path, "409")).as(path).isEqualTo("LcpError");
        }
        assertThat(enumOf("LcpVerifyResponse", "result")).containsExactlyInAnyOrder("ACCEPTED", "REJECTED");
        // the token style's platform additions
        declares("get", "/liveness/challenge/{token}", null, Map.of("200", "application/json", "404", "application/json"));
        declares("post", "/liveness/capture/{token}", "application/octet-stream", Map.of("200", "application/json", "400", "application/json",
                "404", "application/json"));
        assertThat(errorSchemaOf("get", "/liveness/challenge/{token}", "404")).isEqualTo("LcpError");
        assertThat(errorSchemaOf("post", "/liveness/capture/{token}", "400")).isEqualTo("LcpError");
        assertThat(doc.at("/paths/" + pointer("/liveness/challenge/{token}") + "/get/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Challenge");
        assertThat(doc.at("/paths/" + pointer("/liveness/capture/{token}") + "/post/responses/200/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/ChallengeVerification");
        assertThat(enumOf("LcpInitResponse", "initiationType")).containsExactlyInAnyOrder("TOKEN", "NONE");
        // seed 001: the audit log (ADMIN: 401 and 403 declared), errors in the Wultra envelope
        declares("get", "/admin/audit/users/{userId}", null, Map.of("200", "application/json", "400", "application/json",
                "401", "application/json", "403", "application/json"));
        declares("get", "/admin/audit/{auditLogId}", null, Map.of("200", "application/json", "400", "application/json",
                "401", "application/json", "403", "application/json"));
        assertThat(errorSchemaOf("get", "/admin/audit/{auditLogId}", "400")).isEqualTo("LcpError");
        assertThat(parameters("get", "/admin/audit/users/{userId}")).contains("userId", "start", "end", "pageSize", "pageNumber");
        assertThat(fields("LcpAuditLogRecord")).containsExactlyInAnyOrder("id", "timestamp", "message");

        // each product's error body
        for (String path : List.of("/check_capture_liveness", "/extract_image")) {
            assertThat(errorSchemaOf("post", path, "400")).isEqualTo("Error");
            assertThat(doc.at("/paths/" + pointer(path) + "/post/responses").has("415")).as(path).isTrue();
        }
        for (String path : List.of("/check", "/generate-template", "/match-over-template", "/add-template", "/add-image", "/decrypt")) {
            assertThat(errorSchemaOf("post", path, "400")).as(path).isEqualTo("IdliveError");
            assertThat(doc.at("/paths/" + pointer(path) + "/post/responses").has("415")).as("IDLive answers 415 as 400: " + path).isFalse();
        }
        assertThat(fields("Error")).containsExactlyInAnyOrder("timestamp", "status", "error", "message", "path", "error_code");
        assertThat(fields("IdliveError")).containsExactlyInAnyOrder("status", "message");

        // the checkModel part: a JSON object with the seed's enums (CheckModel's sets: the parser and the document agree)
        assertThat(doc.at("/paths/~1check/post/requestBody/content/multipart~1form-data/encoding/checkModel/contentType").asText())
                .isEqualTo("application/json");
        assertThat(doc.at("/components/schemas/CheckForm/properties/checkModel/$ref").asText()).isEqualTo("#/components/schemas/CheckModel");
        assertThat(enumOf("CheckModel", "operations/items")).containsExactlyInAnyOrderElementsOf(CheckModel.OPERATIONS);
        assertThat(enumOf("FaceCheckParameters", "domain")).containsExactlyInAnyOrderElementsOf(CheckModel.DOMAINS);
        assertThat(enumOf("FacePipeline", "type")).containsExactlyInAnyOrderElementsOf(CheckModel.FACE_TYPES);
        assertThat(enumOf("DocumentPipeline", "type")).containsExactlyInAnyOrderElementsOf(CheckModel.DOC_TYPES);
        for (String pipeline : List.of("FacePipeline", "DocumentPipeline", "FaceEntry", "DocEntry")) {
            assertThat(enumOf(pipeline, "calibration")).as(pipeline).containsExactlyInAnyOrderElementsOf(CheckModel.CALIBRATIONS);
        }
        assertThat(enumOf("FaceEntry", "status_code")).contains("OK", "ERROR", "FACE_NOT_FOUND", "FACE_TOO_SMALL");
        assertThat(enumOf("DocEntry", "status_code")).contains("OK", "ERROR", "DOCUMENT_NOT_FOUND", "DOCUMENT_PHOTO_NOT_FOUND", "DOCUMENT_CROPPED");
        assertThat(enumOf("SearchEntry", "image_source")).containsExactlyInAnyOrder("FACE", "DOCUMENT");

        // the seed's parameters
        assertThat(parameters("post", "/check")).contains("encrypted");
        assertThat(parameters("post", "/collections")).contains("collection");
        assertThat(parameters("delete", "/collections")).contains("collection", "force");
        assertThat(parameters("delete", "/collections/remove-record")).contains("collection", "recordId");
        assertThat(parameters("post", "/add-image")).contains("collection", "maxFaces", "encrypted");
        assertThat(parameters("post", "/generate-template")).contains("encrypted");
        assertThat(parameters("post", "/match-over-template")).contains("encrypted");
        assertThat(parameters("post", "/add-template")).contains("collection");
    }

    /** Every seed operation was answered, and validated, with each status its seed documents (and the ones this platform adds). */
    @Test
    @Order(9)
    void everySeedStatusWasValidatedLive() {
        assertThat(validated).contains(
                "GET /api_version 200", "POST /check_capture_liveness 200", "POST /check_capture_liveness 400",
                "POST /check_capture_liveness 413", "POST /check_capture_liveness 415",
                "POST /extract_image 200", "POST /extract_image 400", "POST /extract_image 413", "POST /extract_image 415",
                "GET /health 200", "GET /metrics 200",
                "POST /check 200", "POST /check 400", "POST /collections 201", "POST /collections 400",
                "DELETE /collections 204", "DELETE /collections 400", "DELETE /collections/remove-record 204",
                "DELETE /collections/remove-record 400", "POST /generate-template 201", "POST /generate-template 400",
                "POST /match-over-template 200", "POST /match-over-template 400", "POST /add-template 201", "POST /add-template 400",
                "POST /add-image 201", "POST /add-image 400", "POST /decrypt 200", "POST /decrypt 400",
                "GET /no-such-endpoint 404", "GET /check 405",
                "POST /check_capture_liveness 401", "POST /check_capture_liveness 429", "POST /check_capture_liveness 504",
                "POST /generate-template 401", "POST /generate-template 429", "POST /generate-template 504", "POST /collections 403",
                "POST /challenge 200", "POST /challenge 400", "POST /challenge/verify 200", "POST /challenge/verify 400",
                "POST /challenge/verify 415",
                "POST /liveness/init 200", "POST /liveness/init 400", "POST /liveness/verify 200", "POST /liveness/verify 400",
                "PUT /admin/users/oas-user1/reference 200", "PUT /admin/users/oas-user3/reference 400", "GET /admin/users/oas-user1/reference 200",
                "GET /admin/users/oas-nobody/reference 404", "DELETE /admin/users/oas-user1/reference 204",
                "DELETE /admin/users/oas-user1/reference 404", "DELETE /admin/users/oas-user1 204", "DELETE /admin/users/oas-nobody 404");
        // the token style's additions (the token is in the path)
        for (String status : List.of("GET /liveness/challenge/ 200", "GET /liveness/challenge/ 404", "POST /liveness/capture/ 200",
                "POST /liveness/capture/ 400", "POST /liveness/capture/ 404")) {
            String[] parts = status.split(" ");
            assertThat(validated).as(status).anyMatch(v -> v.startsWith(parts[0] + " " + parts[1]) && v.endsWith(" " + parts[2]));
        }
        // seed 003 (ids in the paths)
        for (String status : List.of("POST /bioserver-app/v2/bio-sessions 201", "POST /bioserver-app/v2/bio-sessions 400",
                "GET /bioserver-app/v2/bio-sessions/ 200", "GET /bioserver-app/v2/bio-sessions/ 404", "DELETE /bioserver-app/v2/bio-sessions/ 204",
                "DELETE /bioserver-app/v2/bio-sessions/ 404", "POST /bioserver-app/v2/bio-sessions/ 201", "POST /bioserver-app/v2/bio-sessions/ 400",
                "POST /bioserver-app/v2/faces 200", "POST /bioserver-app/v2/match 200", "POST /bioserver-app/v2/match/images 200",
                "POST /bioserver-app/v2/match/images 400", "POST /bioserver-app/v2/ages 200", "POST /bioserver-app/v2/ages 400",
                "GET /bioserver-app/v2/capabilities 200", "POST /bioserver-app/v2/bio-sessions/ 200",
                "GET /bioserver-app/v3/bio-sessions/ 200", "GET /bioserver-app/v3/bio-sessions/ 404", "POST /video-server/init-liveness-session 201")) {
            String[] parts = status.split(" ");
            assertThat(validated).as(status).anyMatch(v -> v.startsWith(parts[0] + " " + parts[1]) && v.endsWith(" " + parts[2]));
        }
        assertThat(validated.stream().filter(v -> v.startsWith("GET /admin/audit/")).map(v -> v.substring(v.length() - 3)).distinct())
                .as("seed 001 audit log: 200 and 400 validated live").containsExactlyInAnyOrder("200", "400");
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A request and its answer; {@code body} is the request body where the test has it (not for multipart forms). */
    private record Exchange(HttpRequest request, byte[] body, String method, String path, HttpResponse<byte[]> response) {
    }

    private static Exchange send(HttpRequest request) {
        return send(request, null);
    }

    private static Exchange send(HttpRequest request, byte[] body) {
        try {
            HttpResponse<byte[]> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String path = request.uri().getRawPath();
            return new Exchange(request, body, request.method(), path, response);
        } catch (Exception e) {
            throw new AssertionError("HTTP call failed: " + request.uri(), e);
        }
    }

    private static Exchange get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + pathAndQuery)).timeout(Duration.ofSeconds(60)).GET().build());
    }

    private static Exchange delete(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + pathAndQuery)).timeout(Duration.ofSeconds(60)).DELETE().build());
    }

    private static Exchange post(String pathAndQuery, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + pathAndQuery)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), body);
    }

    private static Exchange check(String model, byte[] face, byte[] docImage, String pathAndQuery) {
        Multipart form = new Multipart().field("checkModel", "application/json", model);
        if (face != null) {
            form.file("face", "face", "application/octet-stream", face);
        }
        if (docImage != null) {
            form.file("doc", "doc", "application/octet-stream", docImage);
        }
        return send(form.post(gateway, pathAndQuery));
    }

    /** The answer has {@code status} and matches the document's operation for it; recorded as validated. */
    private static Http.Answer expect(Exchange exchange, int status) {
        HttpResponse<byte[]> response = exchange.response();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String what = exchange.method() + " " + exchange.path() + " -> " + response.statusCode() + " "
                + response.headers().firstValue("Content-Type").orElse("(no type)") + " "
                + (body.length() > 600 ? body.substring(0, 600) + "..." : body);
        assertThat(response.statusCode()).as(what).isEqualTo(status);
        ValidationReport report = validator.validateResponse(exchange.path(), Request.Method.valueOf(exchange.method()), response(response));
        assertThat(report.hasErrors()).as("%s\ndoes not match /v3/api-docs:\n%s", what, messages(report)).isFalse();
        if (status < 300 && !exchange.request().headers().firstValue("Content-Type").orElse("").startsWith("multipart/")) {
            // a request the server accepted is one the document allows (parameters, Content-Type, JSON body)
            ValidationReport sent = requests.validateRequest(request(exchange));
            assertThat(sent.hasErrors()).as("%s\nrequest does not match /v3/api-docs:\n%s", what, messages(sent)).isFalse();
        }
        validated.add(exchange.method() + " " + exchange.path() + " " + status);
        return new Http.Answer(response.statusCode(), body, null);
    }

    /** An answer with no operation in the document: its status, and its body valid against the error component {@code schema}. */
    private static void expectError(Exchange exchange, int status, String schema) {
        HttpResponse<byte[]> response = exchange.response();
        String body = new String(response.body(), StandardCharsets.UTF_8);
        String what = exchange.method() + " " + exchange.path() + " -> " + response.statusCode() + " " + body;
        assertThat(response.statusCode()).as(what).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/json");
        ValidationReport report = schemas.validate(body, new io.swagger.v3.oas.models.media.Schema<>().$ref("#/components/schemas/" + schema),
                "response.body");
        assertThat(report.hasErrors()).as("%s\nis no %s:\n%s", what, schema, messages(report)).isFalse();
        validated.add(exchange.method() + " " + exchange.path() + " " + status);
    }

    private static SimpleRequest request(Exchange exchange) {
        HttpRequest request = exchange.request();
        SimpleRequest.Builder builder = new SimpleRequest.Builder(request.method(), exchange.path());
        String query = request.uri().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                builder.withQueryParam(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        request.headers().firstValue("Content-Type").ifPresent(builder::withContentType);
        // header parameters (x-inn-session-token of DELETE /api/v1/sessions is a required one)
        request.headers().map().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                builder.withHeader(name, values);
            }
        });
        if (exchange.body() != null && exchange.body().length > 0) {
            builder.withBody(exchange.body());
        }
        return builder.build();
    }

    private static SimpleResponse response(HttpResponse<byte[]> response) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach((name, values) -> builder.withHeader(name, values));
        response.headers().firstValue("Content-Type").ifPresent(builder::withContentType);
        if (response.body().length > 0) {
            builder.withBody(response.body());
        }
        return builder.build();
    }

    private static String messages(ValidationReport report) {
        StringBuilder out = new StringBuilder();
        report.getMessages().forEach(m -> out.append("  ").append(m.getLevel()).append(' ').append(m.getKey()).append(": ")
                .append(m.getMessage()).append('\n'));
        return out.toString();
    }

    private static void declares(String method, String path, String requestType, Map<String, String> responses) {
        JsonNode operation = doc.at("/paths/" + pointer(path) + "/" + method);
        assertThat(operation.isMissingNode()).as("%s %s is in the document", method, path).isFalse();
        if (requestType != null) {
            assertThat(operation.at("/requestBody/content").has(requestType)).as("%s %s consumes %s", method, path, requestType).isTrue();
        }
        responses.forEach((status, type) -> {
            JsonNode response = operation.at("/responses/" + status);
            assertThat(response.isMissingNode()).as("%s %s declares %s", method, path, status).isFalse();
            if (type.isEmpty()) {
                assertThat(response.has("content")).as("%s %s %s has no body", method, path, status).isFalse();
            } else {
                List<String> types = new ArrayList<>();
                response.path("content").fieldNames().forEachRemaining(types::add);
                assertThat(types).as("%s %s %s media types", method, path, status).contains(type).doesNotContain("*/*");
            }
        });
    }

    private static String errorSchemaOf(String method, String path, String status) {
        String ref = doc.at("/paths/" + pointer(path) + "/" + method + "/responses/" + status + "/content/application~1json/schema/$ref").asText();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static Set<String> fields(String schema) {
        Set<String> names = new TreeSet<>();
        doc.at("/components/schemas/" + schema + "/properties").fieldNames().forEachRemaining(names::add);
        Set<String> required = new TreeSet<>();
        doc.at("/components/schemas/" + schema + "/required").forEach(r -> required.add(r.asText()));
        assertThat(required).as("%s: every field required", schema).isEqualTo(names);
        assertThat(doc.at("/components/schemas/" + schema + "/additionalProperties").asBoolean(true)).as("%s: no other field", schema).isFalse();
        return names;
    }

    private static List<String> enumOf(String schema, String property) {
        String at = "/components/schemas/" + schema + "/properties/" + property + "/enum";
        List<String> values = new ArrayList<>();
        doc.at(at).forEach(v -> values.add(v.asText()));
        assertThat(values).as("enum at %s", at).isNotEmpty();
        return values;
    }

    private static List<String> parameters(String method, String path) {
        List<String> names = new ArrayList<>();
        for (Iterator<JsonNode> it = doc.at("/paths/" + pointer(path) + "/" + method + "/parameters").elements(); it.hasNext(); ) {
            names.add(it.next().get("name").asText());
        }
        return names;
    }

    private static String pointer(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    /** A plain grey photo: an image without a face. */
    private static byte[] grey() throws Exception {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, 640, 480);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
