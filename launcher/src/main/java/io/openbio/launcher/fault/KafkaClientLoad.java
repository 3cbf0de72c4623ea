package io.openbio.launcher.fault;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.openbio.events.ClientPart;
import io.openbio.events.ClientRequest;
import io.openbio.events.ClientResult;
import io.openbio.launcher.LocalPlatform;
import io.openbio.launcher.bench.CaptureClient;
import io.openbio.schemas.clients.KafkaClientExample;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ClientsContract;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The {@code kafka-clients} load family: a Kafka client of tenant {@code tenant} (listed in
 * {@code OPENBIO_KAFKA_CLIENT_TENANTS}) that submits {@code iad.check_capture_liveness} by producing a
 * {@link ClientRequest} (a capture bundle with a fresh nonce issued to the tenant) to
 * {@code openbio.clients.requests.<tenant>}, as {@code KafkaClientsBenchmark} does, and reads its
 * {@link ClientResult} on {@code openbio.clients.results.<tenant>}: the answer's status is the result's
 * (0 when none came within 90 s), its request id the record key.
 */
final class KafkaClientLoad implements AutoCloseable {
    private final String tenant;
    private final byte[] photo;
    private final CaptureClient capture;
    private final KafkaProducer<String, ClientRequest> producer;
    private final KafkaConsumer<String, ClientResult> consumer;
    private final Map<String, CompletableFuture<MixedLoad.Answer>> waiting = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean stop;

    KafkaClientLoad(LocalPlatform platform, String gateway, String tenant, byte[] photo) throws Exception {
        this.tenant = tenant;
        this.photo = photo;
        this.capture = new CaptureClient(gateway);
        Map<String, Object> config = KafkaClientExample.clientConfig(platform.bootstrap, platform.registryUrl, tenant,
                Files.readString(platform.data.resolve("kafka/credentials/" + ClientsContract.principal(tenant)), StandardCharsets.UTF_8).trim(),
                platform.data.resolve("kafka/tls/ca.pem"));
        Map<String, Object> c = new HashMap<>(config);
        c.put("fetch.max.wait.ms", 50);
        consumer = KafkaClientExample.Results.fromTheEnd(c, tenant);
        Map<String, Object> pc = new HashMap<>(config);
        pc.put("acks", "all");
        pc.put("linger.ms", 0);
        AvroKafkaSerializer<ClientRequest> serializer = new AvroKafkaSerializer<>();
        serializer.configure(pc, false);
        producer = new KafkaProducer<>(pc, new StringSerializer(), serializer);
        reader = new Thread(this::read, "kafka-client-results");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        while (!stop) {
            for (ConsumerRecord<String, ClientResult> record : consumer.poll(Duration.ofMillis(100))) {
                CompletableFuture<MixedLoad.Answer> f = waiting.remove(record.key());
                if (f != null) {
                    f.complete(new MixedLoad.Answer(record.value().getStatus(), record.key()));
                }
            }
        }
        consumer.close();
    }

    /** The load family: each call a fresh nonce for the tenant (from the gateway), a bundle, one record. */
    MixedLoad.Family family(String name) {
        return MixedLoad.Family.submitting(name, () -> {
            byte[] bundle = capture.freshBundle(photo, tenant);
            String id = UUID.randomUUID().toString();
            ClientRequest request = ClientRequest.newBuilder().setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS)
                    .setParts(List.of(new ClientPart("bundle", ByteBuffer.wrap(bundle)))).build();
            CompletableFuture<MixedLoad.Answer> answer = new CompletableFuture<>();
            waiting.put(id, answer);
            producer.send(new ProducerRecord<>(ClientsContract.REQUESTS_PREFIX + tenant, id, request), (metadata, error) -> {
                if (error != null) {
                    waiting.remove(id);
                    answer.completeExceptionally(error);
                }
            });
            return answer.orTimeout(90, TimeUnit.SECONDS).whenComplete((a, e) -> waiting.remove(id));
        });
    }

    @Override
    public void close() {
        stop = true;
        producer.close(Duration.ofSeconds(5));
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
