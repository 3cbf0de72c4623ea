package io.openbio.launcher.bench;

import io.openbio.events.SearchHit;
import io.openbio.events.SearchPartial;
import io.openbio.processors.search.SearchGather;
import io.openbio.processors.search.SearchScatter;
import io.openbio.processors.search.ShardIndex;
import io.openbio.schemas.settings.Settings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The search stage's index without Kafka: N synthetic clustered unit vectors (512-d) split over S
 * shards exactly as the records topic splits them ({@link SearchScatter#shardOf}), one
 * {@link ShardIndex} per shard (the stage's own class and settings), then
 * <ul>
 *   <li>rebuild time: all shards built from the in-memory records, shards in parallel on the
 *       machine's cores (what a task does on start, minus reading its state store);</li>
 *   <li>query time: scatter of one query to the S shards (searched in parallel, one thread each, as
 *       S pods would) + {@link SearchGather#merge}, top-10, per efSearch setting;</li>
 *   <li>recall@10 of the merged result against exact brute-force search over all N vectors;</li>
 *   <li>index memory: the index files' bytes per type (memory-mapped: graph + int8 vectors are what a
 *       query touches; raw floats only serve re-scoring and merges) and the Java heap (after GC) the
 *       open indexes add.</li>
 * </ul>
 * Data: C = N/100 cluster centres (Gaussian, normalised); each template = normalise(centre + noise), noise
 * per dimension N(0, sigma^2/d); queries are fresh draws of the same distribution (not copies of
 * enrolled templates), i.e. an "unseen probe of a crowded region" workload.
 *
 * <p>Arguments: [n=1000000] [shards=4] [queries=1000] [recallSample=200] [output=launcher/target/search-benchmark.md]
 * [indexDir=launcher/target/search-bench-index] [efList=50,100,200]
 */
public final class SearchIndexBenchmark {
    static final int DIM = 512;
    static final int PER_CLUSTER = 100;
    static final double NOISE = 1.0;
    static final int TOP = 10;

    private SearchIndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int queryCount = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int recallSample = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Path output = Path.of(args.length > 4 ? args[4] : "launcher/target/search-benchmark.md");
        Path indexDir = Path.of(args.length > 5 ? args[5] : "launcher/target/search-bench-index");
        int[] efs = java.util.Arrays.stream((args.length > 6 ? args[6] : "50,100,200").split(",")).mapToInt(Integer::parseInt).toArray();
        int cores = Runtime.getRuntime().availableProcessors();
        int CLUSTERS = Math.max(1, n / PER_CLUSTER);
        log("n=%d shards=%d dim=%d clusters=%d cores=%d", n, shards, DIM, CLUSTERS, cores);

        // ---- data
        long t0 = System.nanoTime();
        float[][] centres = new float[CLUSTERS][];
        SplittableRandom random = new SplittableRandom(42);
        for (int c = 0; c < CLUSTERS; c++) {
            centres[c] = gaussianUnit(random);
        }
        int[] shardSize = new int[shards];
        int[] shardOf = new int[n];
        for (int i = 0; i < n; i++) {
            shardOf[i] = SearchScatter.shardOf(id(i), shards);
            shardSize[shardOf[i]]++;
        }
        float[][] data = new float[shards][];
        int[][] ids = new int[shards][];
        for (int s = 0; s < shards; s++) {
            data[s] = new float[shardSize[s] * DIM];
            ids[s] = new int[shardSize[s]];
        }
        int[] fill = new int[shards];
        for (int i = 0; i < n; i++) {
            int s = shardOf[i];
            float[] v = sample(centres, random);
            System.arraycopy(v, 0, data[s], fill[s] * DIM, DIM);
            ids[s][fill[s]++] = i;
        }
        float[][] queries = new float[queryCount][];
        for (int q = 0; q < queryCount; q++) {
            queries[q] = sample(centres, random);
        }
        log("data generated in %.1f s; shard sizes %s", (System.nanoTime() - t0) / 1e9, java.util.Arrays.toString(shardSize));

        long heapBefore = usedHeapAfterGc();

        // ---- rebuild (index build from records), shards in parallel on the machine's cores
        ShardIndex.Settings settings = ShardIndex.Settings.DEFAULT.withRamBufferMb(1900);
        ShardIndex[] index = new ShardIndex[shards];
        double[] shardBuildS = new double[shards];
        // OPENBIO_BENCH_REBUILD_THREADS > 1: as the search stage rebuilds (ShardIndex.rebuild), the shards
        // one after the other, each on that many indexing threads (one segment per thread)
        int rebuildThreads = Integer.parseInt(System.getenv().getOrDefault(Settings.BENCH_REBUILD_THREADS.env(),
                Settings.BENCH_REBUILD_THREADS.defaultValue()));
        ExecutorService builders = Executors.newFixedThreadPool(rebuildThreads > 1 ? 1 : Math.min(cores, shards));
        long buildStart = System.nanoTime();
        List<Future<?>> builds = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            int shard = s;
            builds.add(builders.submit(() -> {
                long start = System.nanoTime();
                ShardIndex idx = ShardIndex.open(indexDir.resolve("shard-" + shard), settings);
                if (rebuildThreads > 1) {
                    idx.rebuild(java.util.stream.IntStream.range(0, ids[shard].length).mapToObj(r -> {
                        float[] vector = java.util.Arrays.copyOfRange(data[shard], r * DIM, (r + 1) * DIM);
                        String recordId = id(ids[shard][r]);
                        // sealed as enrolment seals it: the rebuild opens every record, as the search stage does
                        return io.openbio.events.CollectionRecord.newBuilder().setRecordId(recordId).setTenant("bench")
                                .setCollection("c1").setModelId("bench").setModelVersion("m1").setCreatedAt(0L)
                                .setSealedVector(java.nio.ByteBuffer.wrap(io.openbio.schemas.crypto.PayloadKeys.shared().sealVector("bench", recordId, vector))).build();
                    }).iterator(), rebuildThreads);
                }
                float[] v = new float[DIM];
                for (int r = 0; rebuildThreads <= 1 && r < ids[shard].length; r++) {
                    System.arraycopy(data[shard], r * DIM, v, 0, DIM);
                    idx.upsert(id(ids[shard][r]), "bench", "c1", "m1", 0L, v);
                    if (r > 0 && r % 50_000 == 0) {
                        log("shard %d: %d records, %.0f s", shard, r, (System.nanoTime() - start) / 1e9);
                    }
                }
                idx.refresh();
                index[shard] = idx;
                shardBuildS[shard] = (System.nanoTime() - start) / 1e9;
                return null;
            }));
        }
        for (Future<?> f : builds) {
            f.get();
        }
        double buildS = (System.nanoTime() - buildStart) / 1e9;
        builders.shutdown();
        log("built in %.1f s (per shard %s)", buildS, java.util.Arrays.toString(shardBuildS));
        String mergeNote = "";
        if (rebuildThreads > 1) {
            // the stage answers from the per-thread segments while Lucene merges them in the background;
            // queries are measured on the merged index
            long mergeStart = System.nanoTime();
            for (ShardIndex idx : index) {
                idx.mergeInBackground();
            }
            for (ShardIndex idx : index) {
                idx.awaitMerged();
            }
            double mergeS = (System.nanoTime() - mergeStart) / 1e9;
            log("merged to one segment per shard in a further %.1f s", mergeS);
            mergeNote = String.format(Locale.ROOT, "; then the background merges to one segment per shard (all shards at once, as the stage starts them once RUNNING) took %.1f s more", mergeS);
        }

        long heapAfter = usedHeapAfterGc();
        Map<String, Long> files = new TreeMap<>();
        int segments = 0;
        for (ShardIndex idx : index) {
            idx.bytesByFileType().forEach((k, v) -> files.merge(k, v, Long::sum));
            segments += idx.segments();
        }
        long totalFiles = files.values().stream().mapToLong(Long::longValue).sum();
        long hot = files.getOrDefault("vex", 0L) + files.getOrDefault("veq", 0L);
        long rawFloats = files.getOrDefault("vec", 0L);
        log("files %s; heap %d -> %d", files, heapBefore, heapAfter);

        // ---- exact top-10 for the recall sample (brute force over all n, parallel)
        int sample = Math.min(recallSample, queryCount);
        long exactStart = System.nanoTime();
        List<Set<String>> exact = exactTopK(data, ids, queries, sample, cores);
        double exactMsPerQuery = (System.nanoTime() - exactStart) / 1e6 / sample;
        log("exact search of %d queries: %.1f ms per query (%d threads)", sample, exactMsPerQuery, cores);

        // ---- scatter/gather over the shards, per efSearch
        ExecutorService scatter = Executors.newFixedThreadPool(shards);
        StringBuilder rows = new StringBuilder();
        for (int ef : efs) {
            for (int q = 0; q < Math.min(200, queryCount); q++) { // warm-up
                searchAll(index, scatter, queries[q], ef);
            }
            Latencies latency = new Latencies();
            Latencies perShard = new Latencies();
            double recallSum = 0;
            long start = System.nanoTime();
            for (int q = 0; q < queryCount; q++) {
                long t = System.nanoTime();
                List<SearchHit> merged = searchAll(index, scatter, queries[q], ef, perShard);
                latency.add(System.nanoTime() - t);
                if (q < sample) {
                    Set<String> found = new HashSet<>();
                    merged.forEach(h -> found.add(h.getRecordId()));
                    found.retainAll(exact.get(q));
                    recallSum += found.size() / (double) TOP;
                }
            }
            double qps = queryCount / ((System.nanoTime() - start) / 1e9);
            double recall = recallSum / sample;
            log("ef=%d p50=%.2f ms p99=%.2f ms recall@10=%.4f qps=%.1f", ef, latency.percentileMs(50), latency.percentileMs(99), recall, qps);
            rows.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f | %.2f | %.1f/s | %.4f |%n",
                    ef, queryCount, latency.percentileMs(50), latency.percentileMs(99), perShard.percentileMs(50), qps, recall));
        }
        scatter.shutdown();

        double perMillion = 1_000_000.0 / n;
        String report = String.format(Locale.ROOT, """
                ### %,d templates, %d shards (%s)

                Machine: %d cores, %s, Java %s, heap -Xmx%dm.
                Command: `bench/search-index.sh %d %d %d %d`.
                Data: SYNTHETIC clustered 512-d unit vectors (%,d Gaussian cluster centres, about 100 templates each; template =
                normalise(centre + N(0, %.1f^2/d) noise)), record ids split over the shards by Kafka's
                default partitioner; queries are fresh draws of the same distribution. Index: Lucene 9.12.3 HNSW,
                int8 scalar-quantized, M=%d, beamWidth=%d, candidates re-scored with the exact float cosine.
                Every query carries the stage's filter (tenant + collection + model version + createdAt range).

                | efSearch | queries | p50 ms (scatter %d + merge) | p99 ms | p50 ms per shard | throughput (1 caller) | recall@10 vs exact (%d queries) |
                |---|---|---|---|---|---|---|
                %s
                Exact brute-force search over all %,d vectors for comparison: %.1f ms per query (%d threads).

                | rebuild (index build from records, %d shards %s) | per shard | segments |
                |---|---|---|
                | %.1f s (%,.0f templates/s)%s | %s s | %d |

                Index memory, measured: index files %.0f MiB in all (%s); per million templates: graph +
                int8 vectors (the part a query reads, memory-mapped) %.0f MiB, raw float vectors (re-scoring,
                merges) %.0f MiB, all files %.0f MiB. Java heap (used after GC) added by the open indexes: %s.
                """,
                n, shards, LocalDate.now(),
                cores, cpuName(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / (1024 * 1024),
                n, shards, queryCount, sample,
                CLUSTERS, NOISE, settings.m(), settings.beamWidth(),
                shards, sample, rows, n, exactMsPerQuery, cores,
                shards, rebuildThreads > 1 ? "one after the other, " + rebuildThreads + " indexing threads each (as the stage)"
                        : "in parallel, one thread each, on " + Math.min(cores, shards) + " threads", buildS, n / buildS, mergeNote, formatArray(shardBuildS), segments,
                mib(totalFiles), files, mib(hot) * perMillion, mib(rawFloats) * perMillion, mib(totalFiles) * perMillion,
                heapAfter - heapBefore < 16L * 1024 * 1024
                        ? String.format(Locale.ROOT, "%.0f MiB, i.e. within GC noise (the index is off-heap)", mib(heapAfter - heapBefore))
                        : String.format(Locale.ROOT, "%.0f MiB (%.0f MiB per million)", mib(heapAfter - heapBefore),
                                mib(heapAfter - heapBefore) * perMillion));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, report);
        System.out.println(report);
        for (ShardIndex idx : index) {
            idx.close();
        }
    }

    private static List<SearchHit> searchAll(ShardIndex[] index, ExecutorService pool, float[] query, int ef) throws Exception {
        return searchAll(index, pool, query, ef, null);
    }

    /** Scatter to every shard (in parallel), gather the partials, merge. */
    private static List<SearchHit> searchAll(ShardIndex[] index, ExecutorService pool, float[] query, int ef, Latencies perShard)
            throws Exception {
        List<Future<SearchPartial>> futures = new ArrayList<>(index.length);
        for (int s = 0; s < index.length; s++) {
            int shard = s;
            futures.add(pool.submit(() -> {
                long t = System.nanoTime();
                List<SearchHit> hits = index[shard].search("bench", "c1", "m1", 0L, query, TOP, ef);
                if (perShard != null) {
                    perShard.add(System.nanoTime() - t);
                }
                return new SearchPartial("q", "c1", "FACE", shard, index.length, hits, null);
            }));
        }
        List<SearchPartial> partials = new ArrayList<>(index.length);
        for (Future<SearchPartial> f : futures) {
            partials.add(f.get());
        }
        return SearchGather.merge(partials, TOP);
    }

    private static List<Set<String>> exactTopK(float[][] data, int[][] ids, float[][] queries, int sample, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Set<String>>> futures = new ArrayList<>();
        for (int q = 0; q < sample; q++) {
            float[] query = queries[q];
            futures.add(pool.submit(() -> {
                // min-heap of the best TOP (score, id)
                java.util.PriorityQueue<double[]> best = new java.util.PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
                for (int s = 0; s < data.length; s++) {
                    float[] block = data[s];
                    for (int r = 0; r < ids[s].length; r++) {
                        double dot = dot(query, block, r * DIM);
                        if (best.size() < TOP) {
                            best.add(new double[] {dot, ids[s][r]});
                        } else if (dot > best.peek()[0]) {
                            best.poll();
                            best.add(new double[] {dot, ids[s][r]});
                        }
                    }
                }
                Set<String> top = new HashSet<>();
                best.forEach(e -> top.add(id((int) e[1])));
                return top;
            }));
        }
        List<Set<String>> result = new ArrayList<>();
        for (Future<Set<String>> f : futures) {
            result.add(f.get());
        }
        pool.shutdown();
        return result;
    }

    private static double dot(float[] q, float[] block, int offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = 0; i < DIM; i += 4) {
            s0 += q[i] * block[offset + i];
            s1 += q[i + 1] * block[offset + i + 1];
            s2 += q[i + 2] * block[offset + i + 2];
            s3 += q[i + 3] * block[offset + i + 3];
        }
        return s0 + s1 + s2 + s3;
    }

    static String id(int i) {
        return "r-" + i;
    }

    static float[] gaussianUnit(SplittableRandom random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    static float[] sample(float[][] centres, SplittableRandom random) {
        float[] c = centres[random.nextInt(centres.length)];
        float[] v = new float[DIM];
        double sigma = NOISE / Math.sqrt(DIM);
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (c[i] + sigma * random.nextGaussian());
        }
        return normalise(v);
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String formatArray(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", v));
        }
        return b.toString();
    }

    private static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[search-bench] " + format + "%n", args);
    }
}
