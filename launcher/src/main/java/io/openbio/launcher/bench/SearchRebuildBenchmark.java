package io.openbio.launcher.bench;

import io.openbio.events.CollectionRecord;
import io.openbio.events.CollectionState;
import io.openbio.events.SearchHit;
import io.openbio.events.SearchPartial;
import io.openbio.events.SearchQuery;
import io.openbio.launcher.ChildProcess;
import io.openbio.launcher.LocalPaths;
import io.openbio.launcher.LocalPlatform;
import io.openbio.processors.search.SearchGather;
import io.openbio.processors.search.SearchProcessor;
import io.openbio.processors.search.SearchScatter;
import io.openbio.schemas.Topics;
import io.openbio.schemas.kafka.KafkaSettings;
import io.openbio.schemas.serde.EventSerdes;
import io.openbio.schemas.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code search} stage rebuilt from Kafka, as a pod does it: a real broker and registry
 * ({@link LocalPlatform}), N SYNTHETIC clustered templates (the distribution of
 * {@link SearchIndexBenchmark}) enrolled on the compacted {@code openbio.collection.records} topic,
 * then the stage (its own JVM, {@code ProcessorMain search}) started three times:
 * <ol>
 * <li>first start, no state: it reads the records topic and indexes every record (time until its
 * consumer group has committed the topic's end offsets);</li>
 * <li>restart with its state folder kept (a restarted container): RocksDB is reused, the index is
 * rebuilt from it in the task's initialisation (time from the JVM's start to {@code /health/ready});</li>
 * <li>start on an empty state folder (a new pod): the record store is restored from its changelog
 * topic, then the index rebuilt (time to ready).</li>
 * </ol>
 * After each, a query for an enrolled template's own vector must come back with that record first.
 * Arguments: [n=100000] [heap=1g] [output=launcher/target/search-rebuild.md] [all|new-pod (skips start 2)|failover].
 *
 * <p>{@code failover} instead: two instances of the stage (two JVMs, their own state folders, one
 * standby replica), both started on the enrolled records; once both are idle (every record indexed by
 * its active shard and by its standby), one is killed with SIGKILL and a query per shard (a probe
 * template of that shard) is sent every {@link #FAILOVER_TICK_MS} ms: the time from the kill to the
 * first correct answer (the probe first, all shards' partials in) for the shards that moved.
 * {@code bench/search-rebuild.sh} runs it.
 */
public final class SearchRebuildBenchmark {
    static final String TENANT = "bench";
    static final String COLLECTION = "rebuild";
    static final String MODEL_VERSION = "bench-model-1";

    private SearchRebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String heap = args.length > 1 ? args[1] : "1g";
        Path output = Path.of(args.length > 2 ? args[2] : "launcher/target/search-rebuild.md");
        // "all", or "new-pod": skip the restart with the state kept (at a million templates each start takes many minutes)
        boolean keptRestart = !(args.length > 3 && args[3].equals("new-pod"));
        boolean failover = args.length > 3 && args[3].equals("failover");
        Path data = Path.of(System.getProperty("openbio.data-dir", "launcher/target/search-rebuild-data")).toAbsolutePath();
        LocalPaths.deleteTree(data);
        System.setProperty("openbio.data-dir", data.toString());
        LocalPlatform platform = new LocalPlatform();
        List<String> report = new ArrayList<>();
        boolean ok;
        // closed before the JVM exits (System.exit would skip it and leave the broker and registry running)
        try (ChildProcess broker = platform.startBroker(); ChildProcess registry = platform.startRegistry()) {
            List<ChildProcess> children = java.util.Collections.synchronizedList(new ArrayList<>(List.of(broker, registry)));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> { // Ctrl-C: no orphans either
                List<ChildProcess> all = new ArrayList<>(children);
                java.util.Collections.reverse(all);
                all.forEach(ChildProcess::close);
            }, "search-rebuild-shutdown"));
            platform.setUp(registry);
            KafkaSettings settings = platform.kafkaSettings();
            EventSerdes serdes = settings.serdes();
            long createdAt = System.currentTimeMillis() - 60_000;

            // ---- enrol N records (and their collection) straight onto the topics
            float[] probe;
            int partitions = Topics.COLLECTION_RECORDS.partitions();
            String[] shardProbeIds = new String[partitions];
            float[][] shardProbes = new float[partitions][];
            long produceStart = System.nanoTime();
            try (KafkaProducer<String, CollectionState> collections = new KafkaProducer<>(settings.producer("bench-collections"),
                    Topics.COLLECTIONS.keySerde().serializer(), Topics.COLLECTIONS.valueSerde(serdes).serializer())) {
                collections.send(new ProducerRecord<>(Topics.COLLECTIONS.name(), SearchProcessor.collectionKey(TENANT, COLLECTION),
                        new CollectionState(TENANT, COLLECTION, createdAt, false, createdAt))).get();
            }
            Map<String, Object> config = settings.producer("bench-records");
            config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
            try (KafkaProducer<String, CollectionRecord> records = new KafkaProducer<>(config,
                    Topics.COLLECTION_RECORDS.keySerde().serializer(), Topics.COLLECTION_RECORDS.valueSerde(serdes).serializer())) {
                SplittableRandom random = new SplittableRandom(42);
                int clusters = Math.max(1, n / SearchIndexBenchmark.PER_CLUSTER);
                float[][] centres = new float[clusters][];
                for (int c = 0; c < clusters; c++) {
                    centres[c] = SearchIndexBenchmark.gaussianUnit(random);
                }
                probe = null;
                for (int i = 0; i < n; i++) {
                    float[] v = SearchIndexBenchmark.sample(centres, random);
                    if (i == n / 2) {
                        probe = v;
                    }
                    String id = SearchIndexBenchmark.id(i);
                    int shard = SearchScatter.shardOf(id, partitions);
                    if (i >= n / 2 && shardProbes[shard] == null) {
                        shardProbes[shard] = v;
                        shardProbeIds[shard] = id;
                    }
                    records.send(new ProducerRecord<>(Topics.COLLECTION_RECORDS.name(), id,
                            new CollectionRecord(id, TENANT, COLLECTION, "bench-model", MODEL_VERSION,
                                    java.nio.ByteBuffer.wrap(io.openbio.schemas.crypto.PayloadKeys.shared().sealVector(TENANT, id, v)), createdAt + 1)));
                }
                records.flush();
            }
            double produceS = (System.nanoTime() - produceStart) / 1e9;
            log("produced %,d records in %.1f s", n, produceS);
            String probeId = SearchIndexBenchmark.id(n / 2);

            int port = platform.processorPort + 50;
            String ready = "http://127.0.0.1:" + port + "/health/ready";
            Duration patience = Duration.ofMinutes(90);
            if (failover) {
                ok = failover(platform, settings, serdes, n, heap, port, data, children, shardProbeIds, shardProbes, produceS, output);
                System.exit(ok ? 0 : 1);
                return;
            }

            // ---- 1. first start: consume and index the topic
            long start = System.nanoTime();
            ChildProcess search = platform.startProcessors("search", List.of(SearchProcessor.NAME), port, heap);
            children.add(search);
            search.awaitHttp(ready, patience);
            double firstReadyS = (System.nanoTime() - start) / 1e9;
            awaitCaughtUp(settings, patience);
            double firstIndexedS = (System.nanoTime() - start) / 1e9;
            Query first = query(settings, serdes, probe);
            log("first start: ready %.1f s, all records indexed %.1f s; probe -> %s", firstReadyS, firstIndexedS, first);

            // ---- 2. restart, state kept
            double keptReadyS = Double.NaN;
            Query kept = first;
            if (keptRestart) {
                search.close();
                start = System.nanoTime();
                search = platform.startProcessors("search", List.of(SearchProcessor.NAME), port, heap);
                children.add(search);
                search.awaitHttp(ready, patience);
                keptReadyS = (System.nanoTime() - start) / 1e9;
                kept = query(settings, serdes, probe);
                log("restart with state: ready %.1f s; probe -> %s", keptReadyS, kept);
            }

            // ---- 3. a new pod: empty state folder, restore from the changelog
            search.close();
            LocalPaths.deleteTree(data.resolve("streams").resolve(new SearchProcessor().applicationId()));
            start = System.nanoTime();
            search = platform.startProcessors("search", List.of(SearchProcessor.NAME), port, heap);
            children.add(search);
            search.awaitHttp(ready, patience);
            double freshReadyS = (System.nanoTime() - start) / 1e9;
            Query fresh = query(settings, serdes, probe);
            log("new pod: ready %.1f s; probe -> %s", freshReadyS, fresh);
            List<String> all = grep(search.log(), "serving from its index"); // the log holds all three starts
            List<String> rebuildLines = all.subList(Math.max(0, all.size() - Topics.COLLECTION_RECORDS.partitions()), all.size());
            search.close();

            ok = first.found(probeId) && kept.found(probeId) && fresh.found(probeId);
            report.add("### Search stage rebuilt from Kafka, " + String.format(Locale.ROOT, "%,d", n) + " templates ("
                    + LocalDate.now() + ")");
            report.add("");
            report.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                    + "; broker, registry and the search stage (one JVM, -Xmx" + heap + ", all " + partitions
                    + " partitions = shards) on the same machine; stream threads "
                    + KafkaSettings.setting(Settings.STREAMS_THREADS) + ", index rebuild threads per shard "
                    + KafkaSettings.setting(Settings.SEARCH_REBUILD_THREADS, "the cores") + ".");
            report.add("Command: `bench/search-rebuild.sh " + n + " " + heap + (keptRestart ? "" : " new-pod") + "`. Data: SYNTHETIC clustered 512-d unit vectors (as in "
                    + "`bench/search-index.sh`), produced to `" + Topics.COLLECTION_RECORDS.name() + "` in " + String.format(Locale.ROOT, "%.1f", produceS) + " s.");
            report.add("");
            report.add("| start of the search stage | what it does | time |");
            report.add("|---|---|---|");
            report.add(String.format(Locale.ROOT, "| first start, no state | reads the records topic, stores and indexes every record | ready %.1f s, all %,d indexed %.1f s |",
                    firstReadyS, n, firstIndexedS));
            if (keptRestart) {
                report.add(String.format(Locale.ROOT, "| restart, state folder kept (restarted container) | reopens the committed index, restores the changelog's tail | ready %.1f s |", keptReadyS));
            }
            report.add(String.format(Locale.ROOT, "| new pod, empty state folder | restores the record store (the shard's index) from its changelog topic, indexing as it restores | ready %.1f s |", freshReadyS));
            report.add("");
            report.add(String.format(Locale.ROOT, "Query for an enrolled template's own vector after each start (scattered to %d partitions, partials merged): "
                    + "%s / %s, answered in %d / %d ms (first start / new pod)%s. %s", partitions,
                    first.describe(probeId), fresh.describe(probeId), first.ms(), fresh.ms(),
                    keptRestart ? String.format(Locale.ROOT, "; after the restart with state: %s in %d ms", kept.describe(probeId), kept.ms()) : "",
                    ok ? "PASS" : "FAIL"));
            report.add("");
            report.add("The stage's own log on the new pod (each shard indexed while its store restored): "
                    + String.join("; ", rebuildLines.stream().map(l -> l.replaceAll("^.*search shard", "shard")).toList()) + ".");
            String text = String.join("\n", report) + "\n";
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, text);
            System.out.println(text);
        }
        System.exit(ok ? 0 : 1);
    }

    /**
     * Commit interval of the two instances while they index the enrolled records (the failover is measured
     * after a restart with the platform's default). With the default, 0, every processing pass commits a
     * transaction and Kafka Streams then processes one record per task per pass: the first 1,000,000-template
     * try indexed about 170 records a second on the two instances together (active and standby, both
     * JVMs half idle waiting for commits: 2,000,000 inserts would have taken over three hours); the
     * LCP audit stage found the same (LcpAuditProcessor.COMMIT_INTERVAL_MS).
     */
    static final long INDEXING_COMMIT_INTERVAL_MS = 100;

    /** Both instances of the failover scenario, started together (one group generation shares the shards out) and ready. */
    private static ChildProcess[] startBoth(LocalPlatform platform, String heap, int port, Path data, List<ChildProcess> children,
                                           Map<String, String> extraEnv, Duration patience) throws Exception {
        ChildProcess[] instances = new ChildProcess[2];
        for (int i = 0; i < 2; i++) {
            Map<String, String> env = new java.util.HashMap<>(extraEnv);
            env.put(Settings.STREAMS_STATE_DIR.env(), data.resolve("streams-" + (char) ('a' + i)).toString());
            env.put(Settings.STREAMS_STANDBY_REPLICAS.env(), "1");
            instances[i] = platform.startProcessors("search-" + (char) ('a' + i), List.of(SearchProcessor.NAME), port + i, heap, env);
            children.add(instances[i]);
        }
        for (int i = 0; i < 2; i++) {
            instances[i].awaitHttp("http://127.0.0.1:" + (port + i) + "/health/ready", patience);
        }
        return instances;
    }

    /** How often the failover scenario sends its queries (one per shard) after the kill. */
    static final long FAILOVER_TICK_MS = 1000;

    /**
     * Two instances with a standby replica each, the kill, and the time to the first correct answer per
     * shard (see the class comment); writes the report and returns whether every shard answered correctly.
     */
    private static boolean failover(LocalPlatform platform, KafkaSettings settings, EventSerdes serdes, int n, String heap,
                                    int port, Path data, List<ChildProcess> children, String[] probeIds, float[][] probes,
                                    double produceS, Path output) throws Exception {
        int partitions = probes.length;
        Duration patience = Duration.ofMinutes(180);
        long start = System.nanoTime();
        // indexing: a commit every INDEXING_COMMIT_INTERVAL_MS (see there), then both restarted on their state
        ChildProcess[] instances = startBoth(platform, heap, port, data, children,
                Map.of(Settings.STREAMS_COMMIT_INTERVAL_MS.env(), Long.toString(INDEXING_COMMIT_INTERVAL_MS)), patience);
        double readyS = (System.nanoTime() - start) / 1e9;
        awaitCaughtUp(settings, patience);
        double activeS = (System.nanoTime() - start) / 1e9;
        awaitIdle(instances, patience);
        double idleS = (System.nanoTime() - start) / 1e9;
        log("failover: both ready %.1f s, active shards caught up %.1f s, both idle (standbys indexed) %.1f s", readyS, activeS, idleS);
        // the measured configuration is the platform's own: both stopped (SIGTERM: a clean close, every shard
        // committed and checkpointed) and started again with the default commit interval on the same state folders
        long restart = System.nanoTime();
        for (ChildProcess instance : instances) {
            instance.close();
        }
        long victimLogFrom = Files.size(instances[0].log()); // the logs are appended to: the restarted run's lines start here
        instances = startBoth(platform, heap, port, data, children, Map.of(), patience);
        double restartReadyS = (System.nanoTime() - restart) / 1e9;
        awaitIdle(instances, patience);
        double restartIdleS = (System.nanoTime() - restart) / 1e9;
        log("failover: restarted with the default commit interval: both ready %.1f s, idle %.1f s", restartReadyS, restartIdleS);

        Ticker before = new Ticker(settings, serdes, probeIds, probes);
        long[] warm = before.untilAllCorrect(Duration.ofMinutes(2));
        before.close();
        log("before the kill: every shard's probe first (%s ms)", java.util.Arrays.toString(warm));

        ChildProcess victim = instances[0];
        ChildProcess survivor = instances[1];
        long survivorLogBefore = Files.size(survivor.log());
        List<String> victimShards = servingShards(victim.log(), victimLogFrom);
        Ticker after = new Ticker(settings, serdes, probeIds, probes);
        long killed = System.nanoTime();
        java.time.LocalTime killedAt = java.time.LocalTime.now();
        victim.kill();
        long[] firstCorrectMs = after.untilAllCorrect(Duration.ofMinutes(10), killed);
        after.close();
        List<String> survivorLines = newLines(survivor.log(), survivorLogBefore);
        List<String> moved = survivorLines.stream().filter(l -> l.contains("serving from its index"))
                .map(l -> l.replaceAll("^.*search shard ", "shard ")).toList();
        List<String> reopened = survivorLines.stream().filter(l -> l.contains("opened with")).toList();
        // the survivor's timeline, from its log's clock (same machine): when the group gave it the shards, when it served them
        List<String> timeline = new ArrayList<>();
        for (String line : survivorLines) {
            String what = line.contains("REBALANCING") ? line.replaceAll("^.*processor search: ", "")
                    : line.contains("serving from its index") ? line.replaceAll("^.*search shard (\\S+):.*$", "serves $1") : null;
            if (what != null && line.length() > 12) {
                try {
                    java.time.LocalTime at = java.time.LocalTime.parse(line.substring(0, 12));
                    timeline.add(String.format(Locale.ROOT, "+%.1f s %s", Duration.between(killedAt, at).toMillis() / 1000.0, what));
                } catch (java.time.format.DateTimeParseException notATime) {
                    // a continuation line
                }
            }
        }
        survivor.close();

        boolean ok = java.util.Arrays.stream(firstCorrectMs).allMatch(ms -> ms >= 0);
        long worstMoved = -1;
        StringBuilder perShard = new StringBuilder();
        for (int p = 0; p < partitions; p++) {
            String suffix = "_" + p; // task ids are <subtopology>_<partition>
            boolean wasVictims = victimShards.stream().anyMatch(t -> t.endsWith(suffix));
            if (wasVictims) {
                worstMoved = Math.max(worstMoved, firstCorrectMs[p]);
            }
            perShard.append(String.format(Locale.ROOT, "%s shard %d%s %s", p == 0 ? "" : ";", p, wasVictims ? " (moved)" : "",
                    firstCorrectMs[p] < 0 ? "never" : String.format(Locale.ROOT, "%.1f s", firstCorrectMs[p] / 1000.0)));
        }
        List<String> report = new ArrayList<>();
        report.add("### Search failover, " + String.format(Locale.ROOT, "%,d", n) + " templates (" + LocalDate.now() + ")");
        report.add("");
        report.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + "; broker, registry and two instances of the search stage (two JVMs, -Xmx" + heap + " each, own state folders, "
                + "OPENBIO_STREAMS_STANDBY_REPLICAS=1) on the same machine; stream threads " + KafkaSettings.setting(Settings.STREAMS_THREADS)
                + ", restore threads per shard " + KafkaSettings.setting(Settings.SEARCH_REBUILD_THREADS, "the cores")
                + ", session timeout " + KafkaSettings.setting(Settings.STREAMS_SESSION_TIMEOUT_MS) + " ms.");
        report.add("Command: `bench/search-rebuild.sh " + n + " " + heap + " failover`. Data: SYNTHETIC clustered 512-d unit vectors, "
                + "produced in " + String.format(Locale.ROOT, "%.1f", produceS) + " s.");
        report.add("");
        report.add(String.format(Locale.ROOT, "Start: both instances ready %.1f s, active shards caught up %.1f s, both idle "
                + "(every record indexed by its active shard and its standby) %.1f s, with a commit every %d ms while indexing "
                + "(OPENBIO_STREAMS_COMMIT_INTERVAL_MS; see SearchRebuildBenchmark.INDEXING_COMMIT_INTERVAL_MS). Then both stopped "
                + "(SIGTERM) and started again on their state folders with the platform's default commit interval (%s ms): ready "
                + "%.1f s, idle %.1f s after the stop.", readyS, activeS, idleS, INDEXING_COMMIT_INTERVAL_MS,
                Settings.STREAMS_COMMIT_INTERVAL_MS.defaultValue(), restartReadyS, restartIdleS));
        report.add("Killed (SIGKILL) the instance serving shards " + victimShards + "; queries for one probe template per shard every "
                + FAILOVER_TICK_MS + " ms; time from the kill to the first answer with the probe first and all " + partitions
                + " partials in: " + perShard + ".");
        report.add(String.format(Locale.ROOT, "**Moved shards answered correctly %.1f s after the kill** (the slowest of them). %s",
                worstMoved / 1000.0, ok ? "PASS" : "FAIL"));
        report.add("");
        report.add("The survivor's timeline after the kill (its log): " + String.join(", ", timeline) + ".");
        report.add("");
        report.add("The survivor's log after the kill: " + String.join("; ", moved) + (reopened.isEmpty()
                ? " (no store reopened: the standby tasks were recycled into active ones with their warm index)."
                : "; stores opened: " + reopened.size() + " (not recycled: " + String.join("; ", reopened.stream()
                .map(l -> l.replaceAll("^.*search store ", "store ")).toList()) + ")."));
        String text = String.join("\n", report) + "\n";
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, text);
        System.out.println(text);
        return ok;
    }

    /** The shards an instance's log says it serves now ("search shard 0_3: serving ..." since its last revocation). */
    private static List<String> servingShards(Path log, long from) throws Exception {
        List<String> shards = new ArrayList<>();
        for (String line : newLines(log, from)) {
            String shard = line.replaceAll("^.*search shard (\\S+):.*$", "$1");
            if (line.contains("serving from its index") && !shards.contains(shard)) {
                shards.add(shard);
            } else if (line.contains("no longer served")) {
                shards.remove(shard);
            }
        }
        return shards;
    }

    private static List<String> newLines(Path log, long from) throws Exception {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    /** Waits until neither instance used more than 5% of a core over 10 s (indexing and merges done). */
    private static void awaitIdle(ChildProcess[] instances, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long[] last = new long[instances.length];
        while (System.nanoTime() < deadline) {
            boolean idle = true;
            for (int i = 0; i < instances.length; i++) {
                long cpu = instances[i].process().toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
                idle &= last[i] > 0 && cpu - last[i] < 500;
                last[i] = cpu;
            }
            if (idle) {
                return;
            }
            Thread.sleep(10_000);
        }
        throw new IllegalStateException("the search instances did not go idle in " + timeout);
    }

    /**
     * Sends a query per shard probe every {@link #FAILOVER_TICK_MS} ms and gathers their partials:
     * the first correct answer per shard (the probe first, every partition's partial in).
     */
    private static final class Ticker implements AutoCloseable {
        private final KafkaConsumer<String, SearchPartial> partials;
        private final KafkaProducer<String, SearchQuery> queries;
        private final String[] probeIds;
        private final float[][] probes;
        private final Map<String, Integer> shardOf = new java.util.HashMap<>();
        private final Map<String, List<SearchPartial>> pending = new java.util.HashMap<>();

        Ticker(KafkaSettings settings, EventSerdes serdes, String[] probeIds, float[][] probes) {
            this.probeIds = probeIds;
            this.probes = probes;
            Map<String, Object> consumerConfig = settings.consumer(null, "bench-failover-partials");
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            partials = new KafkaConsumer<>(consumerConfig, Topics.SEARCH_PARTIALS.keySerde().deserializer(),
                    Topics.SEARCH_PARTIALS.valueSerde(serdes).deserializer());
            queries = new KafkaProducer<>(settings.producer("bench-failover-queries"), Topics.SEARCH_QUERIES.keySerde().serializer(),
                    Topics.SEARCH_QUERIES.valueSerde(serdes).serializer());
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < Topics.SEARCH_PARTIALS.partitions(); p++) {
                tps.add(new TopicPartition(Topics.SEARCH_PARTIALS.name(), p));
            }
            partials.assign(tps);
            partials.seekToEnd(tps);
            tps.forEach(partials::position);
        }

        long[] untilAllCorrect(Duration timeout) {
            return untilAllCorrect(timeout, System.nanoTime());
        }

        /** Per shard, ms from {@code since} to its probe's first correct answer; -1 if none within {@code timeout}. */
        long[] untilAllCorrect(Duration timeout, long since) {
            long[] first = new long[probes.length];
            java.util.Arrays.fill(first, -1);
            long deadline = since + timeout.toNanos();
            long nextTick = System.nanoTime();
            while (System.nanoTime() < deadline && java.util.Arrays.stream(first).anyMatch(ms -> ms < 0)) {
                if (System.nanoTime() >= nextTick) {
                    for (int shard = 0; shard < probes.length; shard++) {
                        if (first[shard] < 0) {
                            send(shard);
                        }
                    }
                    queries.flush();
                    nextTick = System.nanoTime() + FAILOVER_TICK_MS * 1_000_000;
                }
                for (ConsumerRecord<String, SearchPartial> r : partials.poll(Duration.ofMillis(50))) {
                    List<SearchPartial> mine = r.key() == null ? null : pending.get(r.key());
                    if (mine == null || r.value() == null) {
                        continue;
                    }
                    mine.add(r.value());
                    if (SearchGather.complete(mine)) {
                        int shard = shardOf.get(r.key());
                        pending.remove(r.key());
                        List<SearchHit> hits = SearchGather.merge(mine, 5);
                        if (first[shard] < 0 && SearchGather.error(mine).isEmpty() && !hits.isEmpty()
                                && hits.get(0).getRecordId().equals(probeIds[shard])) {
                            first[shard] = (System.nanoTime() - since) / 1_000_000;
                        }
                    }
                }
            }
            return first;
        }

        private void send(int shard) {
            String requestId = "failover-" + UUID.randomUUID();
            shardOf.put(requestId, shard);
            pending.put(requestId, new ArrayList<>());
            SearchQuery query = SearchQuery.newBuilder().setRequestId(requestId).setTenant(TENANT).setCollection(COLLECTION)
                    .setImageSource("FACE").setModelVersion(MODEL_VERSION)
                    .setSealedVector(java.nio.ByteBuffer.wrap(io.openbio.schemas.crypto.PayloadKeys.shared().sealVector(TENANT, requestId, probes[shard])))
                    .setLimit(5).setPartitions(SearchScatter.partitions()).build();
            for (ProducerRecord<String, SearchQuery> record : SearchScatter.records(query)) {
                queries.send(record);
            }
        }

        @Override
        public void close() {
            partials.close();
            queries.close();
        }
    }

    /** Waits until the search stage's consumer group has committed the end offset of every records partition. */
    private static void awaitCaughtUp(KafkaSettings settings, Duration timeout) throws Exception {
        String group = new SearchProcessor().applicationId();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(settings.admin())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < Topics.COLLECTION_RECORDS.partitions(); p++) {
                partitions.add(new TopicPartition(Topics.COLLECTION_RECORDS.name(), p));
            }
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = partitions.stream().allMatch(tp -> committed.get(tp) != null
                        && committed.get(tp).offset() >= ends.get(tp).offset());
                if (done) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("the search stage did not catch up with the records topic in " + timeout);
        }
    }

    /** One search answer: the merged hits and how long it took. */
    record Query(List<SearchHit> hits, long ms) {
        boolean found(String id) {
            return !hits.isEmpty() && hits.get(0).getRecordId().equals(id);
        }

        String describe(String id) {
            return hits.isEmpty() ? "no hits" : String.format(Locale.ROOT, "top hit %s (%s, similarity %.3f)",
                    hits.get(0).getRecordId(), found(id) ? "the probe" : "NOT the probe", hits.get(0).getSimilarity());
        }

        @Override
        public String toString() {
            return hits.isEmpty() ? "no hits" : hits.get(0).getRecordId() + " in " + ms + " ms";
        }
    }

    /** Scatters a query for {@code vector} to every shard and merges the partials (read_committed). */
    private static Query query(KafkaSettings settings, EventSerdes serdes, float[] vector) throws Exception {
        String requestId = "rebuild-" + UUID.randomUUID();
        Map<String, Object> consumerConfig = settings.consumer(null, "bench-partials");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, SearchPartial> partials = new KafkaConsumer<>(consumerConfig,
                Topics.SEARCH_PARTIALS.keySerde().deserializer(), Topics.SEARCH_PARTIALS.valueSerde(serdes).deserializer());
             KafkaProducer<String, SearchQuery> queries = new KafkaProducer<>(settings.producer("bench-queries"),
                     Topics.SEARCH_QUERIES.keySerde().serializer(), Topics.SEARCH_QUERIES.valueSerde(serdes).serializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < Topics.SEARCH_PARTIALS.partitions(); p++) {
                tps.add(new TopicPartition(Topics.SEARCH_PARTIALS.name(), p));
            }
            partials.assign(tps);
            partials.seekToEnd(tps);
            tps.forEach(partials::position); // resolve the end offsets before the query goes out
            SearchQuery query = SearchQuery.newBuilder().setRequestId(requestId).setTenant(TENANT).setCollection(COLLECTION)
                    .setImageSource("FACE").setModelVersion(MODEL_VERSION).setSealedVector(java.nio.ByteBuffer.wrap(io.openbio.schemas.crypto.PayloadKeys.shared().sealVector(TENANT, requestId, vector))).setLimit(5)
                    .setPartitions(SearchScatter.partitions()).build();
            long start = System.nanoTime();
            for (ProducerRecord<String, SearchQuery> record : SearchScatter.records(query)) {
                queries.send(record);
            }
            queries.flush();
            List<SearchPartial> mine = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!SearchGather.complete(mine) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, SearchPartial> r : partials.poll(Duration.ofMillis(100))) {
                    if (requestId.equals(r.key()) && r.value() != null) {
                        mine.add(r.value());
                    }
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!SearchGather.complete(mine)) {
                return new Query(List.of(), ms);
            }
            return new Query(SearchGather.merge(mine, 5), ms);
        }
    }

    private static List<String> grep(Path log, String needle) throws Exception {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(needle)).toList();
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[search-rebuild] " + format + "%n", args);
    }
}
