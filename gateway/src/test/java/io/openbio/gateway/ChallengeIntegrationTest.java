package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.schemas.Topics;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Active-liveness challenges over real HTTP, through the real broker and the decrypt, nonce and
 * challenge-verify stages with the real models: issue a challenge, capture it as a bundle made by the
 * Java {@code BundleWriter}, verify it.
 */
class ChallengeIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static CaptureClient client;
    static byte[] photo;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-challenge");
        client = new CaptureClient(gateway);
        photo = CaptureClient.photo("man_a.jpg");
    }

    static Http.Answer verify(byte[] bundle) {
        return Http.post(gateway, "/challenge/verify", "application/octet-stream", bundle);
    }

    static List<String> actions(JsonNode issued) {
        List<String> actions = new ArrayList<>();
        issued.get("actions").forEach(a -> actions.add(a.asText()));
        return actions;
    }

    /** {@code photo} re-encoded at JPEG quality {@code quality}: the same still picture, other bytes. */
    static byte[] reencoded(byte[] photo, float quality) throws Exception {
        return io.openbio.testkit.Jpegs.encode(ImageIO.read(new ByteArrayInputStream(photo)), quality);
    }

    /** A still photo "filmed": {@code n} frames of the same picture, each encoded a little differently. */
    static List<byte[]> stillFrames(int n) throws Exception {
        return stillFramesOf(photo, n);
    }

    /** {@code n} frames of {@code photo}, each encoded a little differently. */
    static List<byte[]> stillFramesOf(byte[] photo, int n) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(reencoded(photo, 0.80f + i * 0.01f));
        }
        return frames;
    }

    private static void assertError(Http.Answer answer, int status, String code, String messageStart) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode body = answer.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error_code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).startsWith(messageStart);
        assertThat(body.get("path").asText()).isEqualTo("/challenge/verify");
        assertThat(body.has("timestamp")).isTrue();
    }

    @Test
    void aChallengeIsANonceBoundToUnpredictableActionsWithTheirPrompts() {
        Set<List<String>> drawn = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            JsonNode issued = client.challenge(null);
            assertThat(issued.get("challengeId").asText()).isEqualTo(issued.get("nonce").asText());
            List<String> actions = actions(issued);
            assertThat(actions).hasSize(3);
            assertThat(actions).allMatch(a -> Set.of("TURN_LEFT", "TURN_RIGHT", "LOOK_UP", "LOOK_DOWN", "SMILE", "CLOSE_EYES").contains(a));
            for (int j = 1; j < actions.size(); j++) {
                assertThat(actions.get(j)).as("no action twice in a row").isNotEqualTo(actions.get(j - 1));
            }
            assertThat(issued.get("prompts")).hasSize(3);
            assertThat(Base64.getUrlDecoder().decode(issued.get("seed").asText()).length).isGreaterThanOrEqualTo(16);
            Duration ttl = Duration.between(Instant.parse(issued.get("issuedAt").asText()), Instant.parse(issued.get("expiresAt").asText()));
            assertThat(ttl).isEqualTo(Duration.ofMillis(120_000));
            drawn.add(actions);
        }
        assertThat(drawn).as("six challenges are not all the same").hasSizeGreaterThan(1);

        JsonNode gaze = client.challenge("{\"actions\":5,\"kinds\":[\"HEAD\",\"GAZE\"]}");
        assertThat(actions(gaze)).hasSize(5).allMatch(a -> a.startsWith("GAZE_") || a.startsWith("TURN_") || a.startsWith("LOOK_"));

        for (String bad : List.of("{\"actions\":0}", "{\"actions\":7}", "{\"kinds\":[\"FLY\"]}", "{\"kinds\":[]}",
                "{\"actions\":3,\"kinds\":[\"SMILE\"]}", "{\"actions\":", "{\"colour\":\"red\"}")) {
            Http.Answer answer = Http.post(gateway, "/challenge", "application/json", bad.getBytes(StandardCharsets.UTF_8));
            assertThat(answer.status()).as(bad + " -> " + answer.body()).isEqualTo(400);
            assertThat(answer.json().get("path").asText()).isEqualTo("/challenge");
            assertThat(answer.json().has("error_code")).isTrue();
        }
    }

    @Test
    void aStillPhotoReplayedAsAVideoNeverPasses() throws Exception {
        JsonNode issued = client.challenge(null);
        String nonce = issued.get("nonce").asText();
        byte[] bundle = client.challengeBundle(stillFrames(20), nonce, nonce, actions(issued), 250);

        Http.Answer answer = verify(bundle);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("decision").asText()).as(body.toString()).isIn("SPOOF", "FAILED");
        assertThat(body.get("challengeId").asText()).isEqualTo(nonce);
        assertThat(body.get("frames").asInt()).isEqualTo(20);
        List<String> requested = new ArrayList<>();
        body.get("requestedActions").forEach(a -> requested.add(a.asText()));
        assertThat(requested).isEqualTo(actions(issued));
        assertThat(body.get("actions")).hasSize(3);
        assertThat(body.at("/signals/nonce/passed").asBoolean()).isTrue();
        assertThat(body.at("/signals/frame_duplication/passed").asBoolean()).as("each frame encoded differently").isTrue();

        // the audit record: the decision and the evidence, never image bytes
        String requestId = body.get("requestId").asText();
        ConsumerRecord<String, byte[]> audit = TopicReader.find(platform.settings.bootstrapServers(), Topics.AUDIT.name(), requestId,
                Duration.ofSeconds(30));
        assertThat(audit).isNotNull();
        assertThat(audit.value().length).as("no image in the audit record").isLessThan(8000);
        String text = new String(audit.value(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("challenge.verify").contains(body.get("decision").asText()).contains("action:1:" + requested.get(0))
                .contains("challenge-verify");
    }

    /** The CLI's challenge capture ({@code bundle create --frames-dir --challenge}: it asks this gateway for the challenge). */
    @Test
    void aStillPhotoCaptureMadeByTheCliNeverPasses() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("frames");
        List<byte[]> frames = stillFrames(12);
        for (int i = 0; i < frames.size(); i++) {
            java.nio.file.Files.write(dir.resolve(String.format("frame-%02d.jpg", i)), frames.get(i));
        }
        java.nio.file.Path out = java.nio.file.Files.createTempDirectory("bundle").resolve("challenge.bin");
        int exit = new io.openbio.bundle.cli.BundleCli(System.out, System.err).run("create", "--frames-dir", dir.toString(), "--fps", "5",
                "--server", "http://127.0.0.1:" + gateway, "--challenge", "--out", out.toString());
        assertThat(exit).isZero();

        Http.Answer answer = verify(java.nio.file.Files.readAllBytes(out));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("decision").asText()).as(answer.body()).isIn("SPOOF", "FAILED");
        assertThat(answer.json().get("frames").asInt()).isEqualTo(12);
        assertThat(answer.json().get("actions")).hasSize(3);
    }

    @Test
    void theSameStillFrameSentAgainAndAgainIsSpoof() throws Exception {
        JsonNode issued = client.challenge("{\"actions\":2}");
        String nonce = issued.get("nonce").asText();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            frames.add(photo);
        }
        JsonNode body = verify(client.challengeBundle(frames, nonce, nonce, actions(issued), 300)).json();
        assertThat(body.get("decision").asText()).as(body.toString()).isEqualTo("SPOOF");
        assertThat(body.at("/signals/frame_duplication/passed").asBoolean()).isFalse();
    }

    @Test
    void aNonceWithoutAChallengeIsA400AndAReusedNonceTheNonceError() throws Exception {
        String plain = client.nonce();
        assertError(verify(client.challengeBundle(stillFrames(3), plain, plain, List.of("SMILE"), 300)), 400, "NO_CHALLENGE",
                "The capture's nonce was issued without a challenge");

        JsonNode issued = client.challenge(null);
        String nonce = issued.get("nonce").asText();
        byte[] bundle = client.challengeBundle(stillFrames(6), nonce, nonce, actions(issued), 300);
        assertThat(verify(bundle).status()).isEqualTo(200);
        assertError(verify(bundle), 400, "NONCE_REJECTED", "Capture nonce refused: nonce already used");

        assertError(verify(client.challengeBundle(stillFrames(2), "made-up-nonce", "made-up-nonce", List.of("SMILE"), 300)), 400,
                "NONCE_REJECTED", "Capture nonce refused: nonce was never issued");
        assertError(verify("not a bundle".getBytes(StandardCharsets.UTF_8)), 400, "UNKNOWN", "Failed to parse file");
        assertError(verify(new byte[0]), 400, "UNKNOWN", "Failed to parse file");
    }

    @Test
    void aCaptureThatDeclaresNoOrAnotherChallengeFails() throws Exception {
        JsonNode issued = client.challenge(null);
        String nonce = issued.get("nonce").asText();
        JsonNode undeclared = verify(client.challengeBundle(stillFrames(4), nonce, nonce, null, 300)).json();
        assertThat(undeclared.get("decision").asText()).isEqualTo("FAILED");
        assertThat(undeclared.get("reason").asText()).isEqualTo("CHALLENGE_NOT_DECLARED");

        JsonNode other = client.challenge(null);
        String otherNonce = other.get("nonce").asText();
        List<String> wrong = new ArrayList<>(actions(other));
        wrong.set(0, wrong.get(0).equals("SMILE") ? "CLOSE_EYES" : "SMILE");
        if (wrong.get(1).equals(wrong.get(0))) {
            wrong.set(1, "TURN_LEFT".equals(wrong.get(0)) ? "TURN_RIGHT" : "TURN_LEFT");
        }
        JsonNode mismatch = verify(client.challengeBundle(stillFrames(4), otherNonce, otherNonce, wrong, 300)).json();
        assertThat(mismatch.get("decision").asText()).isEqualTo("SPOOF");
        assertThat(mismatch.get("reason").asText()).isEqualTo("CHALLENGE_MISMATCH");
    }

    /** A challenge nonce spent on /check_capture_liveness is checked as any nonce there, as before challenges existed. */
    @Test
    void aChallengeNonceOnCheckCaptureLivenessIsScoredAsToday() throws Exception {
        String nonce = client.challenge(null).get("nonce").asText();
        Http.Answer answer = Http.post(gateway, "/check_capture_liveness?debug=true", "application/octet-stream",
                client.bundle(List.of(photo), "Integrated Camera", nonce));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode nonceSignal = null;
        for (JsonNode s : answer.json().at("/debug/signals")) {
            if (s.get("name").asText().equals("nonce")) {
                nonceSignal = s;
            }
        }
        assertThat(nonceSignal).isNotNull();
        assertThat(nonceSignal.get("passed").asBoolean()).isTrue();
        assertThat(answer.json().at("/capture_liveness/probability").isNumber()).isTrue();
    }
}
