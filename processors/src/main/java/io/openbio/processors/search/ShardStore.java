package io.openbio.processors.search;

import io.openbio.events.CollectionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code search} stage's record store of one shard IS its search index: a Kafka Streams persistent
 * key-value store (changelogged like any other) kept in a {@link ShardIndex#persistent Lucene index},
 * where each document holds a record's serialized bytes (what {@code get} answers) and, when its
 * vector opens, its template in the HNSW graph.
 *
 * <p><b>Why.</b> Kafka Streams writes every restored changelog record through the store's own restore
 * callback. With a RocksDB store the index was derived data, rebuilt from the store in the task's
 * initialisation: 779 s for a new pod at 1,000,000 templates (BENCHMARKS.md). Here restoring IS
 * indexing, so:
 * <ul>
 *   <li>a <b>standby replica</b> ({@code num.standby.replicas}, {@code OPENBIO_STREAMS_STANDBY_REPLICAS})
 *       keeps a warm, searchable copy of the shard on another instance, and when the owner dies Kafka
 *       Streams recycles the standby task into the active one without closing its stores: the new owner
 *       only restores the changelog's tail and answers (failover measured in BENCHMARKS.md);</li>
 *   <li>a <b>restart with its state folder</b> reopens the committed index and restores from the checkpoint;</li>
 *   <li>a <b>new pod</b> indexes while it restores, each restore batch on
 *       {@code OPENBIO_SEARCH_REBUILD_THREADS} threads.</li>
 * </ul>
 *
 * <p><b>Contract.</b> {@link #flush()} commits the Lucene index (Kafka Streams checkpoints the changelog
 * offset after a flush, so the committed index always holds at least the checkpointed records); close
 * drops what was not committed. Under exactly-once an owner that stops uncleanly has its task folder
 * wiped by Kafka Streams and restores from the start, as with RocksDB; a standby lives in another
 * process. Keys are the record ids (String serde, UTF-8). {@link #range}, {@link #reverseRange} and
 * prefix scans are not supported (nothing asks a shard for key ranges); {@link #all()} is in index order.
 */
public final class ShardStore implements KeyValueStore<Bytes, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(ShardStore.class);

    private final String name;
    private final ShardIndex.Settings settings;
    private final Deserializer<CollectionRecord> values;
    private final int restoreThreads;
    private final Position position = Position.emptyPosition();
    private ShardIndex index;
    private String changelog;
    private String task;
    private ExecutorService pool;
    private volatile boolean open;

    /**
     * @param values         the record serde's deserializer: a record is searchable with its tenant,
     *                       collection, model version and vector
     * @param restoreThreads threads that index one restore batch
     */
    public ShardStore(String name, ShardIndex.Settings settings, Deserializer<CollectionRecord> values, int restoreThreads) {
        this.name = name;
        this.settings = settings;
        this.values = values;
        this.restoreThreads = Math.max(1, restoreThreads);
    }

    /** Supplies one {@link ShardStore} per task (the topology's {@code Stores.keyValueStoreBuilder} wraps it with changelogging and metrics). */
    public static KeyValueBytesStoreSupplier supplier(String name, ShardIndex.Settings settings,
                                                      Deserializer<CollectionRecord> values, int restoreThreads) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new ShardStore(name, settings, values, restoreThreads);
            }

            @Override
            public String metricsScope() {
                return "lucene";
            }
        };
    }

    /** The {@link ShardStore} inside a store as a processor gets it (metered, changelogged). */
    public static ShardStore of(StateStore store) {
        StateStore inner = store;
        while (!(inner instanceof ShardStore) && inner instanceof WrappedStateStore<?, ?, ?> wrapped) {
            inner = wrapped.wrapped();
        }
        if (inner instanceof ShardStore shard) {
            return shard;
        }
        throw new IllegalStateException("store " + store.name() + " is not a search shard store: " + store.getClass().getName());
    }

    /** The shard's search index (open while the store is). */
    public ShardIndex index() {
        return index;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        Path folder = context.stateDir().toPath().resolve(name);
        this.index = ShardIndex.persistent(folder, settings);
        this.changelog = context.applicationId() + "-" + name + "-changelog";
        this.task = String.valueOf(context.taskId());
        context.register(root, (BatchingStateRestoreCallback) this::restoreAll);
        this.open = true;
        log.info("search store {} of task {}: opened with {} committed records", name, task, index.size());
    }

    /**
     * Writes one restore batch: the last write of each key in the batch (a compacted changelog may still
     * repeat one), on {@link #restoreThreads} threads (Lucene's writer is thread-safe; each key once, so
     * the order between keys does not matter).
     */
    private void restoreAll(Collection<KeyValue<byte[], byte[]>> batch) {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        for (KeyValue<byte[], byte[]> write : batch) {
            latest.put(new String(write.key, StandardCharsets.UTF_8), write.value);
        }
        if (restoreThreads == 1 || latest.size() < 2 * ShardIndex.REBUILD_BATCH) {
            latest.forEach(this::write);
            return;
        }
        if (pool == null) {
            pool = Executors.newFixedThreadPool(restoreThreads, runnable -> {
                Thread thread = new Thread(runnable, "search-restore-" + task);
                thread.setDaemon(true);
                return thread;
            });
        }
        List<Map.Entry<String, byte[]>> writes = new ArrayList<>(latest.entrySet());
        int chunk = (writes.size() + restoreThreads - 1) / restoreThreads;
        List<Future<?>> done = new ArrayList<>();
        for (int from = 0; from < writes.size(); from += chunk) {
            List<Map.Entry<String, byte[]>> part = writes.subList(from, Math.min(writes.size(), from + chunk));
            done.add(pool.submit(() -> part.forEach(e -> write(e.getKey(), e.getValue()))));
        }
        try {
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("search store restore interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private void write(String id, byte[] value) {
        if (value == null) {
            index.remove(id);
            return;
        }
        CollectionRecord record;
        try {
            record = values.deserialize(changelog, value);
        } catch (RuntimeException e) {
            log.warn("search store {} of task {}: record {} does not deserialize ({}); stored, not searchable",
                    name, task, id, e.getClass().getSimpleName());
            record = null;
        }
        if (!index.put(id, value, record) && record != null) {
            log.warn("search store {} of task {}: record {} has an unusable vector; stored, not searchable", name, task, id);
        }
    }

    private static String id(Bytes key) {
        return new String(key.get(), StandardCharsets.UTF_8);
    }

    @Override
    public void put(Bytes key, byte[] value) {
        write(id(key), value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] old = get(key);
        index.remove(id(key));
        return old;
    }

    @Override
    public byte[] get(Bytes key) {
        return index.value(id(key));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        throw new UnsupportedOperationException("a search shard store has no key ranges");
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        throw new UnsupportedOperationException("a search shard store has no key ranges");
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        ShardIndex.StoredRecords stored = index.stored();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return stored.hasNext();
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                Map.Entry<String, byte[]> e = stored.next();
                return KeyValue.pair(Bytes.wrap(e.getKey().getBytes(StandardCharsets.UTF_8)), e.getValue());
            }

            @Override
            public Bytes peekNextKey() {
                throw new UnsupportedOperationException("peekNextKey");
            }

            @Override
            public void close() {
                stored.close();
            }
        };
    }

    @Override
    public long approximateNumEntries() {
        return index.size();
    }

    @Override
    public void flush() {
        index.commit();
    }

    @Override
    public void close() {
        open = false;
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
        if (index != null) {
            index.close();
            index = null;
        }
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Position getPosition() {
        return position;
    }
}
