package io.openbio.launcher.bench;

import io.openbio.events.LcpAuditEvent;
import io.openbio.launcher.ChildProcess;
import io.openbio.launcher.LocalPaths;
import io.openbio.launcher.LocalPlatform;
import io.openbio.processors.lcp.LcpAuditProcessor;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.LcpAuditQuery;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import io.openbio.schemas.settings.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * The Liveness Check Proxy audit log's page queries (seed 001, issue 17) on a large store: N audit
 * events (default 1,000,000) for U users (default 10,000, so 100 each), spread over the last 25 days
 * (inside the default 30-day window), every tenth with a 2 KB image sealed as the verify stage seals
 * them. Two measurements in one run, on the same events and the same queries:
 * <ol>
 * <li>through the pipeline: a real broker and registry ({@link LocalPlatform}), the events produced
 * to {@code openbio.lcp.audit}, the lcp-audit stage (its own JVM) and the gateway; once the stage
 * has caught up (its group committed the end of the audit topic and of its by-id repartition topic),
 * sequential HTTP queries of random users;</li>
 * <li>in-process: the stage's own page and detail code on the stage's RocksDB files of the same run
 * (opened read-only once the stage stopped), the same queries: the store query without Kafka or HTTP.
 * (A TopologyTestDriver loaded with the same events was the first plan: it commits, and so flushes
 * RocksDB, after every record, and 20,000 events took over six minutes.)</li>
 * </ol>
 * Query shapes: a user's first page at the default size (100 records: the user's whole history),
 * {@code pageSize=10&pageNumber=5}, and one record's detail. Arguments: [events] [users] [queries per
 * shape] [output]. {@code bench/lcp-audit.sh} runs it.
 */
public final class LcpAuditBenchmark {
    static final String TENANT = "bench";
    static final long SPREAD_MS = Duration.ofDays(25).toMillis();
    static final int IMAGE_EVERY = 10;
    static final int IMAGE_BYTES = 2048;

