package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.schemas.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The IAD Server API (seed 000) over real HTTP, through the real broker and the capture processors. */
class IadIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static CaptureClient client;
    static byte[] photo;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-iad");
        client = new CaptureClient(gateway);
        photo = CaptureClient.photo("man_a.jpg");
    }

    private static Http.Answer check(byte[] bundle) {
        return Http.post(gateway, "/check_capture_liveness?debug=true", "application/octet-stream", bundle);
    }

    private static JsonNode signal(JsonNode body, String name) {
        for (JsonNode s : body.at("/debug/signals")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no signal " + name + " in " + body);
    }

    private static void assertIadError(Http.Answer answer, int status, String message, String path) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).isEqualTo(message);
        assertThat(body.get("path").asText()).isEqualTo(path);
        assertThat(body.has("timestamp")).isTrue();
        assertThat(body.has("error")).isTrue();
        assertThat(body.has("error_code")).isTrue();
    }

    @Test
    void apiVersionAnswersAsTheSeed() {
        JsonNode body = Http.get(gateway, "/api_version").json();
        assertThat(body.get("product").asText()).isEqualTo("IADServer");
        assertThat(body.get("version").asText()).isNotBlank();
        assertThat(body.get("expirationDate").asText()).endsWith("Z");
    }

    /**
     * {@code curl --data-binary @file} without {@code -H Content-Type} sends a form type: over real
     * Tomcat that was a 500 on /check_capture_liveness, /generate-template and /add-image. Now a 415 in
     * the IAD body, a 400 in the IDLive body; with no Content-Type at all the bundle is taken as
     * application/octet-stream and scored.
     */
    @Test
    void curlsDefaultFormTypeIsA4xxInEachApisFormatAndNoTypeCountsAsOctetStream() throws Exception {
        byte[] bundle = client.bundle(photo, "Integrated Camera");
        String form = "application/x-www-form-urlencoded";
        for (String path : List.of("/check_capture_liveness", "/extract_image")) {
            assertIadError(Http.post(gateway, path, form, bundle), 415,
                    "Unsupported Content-Type " + form + "; supported: [application/octet-stream]", path);
        }
        for (String path : List.of("/generate-template?encrypted=false", "/add-image?collection=ct&encrypted=false", "/decrypt")) {
            Http.Answer answer = Http.post(gateway, path, form, photo);
            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.json().get("message").asText()).startsWith("Unsupported Content-Type " + form);
        }
        Http.Answer untyped = Http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gateway + "/check_capture_liveness"))
                .timeout(java.time.Duration.ofSeconds(60)).POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bundle)).build());
        assertThat(untyped.status()).as(untyped.body()).isEqualTo(200);
        assertThat(untyped.json().at("/capture_liveness/probability").isNumber()).isTrue();
    }

    @Test
    void liveCaptureOfARealPhotoScoresLiveAndItsImageIsExtractedByteIdentical() throws Exception {
        byte[] bundle = client.bundle(photo, "Integrated Camera (04f2:b6dd)");

        Http.Answer answer = check(bundle);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();
        double probability = body.at("/capture_liveness/probability").asDouble();
        for (JsonNode s : body.at("/debug/signals")) {
            if (!s.get("name").asText().startsWith("model:") && !s.get("name").asText().equals("passive_liveness")) {
                assertThat(s.get("passed").asBoolean()).as("signal %s", s).isTrue();
            }
        }
        assertThat(probability).isEqualTo(body.at("/debug/passive_liveness").asDouble());
        assertThat(probability).as("a real photo's face, live capture").isGreaterThan(0.5);

        HttpResponse<byte[]> image = Http.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/extract_image"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type").orElse("")).startsWith("image/jpeg");
        assertThat(image.body()).isEqualTo(photo);

        // The seed's plain body when debug is not asked for.
        Http.Answer plain = Http.post(gateway, "/check_capture_liveness", "application/octet-stream", client.bundle(photo, "Integrated Camera"));
        assertThat(plain.json().fieldNames()).toIterable().containsExactly("capture_liveness");
    }

    private static java.nio.file.Path repoRoot() {
        for (java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.isDirectory(dir.resolve("bundle/js"))) {
                return dir;
            }
        }
        throw new AssertionError("repository root not found");
    }

    @Test
    void aBundleMadeByTheCliFromARealPhotoScoresLive() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cli");
        java.nio.file.Path image = java.nio.file.Files.write(dir.resolve("face.jpg"), photo);
        java.nio.file.Path out = dir.resolve("bundle.bin");
        int exit = new io.openbio.bundle.cli.BundleCli(System.out, System.err)
                .run("create", "--image", image.toString(), "--server", "http://127.0.0.1:" + gateway, "--out", out.toString());
        assertThat(exit).isZero();
        byte[] bundle = java.nio.file.Files.readAllBytes(out);

        Http.Answer answer = check(bundle);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().at("/capture_liveness/probability").asDouble()).isGreaterThan(0.5);
        HttpResponse<byte[]> extracted = Http.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/extract_image"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(extracted.body()).isEqualTo(photo);
    }

    @Test
    void theBrowserModulesBundleIsAcceptedByTheServer() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("node", "--version").start().waitFor() == 0,
                "node is not installed: the browser module cannot run here");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("js");
        java.nio.file.Path image = java.nio.file.Files.write(dir.resolve("face.jpg"), photo);
        java.nio.file.Path out = dir.resolve("bundle.bin");
        Process node = new ProcessBuilder("node", repoRoot().resolve("bundle/js/test/make-bundle.mjs").toString(),
                "--server", "http://127.0.0.1:" + gateway, "--image", image.toString(), "--out", out.toString(),
                "--camera-label", "FaceTime HD Camera")
                .redirectErrorStream(true).start();
        String log = new String(node.getInputStream().readAllBytes());
        assertThat(node.waitFor()).as(log).isZero();

        Http.Answer answer = check(java.nio.file.Files.readAllBytes(out));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(signal(answer.json(), "nonce").get("passed").asBoolean()).isTrue();
        assertThat(answer.json().at("/capture_liveness/probability").asDouble()).isGreaterThan(0.5);
    }

    @Test
    void theSameBundleSentTwiceIsFlaggedTheSecondTime() throws Exception {
        byte[] bundle = client.bundle(photo, "Integrated Camera");
        JsonNode first = check(bundle).json();
        assertThat(signal(first, "nonce").get("passed").asBoolean()).isTrue();

        JsonNode second = check(bundle).json();
        assertThat(signal(second, "nonce").get("passed").asBoolean()).isFalse();
        assertThat(signal(second, "nonce").get("detail").asText()).contains("already used");
        assertThat(second.at("/capture_liveness/probability").asDouble()).isZero();
    }

    @Test
    void aBundleWithANonceNeverIssuedScoresZero() throws Exception {
        JsonNode body = check(client.bundle(List.of(photo), "Integrated Camera", "made-up-nonce")).json();
        assertThat(signal(body, "nonce").get("passed").asBoolean()).isFalse();
        assertThat(body.at("/capture_liveness/probability").asDouble()).isZero();
    }

    @Test
    void aBundleDeclaringAVirtualCameraScoresLow() throws Exception {
        JsonNode body = check(client.bundle(photo, "OBS Virtual Camera")).json();
        assertThat(signal(body, "virtual_camera").get("passed").asBoolean()).isFalse();
        assertThat(body.at("/capture_liveness/probability").asDouble()).isZero();
    }

    @Test
    void duplicatedFramesAreFlagged() throws Exception {
        JsonNode body = check(client.bundle(List.of(photo, photo), "Integrated Camera", client.nonce())).json();
        assertThat(signal(body, "frame_duplication").get("passed").asBoolean()).isFalse();
        assertThat(body.at("/capture_liveness/probability").asDouble()).isZero();
    }

    @Test
    void brokenBundlesGetTheSeedsErrorsNeverA500() throws Exception {
        byte[] bundle = client.bundle(photo, "Integrated Camera");
        String path = "/check_capture_liveness";

        byte[] tampered = bundle.clone();
        tampered[tampered.length - 40] ^= 0x01;
        assertIadError(Http.post(gateway, path, "application/octet-stream", tampered), 400, "Failed to decrypt message", path);

        byte[] truncated = java.util.Arrays.copyOf(bundle, bundle.length / 3);
        assertThat(Http.post(gateway, path, "application/octet-stream", truncated).status()).isEqualTo(400);

        assertIadError(Http.post(gateway, path, "application/octet-stream", new byte[0]), 400, "Failed to parse file", path);

        byte[] random = new byte[5000];
        new Random(7).nextBytes(random);
        assertIadError(Http.post(gateway, path, "application/octet-stream", random), 400, "Failed to parse file", path);

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] wrongKey = client.bundle(List.of(photo), "Integrated Camera", client.nonce(), generator.generateKeyPair().getPublic(), client.kid());
        assertIadError(Http.post(gateway, path, "application/octet-stream", wrongKey), 400, "Failed to decrypt message", path);

        assertIadError(Http.post(gateway, "/extract_image", "application/octet-stream", random), 400, "Failed to parse file", "/extract_image");
    }

    @Test
    void twentyMegabytesIs413() {
        Http.Answer answer = Http.post(gateway, "/check_capture_liveness", "application/octet-stream", new byte[20 * 1024 * 1024]);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("error_code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void everyCheckLeavesAnAuditRecordWithoutImageBytes() throws Exception {
        Http.Answer answer = check(client.bundle(photo, "Integrated Camera"));
        String requestId = answer.json().at("/debug/request_id").asText();
        ConsumerRecord<String, byte[]> audit = TopicReader.find(platform.settings.bootstrapServers(), Topics.AUDIT.name(), requestId, Duration.ofSeconds(30));
        assertThat(audit).isNotNull();
        assertThat(audit.value().length).as("no image in the audit record").isLessThan(4000);
        String text = new String(audit.value(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("iad.check_capture_liveness").contains("virtual_camera").contains("nonce");
    }

    @Test
    void metricsExposeTheLicenceExpiration() {
        assertThat(Http.get(gateway, "/metrics").body()).contains("openbio_license_expiration_timestamp_seconds");
    }
}
