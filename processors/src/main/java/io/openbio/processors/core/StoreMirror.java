package io.openbio.processors.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a key-value store equal to a compacted topic: a value puts, a tombstone deletes, a record
 * without a key is ignored. Used for global stores (a stage's read-only view of a table) and for
 * tables a stage reads back into a co-partitioned store. Optionally purges, once a minute, entries
 * whose own time ({@code since}) is more than {@code keepMs} in the past.
 *
 * @param <V> the table's value type
 */
public final class StoreMirror<V> implements Processor<String, V, Void, Void> {
    private final String storeName;
    private final ToLongFunction<V> since;
    private final long keepMs;
    private KeyValueStore<String, V> store;

    private StoreMirror(String storeName, ToLongFunction<V> since, long keepMs) {
        this.storeName = storeName;
        this.since = since;
        this.keepMs = keepMs;
    }

    /** A mirror of the table into {@code storeName}, kept whole. */
    public static <V> StoreMirror<V> of(String storeName) {
        return new StoreMirror<>(storeName, null, 0);
    }

    /** A mirror that drops an entry {@code keepMs} after its own time {@code since} (epoch ms). */
    public static <V> StoreMirror<V> purging(String storeName, ToLongFunction<V> since, long keepMs) {
        return new StoreMirror<>(storeName, since, keepMs);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        if (since != null) {
            context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, now -> purge(store, now, since, keepMs));
        }
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }

    /** Deletes the entries of {@code store} whose time {@code since} is more than {@code keepMs} before {@code now}. */
    public static <V> void purge(KeyValueStore<String, V> store, long now, ToLongFunction<V> since, long keepMs) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                if (since.applyAsLong(entry.value) + keepMs < now) {
                    old.add(entry.key);
                }
            }
        }
        old.forEach(store::delete);
    }
}
