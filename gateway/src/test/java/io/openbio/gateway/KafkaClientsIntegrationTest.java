package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.events.ClientPart;
import io.openbio.events.ClientRequest;
import io.openbio.events.ClientResult;
import io.openbio.schemas.Topics;
import io.openbio.schemas.clients.KafkaClientExample;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.kafka.KafkaSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka clients over the wired platform (SASL_SSL broker with the contract's ACLs, the registry, every
 * stage): tenant {@code acme} produces, as its own principal {@code openbio-client-acme} and with the
 * registry's serializer (Confluent wire format), an IDLive {@code /check} and an IAD capture-liveness
 * request (a bundle built as the capture client builds one) to {@code openbio.clients.requests.acme},
 * and reads exactly one result each from {@code openbio.clients.results.acme}, with the tenant of its
 * principal; tenant {@code globex} can neither read those results nor write acme's request topic.
 * Poison events each yield one error result and the stage keeps going; a duplicate yields one result.
 */
class KafkaClientsIntegrationTest {
    static WiredPlatform platform;
    static int gateway;
    static KafkaSettings acme;
    static KafkaSettings globex;

    @BeforeAll
    static void start() throws Exception {
        platform = WiredPlatform.get();
        gateway = platform.gateway("gw-kclients");
        acme = platform.settings.asUser(ClientsContract.principal("acme"));
        globex = platform.settings.asUser(ClientsContract.principal("globex"));
    }

    private static KafkaProducer<String, byte[]> producer(KafkaSettings as) {
        Map<String, Object> config = as.producer("kclients-test-" + UUID.randomUUID());
        config.put("max.block.ms", 10_000);
        return new KafkaProducer<>(config, null, new ByteArraySerializer());
    }

