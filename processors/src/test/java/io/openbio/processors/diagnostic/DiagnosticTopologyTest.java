package io.openbio.processors.diagnostic;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.DigestedRequest;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.processors.TestEvents;
import io.openbio.schemas.Topics;
import io.openbio.schemas.serde.EventSerdes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class DiagnosticTopologyTest {
    private final EventSerdes serdes = EventSerdes.unregistered();

    private static Properties props() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        return p;
    }

    static byte[] png(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    @Test
    void digestStageHashesThePayload() {
        try (TopologyTestDriver driver = new TopologyTestDriver(new DigestProcessor().topology(serdes), props())) {
            TestInputTopic<String, RequestEnvelope> in = driver.createInputTopic(Topics.DIAGNOSTIC_REQUESTS.name(),
                    Topics.DIAGNOSTIC_REQUESTS.keySerde().serializer(), Topics.DIAGNOSTIC_REQUESTS.valueSerde(serdes).serializer());
            TestOutputTopic<String, DigestedRequest> out = driver.createOutputTopic(Topics.DIAGNOSTIC_DIGESTED.name(),
                    Topics.DIAGNOSTIC_DIGESTED.keySerde().deserializer(), Topics.DIAGNOSTIC_DIGESTED.valueSerde(serdes).deserializer());

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
    void requestWithoutPayloadEndsWithA400ResultOnResultsAndReplyTopic() {
        try (TopologyTestDriver driver = new TopologyTestDriver(new DigestProcessor().topology(serdes), props())) {
            var in = driver.createInputTopic(Topics.DIAGNOSTIC_REQUESTS.name(),
                    Topics.DIAGNOSTIC_REQUESTS.keySerde().serializer(), Topics.DIAGNOSTIC_REQUESTS.valueSerde(serdes).serializer());
            var results = driver.createOutputTopic(Topics.RESULTS.name(),
                    Topics.RESULTS.keySerde().deserializer(), Topics.RESULTS.valueSerde(serdes).deserializer());
            var replies = driver.createOutputTopic("openbio.replies.g1",
                    Topics.RESULTS.keySerde().deserializer(), Topics.RESULTS.valueSerde(serdes).deserializer());
            var digested = driver.createOutputTopic(Topics.DIAGNOSTIC_DIGESTED.name(),
                    Topics.DIAGNOSTIC_DIGESTED.keySerde().deserializer(), Topics.DIAGNOSTIC_DIGESTED.valueSerde(serdes).deserializer());

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
        try (TopologyTestDriver driver = new TopologyTestDriver(new ImageInfoProcessor().topology(serdes), props())) {
            var in = driver.createInputTopic(Topics.DIAGNOSTIC_DIGESTED.name(),
                    Topics.DIAGNOSTIC_DIGESTED.keySerde().serializer(), Topics.DIAGNOSTIC_DIGESTED.valueSerde(serdes).serializer());
            var results = driver.createOutputTopic(Topics.RESULTS.name(),
                    Topics.RESULTS.keySerde().deserializer(), Topics.RESULTS.valueSerde(serdes).deserializer());
            var replies = driver.createOutputTopic("openbio.replies.g7",
                    Topics.RESULTS.keySerde().deserializer(), Topics.RESULTS.valueSerde(serdes).deserializer());

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
        try (TopologyTestDriver driver = new TopologyTestDriver(new ImageInfoProcessor().topology(serdes), props())) {
            var in = driver.createInputTopic(Topics.DIAGNOSTIC_DIGESTED.name(),
                    Topics.DIAGNOSTIC_DIGESTED.keySerde().serializer(), Topics.DIAGNOSTIC_DIGESTED.valueSerde(serdes).serializer());
            var results = driver.createOutputTopic(Topics.RESULTS.name(),
                    Topics.RESULTS.keySerde().deserializer(), Topics.RESULTS.valueSerde(serdes).deserializer());
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
