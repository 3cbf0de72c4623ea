package io.openbio.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.bundle.crypto.BundleCrypto;
import io.openbio.bundle.format.BundleFormat;
import io.openbio.bundle.format.InnerBody;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The optional metadata member {@code challenge} (SPEC.md 5.2) exactly as strict as SPEC.md says:
 * its members, types, the id bound to the nonce, one prompt time per action, and the frame limit
 * it raises from 16 to 64, each tried just inside and just outside by the reader and the writer.
 */
class SpecChallengeTest {
    private static final KeyPair KEY = TestData.keyPair();
    private static final String VALID = "{\"id\":\"n\",\"actions\":[\"TURN_LEFT\",\"SMILE\"],\"prompts\":[10,20]}";

    /** Plaintext with the given metadata JSON text and {@code frames} 1-byte frames. */
    static byte[] plain(String metadataJson, int frames) {
        byte[] meta = metadataJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(meta.length >>> 24);
        out.write(meta.length >>> 16);
        out.write(meta.length >>> 8);
        out.write(meta.length);
        out.writeBytes(meta);
        for (int i = 0; i < frames; i++) {
            out.write(i);
        }
        return out.toByteArray();
    }

    /** Metadata with nonce "n", {@code frames} frames of 1 byte and {@code challengeJson} (raw JSON, or null for none). */
    static String meta(String challengeJson, int frames) {
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < frames; i++) {
            f.append(i == 0 ? "" : ",").append("{\"contentType\":\"image/jpeg\",\"timestamp\":").append(1 + i).append(",\"length\":1}");
        }
        return "{\"nonce\":\"n\",\"captureStart\":1,\"captureEnd\":100"
                + (challengeJson == null ? "" : ",\"challenge\":" + challengeJson) + ",\"frames\":[" + f + "]}";
    }

    static boolean accepted(String challengeJson, int frames) {
        try {
            InnerBody.decode(plain(meta(challengeJson, frames), frames));
            return true;
        } catch (BundleMetadataException e) {
            return false;
        }
    }

    static String challenge(List<String> actions, List<Long> prompts) {
        return "{\"id\":\"n\",\"actions\":[" + String.join(",", actions.stream().map(a -> "\"" + a + "\"").toList())
                + "],\"prompts\":[" + String.join(",", prompts.stream().map(String::valueOf).toList()) + "]}";
    }

    @Test
    void aChallengeIsReadAndAbsentOrNullMeansNone() throws Exception {
        CaptureBundle read = InnerBody.decode(plain(meta(VALID, 3), 3));
        assertThat(read.metadata().challenge()).isEqualTo(new CaptureChallenge("n", List.of("TURN_LEFT", "SMILE"), List.of(10L, 20L)));
        assertThat(InnerBody.decode(plain(meta(null, 3), 3)).metadata().challenge()).isNull();
        assertThat(InnerBody.decode(plain(meta("null", 3), 3)).metadata().challenge()).isNull();
        // members in any order
        assertThat(accepted("{\"prompts\":[10,20],\"id\":\"n\",\"actions\":[\"TURN_LEFT\",\"SMILE\"]}", 1)).isTrue();
    }

    @Test
    void frameLimitIs16WithoutAChallengeAnd64WithOne() {
        assertThat(accepted(null, BundleFormat.MAX_FRAMES)).isTrue();
        assertThat(accepted(null, BundleFormat.MAX_FRAMES + 1)).isFalse();
        assertThat(accepted("null", BundleFormat.MAX_FRAMES + 1)).as("null is no challenge").isFalse();
        assertThat(accepted(VALID, BundleFormat.MAX_FRAMES + 1)).isTrue();
        assertThat(accepted(VALID, BundleFormat.MAX_CHALLENGE_FRAMES)).isTrue();
        assertThat(accepted(VALID, BundleFormat.MAX_CHALLENGE_FRAMES + 1)).isFalse();
        assertThat(accepted(VALID, 0)).isFalse();
        // an invalid challenge does not buy the larger limit either
        assertThat(accepted("{\"id\":\"other\",\"actions\":[\"SMILE\"],\"prompts\":[1]}", BundleFormat.MAX_FRAMES + 1)).isFalse();
    }

    @Test
    void idMustBeTheNonce() {
        assertThat(accepted("{\"id\":\"n2\",\"actions\":[\"SMILE\"],\"prompts\":[1]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"N\",\"actions\":[\"SMILE\"],\"prompts\":[1]}", 1)).as("case matters").isFalse();
        assertThat(accepted("{\"id\":\"n \",\"actions\":[\"SMILE\"],\"prompts\":[1]}", 1)).isFalse();
        assertThat(accepted("{\"actions\":[\"SMILE\"],\"prompts\":[1]}", 1)).as("missing id").isFalse();
        assertThat(accepted("{\"id\":null,\"actions\":[\"SMILE\"],\"prompts\":[1]}", 1)).isFalse();
        assertThat(accepted("{\"id\":1,\"actions\":[\"SMILE\"],\"prompts\":[1]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\\ud800\",\"actions\":[\"SMILE\"],\"prompts\":[1]}", 1)).isFalse();
    }

    @Test
    void unknownMembersAndWrongTypesAreMetadataErrors() {
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":[1],\"seed\":\"x\"}", 1)).as("unknown member").isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":[1],\"extra\":null}", 1)).as("unknown member, null").isFalse();
        assertThat(accepted("\"n\"", 1)).as("not an object").isFalse();
        assertThat(accepted("[]", 1)).isFalse();
        assertThat(accepted("{}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"prompts\":[1]}", 1)).as("missing actions").isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"]}", 1)).as("missing prompts").isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":\"SMILE\",\"prompts\":[1]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":1}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[1],\"prompts\":[1]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[null],\"prompts\":[1]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":[\"1\"]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":[1.5]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":[1.0]}", 1)).as("integers only").isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":[-1]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":[null]}", 1)).isFalse();
        assertThat(accepted("{\"id\":\"n\",\"actions\":[\"SMILE\"],\"prompts\":[0]}", 1)).isTrue();
    }

    @Test
    void oneToSixteenActionsWithOnePromptEach() {
        int max = BundleFormat.MAX_CHALLENGE_ACTIONS;
        assertThat(accepted(challenge(List.of(), List.of()), 1)).as("no action").isFalse();
        assertThat(accepted(challenge(Collections.nCopies(max, "SMILE"), Collections.nCopies(max, 5L)), 1)).isTrue();
        assertThat(accepted(challenge(Collections.nCopies(max + 1, "SMILE"), Collections.nCopies(max + 1, 5L)), 1)).isFalse();
        assertThat(accepted(challenge(List.of("SMILE", "TURN_LEFT"), List.of(5L)), 1)).as("fewer prompts").isFalse();
        assertThat(accepted(challenge(List.of("SMILE"), List.of(5L, 6L)), 1)).as("more prompts").isFalse();
        // order of prompt times is the server's to judge, not a reason to refuse the bundle
        assertThat(accepted(challenge(List.of("SMILE", "TURN_LEFT"), List.of(9L, 5L)), 1)).isTrue();
    }

    @Test
    void actionNamesAreUpperCaseAsciiOfAtMost64Characters() {
        int max = BundleFormat.MAX_ACTION_CHARS;
        for (String ok : List.of("TURN_LEFT", "GAZE_TOP_LEFT", "A", "A1_2", "X".repeat(max))) {
            assertThat(accepted(challenge(List.of(ok), List.of(1L)), 1)).as(ok).isTrue();
        }
        for (String bad : List.of("", "turn_left", "Turn_Left", "_SMILE", "1SMILE", "SMILE ", "TURN-LEFT", "SM\\u00cdLE", "X".repeat(max + 1))) {
            assertThat(accepted(challenge(List.of(bad), List.of(1L)), 1)).as(bad).isFalse();
        }
    }

    @Test
    void theReaderMapsChallengeViolationsToMetadataErrors() throws BundleException {
        byte[] bad = BundleCrypto.seal(plain(meta("{\"id\":\"x\",\"actions\":[\"SMILE\"],\"prompts\":[1]}", 1), 1), KEY.getPublic(), "k1");
        assertThatThrownBy(() -> BundleReader.read(bad, TestData.resolver("k1", KEY.getPrivate())))
                .isInstanceOf(BundleMetadataException.class)
                .satisfies(e -> assertThat(((BundleException) e).apiMessage()).isEqualTo("Failed to read a meta data"));
        byte[] tooMany = BundleCrypto.seal(plain(meta(VALID, BundleFormat.MAX_CHALLENGE_FRAMES + 1), BundleFormat.MAX_CHALLENGE_FRAMES + 1),
                KEY.getPublic(), "k1");
        assertThatThrownBy(() -> BundleReader.read(tooMany, TestData.resolver("k1", KEY.getPrivate())))
                .isInstanceOf(BundleMetadataException.class);
    }

    // ------------------------------------------------------------ writer

    static CaptureBundle bundle(CaptureChallenge challenge, int frames) {
        List<CaptureFrame> list = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            list.add(new CaptureFrame(new byte[] {(byte) i, 1}, "image/jpeg", 1000 + 200L * i, null, null));
        }
        return new CaptureBundle(new CaptureMetadata("n", 1000, 1000 + 200L * frames, Map.of(), null, "c", "1", challenge), list);
    }

    @Test
    void theWriterWritesWhatTheReaderReads() throws Exception {
        CaptureChallenge c = new CaptureChallenge("n", List.of("LOOK_UP", "CLOSE_EYES", "GAZE_BOTTOM_RIGHT"), List.of(1100L, 3100L, 5100L));
        byte[] bundle = BundleWriter.write(bundle(c, BundleFormat.MAX_CHALLENGE_FRAMES), KEY.getPublic(), "k1");
        CaptureBundle read = BundleReader.read(bundle, TestData.resolver("k1", KEY.getPrivate()));
        assertThat(read.metadata().challenge()).isEqualTo(c);
        assertThat(read.frames()).hasSize(BundleFormat.MAX_CHALLENGE_FRAMES);
        assertThat(read.frames().get(63).timestampMillis()).isEqualTo(1000 + 200L * 63);
        assertThat(read.frames().get(63).image()).containsExactly(63, 1);
    }

    @Test
    void theWriterRefusesWhatTheReaderRefuses() {
        CaptureChallenge ok = new CaptureChallenge("n", List.of("SMILE"), List.of(1L));
        assertThat(BundleWriter.write(bundle(null, BundleFormat.MAX_FRAMES), KEY.getPublic(), "k1")).isNotEmpty();
        assertThatThrownBy(() -> BundleWriter.write(bundle(null, BundleFormat.MAX_FRAMES + 1), KEY.getPublic(), "k1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
        assertThatThrownBy(() -> BundleWriter.write(bundle(ok, BundleFormat.MAX_CHALLENGE_FRAMES + 1), KEY.getPublic(), "k1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
        List<CaptureChallenge> bad = new ArrayList<>();
        bad.add(new CaptureChallenge("other", List.of("SMILE"), List.of(1L)));
        bad.add(new CaptureChallenge(null, List.of("SMILE"), List.of(1L)));
        bad.add(new CaptureChallenge("n", List.of(), List.of()));
        bad.add(new CaptureChallenge("n", null, List.of(1L)));
        bad.add(new CaptureChallenge("n", List.of("SMILE"), null));
        bad.add(new CaptureChallenge("n", List.of("SMILE", "LOOK_UP"), List.of(1L)));
        bad.add(new CaptureChallenge("n", List.of("smile"), List.of(1L)));
        bad.add(new CaptureChallenge("n", List.of("X".repeat(BundleFormat.MAX_ACTION_CHARS + 1)), List.of(1L)));
        bad.add(new CaptureChallenge("n", List.of("SMILE"), List.of(-1L)));
        bad.add(new CaptureChallenge("n", Collections.nCopies(BundleFormat.MAX_CHALLENGE_ACTIONS + 1, "SMILE"),
                Collections.nCopies(BundleFormat.MAX_CHALLENGE_ACTIONS + 1, 1L)));
        for (CaptureChallenge c : bad) {
            assertThatThrownBy(() -> BundleWriter.write(bundle(c, 1), KEY.getPublic(), "k1")).as("%s", c)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aBundleWithoutAChallengeEncodesAsBefore() {
        // no "challenge" member at all, so a passive capture's bytes are those of the format before the member existed
        byte[] plain = InnerBody.encode(bundle(null, 2));
        assertThat(new String(plain, StandardCharsets.UTF_8)).doesNotContain("challenge");
    }
}
