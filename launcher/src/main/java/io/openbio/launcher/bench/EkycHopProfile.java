package io.openbio.launcher.bench;

import io.openbio.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where the time of one IDLive {@code /check} (FACE_CHECK + FACE_MATCH_VALIDATION) goes between
 * the stages (ekyc-prepare and ekyc-prepare-doc both read the request; ekyc-face-check and the
 * ekyc-match join answer the sections; ekyc-assembler the result): sets the eKYC topics to {@code message.timestamp.type=LogAppendTime}, so every record
 * carries the broker's append time, sends requests one at a time, then reads the topics back
 * (read_committed) and reports, per request id, the span between the client's send and the request
 * on its topic, and between each stage's output records (after as many warm-up requests, not measured). {@code bench/ekyc-hops.sh} starts the
 * platform and runs it. Arguments: gatewayUrl bootstrap [requests=60].
 */
public final class EkycHopProfile {
    private EkycHopProfile() {
    }

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        String bootstrap = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        List<String> topics = List.of(Topics.EKYC_REQUESTS.name(), Topics.EKYC_FACE_CHECKS.name(), Topics.EKYC_MATCHES.name(),
                Topics.EKYC_PARTS.name(), Topics.RESULTS.name());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
            for (String topic : topics) {
                ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                        List.of(new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"), AlterConfigOp.OpType.SET)));
            }
            admin.incrementalAlterConfigs(ops).all().get();
        }
        Thread.sleep(2000);

        byte[] selfie = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        String model = "{\"operations\":[\"FACE_CHECK\",\"FACE_MATCH_VALIDATION\"],"
                + "\"face_check_parameters\":{\"pipelines\":[{\"type\":\"PRESENTATION_ATTACK\"},{\"type\":\"DEEPFAKE_ATTACK\"}]}}";
        String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = EkycCheckBenchmark.multipart(model, selfie, EkycCheckBenchmark.idCard(selfie), boundary);
        HttpClient http = HttpClient.newHttpClient();
        Map<String, long[]> client = new LinkedHashMap<>();
        HttpRequest check = HttpRequest.newBuilder(URI.create(gateway + "/check?encrypted=false")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        // warm-up (JIT, connections, caches): as many requests again, not measured
        for (int i = 0; i < n; i++) {
            http.send(check, HttpResponse.BodyHandlers.discarding());
        }
        for (int i = 0; i < n; i++) {
            long start = System.currentTimeMillis();
            HttpResponse<Void> response = http.send(check, HttpResponse.BodyHandlers.discarding());
            long end = System.currentTimeMillis();
            response.headers().firstValue("X-Request-Id").ifPresent(id -> client.put(id, new long[] {start, end}));
        }

        // request id -> topic -> append times
        Map<String, Map<String, List<Long>>> appended = new HashMap<>();
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    appended.computeIfAbsent(r.key(), k -> new HashMap<>()).computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r.timestamp());
                }
            }
        }

        Map<String, List<Long>> spans = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : client.entrySet()) {
            Map<String, List<Long>> t = appended.get(e.getKey());
            if (t == null || !t.keySet().containsAll(topics)) {
                continue;
            }
            long request = min(t.get(topics.get(0)));
            long faceWork = min(t.get(topics.get(1)));
            // the match work's two halves: FACE from ekyc-prepare, DOCUMENT from ekyc-prepare-doc
            long firstHalf = min(t.get(topics.get(2)));
            long lastHalf = max(t.get(topics.get(2)));
            long lastPart = max(t.get(topics.get(3)));
            long result = min(t.get(topics.get(4)));
            add(spans, "client send -> request on " + topics.get(0) + " (HTTP, multipart, Avro, produce)", request - e.getValue()[0]);
            add(spans, "request -> face-check work and FACE match half appended (ekyc-prepare: selfie, commit)", Math.max(faceWork, firstHalf) - request);
            add(spans, "request -> DOCUMENT match half appended (ekyc-prepare-doc: document, commit)", lastHalf - request);
            add(spans, "DOCUMENT half -> last section appended (ekyc-match join, commit; or face-check if later)", lastPart - lastHalf);
            add(spans, "last section -> result appended (assembler, commit)", result - lastPart);
            add(spans, "result appended -> client has the answer (commit, reply listener, HTTP)", e.getValue()[1] - result);
            add(spans, "total, client side", e.getValue()[1] - e.getValue()[0]);
        }
        System.out.println("| span (one request at a time, broker append times) | p50 ms | mean ms | requests |");
        System.out.println("|---|---|---|---|");
        for (Map.Entry<String, List<Long>> e : spans.entrySet()) {
            List<Long> v = new ArrayList<>(e.getValue());
            v.sort(Long::compare);
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %d |%n", e.getKey(), v.get(v.size() / 2),
                    v.stream().mapToLong(Long::longValue).average().orElse(0), v.size());
        }
        System.exit(0);
    }

    private static void add(Map<String, List<Long>> spans, String name, long ms) {
        spans.computeIfAbsent(name, k -> new ArrayList<>()).add(ms);
    }

    private static long min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
}
