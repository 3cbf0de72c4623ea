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
 * Arguments: [n=100000] [heap=1g] [output=launcher/target/search-rebuild.md] [all|new-pod (skips start 2)].
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
            List<String> all = grep(search.log(), "index rebuilt from"); // the log holds all three starts
            List<String> rebuildLines = all.subList(Math.max(0, all.size() - Topics.COLLECTION_RECORDS.partitions()), all.size());
            search.close();

            ok = first.found(probeId) && kept.found(probeId) && fresh.found(probeId);
            int partitions = Topics.COLLECTION_RECORDS.partitions();
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
                report.add(String.format(Locale.ROOT, "| restart, state folder kept (restarted container) | reuses RocksDB, rebuilds the index from it | ready %.1f s |", keptReadyS));
            }
            report.add(String.format(Locale.ROOT, "| new pod, empty state folder | restores the record store from its changelog topic, rebuilds the index | ready %.1f s |", freshReadyS));
            report.add("");
            report.add(String.format(Locale.ROOT, "Query for an enrolled template's own vector after each start (scattered to %d partitions, partials merged): "
                    + "%s / %s, answered in %d / %d ms (first start / new pod)%s. %s", partitions,
                    first.describe(probeId), fresh.describe(probeId), first.ms(), fresh.ms(),
                    keptRestart ? String.format(Locale.ROOT, "; after the restart with state: %s in %d ms", kept.describe(probeId), kept.ms()) : "",
                    ok ? "PASS" : "FAIL"));
            report.add("");
            report.add("The stage's own log on the new pod (each stream thread rebuilds its shards one after the other): "
                    + String.join("; ", rebuildLines.stream().map(l -> l.replaceAll("^.*search shard", "shard")).toList()) + ".");
            String text = String.join("\n", report) + "\n";
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, text);
            System.out.println(text);
        }
        System.exit(ok ? 0 : 1);
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
