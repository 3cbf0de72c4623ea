package io.openbio.bundle.crypto;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.openbio.bundle.BundleReader;
import io.openbio.bundle.CaptureBundle;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The published test vector (SPEC.md, test-vector-v1.json) is what this implementation computes and reads. */
class TestVectorTest {

    @Test
    @SuppressWarnings("unchecked")
    void publishedVectorMatchesTheImplementation() throws Exception {
        Map<String, String> published;
        try (InputStream in = getClass().getResourceAsStream("/io/openbio/bundle/test-vector-v1.json")) {
            published = new ObjectMapper().readValue(in, Map.class);
        }
        assertThat(TestVector.compute()).isEqualTo(published);

        byte[] bundle = HexFormat.of().parseHex(published.get("bundle"));
        var server = TestVector.server();
        CaptureBundle read = BundleReader.read(bundle, kid -> TestVector.KID.equals(kid) ? Optional.of(server.getPrivate()) : Optional.empty());
        assertThat(read.metadata()).isEqualTo(TestVector.content().metadata());
        assertThat(read.frames().get(0).image()).containsExactly(0xff, 0xd8, 0xff, 0xd9);
        assertThat(read.metadata().challenge()).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void publishedChallengeVectorMatchesTheImplementation() throws Exception {
        Map<String, String> published;
        try (InputStream in = getClass().getResourceAsStream("/io/openbio/bundle/test-vector-v1-challenge.json")) {
            published = new ObjectMapper().readValue(in, Map.class);
        }
        assertThat(TestVector.computeChallenge()).isEqualTo(published);
        assertThat(published.get("metadataJson"))
                .contains("\"challenge\":{\"id\":\"test-vector-challenge-nonce\",\"actions\":[\"TURN_LEFT\",\"SMILE\"],"
                        + "\"prompts\":[1700000000500,1700000002500]}");

        byte[] bundle = HexFormat.of().parseHex(published.get("bundle"));
        var server = TestVector.server();
        CaptureBundle read = BundleReader.read(bundle, kid -> TestVector.KID.equals(kid) ? Optional.of(server.getPrivate()) : Optional.empty());
        assertThat(read.metadata()).isEqualTo(TestVector.challengeContent().metadata());
        assertThat(read.metadata().challenge().actions()).containsExactly("TURN_LEFT", "SMILE");
        assertThat(read.frames()).hasSize(TestVector.CHALLENGE_FRAMES).hasSizeGreaterThan(16);
        for (int i = 0; i < read.frames().size(); i++) {
            assertThat(read.frames().get(i).image()).containsExactly(0xff, 0xd8, i, 0xff, 0xd9);
            assertThat(read.frames().get(i).timestampMillis()).isEqualTo(1_700_000_000_000L + 250L * i);
        }
    }
}
