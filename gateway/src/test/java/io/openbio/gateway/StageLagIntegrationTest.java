package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DiagnosticContract;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Consumer-lag back-pressure over the real broker: with the digest stage stopped and a backlog on
 * its input topic above {@code openbio.gateway.max-lag}, requests on the diagnostic route get 429 +
 * Retry-After at once, while a request on another route (ekyc-template) goes through, and health,
 * metrics, public key and OpenAPI stay served; once the stage is back and has drained the backlog,
 * requests succeed again.
 */
class StageLagIntegrationTest {
    static final TopicPartition DIGEST_IN = new TopicPartition(Topics.DIAGNOSTIC_REQUESTS.name(), 0);
    static final Pattern DIGEST_LAG = Pattern.compile("(?m)^openbio_stage_lag\\{[^}]*stage=\"digest\"[^}]*} (\\S+)$");

    @Test
    void aStageFarBehindShedsItsRoutesRequestsOnlyUntilItHasCaughtUp() throws Exception {
        WiredPlatform platform = WiredPlatform.get();
        int gateway = platform.gateway("gw-lag", "openbio.gateway.max-lag=5", "openbio.gateway.request-timeout=10s",
                "openbio.gateway.required-processors=digest,image-info,collections");
        try (Admin admin = Admin.create(platform.settings.admin());
             KafkaProducer<String, RequestEnvelope> producer = new KafkaProducer<>(platform.settings.producer("lag-test"),
                     new StringSerializer(), Topics.DIAGNOSTIC_REQUESTS.valueSerde(platform.settings.serdes()).serializer())) {
            // The digest group must have committed partition 0 once, so its backlog there counts as lag.
            send(producer, 1);
            long end = admin.listOffsets(Map.of(DIGEST_IN, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                    .partitionResult(DIGEST_IN).get().offset();
            await("digest committed partition 0").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> committed(admin), c -> c >= end);

            platform.stopProcessor("digest");
            send(producer, 20);

            // The background check sees the lag (gauge) within a few seconds.
            await("openbio_stage_lag{stage=digest} >= 20").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> digestLag(gateway).orElse(Double.NaN), lag -> lag >= 20);

            long start = System.nanoTime();
            Http.Answer shed = Http.post(gateway, "/diagnostic/digest", "application/octet-stream", new byte[] {1});
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered at once").isLessThan(Duration.ofSeconds(5));
            assertThat(shed.status()).as(shed.body()).isEqualTo(429);
            assertThat(shed.raw().headers().firstValue("Retry-After")).as("a stopped stage does not drain: the longest wait")
                    .contains("5");
            assertThat(shed.json().get("error_code").asText()).isEqualTo("TOO_MANY_REQUESTS");
            assertThat(shed.json().get("path").asText()).isEqualTo("/diagnostic/digest");
            assertThat(shed.json().get("message").asText()).contains("digest");

            Http.Answer noWait = Http.post(gateway, "/diagnostic/digest?wait=false", "application/octet-stream", new byte[] {2});
            assertThat(noWait.status()).as("asynchronous requests are shed too").isEqualTo(429);

            // Another route (ekyc-template: the collections stage, watched here too) is not shed for the
            // digest stage's lag: the request goes through the pipeline and gets the collections stage's
            // own answer (not an image: 400 in the IDLive format). The IDLive 429 body is asserted in
            // EkycControllerTest.
            assertThat(digestLag(gateway).orElse(Double.NaN)).as("digest still lags").isGreaterThanOrEqualTo(20);
            Http.Answer otherRoute = Http.post(gateway, "/generate-template?encrypted=false", "application/octet-stream", new byte[] {3});
            assertThat(otherRoute.status()).as("a request off the lagging stage's route: " + otherRoute.body()).isEqualTo(400);
            assertThat(otherRoute.raw().headers().firstValue("X-Request-Id")).as("it went to the pipeline").isPresent();
            assertThat(otherRoute.raw().headers().firstValue("Retry-After")).isEmpty();
            assertThat(otherRoute.json().size()).as("IDLive body {status, message}: " + otherRoute.body()).isEqualTo(2);
            assertThat(otherRoute.json().get("status").asInt()).isEqualTo(400);
            assertThat(otherRoute.json().get("message").asText()).contains("image");

            assertThat(Http.get(gateway, "/health").status()).as("health is served (503: digest is down)").isEqualTo(503);
            assertThat(Http.get(gateway, "/metrics").status()).isEqualTo(200);
            assertThat(Http.get(gateway, "/bundle/public-key").status()).isEqualTo(200);
            assertThat(Http.get(gateway, "/v3/api-docs").status()).isEqualTo(200);

            platform.startProcessor("digest");
            Http.Answer answer = await("served again once the backlog drained").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Http.post(gateway, "/diagnostic/digest", "application/octet-stream", new byte[] {4}), a -> a.status() != 429);
            assertThat(answer.status()).as("served again once the backlog drained: " + answer.body()).isEqualTo(200);
        } finally {
            if (!platform.processors.containsKey("digest")) {
                platform.startProcessor("digest");
            }
        }
    }

    private static void send(KafkaProducer<String, RequestEnvelope> producer, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            RequestEnvelope envelope = RequestEnvelope.newBuilder().setRequestId(id).setTenant("lag-test")
                    .setOperation(DiagnosticContract.DIGEST_OPERATION).setCreatedAt(Instant.now())
                    .setParts(List.of(new Part("payload", "application/octet-stream",
                            ByteBuffer.wrap(("backlog " + i).getBytes(StandardCharsets.UTF_8)))))
                    .setAttributes(Map.of()).build();
            producer.send(new ProducerRecord<>(DIGEST_IN.topic(), DIGEST_IN.partition(), id, envelope)).get();
        }
    }

    private static long committed(Admin admin) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets("openbio-digest").partitionsToOffsetAndMetadata().get().get(DIGEST_IN);
        return offset == null ? -1 : offset.offset();
    }

    private static Optional<Double> digestLag(int gateway) {
        Matcher m = DIGEST_LAG.matcher(Http.get(gateway, "/metrics").body());
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }
}
