package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.ChallengeOutcome;
import io.openbio.schemas.Topics;
import io.openbio.schemas.crypto.PayloadCipher;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 over real HTTP, the real broker and the decrypt, nonce and challenge-verify stages with the real
 * models: for every kind of action ({@code POST /challenge} restricted to it), a capture that performs the
 * issued actions in the order drawn ({@link GenuineChallenge}: SYNTHETIC frames of one real photo edited so
 * that the models read each action) is decided PASS; and every capture whose nonce was accepted leaves one
 * outcome record on {@code openbio.challenge.outcomes}, keyed by its nonce, its biometric data sealed. The
 * attacks are in {@link ChallengeIntegrationTest}.
 */
class ChallengeActionsIntegrationTest {
    static WiredPlatform platform;
    static int gateway;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-challenge-actions");
    }

    /** Verifies the capture: PASS, every action found in order, every signal passed. Returns the answer. */
    static JsonNode passes(GenuineChallenge.Capture capture) {
        Http.Answer answer = Http.post(gateway, "/challenge/verify", "application/octet-stream", capture.bundle());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("decision").asText()).as(body.toString()).isEqualTo("PASS");
        assertThat(body.get("reason").asText()).isEqualTo("ALL_ACTIONS_FOUND");
        assertThat(body.get("challengeId").asText()).isEqualTo(capture.nonce());
        List<String> found = new ArrayList<>();
        body.get("actions").forEach(a -> {
            assertThat(a.get("found").asBoolean()).as(a.toString()).isTrue();
            found.add(a.get("action").asText());
        });
        assertThat(found).isEqualTo(capture.actions());
        body.get("signals").fields().forEachRemaining(s -> assertThat(s.getValue().get("passed").asBoolean()).as(s.getKey()).isTrue());
        assertThat(body.get("passiveScore").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(body.get("frames").asInt()).isEqualTo(capture.frames().size());
        return body;
    }

    /** The outcome records of {@code nonce} on openbio.challenge.outcomes (raw, as a third-party client reads them). */
    static List<ConsumerRecord<String, byte[]>> outcomes(String nonce) {
        return TopicReader.readUntil(platform.settings.bootstrapServers(), Topics.CHALLENGE_OUTCOMES.name(),
                        records -> records.stream().anyMatch(r -> nonce.equals(r.key())), Duration.ofSeconds(30))
                .stream().filter(r -> nonce.equals(r.key())).toList();
    }

    static ChallengeOutcome decode(ConsumerRecord<String, byte[]> raw) {
        return Topics.CHALLENGE_OUTCOMES.valueSerde(platform.settings.serdes()).deserializer().deserialize(Topics.CHALLENGE_OUTCOMES.name(), raw.value());
    }

    static byte[] bytes(java.nio.ByteBuffer buffer) {
        return PayloadEncryptionIntegrationTest.bytes(buffer);
    }

    /** A PASS and its outcome: one record under the nonce; the best frame and embedding sealed, opening to what was decided on. */
    static void passesWithItsOutcome(String challengeJson) throws Exception {
        GenuineChallenge.Capture capture = GenuineChallenge.perform(gateway, challengeJson);
        JsonNode body = passes(capture);
        List<ConsumerRecord<String, byte[]>> records = outcomes(capture.nonce());
        assertThat(records).hasSize(1);
        ChallengeOutcome o = decode(records.get(0));
        assertThat(o.getVerdict()).isEqualTo("PASS");
        assertThat(o.getNonce()).isEqualTo(capture.nonce());
        assertThat(o.getRequestId()).isEqualTo(body.get("requestId").asText());
        assertThat(o.getPassiveScore()).isEqualTo(body.get("passiveScore").asDouble());
        byte[] best = capture.frames().get(body.get("bestFrame").asInt());
        // nothing readable on the topic: no JPEG signature, no piece of the best frame, no piece of the embedding
        PayloadCipher cipher = PayloadKeys.shared();
        float[] embedding = cipher.openVector(o.getTenant(), o.getNonce(), bytes(o.getBestEmbedding()));
        assertThat(embedding).hasSize(512);
        byte[] raw = records.get(0).value();
        assertThat(PayloadEncryptionIntegrationTest.indexOf(raw, PayloadEncryptionIntegrationTest.Arrays16.jfifOrExif(best))).isNegative();
        for (byte[] secret : PayloadEncryptionIntegrationTest.chunks(best)) {
            assertThat(PayloadEncryptionIntegrationTest.indexOf(raw, secret)).isNegative();
        }
        for (byte[] secret : PayloadEncryptionIntegrationTest.vectorForms(embedding)) {
            assertThat(PayloadEncryptionIntegrationTest.indexOf(raw, secret)).isNegative();
        }
        assertThat(cipher.open(o.getTenant(), Purpose.IMAGE, o.getNonce(), bytes(o.getBestFrame()))).isEqualTo(best);
        assertThat(o.getModelId()).isNotBlank();
    }

    @Test
    void headActionsPassInTheOrderDrawn() throws Exception {
        passesWithItsOutcome("{\"actions\":2,\"kinds\":[\"HEAD\"]}");
        passesWithItsOutcome("{\"actions\":2,\"kinds\":[\"HEAD\"]}");
    }

    @Test
    void aSmilePasses() throws Exception {
        passesWithItsOutcome("{\"actions\":1,\"kinds\":[\"SMILE\"]}");
    }

    @Test
    void closingTheEyesPasses() throws Exception {
        passesWithItsOutcome("{\"actions\":1,\"kinds\":[\"EYES\"]}");
    }

    /** The top corners only: the synthetic frames cannot look down (see GenuineCaptures); a bottom corner is drawn again. */
    @Test
    void aTopGazeCornerPasses() throws Exception {
        passesWithItsOutcome("{\"actions\":1,\"kinds\":[\"GAZE\"]}");
    }

    @Test
    void theDefaultChallengeOfThreeActionsPasses() throws Exception {
        passesWithItsOutcome(null);
    }

    /**
     * One outcome per capture whose nonce was accepted, whatever the decision; a replayed bundle (its nonce
     * spent) is refused with 400 and leaves the outcome of the first capture as it was.
     */
    @Test
    void aStillCaptureRecordsItsOutcomeWithoutBiometricDataAndAReplayChangesNothing() throws Exception {
        CaptureClient client = new CaptureClient(gateway);
        JsonNode issued = client.challenge("{\"actions\":2}");
        String nonce = issued.get("nonce").asText();
        List<String> actions = new ArrayList<>();
        issued.get("actions").forEach(a -> actions.add(a.asText()));
        byte[] bundle = client.challengeBundle(ChallengeIntegrationTest.stillFramesOf(CaptureClient.photo("man_a.jpg"), 10), nonce, nonce, actions, 250);
        Http.Answer first = Http.post(gateway, "/challenge/verify", "application/octet-stream", bundle);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String decision = first.json().get("decision").asText();
        assertThat(decision).isIn("SPOOF", "FAILED");
        Http.Answer replay = Http.post(gateway, "/challenge/verify", "application/octet-stream", bundle);
        assertThat(replay.status()).isEqualTo(400);

        assertThat(outcomes(nonce)).isNotEmpty();
        List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil(platform.settings.bootstrapServers(),
                Topics.CHALLENGE_OUTCOMES.name(), r -> false, Duration.ofSeconds(3)).stream().filter(r -> nonce.equals(r.key())).toList();
        assertThat(records).as("one outcome: the replay wrote none").hasSize(1);
        ChallengeOutcome o = decode(records.get(0));
        assertThat(o.getVerdict()).isEqualTo(decision);
        assertThat(o.getReason()).isEqualTo(first.json().get("reason").asText());
        assertThat(o.getRequestId()).isEqualTo(first.json().get("requestId").asText());
        assertThat(o.getBestFrame()).isNull();
        assertThat(o.getBestEmbedding()).isNull();
    }
}
