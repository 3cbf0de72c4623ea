package io.openbio.launcher.bench;

import io.openbio.launcher.LocalPlatform;
import io.openbio.schemas.kafka.KafkaSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor of one exactly-once hop on this machine: bare Kafka clients, no Streams, no Avro, no
 * HTTP, against the platform's own broker (same listener, SASL_SSL/SCRAM, ACL authorizer), while the
 * platform's stages sit idle beside it. A "gateway" producer (idempotent, acks=all) sends a small
 * record; a "stage" (read_committed consumer + transactional producer, as Kafka Streams' exactly-once
 * v2 does it: send, flush, send the consumed offsets to the transaction, commit) copies it to a second
 * topic; a "reply" consumer reads it read_committed. One record at a time, {@code gapMs} apart (sparse
 * traffic). Every route of the platform pays at least this per exactly-once hop, plus the HTTP legs.
 *
 * <p>Mode {@code alo} measures the same hop at least once instead, for comparison: the stage reads
 * read_uncommitted, sends with an idempotent non-transactional producer, waits for the acks and
 * commits the consumed offsets asynchronously (what Kafka Streams' {@code at_least_once} does, with
 * the commit off the record's path), and the reply reader reads read_uncommitted. The platform runs
 * exactly once; this row says what that guarantee costs per hop on this machine.
 *
 * <p>Usage: {@code HopFloor <gatewayUrl (unused)> [records=120] [gapMs=20] [output.md] [eos|alo]}; run
 * through {@code bench/hop-floor.sh}.
 */
public final class HopFloor {
    private HopFloor() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int gapMs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path output = Path.of(args.length > 3 ? args[3] : "launcher/target/hop-floor.md");
        boolean exactlyOnce = args.length <= 4 || !"alo".equalsIgnoreCase(args[4]);
        int warmup = Math.min(20, n / 4);
        KafkaSettings settings = new LocalPlatform().kafkaSettings();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String in = "openbio.bench.floor-in-" + run;
        String out = "openbio.bench.floor-out-" + run;
        try (Admin admin = Admin.create(settings.admin())) {
            admin.createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(out, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<Double> ack = new ArrayList<>();
        List<Double> hop = new ArrayList<>();
        List<Double> flush = Collections.synchronizedList(new ArrayList<>());
        List<Double> offsets = Collections.synchronizedList(new ArrayList<>());
        List<Double> commit = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        BlockingQueue<Long> replies = new ArrayBlockingQueue<>(16);

        Map<String, Object> stageConsumer = consumer(settings, "bench-floor-stage-" + run, exactlyOnce);
        Map<String, Object> stageProducer = settings.producer("bench-floor-stage");
        stageProducer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        stageProducer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-floor-" + run);
        Map<String, Object> aloProducer = settings.producer("bench-floor-stage");
        aloProducer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        Thread stage = exactlyOnce ? new Thread(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(stageConsumer);
                 KafkaProducer<String, String> p = new KafkaProducer<>(stageProducer)) {
                p.initTransactions();
                c.subscribe(List.of(in));
                while (running.get()) {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    p.beginTransaction();
                    Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
                    for (ConsumerRecord<String, String> r : records) {
                        p.send(new ProducerRecord<>(out, r.key(), r.value()));
                        consumed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    p.flush();
                    long t1 = System.nanoTime();
                    p.sendOffsetsToTransaction(consumed, c.groupMetadata());
                    long t2 = System.nanoTime();
                    p.commitTransaction();
                    long t3 = System.nanoTime();
                    flush.add((t1 - t0) / 1e6);
                    offsets.add((t2 - t1) / 1e6);
                    commit.add((t3 - t2) / 1e6);
                }
            }
        }, "floor-stage") : new Thread(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(stageConsumer);
                 KafkaProducer<String, String> p = new KafkaProducer<>(aloProducer)) {
                c.subscribe(List.of(in));
                while (running.get()) {
                    ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
                    for (ConsumerRecord<String, String> r : records) {
                        p.send(new ProducerRecord<>(out, r.key(), r.value()));
                        consumed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    p.flush();
                    long t1 = System.nanoTime();
                    c.commitAsync(consumed, null);
                    long t2 = System.nanoTime();
                    flush.add((t1 - t0) / 1e6);
                    offsets.add((t2 - t1) / 1e6);
                    commit.add(0.0);
                }
            }
        }, "floor-stage");
        Map<String, Object> replyConsumer = consumer(settings, "bench-floor-reply-" + run, exactlyOnce);
        Thread reply = new Thread(() -> {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(replyConsumer)) {
                c.subscribe(List.of(out));
                while (running.get()) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                        replies.offer(System.nanoTime() - Long.parseLong(r.value()));
                    }
                }
            }
        }, "floor-reply");
        stage.start();
        reply.start();
        Thread.sleep(20_000); // both joined their groups, and the platform started beside them has settled (JIT, first fetches)

        Map<String, Object> gatewayProducer = settings.producer("bench-floor-gateway");
        gatewayProducer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        int lost = 0;
        try (KafkaProducer<String, String> gateway = new KafkaProducer<>(gatewayProducer)) {
            for (int i = 0; i < n + warmup; i++) {
                long sent = System.nanoTime();
                gateway.send(new ProducerRecord<>(in, "k" + i, Long.toString(sent))).get(30, TimeUnit.SECONDS);
                long acked = System.nanoTime();
                Long took = replies.poll(10, TimeUnit.SECONDS);
                if (took == null) {
                    lost++;
                } else if (i >= warmup) {
                    ack.add((acked - sent) / 1e6);
                    hop.add(took / 1e6);
                }
                Thread.sleep(gapMs);
            }
        }
        running.set(false);
        stage.join(5000);
        reply.join(5000);
        try (Admin admin = Admin.create(settings.admin())) {
            admin.deleteTopics(List.of(in, out)).all().get(30, TimeUnit.SECONDS);
        }
        int skip = Math.min(warmup, flush.size());
        String report = report(exactlyOnce, n, gapMs, lost, ack, hop, tail(flush, skip), tail(offsets, skip), tail(commit, skip));
        System.out.println(report);
        write(output, report);
        System.exit(lost == 0 ? 0 : 1);
    }

    private static Map<String, Object> consumer(KafkaSettings settings, String group, boolean exactlyOnce) {
        Map<String, Object> config = settings.consumer(group, group);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, exactlyOnce ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100); // the stages' and the reply listener's setting
        return config;
    }

    private static List<Double> tail(List<Double> values, int skip) {
        synchronized (values) {
            return new ArrayList<>(values.subList(skip, values.size()));
        }
    }

    static String report(boolean exactlyOnce, int n, int gapMs, int lost, List<Double> ack, List<Double> hop, List<Double> flush,
                         List<Double> offsets, List<Double> commit) {
        StringBuilder b = new StringBuilder();
        String kind = exactlyOnce ? "exactly-once" : "at-least-once";
        b.append("#### Floor of one ").append(kind).append(" hop (").append(LocalDate.now()).append(")\n\n");
        b.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", load average at the end ")
                .append(String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(". Command: `bench/hop-floor.sh ").append(n).append(' ').append(gapMs).append(exactlyOnce ? "" : " alo").append("` (bare Kafka clients on the platform's broker, ")
                .append(n).append(" records one at a time, ").append(gapMs).append(" ms apart, after a warm-up; ").append(lost).append(" lost).\n\n");
        b.append("| span | p50 ms | p90 ms | min ms | samples |\n|---|---|---|---|---|\n");
        row(b, "produce -> acked (idempotent, acks=all: the gateway's send)", ack);
        if (exactlyOnce) {
            row(b, "stage: flush (acks of the transaction's record)", flush);
            row(b, "stage: send the consumed offsets to the transaction", offsets);
            row(b, "stage: commit the transaction", commit);
            row(b, "one exactly-once hop: produce -> read_committed reader has the stage's output", hop);
        } else {
            row(b, "stage: flush (acks of the record)", flush);
            row(b, "stage: asynchronous offset commit (call only)", offsets);
            row(b, "one at-least-once hop: produce -> read_uncommitted reader has the stage's output", hop);
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        if (v.isEmpty()) {
            b.append("| ").append(name).append(" | - | - | - | 0 |\n");
            return;
        }
        b.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %d |%n", name,
                v.get(v.size() / 2), v.get(Math.min(v.size() - 1, v.size() * 9 / 10)), v.get(0), v.size()));
    }

    private static void write(Path output, String report) throws IOException {
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(output, report, StandardCharsets.UTF_8);
    }
}
