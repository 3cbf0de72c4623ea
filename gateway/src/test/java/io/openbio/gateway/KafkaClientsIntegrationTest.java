package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.openbio.bundle.cli.BundleCli;
import io.openbio.events.ClientPart;
import io.openbio.events.ClientRequest;
import io.openbio.events.ClientResult;
import io.openbio.schemas.Topics;
import io.openbio.schemas.clients.KafkaClientExample;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.kafka.KafkaSettings;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * registry's serializer (Confluent wire format), the bundle key and capture nonces ({@code iad.public_key},
 * {@code iad.nonce}), then an IAD capture-liveness and an IDLive {@code /check} request with bundles the
 * bundle CLI built from those answers (no HTTP), and an IDLive {@code /check} with plain images (refused by
 * default), to {@code openbio.clients.requests.acme}, and reads exactly one result each from
 * {@code openbio.clients.results.acme}, with the tenant of its principal; tenant {@code globex} can neither read those results nor write acme's request topic.
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

    /** A bundle of {@code photo} made by the bundle CLI from the key and nonce answers a Kafka client saved (no HTTP). */
    private static byte[] bundleFromFiles(byte[] photo, String keyJson, String nonceJson) throws Exception {
        Path dir = Files.createTempDirectory("kclients-bundle");
        Path image = Files.write(dir.resolve("face.jpg"), photo);
        Path key = Files.writeString(dir.resolve("key.json"), keyJson);
        Path nonce = Files.writeString(dir.resolve("nonce.json"), nonceJson);
        Path out = dir.resolve("bundle.bin");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = new BundleCli(new PrintStream(new java.io.ByteArrayOutputStream(), true), new PrintStream(err, true))
                .run("create", "--image", image.toString(), "--key-file", key.toString(), "--nonce-file", nonce.toString(),
                        "--camera-label", "Integrated Camera", "--out", out.toString());
        assertThat(status).as(err.toString()).isZero();
        return Files.readAllBytes(out);
    }

    /** The runnable example's {@code command} as tenant acme (its password file and the broker's CA): what it prints. */
    private static String example(String command) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = KafkaClientExample.run(new String[] {"--tenant", "acme",
                "--password-file", platform.settings.security().credentialsDir().resolve(ClientsContract.principal("acme")).toString(),
                "--ca", platform.settings.security().truststore().toString(),
                "--bootstrap", platform.settings.bootstrapServers(), "--registry", platform.settings.registryUrl(), command},
                new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(status).as(err.toString()).isZero();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
    }

    private static ClientResult ok(ClientResult result) {
        assertThat(result).isNotNull();
        assertThat(result.getStatus()).as(result.toString()).isEqualTo(200);
        assertThat(result.getTenant()).isEqualTo("acme");
        return result;
    }

    /**
     * The README's Kafka-only flow: the key and a nonce by Kafka, bundles built with them by the bundle CLI, a
     * capture-liveness and a /check request with those bundles; plain images are refused (the default).
     */
    @Test
    void aKafkaOnlyClientGetsTheKeyAndNoncesByKafkaAndItsBundlesAreAnsweredAsOverHttp() throws Exception {
        byte[] photo = CaptureClient.photo("man_a.jpg");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String keyId = "key-" + run;
        String nonceId = "nonce-" + run;
        String checkNonceId = "check-nonce-" + run;
        String livenessId = "liveness-" + run;
        String checkId = "check-" + run;
        String plainId = "plain-" + run;
        // as the runnable example does it: plain kafka-clients and the registry serdes, the tenant's own password
        Map<String, Object> client = KafkaClientExample.clientConfig(platform.settings.bootstrapServers(), platform.settings.registryUrl(),
                "acme", platform.settings.security().password(ClientsContract.principal("acme")), platform.settings.security().truststore());
        // the README's commands: `ex public-key > key.json`, `ex nonce > nonce.json` (the example prints the body)
        String keyJson = example("public-key");
        String nonceJson = example("nonce");
        // the same JSON as GET /bundle/public-key and POST /bundle/nonce
        assertThat(Http.JSON.readTree(keyJson)).isEqualTo(Http.get(gateway, "/bundle/public-key").json());
        JsonNode issued = Http.JSON.readTree(nonceJson);
        List<String> fields = new ArrayList<>();
        issued.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("nonce", "expiresAt");
        assertThat(java.time.Instant.parse(issued.get("expiresAt").asText())).isAfter(java.time.Instant.now().plusSeconds(200));
        try (KafkaClientExample.Results waiting = new KafkaClientExample.Results(client, "acme")) {
            KafkaClientExample.submit(client, "acme", keyId, ClientRequest.newBuilder().setOperation(ClientsContract.PUBLIC_KEY).build());
            KafkaClientExample.submit(client, "acme", nonceId, ClientRequest.newBuilder().setOperation(ClientsContract.NONCE).build());
            KafkaClientExample.submit(client, "acme", checkNonceId, ClientRequest.newBuilder().setOperation(ClientsContract.NONCE).build());
            KafkaClientExample.submit(client, "acme", plainId, ClientRequest.newBuilder().setOperation(EkycContract.CHECK)
                    .setCheckModel("{\"operations\":[\"FACE_CHECK\"]}").setEncrypted(false)
                    .setParts(List.of(new ClientPart("face", ByteBuffer.wrap(photo)))).build());
            ClientResult key = ok(waiting.await(keyId, Duration.ofSeconds(60)));
            ok(waiting.await(nonceId, Duration.ofSeconds(60)));
            ClientResult checkNonce = ok(waiting.await(checkNonceId, Duration.ofSeconds(60)));
            assertThat(key.getBody()).isEqualTo(keyJson);

            byte[] bundle = bundleFromFiles(photo, keyJson, nonceJson);
            byte[] faceBundle = bundleFromFiles(photo, key.getBody(), checkNonce.getBody());
            KafkaClientExample.submit(client, "acme", livenessId, ClientRequest.newBuilder().setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS)
                    .setParts(List.of(new ClientPart("bundle", ByteBuffer.wrap(bundle)))).build());
            KafkaClientExample.submit(client, "acme", checkId, ClientRequest.newBuilder().setOperation(EkycContract.CHECK)
                    .setCheckModel("{\"operations\":[\"FACE_CHECK\"]}")
                    .setParts(List.of(new ClientPart("face", ByteBuffer.wrap(faceBundle)))).build());
            assertThat(waiting.await(livenessId, Duration.ofSeconds(90))).isNotNull();
            assertThat(waiting.await(checkId, Duration.ofSeconds(90))).isNotNull();
        }
        List<String> ids = List.of(keyId, nonceId, checkNonceId, livenessId, checkId, plainId);
        List<ClientResult> results = results(ids, Duration.ofSeconds(10));
        assertThat(results).extracting(ClientResult::getRequestId).as("exactly one result each").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(results).allSatisfy(r -> assertThat(r.getTenant()).isEqualTo("acme"));
        Map<String, ClientResult> byId = new java.util.HashMap<>();
        results.forEach(r -> byId.put(r.getRequestId(), r));

        ClientResult liveness = byId.get(livenessId);
        assertThat(liveness.getStatus()).as(liveness.toString()).isEqualTo(200);
        // the nonce was issued to acme by Kafka and the request was submitted as acme: the nonce signal passes
        assertThat(Http.JSON.readTree(liveness.getBody()).at("/capture_liveness/probability").asDouble()).isGreaterThan(0.5);
        assertThat(liveness.getPlatformRequestId()).isEqualTo(ClientsContract.platformRequestId("acme", livenessId));

        ClientResult check = byId.get(checkId);
        assertThat(check.getStatus()).as(check.toString()).isEqualTo(200);
        assertThat(check.getOperation()).isEqualTo(EkycContract.CHECK);
        JsonNode face = Http.JSON.readTree(check.getBody()).at("/face_result/results");
        assertThat(face.get(0).get("type").asText()).isEqualTo("PRESENTATION_ATTACK");
        assertThat(face.get(0).get("status_code").asText()).isEqualTo("OK");
        assertThat(face.get(0).get("probability").asDouble()).isBetween(0.0, 1.0);
        // a bundle whose nonce (issued by Kafka to acme) is valid: no injection
        JsonNode injection = null;
        for (JsonNode entry : face) {
            if (entry.get("type").asText().equals("INJECTION_ATTACK")) {
                injection = entry;
            }
        }
        assertThat(injection).as(check.getBody()).isNotNull();
        assertThat(injection.get("status_code").asText()).isEqualTo("OK");
        assertThat(injection.get("probability").asDouble()).isEqualTo(1.0);

        ClientResult plain = byId.get(plainId);
        assertThat(plain.getStatus()).isEqualTo(400);
        assertThat(plain.getErrorCode()).isEqualTo("PLAIN_IMAGES_REFUSED");
        assertThat(plain.getErrorMessage()).contains("capture bundles");
    }

    /**
     * Every request answered above is processed and its offset committed: the stage purges the request
     * topic up to there (deleteRecords), so the requests, bundles included, leave the broker within
     * seconds instead of the topic's 1-hour retention.
     */
    @Test
    void theRequestTopicIsPurgedUpToTheStagesCommittedOffsets() throws Exception {
        String id = "purge-" + UUID.randomUUID();
        Map<String, Object> client = KafkaClientExample.clientConfig(platform.settings.bootstrapServers(), platform.settings.registryUrl(),
                "acme", platform.settings.security().password(ClientsContract.principal("acme")), platform.settings.security().truststore());
        try (KafkaClientExample.Results waiting = new KafkaClientExample.Results(client, "acme")) {
            KafkaClientExample.submit(client, "acme", id, ClientRequest.newBuilder().setOperation(ClientsContract.PUBLIC_KEY).build());
            ok(waiting.await(id, Duration.ofSeconds(60)));
        }
        String topic = ClientsContract.REQUESTS_PREFIX + "acme";
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(platform.settings.admin())) {
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> earliest = new java.util.HashMap<>();
            for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.earliest());
            }
            // every request up to here has its result: processed and committed
            Map<TopicPartition, Long> ends = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).as("requests were produced").isPositive();
            Map<TopicPartition, Long> starts = new java.util.HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                Thread.sleep(1000);
                admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> starts.put(tp, info.offset()));
            } while (System.nanoTime() < deadline && ends.entrySet().stream().anyMatch(e -> starts.get(e.getKey()) < e.getValue()));
            assertThat(starts).as("log start offsets vs the ends when every request had its result").isEqualTo(ends);
        }
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
