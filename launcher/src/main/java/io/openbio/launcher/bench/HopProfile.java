package io.openbio.launcher.bench;

import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.document.DocumentAnalyzer;
import io.openbio.launcher.LocalPlatform;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Route;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The hop profile of one route family ({@code diagnostic}, {@code capture}, {@code ekyc}): where the
 * time of a request goes between the gateway and the stages of its route, one request at a time and
 * at a fixed rate, with the route's in-process work measured in the same run.
 *
 * <p>The topics come from the pipeline contract ({@link Pipeline#routes()}): the route's entry, every
 * topic a stage of the route writes and another stage of the route reads, and the gateway's reply
 * topic(s). They are set to {@code message.timestamp.type=LogAppendTime}, so each record carries the
 * broker's append time. An observer (a read_committed consumer in this JVM, {@code fetch.max.wait.ms}
 * 500 ms unless {@code -Dopenbio.hops.observer-fetch-wait-ms} says otherwise, so it is woken by the
 * broker rather than by its own timer)
 * reads them live and notes, per request, when its first record on each topic was appended and when it
 * became visible to a read_committed reader; the result on the reply topic brings the stages' trace
 * stamps ({@code StageTrace.at}: when each stage handled the request; the capture and eKYC stages stamp
 * on pick-up, the two diagnostic stages after their sub-millisecond work). Per request these events are
 * put on one timeline from the client's send; the report lists them in order with the median time
 * since the send and the median step from the row before:
 * <ul>
 * <li>send -> appended on the entry topic: HTTP, parsing, sealing, Avro, produce -> append;
 * <li>appended -> visible (read_committed): for a stage's output, its transaction commit (commit
 *     interval, commit round trips, markers); for the gateway's own produce, the broker's wake-up of a
 *     waiting fetch;
 * <li>visible -> the next stage's stamp: the stage's consumer fetch and poll (and, where the stamp is
 *     taken after the work, the work);
 * <li>stamp -> appended on the stage's output topic: the work and the produce;
 * <li>reply appended -> visible -> client has the answer: the reply leg (commit, reply listener, HTTP).
 * </ul>
 * Arguments: gatewayUrl family [requests=60] [rate] [output]. {@code bench/hops.sh} starts the
 * platform and runs it.
 */
public final class HopProfile {
    static final int OBSERVER_FETCH_WAIT_MS = Integer.getInteger("openbio.hops.observer-fetch-wait-ms", 500);

    /** The in-process p50 recorded in BENCHMARKS.md for each family (the figure a run is compared with), ms. */
    static final Map<String, Double> RECORDED_IN_PROCESS = Map.of("diagnostic", 0.066, "capture", 17.8, "ekyc", 91.2);

    private HopProfile() {
    }

    /** One request: client times and the events seen on the broker. */
    record Sample(String requestId, long sent, long answered, int status) {
    }