    /** What an outside client's registry serializer writes: magic byte 0, the 4-byte schema id, Avro binary. */
    private static byte[] avro(ClientRequest request) {
        Serializer<ClientRequest> serializer = platform.settings.serdes().valueSerde(ClientRequest.class).serializer();
        return serializer.serialize(ClientsContract.requests("acme").name(), request);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String tenant, String id, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(ClientsContract.REQUESTS_PREFIX + tenant, id, value)).get(20, TimeUnit.SECONDS);
    }

    /** Every result for {@code ids} on acme's result topic, read as acme, polling until each is there (then 3 s more). */
    private static List<ClientResult> results(List<String> ids, Duration timeout) {
        Deserializer<ClientResult> deserializer = platform.settings.serdes().valueSerde(ClientResult.class).deserializer();
        Map<String, Object> config = acme.consumer(null, "kclients-test");
        config.put("enable.auto.commit", false);
        List<ClientResult> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
                partitions.add(new TopicPartition(ClientsContract.RESULTS_PREFIX + "acme", p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (ids.contains(record.key())) {
                        found.add(deserializer.deserialize(record.topic(), record.value()));
                    }
                }
                if (settle == Long.MAX_VALUE && found.stream().map(ClientResult::getRequestId).distinct().count() == ids.size()) {
                    settle = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return found;
    }

    private static String nonceFor(String tenant) {
        Http.Answer answer = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/bundle/nonce"))
                .header("Content-Type", "application/json").header("X-Tenant-Id", tenant)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("nonce").asText();
    }

    @Test
    void aCheckAndACaptureLivenessRequestEachGetExactlyOneResultWithTheTenantOfThePrincipal() throws Exception {
        byte[] photo = CaptureClient.photo("man_a.jpg");
        CaptureClient capture = new CaptureClient(gateway);
        byte[] bundle = capture.bundle(List.of(photo), "Integrated Camera", nonceFor("acme"));
        String checkId = "check-" + UUID.randomUUID();
        String livenessId = "liveness-" + UUID.randomUUID();
        // as the runnable example does it: plain kafka-clients and the registry serdes, the tenant's own password
        Map<String, Object> client = KafkaClientExample.clientConfig(platform.settings.bootstrapServers(), platform.settings.registryUrl(),
                "acme", platform.settings.security().password(ClientsContract.principal("acme")), platform.settings.security().truststore());
        try (KafkaClientExample.Results waiting = new KafkaClientExample.Results(client, "acme")) {
            KafkaClientExample.submit(client, "acme", checkId, ClientRequest.newBuilder().setOperation(EkycContract.CHECK)
                    .setCheckModel("{\"operations\":[\"FACE_CHECK\"]}").setEncrypted(false)
                    .setParts(List.of(new ClientPart("face", ByteBuffer.wrap(photo)))).build());
            KafkaClientExample.submit(client, "acme", livenessId, ClientRequest.newBuilder().setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS)
                    .setParts(List.of(new ClientPart("bundle", ByteBuffer.wrap(bundle)))).build());
            assertThat(waiting.await(checkId, Duration.ofSeconds(90))).isNotNull();
            assertThat(waiting.await(livenessId, Duration.ofSeconds(90))).isNotNull();
        }
        List<ClientResult> results = results(List.of(checkId, livenessId), Duration.ofSeconds(10));
        assertThat(results).extracting(ClientResult::getRequestId).containsExactlyInAnyOrder(checkId, livenessId);
        assertThat(results).allSatisfy(r -> assertThat(r.getTenant()).isEqualTo("acme"));

        ClientResult check = results.stream().filter(r -> r.getRequestId().equals(checkId)).findFirst().orElseThrow();
        assertThat(check.getStatus()).as(check.toString()).isEqualTo(200);
        assertThat(check.getOperation()).isEqualTo(EkycContract.CHECK);
        JsonNode face = Http.JSON.readTree(check.getBody()).at("/face_result/results");
        assertThat(face.get(0).get("type").asText()).isEqualTo("PRESENTATION_ATTACK");
        assertThat(face.get(0).get("status_code").asText()).isEqualTo("OK");
        assertThat(face.get(0).get("probability").asDouble()).isBetween(0.0, 1.0);

        ClientResult liveness = results.stream().filter(r -> r.getRequestId().equals(livenessId)).findFirst().orElseThrow();
        assertThat(liveness.getStatus()).as(liveness.toString()).isEqualTo(200);
        // the nonce was issued to acme over HTTP and the request was submitted as acme: the nonce signal passes
        assertThat(Http.JSON.readTree(liveness.getBody()).at("/capture_liveness/probability").asDouble()).isGreaterThan(0.5);
        assertThat(liveness.getPlatformRequestId()).isEqualTo(ClientsContract.platformRequestId("acme", livenessId));
    }

    @Test
    void anotherTenantCannotReadTheResultsNorWriteTheRequestTopic() throws Exception {
        Map<String, Object> config = globex.consumer(null, "kclients-test");
        config.put("enable.auto.commit", false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(ClientsContract.RESULTS_PREFIX + "acme", 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).isInstanceOf(TopicAuthorizationException.class);
        }
        Map<String, Object> own = acme.consumer(null, "kclients-test");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(own, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(Topics.RESULTS.name(), 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).as("the shared result topic")
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, byte[]> producer = producer(globex)) {
            assertThatThrownBy(() -> send(producer, "acme", "forged", new byte[] {0}))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.CAPTURE_REQUESTS.name(), "x", new byte[] {0}))
                    .get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void poisonEventsEachYieldOneErrorResultTheStageGoesOnAndADuplicateYieldsOneResult() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String wrongId = "wrong-schema-id-" + run;
        String truncated = "truncated-" + run;
        String unknown = "unknown-op-" + run;
        String oversized = "oversized-" + run;
        String after = "after-" + run;
        byte[] valid = avro(ClientRequest.newBuilder().setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS)
                .setParts(List.of(new ClientPart("bundle", ByteBuffer.wrap("no bundle".getBytes())))).build());
        byte[] wrongSchema = valid.clone();
        wrongSchema[1] = 0x7f; // schema id 0x7f...... : none the registry has
        try (KafkaProducer<String, byte[]> producer = producer(acme)) {
            send(producer, "acme", wrongId, wrongSchema);
            send(producer, "acme", truncated, Arrays.copyOf(valid, valid.length - 4));
            send(producer, "acme", unknown, avro(ClientRequest.newBuilder().setOperation("ekyc.delete_everything").build()));
            send(producer, "acme", oversized, avro(ClientRequest.newBuilder().setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS)
                    .setParts(List.of(new ClientPart("bundle", ByteBuffer.wrap(new byte[10 * 1024 * 1024 + 1])))).build()));
            send(producer, "acme", after, valid);
            send(producer, "acme", after, valid);
        }
        List<ClientResult> results = results(List.of(wrongId, truncated, unknown, oversized, after), Duration.ofSeconds(60));
        assertThat(results).extracting(ClientResult::getRequestId).containsExactlyInAnyOrder(wrongId, truncated, unknown, oversized, after);
        Map<String, ClientResult> byId = new java.util.HashMap<>();
        results.forEach(r -> byId.put(r.getRequestId(), r));
        assertThat(byId.get(wrongId).getErrorCode()).isEqualTo("INVALID_EVENT");
        assertThat(byId.get(truncated).getErrorCode()).isEqualTo("INVALID_EVENT");
        assertThat(byId.get(unknown).getErrorCode()).isEqualTo("UNKNOWN_OPERATION");
        assertThat(byId.get(oversized).getStatus()).isEqualTo(413);
        assertThat(byId.get(oversized).getErrorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
        // the request after the poison went through the capture route: the decrypt stage's answer to a non-bundle
        assertThat(byId.get(after).getStatus()).isEqualTo(400);
        assertThat(byId.get(after).getErrorMessage()).isEqualTo("Failed to parse file");
        assertThat(platform.processors.get(ClientsContract.STAGE.name()).state()).hasToString("RUNNING");
        // each poison event also has its audit record (under the platform request id), without its bytes
        for (String[] expected : List.of(new String[] {wrongId, "INVALID_EVENT"}, new String[] {truncated, "INVALID_EVENT"},
                new String[] {unknown, "UNKNOWN_OPERATION"}, new String[] {oversized, "PAYLOAD_TOO_LARGE"})) {
            ConsumerRecord<String, byte[]> audit = TopicReader.find(platform.settings.bootstrapServers(), Topics.AUDIT.name(),
                    ClientsContract.platformRequestId("acme", expected[0]), Duration.ofSeconds(30));
            assertThat(audit).as(expected[0]).isNotNull();
            assertThat(audit.value().length).as("no payload in the audit record").isLessThan(4000);
            assertThat(new String(audit.value(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains(expected[1]).contains("acme");
        }
    }
}
