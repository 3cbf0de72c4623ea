package io.openbio.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.testkit.GenuineCaptures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Wired tests' way to a challenge capture that PASSES: issue a challenge ({@code POST /challenge}) whose
 * actions testkit's SYNTHETIC {@link GenuineCaptures} can perform (drawing again when a bottom gaze corner
 * comes up), film it with those frames for as long as they take, and seal it as the capture client does.
 * The frames are one real photo edited so that the models read each action: they pass the pipeline, they
 * are not a live person (see {@link GenuineCaptures}).
 */
public final class GenuineChallenge {
    /**
     * @param nonce   the challenge's nonce (= challengeId)
     * @param actions the actions issued, in order
     * @param frames  the JPEG frames of the capture, in order
     * @param bundle  the sealed capture bundle for {@code POST /challenge/verify}
     */
    public record Capture(String nonce, List<String> actions, List<byte[]> frames, byte[] bundle) {
    }

    private GenuineChallenge() {
    }

    /**
     * A challenge issued by the gateway on {@code port} with {@code challengeJson} as the body of {@code POST /challenge}
     * (null: the default), and its genuine capture. Waits until the capture could have been filmed after the
     * challenge was issued (a few seconds: {@link GenuineCaptures#FRAME_MS} per frame).
     */
    public static Capture perform(int port, String challengeJson) throws Exception {
        CaptureClient client = new CaptureClient(port);
        for (int attempt = 0; attempt < 40; attempt++) {
            JsonNode issued = client.challenge(challengeJson);
            List<String> actions = new ArrayList<>();
            issued.get("actions").forEach(a -> actions.add(a.asText()));
            if (!GenuineCaptures.canPerform(actions)) {
                continue; // GAZE_BOTTOM_*: no edit of the photo is read as looking down; this nonce simply expires
            }
            return film(client, issued);
        }
        throw new AssertionError("no challenge of performable actions drawn in 40 tries for " + challengeJson);
    }

    /**
     * The genuine capture of a challenge issued elsewhere (e.g. the Liveness Check Proxy's token style, {@code GET
     * /liveness/challenge/{token}}), given in {@code POST /challenge}'s answer shape; its actions must be ones
     * {@link GenuineCaptures#canPerform} (the LCP's default kinds HEAD, SMILE, EYES all are).
     */
    public static Capture perform(int port, JsonNode issued) throws Exception {
        List<String> actions = new ArrayList<>();
        issued.get("actions").forEach(a -> actions.add(a.asText()));
        if (!GenuineCaptures.canPerform(actions)) {
            throw new IllegalArgumentException("the synthetic frames cannot perform " + actions);
        }
        return film(new CaptureClient(port), issued);
    }

    private static Capture film(CaptureClient client, JsonNode issued) throws Exception {
        List<String> actions = new ArrayList<>();
        issued.get("actions").forEach(a -> actions.add(a.asText()));
        String nonce = issued.get("nonce").asText();
        List<byte[]> frames = GenuineCaptures.frames(actions);
        long filmedUntil = Instant.parse(issued.get("issuedAt").asText()).toEpochMilli() + frames.size() * GenuineCaptures.FRAME_MS + 300;
        long wait = filmedUntil - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        return new Capture(nonce, actions, frames, client.challengeBundle(frames, nonce, nonce, actions, GenuineCaptures.FRAME_MS));
    }
}
