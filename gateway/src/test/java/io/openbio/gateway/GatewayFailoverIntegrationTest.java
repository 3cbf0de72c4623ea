package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.schemas.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 4, over the real broker: a gateway instance that dies with a request pending
 * leaves that request's result on {@code openbio.results}, exactly once, although its caller got no
 * answer (reply routing is per instance: the result also goes to the dead instance's reply topic,
 * which nobody reads). The other instance, with its own id and reply topic, answers its requests
 * meanwhile. The dying gateway shuts down immediately (no graceful wait for the pending request),
 * the nearest an in-process test comes to SIGKILL; {@code bench/fault.sh two-instances} kills a
 * gateway process with SIGKILL under load.
 */
class GatewayFailoverIntegrationTest {
    private static final String DYING = "gw-dies";
    private static final String SURVIVING = "gw-survives";

    @Test
    void aGatewayThatDiesWithARequestPendingLeavesItsResultOnTheResultTopicExactlyOnce() throws Exception {
        WiredPlatform platform = WiredPlatform.get();
        int dying = platform.gateway(DYING, "server.shutdown=immediate");
        int surviving = platform.gateway(SURVIVING);
        String bootstrap = platform.settings.bootstrapServers();
        String dyingReplies = Topics.replies(DYING).name();
        Deserializer<RequestEnvelope> requests = Topics.DIAGNOSTIC_REQUESTS.valueSerde(platform.settings.serdes()).deserializer();
        Deserializer<ResultEvent> results = Topics.RESULTS.valueSerde(platform.settings.serdes()).deserializer();

        // the digest stage is away, so the request stays pending on the gateway that will die
        platform.stopProcessor("digest");
        CompletableFuture<HttpResponse<String>> pending;
        String requestId;
        try {
            byte[] body = ("pending on a gateway that dies " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            pending = Http.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dying + "/diagnostic/digest"))
                    .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            // accepted: the gateway put it on its request topic, naming its own reply topic
            List<ConsumerRecord<String, byte[]>> onTopic = TopicReader.readUntil(bootstrap, Topics.DIAGNOSTIC_REQUESTS.name(),
                    records -> records.stream().anyMatch(r -> dyingReplies.equals(replyTo(requests, r))), Duration.ofSeconds(30));
            requestId = onTopic.stream().filter(r -> dyingReplies.equals(replyTo(requests, r))).map(ConsumerRecord::key)
                    .findFirst().orElseThrow(() -> new AssertionError("the request never reached " + Topics.DIAGNOSTIC_REQUESTS.name()));
            assertThat(pending).as("still waiting for its result").isNotDone();

            platform.stopGateway(DYING);
        } finally {
            platform.startProcessor("digest");
        }

        // its caller gets no result: the connection is gone (or at most an error status, never the result)
        Integer status = pending.handle((response, error) -> error != null ? null : response.statusCode()).get(60, TimeUnit.SECONDS);
        assertThat(status == null || status / 100 != 2).as("the caller of the dead gateway got status %s", status).isTrue();

        // the result is on openbio.results all the same, once
        List<ResultEvent> forIt = TopicReader.readUntil(bootstrap, Topics.RESULTS.name(),
                        records -> records.stream().anyMatch(r -> requestId.equals(r.key())), Duration.ofSeconds(90))
                .stream().filter(r -> requestId.equals(r.key())).map(r -> results.deserialize(r.topic(), r.value())).toList();
        assertThat(forIt).as("results of %s on %s", requestId, Topics.RESULTS.name()).hasSize(1);
        assertThat(forIt.get(0).getReplyTo()).isEqualTo(dyingReplies);
        assertThat(forIt.get(0).getError()).as("a real digest result").isNull();
        // read again a little later: no second copy arrives
        Thread.sleep(2000);
        long copies = TopicReader.readUntil(bootstrap, Topics.RESULTS.name(), records -> false, Duration.ofSeconds(5)).stream()
                .filter(r -> requestId.equals(r.key())).count();
        assertThat(copies).as("committed results of %s", requestId).isEqualTo(1);

        // the other instance answers on its own reply topic
        await("the surviving gateway answers").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                Http.post(surviving, "/diagnostic/digest", "application/octet-stream", "after the failover".getBytes(StandardCharsets.UTF_8))
                        .status() == 200);
    }

    private static String replyTo(Deserializer<RequestEnvelope> requests, ConsumerRecord<String, byte[]> record) {
        RequestEnvelope envelope = requests.deserialize(record.topic(), record.value());
        return envelope.getReplyTo() == null ? null : envelope.getReplyTo().toString();
    }
}