    private LcpAuditBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path output = Path.of(args.length > 3 ? args[3] : "launcher/target/lcp-audit-benchmark.md");
        Path data = Path.of(System.getProperty("openbio.data-dir", "launcher/target/lcp-audit-data")).toAbsolutePath();
        LocalPaths.deleteTree(data);
        System.setProperty("openbio.data-dir", data.toString());
        EventSerdes.trustGeneratedEvents();
        long base = System.currentTimeMillis() - SPREAD_MS - 60_000;
        LocalPlatform platform = new LocalPlatform();
        List<String> report = new ArrayList<>();
        Shapes pipeline = new Shapes();
        Shapes inProcess = new Shapes();
        double produceS;
        double caughtUpS;
        try (ChildProcess broker = platform.startBroker(); ChildProcess registry = platform.startRegistry()) {
            List<ChildProcess> children = java.util.Collections.synchronizedList(new ArrayList<>(List.of(broker, registry)));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                List<ChildProcess> all = new ArrayList<>(children);
                java.util.Collections.reverse(all);
                all.forEach(ChildProcess::close);
            }, "lcp-audit-bench-shutdown"));
            platform.setUp(registry);
            KafkaSettings settings = platform.kafkaSettings();
            EventSerdes serdes = settings.serdes();

            // ---- the events, straight onto the audit topic (batched)
            long start = System.nanoTime();
            Map<String, Object> config = settings.producer("bench-lcp-audit");
            config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            try (KafkaProducer<String, LcpAuditEvent> producer = new KafkaProducer<>(config,
                    Topics.LCP_AUDIT.keySerde().serializer(), Topics.LCP_AUDIT.valueSerde(serdes).serializer())) {
                events(n, users, base, e -> producer.send(new ProducerRecord<>(Topics.LCP_AUDIT.name(),
                        LcpContract.auditUserKey(e.getTenant(), e.getUserId()), e)));
                producer.flush();
            }
            produceS = (System.nanoTime() - start) / 1e9;
            log("produced %,d events in %.1f s", n, produceS);

            // ---- the stage and the gateway
            start = System.nanoTime();
            int port = platform.processorPort + 60;
            ChildProcess stage = platform.startProcessors("lcp-audit", List.of(LcpAuditProcessor.NAME), port, "1g");
            children.add(stage);
            ChildProcess gateway = platform.startGateway(Map.of(Settings.GATEWAY_REQUIRED_PROCESSORS.env(), LcpAuditProcessor.NAME));
            children.add(gateway);
            stage.awaitHttp("http://127.0.0.1:" + port + "/health/ready", Duration.ofMinutes(5));
            awaitCaughtUp(settings, Duration.ofMinutes(60));
            caughtUpS = (System.nanoTime() - start) / 1e9;
            log("the stage stored every event %.1f s after its start", caughtUpS);
            gateway.awaitHttp(platform.gatewayUrl() + "/health", Duration.ofMinutes(3));

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String url = platform.gatewayUrl();
            // the gateway sheds on the stage's lag as it last read it (every second): wait until it has seen the stage caught up
            long shedUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < shedUntil && http.send(HttpRequest.newBuilder(URI.create(url + "/admin/audit/users/" + user(0)))
                    .header("X-Tenant-Id", TENANT).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 429) {
                Thread.sleep(250);
            }
            measure(pipeline, n, users, queries, (path, expected) -> {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                                .header("X-Tenant-Id", TENANT).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200 || !answer.body().contains(expected)) {
                    throw new IllegalStateException(path + " -> " + answer.statusCode() + " " + answer.body().substring(0, Math.min(300, answer.body().length())));
                }
            });
            log("through the pipeline: %s", pipeline);
            gateway.close();
            stage.close();

            // ---- in-process: the same page and detail code on the stage's own RocksDB stores (opened read-only)
            Path app = data.resolve("streams").resolve(LcpContract.AUDIT.applicationId());
            if (Files.isDirectory(app.resolve(LcpContract.AUDIT.applicationId()))) {
                app = app.resolve(LcpContract.AUDIT.applicationId()); // <state dir>/<stage>/<application id>/<task>
            }
            try (StoreFiles byUser = StoreFiles.open(app, LcpAuditProcessor.USER_STORE);
                 StoreFiles byId = StoreFiles.open(app, LcpAuditProcessor.ID_STORE)) {
                var events = Topics.LCP_AUDIT.valueSerde(serdes).deserializer();
                measure(inProcess, n, users, queries, (path, expected) -> {
                    String body;
                    if (path.startsWith("/admin/audit/users/")) {
                        LcpAuditQuery query = query(path);
                        RocksDB db = byUser.of(LcpContract.auditUserKey(TENANT, query.userId()));
                        body = LcpAuditProcessor.page((from, to) -> StoreFiles.range(db, from, to), query).json();
                    } else {
                        String key = LcpContract.auditIdKey(TENANT, path.substring("/admin/audit/".length()));
                        byte[] value = byId.of(key).get(key.getBytes(StandardCharsets.UTF_8));
                        body = LcpAuditProcessor.detailJson(events.deserialize(Topics.LCP_AUDIT.name(), value));
                    }
                    if (!body.contains(expected)) {
                        throw new IllegalStateException(path + " -> " + body.substring(0, Math.min(300, body.length())));
                    }
                });
            }
            log("in-process: %s", inProcess);
        }

        String cpu = cpuModel();
        report.add("### Liveness Check Proxy audit log: page queries on " + String.format(Locale.ROOT, "%,d", n) + " events of "
                + String.format(Locale.ROOT, "%,d", users) + " users (" + LocalDate.now() + ")");
        report.add("");
        report.add("Machine: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores visible to the JVM, Java "
                + System.getProperty("java.version") + "; broker, registry, the lcp-audit stage (its own JVM, -Xmx1g, "
                + Topics.LCP_AUDIT.partitions() + " partitions, " + KafkaSettings.setting(Settings.STREAMS_THREADS)
                + " stream thread) and the gateway on the same machine.");
        report.add("Command: `bench/lcp-audit.sh " + n + " " + users + " " + queries + "`. Events: SYNTHETIC, " + (n / users)
                + " per user over 25 days, every " + IMAGE_EVERY + "th with a " + IMAGE_BYTES + "-byte image sealed under its id; produced in "
                + String.format(Locale.ROOT, "%.1f s; the stage had stored them all %.1f s after its start (two stores, one through its by-id "
                + "repartition topic, four changelogs, exactly-once, commit interval 100 ms).", produceS, caughtUpS));
        report.add("In-process: the stage's own page and detail code (`LcpAuditProcessor.page`, `detailJson`: range scan, JSON, images opened) "
                + "on the stage's RocksDB files of this run, opened read-only once the stage stopped: the store query without Kafka, "
                + "HTTP or the answer's sealing.");
        report.add("");
        report.add("| query (" + queries + " each, sequential, random users / ids) | through the pipeline (HTTP) p50 / p99 | in-process store query p50 / p99 |");
        report.add("|---|---|---|");
        for (int s = 0; s < Shapes.NAMES.length; s++) {
            report.add(String.format(Locale.ROOT, "| %s | %.2f / %.2f ms | %.3f / %.3f ms |", Shapes.NAMES[s],
                    pipeline.latencies[s].percentileMs(50), pipeline.latencies[s].percentileMs(99),
                    inProcess.latencies[s].percentileMs(50), inProcess.latencies[s].percentileMs(99)));
        }
        String text = String.join("\n", report) + "\n";
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, text);
        System.out.println(text);
        System.exit(0);
    }

    /** The events, deterministic: event i is user i % users's, at base + i * SPREAD_MS / n. */
    static void events(int n, int users, long base, Consumer<LcpAuditEvent> sink) {
        SplittableRandom random = new SplittableRandom(17);
        String[] kinds = {"INIT", "REFERENCE_IMAGE", "PROBE_IMAGE", "RESULT"};
        for (int i = 0; i < n; i++) {
            String user = user(i % users);
            String id = id(i);
            String kind = kinds[i % kinds.length];
            ByteBuffer image = null;
            if (i % IMAGE_EVERY == 0) {
                byte[] bytes = new byte[IMAGE_BYTES];
                random.nextBytes(bytes);
                bytes[0] = (byte) 0xFF;
                bytes[1] = (byte) 0xD8;
                image = ByteBuffer.wrap(PayloadKeys.shared().seal(TENANT, Purpose.IMAGE, id, bytes));
            }
            sink.accept(LcpAuditEvent.newBuilder().setId(id).setTenant(TENANT).setUserId(user)
                    .setTimestamp(Instant.ofEpochMilli(base + (long) i * SPREAD_MS / n)).setKind(kind)
                    .setMessage("Received request to verify liveness from userId=" + user + ".")
                    .setProbeImage("PROBE_IMAGE".equals(kind) ? image : null)
                    .setTrustedImage("PROBE_IMAGE".equals(kind) ? null : image)
                    .setParams(new HashMap<>()).build());
        }
    }

    static String user(int u) {
        return String.format(Locale.ROOT, "user-%06d", u);
    }

    static String id(int i) {
        return new UUID(0x6c63702d61756469L, i).toString();
    }

    /** The three query shapes' latencies. */
    static final class Shapes {
        static final String[] NAMES = {"a user's first page, default size (100 records)", "pageSize=10&pageNumber=5",
                "one record's detail (`GET /admin/audit/{id}`)"};
        final Latencies[] latencies = {new Latencies(), new Latencies(), new Latencies()};

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (int s = 0; s < NAMES.length; s++) {
                out.append(String.format(Locale.ROOT, "[%s: p50 %.3f ms, p99 %.3f ms] ", NAMES[s],
                        latencies[s].percentileMs(50), latencies[s].percentileMs(99)));
            }
            return out.toString();
        }
    }

    interface Call {
        void run(String path, String expected) throws Exception;
    }

    /** Warms up, then measures {@code queries} calls of each shape on random users (and ids). */
    private static void measure(Shapes shapes, int n, int users, int queries, Call call) throws Exception {
        SplittableRandom random = new SplittableRandom(99);
        for (int round = 0; round < 2; round++) {
            boolean warmup = round == 0;
            int count = warmup ? Math.max(50, queries / 10) : queries;
            for (int q = 0; q < count; q++) {
                int u = random.nextInt(users);
                int i = random.nextInt(n);
                String[] paths = {"/admin/audit/users/" + user(u), "/admin/audit/users/" + user(u) + "?pageSize=10&pageNumber=5",
                        "/admin/audit/" + id(i)};
                String[] expected = {user(u), user(u), id(i)};
                for (int s = 0; s < paths.length; s++) {
                    long start = System.nanoTime();
                    call.run(paths[s], expected[s]);
                    if (!warmup) {
                        shapes.latencies[s].add(System.nanoTime() - start);
                    }
                }
            }
        }
    }

    /** The list query of {@code path}, parsed as the gateway parses it. */
    private static LcpAuditQuery query(String path) {
        String rest = path.substring("/admin/audit/users/".length());
        int q = rest.indexOf('?');
        Map<String, String> params = new HashMap<>();
        params.put(LcpAuditQuery.USER_ID, q < 0 ? rest : rest.substring(0, q));
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv[1]);
            }
        }
        return LcpAuditQuery.parse(TENANT, params, System.currentTimeMillis());
    }

    /** One store of the stage's tasks, its RocksDB files opened read-only, by partition. */
    static final class StoreFiles implements AutoCloseable {
        private final Map<Integer, RocksDB> byPartition = new HashMap<>();
        private final List<AutoCloseable> handles = new ArrayList<>();

        static StoreFiles open(Path app, String store) throws Exception {
            RocksDB.loadLibrary();
            StoreFiles files = new StoreFiles();
            try (var tasks = Files.list(app)) {
                for (Path task : tasks.toList()) {
                    Path dir = task.resolve("rocksdb").resolve(store);
                    if (!task.getFileName().toString().matches("\\d+_\\d+") || !Files.isDirectory(dir)) {
                        continue;
                    }
                    int partition = Integer.parseInt(task.getFileName().toString().replaceAll("^\\d+_", ""));
                    try (org.rocksdb.Options options = new org.rocksdb.Options()) {
                        List<org.rocksdb.ColumnFamilyDescriptor> families = new ArrayList<>();
                        for (byte[] name : RocksDB.listColumnFamilies(options, dir.toString())) {
                            families.add(new org.rocksdb.ColumnFamilyDescriptor(name));
                        }
                        List<org.rocksdb.ColumnFamilyHandle> opened = new ArrayList<>();
                        RocksDB db = RocksDB.openReadOnly(dir.toString(), families, opened);
                        files.handles.add(db); // closed last (handles close in reverse order)
                        files.handles.addAll(opened);
                        files.byPartition.put(partition, db);
                    }
                }
            }
            if (files.byPartition.size() != Topics.LCP_AUDIT.partitions()) {
                throw new IllegalStateException(store + ": " + files.byPartition.size() + " task stores under " + app);
            }
            return files;
        }

        /** The store of the partition {@code key} lands on (Kafka's default partitioner: murmur2 of the key). */
        RocksDB of(String key) {
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topics.LCP_AUDIT.partitions();
            return byPartition.get(partition);
        }

        /** Keys from {@code from} to {@code to} inclusive, in RocksDB's (bytewise) order, as Kafka Streams' range. */
        static KeyValueIterator<String, String> range(RocksDB db, String from, String to) {
            RocksIterator it = db.newIterator();
            it.seek(from.getBytes(StandardCharsets.UTF_8));
            byte[] last = to.getBytes(StandardCharsets.UTF_8);
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.isValid() && Arrays.compareUnsigned(it.key(), last) <= 0;
                }

                @Override
                public KeyValue<String, String> next() {
                    KeyValue<String, String> entry = KeyValue.pair(new String(it.key(), StandardCharsets.UTF_8),
                            new String(it.value(), StandardCharsets.UTF_8));
                    it.next();
                    return entry;
                }

                @Override
                public String peekNextKey() {
                    return new String(it.key(), StandardCharsets.UTF_8);
                }

                @Override
                public void close() {
                    it.close();
                }
            };
        }

        @Override
        public void close() throws Exception {
            for (int i = handles.size() - 1; i >= 0; i--) {
                handles.get(i).close();
            }
        }
    }

    /** Waits until the stage's group has committed the end of every partition it reads (the audit topic, its repartition topic). */
    private static void awaitCaughtUp(KafkaSettings settings, Duration timeout) throws Exception {
        String group = LcpContract.AUDIT.applicationId();
        long deadline = System.nanoTime() + timeout.toNanos();
        String repartition = group + "-" + LcpAuditProcessor.BY_ID + "-repartition";
        try (Admin admin = Admin.create(settings.admin())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.LCP_AUDIT.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.LCP_AUDIT.name(), p));
                partitions.add(new TopicPartition(repartition, p));
            }
            long lastLog = 0;
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, Long> ends = new HashMap<>();
                try {
                    admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
                } catch (java.util.concurrent.ExecutionException e) {
                    Thread.sleep(500); // the repartition topic is created by the stage on its start
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                long behind = 0;
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata at = committed.get(tp);
                    behind += Math.max(0, ends.get(tp) - (at == null ? 0 : at.offset()));
                }
                long auditEnd = partitions.stream().filter(tp -> tp.topic().equals(Topics.LCP_AUDIT.name())).mapToLong(ends::get).sum();
                if (behind == 0 && auditEnd > 0) {
                    return;
                }
                if (System.nanoTime() - lastLog > 10e9) {
                    log("stage behind by %,d records", behind);
                    lastLog = System.nanoTime();
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException("the lcp-audit stage did not catch up in " + timeout);
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[lcp-audit-bench] " + format + "%n", args);
    }
}