    public static void main(String[] args) throws Exception {
        EventSerdes.trustGeneratedEvents();
        String gateway = args[0];
        String family = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : defaultRate(family);
        Path output = Path.of(args.length > 4 ? args[4] : "launcher/target/hops-" + family + ".md");

        Route route = Pipeline.routes().stream()
                .filter(r -> r.name().equals(family) || r.name().equals(family + "-check"))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no route for family " + family + "; routes: "
                        + Pipeline.routes().stream().map(Route::name).toList()));
        LocalPlatform platform = new LocalPlatform();
        KafkaSettings settings = platform.kafkaSettings();
        EventSerdes serdes = settings.serdes();

        // Topics of the route, in route order, with the stage that writes each.
        Map<String, TopicSpec<?>> topics = new LinkedHashMap<>();
        Map<String, String> writer = new HashMap<>();
        topics.put(route.entry().name(), route.entry());
        writer.put(route.entry().name(), "gateway");
        List<String> readByRoute = route.stages().stream().flatMap(s -> s.reads().stream()).map(TopicSpec::name).toList();
        for (Stage stage : route.stages()) {
            for (TopicSpec<?> t : stage.writes()) {
                if (readByRoute.contains(t.name()) && !topics.containsKey(t.name())) {
                    topics.put(t.name(), t);
                    writer.put(t.name(), stage.name());
                }
            }
        }
        try (Admin admin = Admin.create(settings.admin())) {
            for (String name : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (name.startsWith(Topics.REPLIES_PREFIX)) {
                    topics.put(name, Topics.replies(name.substring(Topics.REPLIES_PREFIX.length())));
                    writer.put(name, "the answering stage");
                }
            }
            Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
            for (String topic : topics.keySet()) {
                ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                        List.of(new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"), AlterConfigOp.OpType.SET)));
            }
            admin.incrementalAlterConfigs(ops).all().get(30, TimeUnit.SECONDS);
        }
        Thread.sleep(2000);

        Observer observer = new Observer(settings, serdes, topics);
        Thread observing = new Thread(observer, "hop-observer");
        observing.start();
        observer.ready.get(60, TimeUnit.SECONDS);

        Requests requests = requests(family, gateway, 3 * n + 20);
        Latencies inProcess = inProcess(family);
        double inProcessP50 = inProcess.percentileMs(50);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < n; i++) { // warm-up (JIT, connections, caches), not measured
            http.send(requests.next.apply(i), HttpResponse.BodyHandlers.discarding());
        }
        String metricsUrl = "http://127.0.0.1:" + KafkaSettings.setting(io.openbio.schemas.settings.Settings.PROCESSOR_HTTP_PORT) + "/metrics";
        Map<String, Double> before = StageMetrics.scrape(metricsUrl);
        List<Sample> sequential = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.currentTimeMillis();
            HttpResponse<Void> response = http.send(requests.next.apply(i), HttpResponse.BodyHandlers.discarding());
            sequential.add(new Sample(response.headers().firstValue("X-Request-Id").orElse(null), start,
                    System.currentTimeMillis(), response.statusCode()));
            Thread.sleep(20); // lets the stages go idle between requests, as sparse traffic does
        }
        Thread.sleep(1000);
        Map<String, Double> between = StageMetrics.scrape(metricsUrl);
        List<Sample> atRate = openLoop(http, requests.next, n, rate);
        Thread.sleep(3000);
        Map<String, Double> after = StageMetrics.scrape(metricsUrl);
        observer.stop.set(true);
        observing.join(10_000);

        String command = "bench/hops.sh " + family + " " + n + " " + rate;
        String machine = Runtime.getRuntime().availableProcessors() + " cores, " + LoadRunner.cpuModel() + ", Java "
                + System.getProperty("java.version") + ", load average at the end " + loadAverage();
        StringBuilder report = new StringBuilder();
        report.append("#### Hop profile: ").append(route.name()).append(" route (").append(LocalDate.now()).append(")\n\n")
                .append("Machine: ").append(machine).append(". Command: `").append(command).append("`");
        String overrides = overrides();
        if (!overrides.isEmpty()) {
            report.append(" with ").append(overrides);
        }
        report.append(".\n\nRoute: ").append(route.entry().name()).append(" -> ").append(String.join(" -> ", route.stageNames()))
                .append(". In-process work of the route in this run: p50 ").append(fmt(inProcessP50)).append(" ms")
                .append(requests.inProcessNote).append(". ").append(flag(family, inProcessP50)).append("\n\n");
        report.append(table("one request at a time", sequential, observer, topics, writer, inProcessP50));
        report.append(StageMetrics.table(route, before, between));
        report.append(table("open loop " + rate + " req/s", atRate, observer, topics, writer, inProcessP50));
        report.append(StageMetrics.table(route, between, after));
        System.out.println(report);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report.toString());
        System.exit(0);
    }

    static int defaultRate(String family) {
        return switch (family) {
            case "diagnostic" -> 50;
            case "capture" -> 5;
            default -> 3;
        };
    }

    /** The settings a run was made with that differ from the defaults (the environment variables of the latency knobs). */
    static String overrides() {
        List<String> set = new ArrayList<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("OPENBIO_STREAMS_") || k.startsWith("OPENBIO_KAFKA_FETCH") || k.startsWith("OPENBIO_GATEWAY_REPLY")
                    || k.startsWith("OPENBIO_KAFKA_LINGER")) {
                set.add(k + "=" + v);
            }
        });
        set.sort(String::compareTo);
        return String.join(" ", set);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** The run's in-process p50 against the one recorded in BENCHMARKS.md: a slower or faster machine shows as such. */
    static String flag(String family, double p50) {
        Double recorded = RECORDED_IN_PROCESS.get(family);
        if (recorded == null) {
            return "";
        }
        double ratio = p50 / recorded;
        String compared = String.format(Locale.ROOT, "Recorded in-process p50 (BENCHMARKS.md, 2026-11-22): %s ms; this run %.2fx", fmt(recorded), ratio);
        return ratio > 1.5 || ratio < 1 / 1.5
                ? "**" + compared + ": FLAG, this machine is not the recorded one; compare overheads in proportion, not in ms.**"
                : compared + " (within 1.5x: comparable).";
    }

    static String fmt(double ms) {
        return ms < 1 ? String.format(Locale.ROOT, "%.3f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    record Requests(IntFunction<HttpRequest> next, String inProcessNote) {
    }

    static Requests requests(String family, String gateway, int count) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        switch (family) {
            case "diagnostic" -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/diagnostic/digest")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build();
                return new Requests(i -> request, " (digest + image-info functions, 1 thread)");
            }
            case "capture" -> {
                CaptureClient capture = new CaptureClient(gateway);
                List<byte[]> bundles = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    bundles.add(capture.freshBundle(photo));
                }
                URI check = URI.create(gateway + "/check_capture_liveness");
                var next = new java.util.concurrent.atomic.AtomicInteger();
                return new Requests(i -> HttpRequest.newBuilder(check).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bundles.get(next.getAndIncrement() % bundles.size()))).build(),
                        " (decrypt, decode, detect, liveness, signals; 1 thread)");
            }
            case "ekyc" -> {
                String model = "{\"operations\":[\"FACE_CHECK\",\"FACE_MATCH_VALIDATION\"],"
                        + "\"face_check_parameters\":{\"pipelines\":[{\"type\":\"PRESENTATION_ATTACK\"},{\"type\":\"DEEPFAKE_ATTACK\"}]}}";
                String boundary = "b" + UUID.randomUUID().toString().replace("-", "");
                byte[] body = EkycCheckBenchmark.multipart(model, photo, EkycCheckBenchmark.idCard(photo), boundary);
                HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/check?encrypted=false")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                return new Requests(i -> request, " (FACE_CHECK + FACE_MATCH_VALIDATION, selfie and document, 1 thread)");
            }
            default -> throw new IllegalArgumentException("family: diagnostic, capture or ekyc");
        }
    }

    /** The route's work in this JVM, one thread: the counterpart every latency row is read against. */
    static Latencies inProcess(String family) throws Exception {
        byte[] photo = Files.readAllBytes(Path.of(".photos", "man_a.jpg"));
        Latencies latencies = new Latencies();
        switch (family) {
            case "diagnostic" -> {
                for (int i = 0; i < 2000; i++) {
                    DiagnosticBenchmark.computeInProcess(photo);
                }
                time(latencies, 5, () -> DiagnosticBenchmark.computeInProcess(photo));
            }
            case "capture" -> {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair local = generator.generateKeyPair();
                byte[] bundle = CaptureLivenessBenchmark.bundle(photo, "n", local.getPublic(), "local");
                try (FaceAnalyzer analyzer = FaceAnalyzer.create()) {
                    for (int i = 0; i < 30; i++) {
                        CaptureLivenessBenchmark.inProcess(analyzer, bundle, local);
                    }
                    time(latencies, 10, () -> CaptureLivenessBenchmark.inProcess(analyzer, bundle, local));
                }
            }
            default -> {
                byte[] card = EkycCheckBenchmark.idCard(photo);
                try (FaceAnalyzer analyzer = FaceAnalyzer.create(); DocumentAnalyzer documents = DocumentAnalyzer.create(analyzer)) {
                    for (int i = 0; i < 10; i++) {
                        EkycCheckBenchmark.inProcess(analyzer, documents, photo, card);
                    }
                    time(latencies, 10, () -> EkycCheckBenchmark.inProcess(analyzer, documents, photo, card));
                }
            }
        }
        return latencies;
    }

    interface Work {
        void run() throws Exception;
    }

    static void time(Latencies latencies, int seconds, Work work) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
            long t = System.nanoTime();
            work.run();
            latencies.add(System.nanoTime() - t);
        }
    }

    static List<Sample> openLoop(HttpClient http, IntFunction<HttpRequest> next, int n, int rate) throws Exception {
        List<CompletableFuture<Sample>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            HttpRequest request = next.apply(n + i);
            long sent = System.currentTimeMillis();
            futures.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> new Sample(r.headers().firstValue("X-Request-Id").orElse(null), sent, System.currentTimeMillis(),
                            r.statusCode())));
        }
        List<Sample> samples = new ArrayList<>();
        for (CompletableFuture<Sample> f : futures) {
            samples.add(f.get(60, TimeUnit.SECONDS));
        }
        return samples;
    }

    /** Reads the route's topics live (read_committed) and notes per request id what it sees. */
    static final class Observer implements Runnable {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final AtomicBoolean stop = new AtomicBoolean();
        /** request id -> event -> time (ms since the epoch). */
        final Map<String, Map<String, Long>> events = new ConcurrentHashMap<>();
        private final KafkaSettings settings;
        private final Map<String, Deserializer<?>> deserializers = new HashMap<>();
        private final Map<String, TopicSpec<?>> topics;

        Observer(KafkaSettings settings, EventSerdes serdes, Map<String, TopicSpec<?>> topics) {
            this.settings = settings;
            this.topics = topics;
            topics.forEach((name, spec) -> deserializers.put(name, spec.valueSerde(serdes).deserializer()));
        }

        @Override
        public void run() {
            Map<String, Object> config = settings.consumer(null, "hop-observer");
            config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, OBSERVER_FETCH_WAIT_MS);
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : topics.keySet()) {
                    consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                ready.complete(null);
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        long seen = System.currentTimeMillis();
                        Object value = r.value() == null ? null : deserializers.get(r.topic()).deserialize(r.topic(), r.headers(), r.value());
                        String id = requestId(value);
                        Map<String, Long> e = events.computeIfAbsent(id == null ? r.key() : id, k -> new ConcurrentHashMap<>());
                        e.merge("appended " + r.topic(), r.timestamp(), Math::min);
                        e.merge("last appended " + r.topic(), r.timestamp(), Math::max);
                        e.merge("visible " + r.topic(), seen, Math::min);
                        e.merge("count " + r.topic(), 1L, Long::sum);
                        if (value instanceof ResultEvent result) {
                            for (StageTrace t : result.getTrace()) {
                                e.merge("stage " + t.getStage(), t.getAt().toEpochMilli(), Math::min);
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                ready.completeExceptionally(e);
                throw e;
            }
        }

        /** The request id of an event: its own field, or its envelope's. */
        static String requestId(Object value) {
            if (value instanceof SpecificRecord record) {
                Schema.Field id = record.getSchema().getField("requestId");
                if (id != null) {
                    return String.valueOf(record.get(id.pos()));
                }
                Schema.Field envelope = record.getSchema().getField("envelope");
                if (envelope != null) {
                    return requestId(record.get(envelope.pos()));
                }
            }
            return null;
        }
    }

    /** The timeline of the requests of one phase: events in order of their median time since the send. */
    static String table(String phase, List<Sample> samples, Observer observer, Map<String, TopicSpec<?>> topics,
                        Map<String, String> writer, double inProcessP50) {
        List<Map<String, Long>> timelines = new ArrayList<>();
        int errors = 0;
        for (Sample s : samples) {
            if (s.status() >= 400 || s.requestId() == null) {
                errors++;
                continue;
            }
            Map<String, Long> t = new HashMap<>();
            Map<String, Long> seen = observer.events.getOrDefault(s.requestId(), Map.of());
            seen.forEach((k, v) -> {
                if (!k.startsWith("count ")) {
                    t.put(k, v - s.sent());
                }
            });
            t.put("send", 0L);
            t.put("answer", s.answered() - s.sent());
            timelines.add(t);
        }
        // rows: every event seen for at least half the requests, in order of median offset
        Map<String, List<Long>> offsets = new HashMap<>();
        for (Map<String, Long> t : timelines) {
            t.forEach((k, v) -> offsets.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        List<String> rows = new ArrayList<>(offsets.keySet().stream()
                .filter(k -> offsets.get(k).size() * 2 >= timelines.size())
                .filter(k -> !k.startsWith("last appended ") || offsets.get(k).stream().mapToLong(Long::longValue).sum()
                        != offsets.get(k.substring(5)).stream().mapToLong(Long::longValue).sum())
                .toList());
        rows.sort((a, b) -> {
            int c = Double.compare(median(offsets.get(a)), median(offsets.get(b)));
            return c != 0 ? c : Integer.compare(rank(a), rank(b));
        });
        StringBuilder out = new StringBuilder();
        double total = median(offsets.getOrDefault("answer", List.of(0L)));
        out.append(String.format(Locale.ROOT, "%s: %d requests (%d errors), client p50 %s ms = in-process %s ms + %s ms (%.0f%% overhead)%n%n",
                phase, samples.size(), errors, fmt(total), fmt(inProcessP50), fmt(total - inProcessP50), 100 * (total - inProcessP50) / inProcessP50));
        out.append("| event | what the step from the row above is | p50 ms since send | p50 step ms | mean step ms |\n|---|---|---|---|---|\n");
        String previous = null;
        for (String row : rows) {
            List<Long> steps = new ArrayList<>();
            if (previous != null) {
                for (Map<String, Long> t : timelines) {
                    if (t.containsKey(row) && t.containsKey(previous)) {
                        steps.add(t.get(row) - t.get(previous));
                    }
                }
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", label(row, writer), step(row, previous, writer),
                    fmt(median(offsets.get(row))), steps.isEmpty() ? "" : fmt(median(steps)),
                    steps.isEmpty() ? "" : fmt(steps.stream().mapToLong(Long::longValue).average().orElse(0))));
            previous = row;
        }
        return out.append('\n').toString();
    }

    private static int rank(String event) {
        if (event.equals("send")) {
            return 0;
        }
        if (event.startsWith("stage ")) {
            return 1;
        }
        if (event.startsWith("appended ")) {
            return 2;
        }
        if (event.startsWith("last appended ")) {
            return 3;
        }
        if (event.startsWith("visible ")) {
            return 4;
        }
        return 5;
    }

    static String label(String event, Map<String, String> writer) {
        if (event.equals("send")) {
            return "client sends";
        }
        if (event.equals("answer")) {
            return "client has the answer";
        }
        if (event.startsWith("stage ")) {
            return "stage " + event.substring(6) + " stamps it";
        }
        if (event.startsWith("last appended ")) {
            return "last record appended on " + event.substring(14);
        }
        if (event.startsWith("appended ")) {
            return "appended on " + event.substring(9);
        }
        return "visible (read_committed) on " + event.substring(8);
    }

    static String step(String event, String previous, Map<String, String> writer) {
        if (previous == null) {
            return "";
        }
        if (event.startsWith("visible ")) {
            String w = writer.getOrDefault(event.substring(8), "?");
            return w.equals("gateway") ? "append -> visible: the broker wakes a waiting fetch (no transaction)"
                    : "commit -> visible: " + w + "'s transaction (commit interval, commit, markers)";
        }
        if (event.startsWith("appended ") && previous.equals("send")) {
            return "gateway: HTTP, parse, seal, Avro, produce -> append";
        }
        if (event.startsWith("appended ") || event.startsWith("last appended ")) {
            String w = writer.getOrDefault(event.substring(event.indexOf("appended ") + 9), "?");
            return "work + produce (" + w + ")";
        }
        if (event.startsWith("stage ")) {
            return "append -> consumed by the stage (fetch, poll" + (previous.startsWith("visible") ? "" : ", work") + ")";
        }
        if (event.equals("answer")) {
            return "reply leg: reply listener, future, HTTP";
        }
        return "";
    }

    static double median(List<Long> values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        List<Long> v = new ArrayList<>(values);
        v.sort(Long::compare);
        return v.get(v.size() / 2);
    }
}
