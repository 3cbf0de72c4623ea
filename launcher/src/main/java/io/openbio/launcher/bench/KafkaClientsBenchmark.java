package io.openbio.launcher.bench;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.openbio.events.ClientPart;
import io.openbio.events.ClientRequest;
import io.openbio.events.ClientResult;
import io.openbio.schemas.clients.KafkaClientExample;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.settings.Settings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Topic-submitted requests vs HTTP for the same work: {@code iad.check_capture_liveness}, each request
 * its own bundle of the same photo with its own fresh nonce (built before each measurement), as a
 * closed loop of N callers for each path: over HTTP ({@code POST /check_capture_liveness}, latency
 * from send to answer) and over Kafka (tenant {@code bench}: produce to
 * {@code openbio.clients.requests.bench}, latency from produce to the result read on
 * {@code openbio.clients.results.bench}). The platform must be running with
 * {@code OPENBIO_KAFKA_CLIENT_TENANTS=bench} ({@code bench/kafka-clients.sh} starts it).
 *
 * <p>Arguments: gatewayUrl [seconds=30] [callers=4] [output] [order: http-first (default) or kafka-first]
 */
public final class KafkaClientsBenchmark {
    static final String TENANT = "bench";
    static final int WARM_UP_SECONDS = 20;

    private KafkaClientsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int callers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path output = Path.of(args.length > 3 ? args[3] : "target/kafka-clients-benchmark.md");
        boolean kafkaFirst = args.length > 4 && args[4].equals("kafka-first");
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        CaptureClient capture = new CaptureClient(gateway);
        int needed = 10 + callers * seconds * 8; // an upper bound of what a closed loop completes here

