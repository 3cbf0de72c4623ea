package io.openbio.gateway;

import static io.openbio.gateway.LcpIntegrationTest.assertSeedError;
import static io.openbio.gateway.LcpIntegrationTest.await;
import static io.openbio.gateway.LcpIntegrationTest.json;
import static io.openbio.gateway.LcpIntegrationTest.putReference;
import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.gateway.security.ApiKeys;
import io.openbio.testkit.FaceEdits;
import io.openbio.testkit.GenuineCaptures;
import io.openbio.testkit.Photos;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Liveness Check Proxy's token style over real HTTP, the embedded broker and the real stages and
 * models: init TOKEN, the device's two calls without an API key (challenge by token, capture by token
 * through decrypt, nonce and challenge-verify), verify by token ACCEPTED once and then VERIFICATION_ERROR,
 * a still-photo capture REJECTED, verify before any capture VERIFICATION_ERROR.
 *
 * <p>The user's reference is the Yale woman of {@link GenuineCaptures}' frames in ANOTHER photo (the second
 * face of {@code yale_x4.jpg}, another lighting), cut out as the frames' portrait is; the capture is
 * testkit's synthetic genuine sequence (one real photo edited so the models read each action: it passes the
 * pipeline, it is not a live person).
 */
class LcpTokenIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static byte[] reference;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        // API keys on: the device's two calls need none (the token is the credential); init and verify do
        String keys = "acme:USER:" + ApiKeys.sha256("acme-user-key") + ",acme:ADMIN:" + ApiKeys.sha256("acme-admin-key");
        gateway = platform.gateway("gw-lcp-token", "openbio.security.api-keys=" + keys);
        // the second yale_x4 face (face-labels.tsv), the frames' woman under another lighting
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(FaceEdits.portrait(FaceEdits.read(Photos.bytes(Photos.YALE_X4)), 155, 1, 186, 179, 360, 150, 1.5), "jpg", out);
        reference = out.toByteArray();
    }

    static Http.Answer init(String userId) {
        return json(gateway, "POST", "/liveness/init", "{\"userId\":\"" + userId + "\",\"initiationType\":\"TOKEN\"}", "acme-user-key");
    }

    static Http.Answer verify(String userId, String token) {
        return json(gateway, "POST", "/liveness/verify", "{\"userId\":\"" + userId + "\",\"livenessRecord\":{\"reference\":\"" + token + "\"}}",
                "acme-user-key");
    }

    static String token(Http.Answer init) {
        assertThat(init.status()).as(init.body()).isEqualTo(200);
        assertThat(init.json().get("initiationType").asText()).isEqualTo("TOKEN");
        String token = init.json().get("reference").asText();
        assertThat(token).matches("[0-9a-f]{32}");
        return token;
    }

    @Test
    void tokenStyleEndToEnd() throws Exception {
        Http.Answer stored = putReference(gateway, "yale", reference, "acme-admin-key");
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        await(() -> json(gateway, "GET", "/admin/users/yale/reference", null, "acme-admin-key").status() == 200, "yale's reference readable");

        String token = token(init("yale"));
        // before any capture: VERIFICATION_ERROR (the token stays usable)
        assertSeedError(verify("yale", token), 400, "VERIFICATION_ERROR");
        // init and verify need a key; the device's calls do not
        assertSeedError(json(gateway, "POST", "/liveness/verify", "{\"userId\":\"yale\",\"livenessRecord\":{\"reference\":\"" + token + "\"}}",
                null), 401, "ERROR_UNAUTHORIZED");
        assertSeedError(Http.get(gateway, "/liveness/challenge/0123456789abcdef0123456789abcdef"), 404, "ERROR_NOT_FOUND");
        assertSeedError(Http.get(gateway, "/liveness/challenge/not-a-token"), 404, "ERROR_NOT_FOUND");

        Http.Answer challenge = Http.get(gateway, "/liveness/challenge/" + token);
        assertThat(challenge.status()).as(challenge.body()).isEqualTo(200);
        assertThat(challenge.json().get("nonce").asText()).isEqualTo(token);
        assertThat(challenge.json().get("challengeId").asText()).isEqualTo(token);
        GenuineChallenge.Capture capture = GenuineChallenge.perform(gateway, challenge.json());
        Http.Answer captured = Http.post(gateway, "/liveness/capture/" + token, "application/octet-stream", capture.bundle());
        assertThat(captured.status()).as(captured.body()).isEqualTo(200);
        assertThat(captured.json().get("decision").asText()).as(captured.body()).isEqualTo("PASS");
        assertThat(captured.json().get("challengeId").asText()).isEqualTo(token);

        Http.Answer accepted = verify("yale", token);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.body()).isEqualTo("{\"result\":\"ACCEPTED\",\"selfie\":null}");
        // single use
        assertSeedError(verify("yale", token), 400, "VERIFICATION_ERROR");
        assertSeedError(Http.get(gateway, "/liveness/challenge/" + token), 404, "ERROR_NOT_FOUND");
        assertSeedError(Http.post(gateway, "/liveness/capture/" + token, "application/octet-stream", capture.bundle()), 404, "ERROR_NOT_FOUND");

        // a still photo held up to the camera for another token: the challenge does not pass, REJECTED
        String still = token(init("yale"));
        Http.Answer stillChallenge = Http.get(gateway, "/liveness/challenge/" + still);
        List<String> actions = new ArrayList<>();
        stillChallenge.json().get("actions").forEach(a -> actions.add(a.asText()));
        List<byte[]> frames = Collections.nCopies(20, GenuineCaptures.frames(List.of()).get(0));
        Thread.sleep(20 * GenuineCaptures.FRAME_MS + 300);
        byte[] bundle = new CaptureClient(gateway).challengeBundle(frames, still, still, actions, GenuineCaptures.FRAME_MS);
        Http.Answer stillCaptured = Http.post(gateway, "/liveness/capture/" + still, "application/octet-stream", bundle);
        assertThat(stillCaptured.status()).as(stillCaptured.body()).isEqualTo(200);
        assertThat(stillCaptured.json().get("decision").asText()).as(stillCaptured.body()).isNotEqualTo("PASS");
        Http.Answer rejected = verify("yale", still);
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().get("result").asText()).isEqualTo("REJECTED");
        assertSeedError(verify("yale", still), 400, "VERIFICATION_ERROR");
    }
}
