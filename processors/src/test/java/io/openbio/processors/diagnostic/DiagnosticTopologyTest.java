package io.openbio.processors.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.DigestedRequest;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.processors.TestEvents;
import io.openbio.schemas.Topics;
import io.openbio.testkit.Drivers;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

class DiagnosticTopologyTest {
    static byte[] png(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void digestStageHashesThePayload() {
        try (Drivers.Driver driver = Drivers.start(new DigestProcessor().topology(Drivers.SERDES))) {
            TestInputTopic<String, RequestEnvelope> in = driver.input(Topics.DIAGNOSTIC_REQUESTS);
            TestOutputTopic<String, DigestedRequest> out = driver.output(Topics.DIAGNOSTIC_DIGESTED);

            in.pipeInput("r1", TestEvents.request("r1", "openbio.replies.g1", null, "abc".getBytes(StandardCharsets.US_ASCII)));

            var record = out.readKeyValue();
            assertThat(record.key).isEqualTo("r1");
            // SHA-256("abc"), FIPS 180-2 test vector
            assertThat(record.value.getSha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            assertThat(record.value.getTrace()).extracting(t -> t.getStage()).containsExactly("digest");
            assertThat(out.isEmpty()).isTrue();
        }
    }

    @Test
    void aPartThatDoesNotOpenEndsTheRequestWithAnErrorInsteadOfStallingThePartition() {
        try (Drivers.Driver driver = Drivers.start(new DigestProcessor().topology(Drivers.SERDES))) {
            var in = driver.input(Topics.DIAGNOSTIC_REQUESTS);
            var results = driver.output(Topics.RESULTS);
            var digested = driver.output(Topics.DIAGNOSTIC_DIGESTED);
            RequestEnvelope sealed = TestEvents.request("r-moved", "openbio.replies.g1", null, "abc".getBytes(StandardCharsets.US_ASCII));
            // the sealed part moved into another request (another record key), and a plaintext part (not sealed)
            in.pipeInput("r-other", RequestEnvelope.newBuilder(sealed).setRequestId("r-other").build());
            in.pipeInput("r-plain", RequestEnvelope.newBuilder(sealed).setRequestId("r-plain").setParts(java.util.List.of(
                    new io.openbio.events.Part("payload", null, java.nio.ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII))))).build());
            in.pipeInput("r-ok", TestEvents.request("r-ok", "openbio.replies.g1", null, "abc".getBytes(StandardCharsets.US_ASCII)));

            var errors = results.readValuesToList();
            assertThat(errors).extracting(ResultEvent::getRequestId).containsExactly("r-other", "r-plain");
            assertThat(errors).allSatisfy(r -> assertThat(r.getError().getMessage()).contains("integrity"));
            assertThat(digested.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("r-ok");
        }
    }

    @Test
    void requestWithoutPayloadEndsWithA400ResultOnResultsAndReplyTopic() {
        try (Drivers.Driver driver = Drivers.start(new DigestProcessor().topology(Drivers.SERDES))) {
            var in = driver.input(Topics.DIAGNOSTIC_REQUESTS);
            var results = driver.output(Topics.RESULTS);
            var replies = driver.output("openbio.replies.g1", Topics.RESULTS);
            var digested = driver.output(Topics.DIAGNOSTIC_DIGESTED);

            in.pipeInput("r2", TestEvents.request("r2", "openbio.replies.g1", null));

            ResultEvent result = results.readValue();
            assertThat(result.getError().getStatus()).isEqualTo(400);
            assertThat(result.getError().getCode()).isEqualTo("EMPTY_PAYLOAD");
            assertThat(replies.readValue().getRequestId()).isEqualTo("r2");
            assertThat(digested.isEmpty()).isTrue();
        }
    }

    @Test
    void imageInfoStageReadsTheImageHeaderAndFinishesTheResult() throws Exception {
        byte[] image = png(64, 48);
        try (Drivers.Driver driver = Drivers.start(new ImageInfoProcessor().topology(Drivers.SERDES))) {
            var in = driver.input(Topics.DIAGNOSTIC_DIGESTED);
            var results = driver.output(Topics.RESULTS);
            var replies = driver.output("openbio.replies.g7", Topics.RESULTS);

            RequestEnvelope request = TestEvents.request("r3", "openbio.replies.g7", null, image);
            in.pipeInput("r3", DigestedRequest.newBuilder().setEnvelope(request).setSha256("x".repeat(64))
                    .setTrace(java.util.List.of(new io.openbio.events.StageTrace("digest", "i", java.time.Instant.now()))).build());

            ResultEvent result = results.readValue();
            assertThat(result.getError()).isNull();
            var payload = (io.openbio.events.DiagnosticResult) result.getPayload();
            assertThat(payload.getImageFormat()).isEqualTo("png");
            assertThat(payload.getWidth()).isEqualTo(64);
            assertThat(payload.getHeight()).isEqualTo(48);
            assertThat(payload.getSizeBytes()).isEqualTo(image.length);
            assertThat(TestEvents.stages(result)).containsExactly("digest", "image-info");
            assertThat(replies.readValue().getRequestId()).isEqualTo("r3");
        }
    }

    @Test
    void resultWithoutReplyRouteGoesOnlyToTheResultTopic() {
        try (Drivers.Driver driver = Drivers.start(new ImageInfoProcessor().topology(Drivers.SERDES))) {
            var in = driver.input(Topics.DIAGNOSTIC_DIGESTED);
            var results = driver.output(Topics.RESULTS);
            in.pipeInput("r4", DigestedRequest.newBuilder()
                    .setEnvelope(TestEvents.request("r4", null, null, "not an image".getBytes(StandardCharsets.UTF_8)))
                    .setSha256("y".repeat(64)).build());
            ResultEvent result = results.readValue();
            var payload = (io.openbio.events.DiagnosticResult) result.getPayload();
            assertThat(payload.getImageFormat()).isNull();
            assertThat(payload.getWidth()).isNull();
            assertThat(payload.getSizeBytes()).isEqualTo(12);
            assertThat(driver.producedTopicNames()).containsExactlyInAnyOrder(Topics.RESULTS.name(), Topics.AUDIT.name());
        }
    }
}
