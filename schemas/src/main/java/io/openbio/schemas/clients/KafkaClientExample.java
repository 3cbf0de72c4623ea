package io.openbio.schemas.clients;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.openbio.events.ClientPart;
import io.openbio.events.ClientRequest;
import io.openbio.events.ClientResult;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A runnable Kafka client of the platform (README "Kafka clients"), written as an outside client
 * writes one: plain kafka-clients and the Apicurio registry serdes, nothing of the platform but the
 * generated {@link ClientRequest} / {@link ClientResult} classes (a client generates its own from the
 * schemas the registry serves under {@code openbio.clients.requests.<tenant>-value} and
 * {@code openbio.clients.results.<tenant>-value}).
 *
 * <pre>
 * java -cp 'launcher/target/lib/*' io.openbio.schemas.clients.KafkaClientExample \
 *   --tenant acme --password-file .data/kafka/credentials/openbio-client-acme --ca .data/kafka/tls/ca.pem \
 *   public-key                      (iad.public_key: prints GET /bundle/public-key's JSON)
 * ... nonce                           (iad.nonce: prints POST /bundle/nonce's JSON, a nonce issued to the tenant)
 * ... liveness --bundle bundle.bin
 * ... check --face face.bundle [--doc doc.bundle] [--model '{"operations":["FACE_CHECK"]}'] [--encrypted true]
 * </pre>
 * It submits one request (key = a new request id), waits for its one result and prints it; for
 * {@code public-key} and {@code nonce} it prints the result's body only (exit status 1 and the result on
 * stderr on failure), so it can be saved for {@code BundleCli create --key-file / --nonce-file}.
 */
public final class KafkaClientExample {
    private KafkaClientExample() {
    }

    /**
     * The client settings of tenant {@code tenant}: SASL_SSL with SCRAM-SHA-512 as principal
     * {@code openbio-client-<tenant>}, the broker's CA (PEM), and the registry serdes in the Confluent
     * wire format (4-byte content ids); the producer looks the request schema up (no auto-registration,
     * so no registry credentials are needed).
     */
    public static Map<String, Object> clientConfig(String bootstrap, String registryUrl, String tenant, String password, Path caPem) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"openbio-client-"
                + tenant + "\" password=\"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\";");
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.location", caPem.toString());
        config.put(SerdeConfig.REGISTRY_URL, registryUrl);
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
        config.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        // requests carry images inline: up to 10 MiB of parts, records up to 12 MiB
        config.put("max.request.size", 12 * 1024 * 1024);
        config.put("max.partition.fetch.bytes", 12 * 1024 * 1024);
        return config;
    }

    /** Reads tenant {@code tenant}'s results from the end of its result topic (open it before submitting). */
    public static final class Results implements AutoCloseable {
        private final KafkaConsumer<String, ClientResult> consumer;
        private final Map<String, ClientResult> seen = new HashMap<>();

        public Results(Map<String, Object> config, String tenant) {
            consumer = fromTheEnd(config, tenant);
        }

        /**
         * A consumer of tenant {@code tenant}'s result topic (committed results only, no group offsets), every partition
         * assigned and positioned at its end, so it sees only results that arrive after this call.
         */
        public static KafkaConsumer<String, ClientResult> fromTheEnd(Map<String, Object> config, String tenant) {
            Map<String, Object> c = new HashMap<>(config);
            c.put("enable.auto.commit", false);
            c.put("isolation.level", "read_committed");
            AvroKafkaDeserializer<ClientResult> values = new AvroKafkaDeserializer<>();
            values.configure(c, false);
            KafkaConsumer<String, ClientResult> consumer = new KafkaConsumer<>(c, new StringDeserializer(), values);
            String topic = "openbio.clients.results." + tenant;
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            return consumer;
        }

        /** The result of {@code requestId}, or null after {@code timeout}; results of other ids read meanwhile are kept. */
        public ClientResult await(String requestId, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!seen.containsKey(requestId) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, ClientResult> record : consumer.poll(Duration.ofMillis(500))) {
                    seen.putIfAbsent(record.key(), record.value());
                }
            }
            return seen.get(requestId);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** Produces {@code request} under {@code requestId} to {@code openbio.clients.requests.<tenant>} and waits for the broker's ack. */
    public static void submit(Map<String, Object> config, String tenant, String requestId, ClientRequest request) throws Exception {
        Map<String, Object> c = new HashMap<>(config);
        c.put("acks", "all");
        AvroKafkaSerializer<ClientRequest> values = new AvroKafkaSerializer<>();
        values.configure(c, false);
        try (KafkaProducer<String, ClientRequest> producer = new KafkaProducer<>(c, new StringSerializer(), values)) {
            producer.send(new ProducerRecord<>("openbio.clients.requests." + tenant, requestId, request)).get();
        }
    }

    public static void main(String[] args) throws Exception {
        // Avro 1.12 instantiates only trusted classes when reading: trust the generated package
        // (outside this platform: -Dorg.apache.avro.SERIALIZABLE_PACKAGES=<the package of your generated classes>)
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        System.exit(run(args, System.out, System.err));
    }

    /** What {@link #main} runs, without exiting: the exit status (0 ok, 1 no or an error result, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> options = new HashMap<>();
        options.put("--bootstrap", "127.0.0.1:9092");
        options.put("--registry", "http://localhost:8081/apis/registry/v2");
        options.put("--model", "{\"operations\":[\"FACE_CHECK\",\"DOC_CHECK\",\"FACE_MATCH_VALIDATION\"]}");
        options.put("--encrypted", "true");
        options.put("--timeout", "60");
        String command = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else if (command == null) {
                command = args[i];
            } else {
                err.println("unexpected argument " + args[i]);
                return 2;
            }
        }
        String tenant = options.get("--tenant");
        if (tenant == null || options.get("--password-file") == null || options.get("--ca") == null
                || !List.of("check", "liveness", "nonce", "public-key").contains(command)) {
            err.println("usage: KafkaClientExample --tenant T --password-file F --ca ca.pem [--bootstrap H:P] [--registry URL]"
                    + " public-key | nonce | liveness --bundle B | check --face F [--doc D] [--model JSON] [--encrypted true|false]");
            return 2;
        }
        String password = Files.readString(Path.of(options.get("--password-file")), StandardCharsets.UTF_8).trim();
        Map<String, Object> config = clientConfig(options.get("--bootstrap"), options.get("--registry"), tenant, password,
                Path.of(options.get("--ca")));
        ClientRequest.Builder request = ClientRequest.newBuilder();
        List<ClientPart> parts = new ArrayList<>();
        if (command.equals("check")) {
            request.setOperation("ekyc.check").setCheckModel(options.get("--model"))
                    .setEncrypted(Boolean.parseBoolean(options.get("--encrypted")));
            for (String name : List.of("face", "doc")) {
                if (options.containsKey("--" + name)) {
                    parts.add(new ClientPart(name, ByteBuffer.wrap(Files.readAllBytes(Path.of(options.get("--" + name))))));
                }
            }
        } else if (command.equals("liveness")) {
            request.setOperation("iad.check_capture_liveness");
            parts.add(new ClientPart("bundle", ByteBuffer.wrap(Files.readAllBytes(Path.of(options.get("--bundle"))))));
        } else {
            request.setOperation(command.equals("nonce") ? "iad.nonce" : "iad.public_key");
        }
        String requestId = UUID.randomUUID().toString();
        try (Results results = new Results(config, tenant)) {
            submit(config, tenant, requestId, request.setParts(parts).build());
            err.println("submitted " + requestId + " to openbio.clients.requests." + tenant);
            ClientResult result = results.await(requestId, Duration.ofSeconds(Long.parseLong(options.get("--timeout"))));
            if (result == null) {
                err.println("no result within " + options.get("--timeout") + " s");
                return 1;
            }
            boolean bodyOnly = command.equals("nonce") || command.equals("public-key");
            if (bodyOnly && result.getErrorCode() == null) {
                out.println(result.getBody());
                return 0;
            }
            (bodyOnly ? err : out).println(result);
            return result.getErrorCode() == null ? 0 : 1;
        }
    }
}