        Path data = Path.of(KafkaSettings.setting(Settings.DATA_DIR, ".data"));
        String bootstrap = "127.0.0.1:" + KafkaSettings.setting(Settings.KAFKA_PORT);
        String registry = "http://127.0.0.1:" + KafkaSettings.setting(Settings.REGISTRY_PORT) + "/apis/registry/v2";
        Map<String, Object> config = KafkaClientExample.clientConfig(bootstrap, registry, TENANT,
                Files.readString(data.resolve("kafka/credentials/" + ClientsContract.principal(TENANT)), StandardCharsets.UTF_8).trim(),
                data.resolve("kafka/tls/ca.pem"));
        LoadRunner.Outcome http = null;
        LoadRunner.Outcome kafka = null;
        // warm-up of both paths first (JIT, models, connections): in runs with a short warm-up of each
        // path just before its measurement, whichever path was measured second was the faster one
        List<byte[]> warmHttp = new ArrayList<>();
        List<byte[]> warmKafka = new ArrayList<>();
        for (int i = 0; i < callers * WARM_UP_SECONDS * 8; i++) {
            warmHttp.add(capture.freshBundle(photo));
            warmKafka.add(capture.freshBundle(photo, TENANT));
        }
        URI checkUri = URI.create(gateway + "/check_capture_liveness");
        AtomicInteger nextWarm = new AtomicInteger();
        LoadRunner.Outcome warmHttpOutcome = new LoadRunner().closedLoop(callers, WARM_UP_SECONDS, i -> HttpRequest.newBuilder(checkUri)
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(warmHttp.get(nextWarm.getAndIncrement() % warmHttp.size()))).build());
        LoadRunner.Outcome warm = kafkaLoop(config, callers, WARM_UP_SECONDS, warmKafka, new AtomicInteger());
        for (String path : kafkaFirst ? List.of("kafka", "http") : List.of("http", "kafka")) {
            if (path.equals("http")) {
                // bundles with nonces of the default tenant, built just before the measurement (nonces live 5 min)
                List<byte[]> httpBundles = new ArrayList<>();
                for (int i = 0; i < needed; i++) {
                    httpBundles.add(capture.freshBundle(photo));
                }
                URI check = URI.create(gateway + "/check_capture_liveness");
                AtomicInteger nextHttp = new AtomicInteger();
                java.util.function.IntFunction<HttpRequest> request = i -> HttpRequest.newBuilder(check).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(httpBundles.get(nextHttp.getAndIncrement() % httpBundles.size()))).build();
                http = new LoadRunner().closedLoop(callers, seconds, request);
            } else {
                List<byte[]> kafkaBundles = new ArrayList<>();
                for (int i = 0; i < needed; i++) {
                    kafkaBundles.add(capture.freshBundle(photo, TENANT));
                }
                kafka = kafkaLoop(config, callers, seconds, kafkaBundles, new AtomicInteger());
            }
        }

        String report = String.join("\n",
                "### Capture liveness submitted by topic vs over HTTP (" + LocalDate.now() + ")",
                "",
                "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                        + System.getProperty("java.version") + "; broker, registry, processors (one JVM), gateway and this load generator on the same machine.",
                "Command: `bench/kafka-clients.sh " + seconds + " " + callers + (kafkaFirst ? " kafka-first" : "") + "` (one " + photo.length
                        + "-byte JPEG per bundle, fresh nonce per request; closed loop of " + callers + " callers for " + seconds
                        + " s per path, " + (kafkaFirst ? "Kafka first" : "HTTP first") + ", after a warm-up of both paths (" + WARM_UP_SECONDS + " s each, " + callers + " callers); Kafka latency from produce to the result read by the client).",
                "",
                "| path | requests | errors | p50 ms | p99 ms | throughput |",
                "|---|---|---|---|---|---|",
                DiagnosticBenchmark.row("HTTP `/check_capture_liveness`, " + callers + " callers", http),
                DiagnosticBenchmark.row("Kafka `openbio.clients.requests.bench`, " + callers + " callers", kafka),
                "",
                "Warm-up (not counted): HTTP " + warmHttpOutcome.latencies().count() + " answers, " + warmHttpOutcome.errors()
                        + " errors; Kafka " + warm.latencies().count() + " results, " + warm.errors() + " errors. Load average at the end: "
                        + String.format(Locale.ROOT, "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + ".");
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.exit(0);
    }

    /** {@code callers} threads, each producing its next request once its last result arrived. */
    static LoadRunner.Outcome kafkaLoop(Map<String, Object> config, int callers, int seconds, List<byte[]> bundles, AtomicInteger next)
            throws Exception {
        Map<String, CompletableFuture<ClientResult>> waiting = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Object> c = new HashMap<>(config);
        c.put("fetch.max.wait.ms", 50);
        KafkaConsumer<String, ClientResult> consumer = KafkaClientExample.Results.fromTheEnd(c, TENANT);
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                for (ConsumerRecord<String, ClientResult> record : consumer.poll(Duration.ofMillis(100))) {
                    CompletableFuture<ClientResult> f = waiting.remove(record.key());
                    if (f != null) {
                        f.complete(record.value());
                    }
                }
            }
            consumer.close();
        });
        reader.start();
        Map<String, Object> pc = new HashMap<>(config);
        pc.put("acks", "all");
        pc.put("linger.ms", 0);
        AvroKafkaSerializer<ClientRequest> serializer = new AvroKafkaSerializer<>();
        serializer.configure(pc, false);
        Latencies latencies = new Latencies();
        AtomicInteger errors = new AtomicInteger();
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (KafkaProducer<String, ClientRequest> producer = new KafkaProducer<>(pc, new StringSerializer(), serializer)) {
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < callers; w++) {
                Thread worker = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        String id = UUID.randomUUID().toString();
                        ClientRequest request = ClientRequest.newBuilder().setOperation(CaptureContract.CHECK_CAPTURE_LIVENESS)
                                .setParts(List.of(new ClientPart("bundle", ByteBuffer.wrap(bundles.get(next.getAndIncrement() % bundles.size())))))
                                .build();
                        CompletableFuture<ClientResult> result = new CompletableFuture<>();
                        waiting.put(id, result);
                        long t = System.nanoTime();
                        try {
                            producer.send(new ProducerRecord<>(ClientsContract.REQUESTS_PREFIX + TENANT, id, request));
                            ClientResult r = result.get(60, TimeUnit.SECONDS);
                            statuses.merge(r.getStatus(), 1, Integer::sum);
                            if (r.getStatus() / 100 == 2) {
                                latencies.add(System.nanoTime() - t);
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            waiting.remove(id);
                            statuses.merge(0, 1, Integer::sum);
                            errors.incrementAndGet();
                        }
                    }
                });
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        reader.join();
        return new LoadRunner.Outcome(latencies, errors.get(), elapsed, statuses);
    }
}
