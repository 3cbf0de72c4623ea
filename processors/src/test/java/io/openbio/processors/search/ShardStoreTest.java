package io.openbio.processors.search;

import static io.openbio.processors.search.SearchTopologyTest.MODEL;
import static io.openbio.processors.search.SearchTopologyTest.record;
import static io.openbio.processors.search.SearchTopologyTest.unit;
import static io.openbio.processors.search.SearchTopologyTest.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openbio.events.CollectionRecord;
import io.openbio.events.SearchHit;
import io.openbio.schemas.Topics;
import io.openbio.testkit.Drivers;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/**
 * The search shard's store that is its index: what it stores it answers by key and by vector, what the
 * changelog restores (a new pod, a standby replica) is indexed, and what it flushed survives a reopen.
 */
class ShardStoreTest {
    private static final Serde<CollectionRecord> SERDE = Topics.COLLECTION_RECORDS.valueSerde(Drivers.SERDES);

    /** A store opened in {@code dir} by a task context that keeps the restore callback the store registers. */
    private static final class Opened {
        final ShardStore store;
        final AtomicReference<StateRestoreCallback> restore = new AtomicReference<>();

        Opened(File dir, int restoreThreads) {
            store = new ShardStore(SearchProcessor.RECORDS_STORE, ShardIndex.Settings.DEFAULT, SERDE.deserializer(), restoreThreads);
            StateStoreContext context = (StateStoreContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {StateStoreContext.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "stateDir" -> dir;
                        case "applicationId" -> "openbio-search";
                        case "taskId" -> new TaskId(0, 2);
                        case "register" -> {
                            restore.set((StateRestoreCallback) args[1]);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            store.init(context, store);
        }

        void restore(List<KeyValue<byte[], byte[]>> batch) {
            ((BatchingStateRestoreCallback) restore.get()).restoreAll(batch);
        }
    }

    private static Bytes key(String id) {
        return Bytes.wrap(id.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(CollectionRecord record) {
        return SERDE.serializer().serialize("openbio-search-search-records-changelog", record);
    }

    private static List<String> top(ShardStore store, List<Float> probe, int limit) {
        return store.index().search("t1", "c", MODEL, 0, probe, limit).stream().map(h -> h.getRecordId().toString()).toList();
    }

    @Test
    void whatItStoresItAnswersByKeyAndByVectorAndATombstoneRemovesBoth() throws Exception {
        Opened opened = new Opened(Files.createTempDirectory("shard-store").toFile(), 1);
        ShardStore store = opened.store;
        assertThat(opened.restore.get()).as("registers its own restore callback").isInstanceOf(BatchingStateRestoreCallback.class);
        byte[] a = bytes(record("a", "t1", "c", MODEL, 10, vec(1, 0, 0, 0)));
        byte[] b = bytes(record("b", "t1", "c", MODEL, 10, vec(0.8f, 0.6f, 0, 0)));
        store.put(key("a"), a);
        store.put(key("b"), b);
        assertThat(store.get(key("a"))).isEqualTo(a);
        assertThat(store.get(key("nobody"))).isNull();
        assertThat(top(store, vec(1, 0, 0, 0), 10)).containsExactly("a", "b");

        byte[] b2 = bytes(record("b", "t1", "c", MODEL, 10, vec(1, 0.01f, 0, 0)));
        assertThat(store.putIfAbsent(key("b"), b2)).as("present: kept").isEqualTo(b);
        store.put(key("b"), b2);
        assertThat(store.index().size()).as("an update replaces").isEqualTo(2);
        assertThat(store.delete(key("a"))).as("the old value").isEqualTo(a);
        assertThat(store.get(key("a"))).isNull();
        assertThat(top(store, vec(1, 0, 0, 0), 10)).containsExactly("b");
        store.put(key("b"), null);
        assertThat(top(store, vec(1, 0, 0, 0), 10)).isEmpty();
        assertThat(store.approximateNumEntries()).isZero();
        assertThatThrownBy(() -> store.range(key("a"), key("z"))).isInstanceOf(UnsupportedOperationException.class);
        store.close();
        assertThat(store.isOpen()).isFalse();
    }

    @Test
    void aRecordWhoseVectorDoesNotOpenIsStoredButNotSearchable() throws Exception {
        ShardStore store = new Opened(Files.createTempDirectory("shard-store").toFile(), 1).store;
        CollectionRecord sealedForAnother = record("x", "t1", "c", MODEL, 10, vec(1, 0, 0, 0));
        sealedForAnother.setRecordId("x");
        sealedForAnother.setSealedVector(record("other-id", "t1", "c", MODEL, 10, vec(1, 0, 0, 0)).getSealedVector());
        byte[] x = bytes(sealedForAnother);
        store.put(key("x"), x);
        assertThat(store.get(key("x"))).isEqualTo(x);
        assertThat(top(store, vec(1, 0, 0, 0), 10)).isEmpty();
        store.close();
    }

    @Test
    void whatTheChangelogRestoresIsIndexedOnSeveralThreadsLastWriteWinning() throws Exception {
        Opened opened = new Opened(Files.createTempDirectory("shard-store").toFile(), 3);
        Random random = new Random(5);
        Map<String, List<Float>> vectors = new HashMap<>();
        List<KeyValue<byte[], byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < 1500; i++) { // over the threshold for the parallel path, enough for graph search
            String id = "r" + i;
            List<Float> v = unit(random, 64);
            vectors.put(id, v);
            batch.add(KeyValue.pair(id.getBytes(StandardCharsets.UTF_8), bytes(record(id, "t1", "c", MODEL, 1, v))));
        }
        batch.add(KeyValue.pair("r7".getBytes(StandardCharsets.UTF_8), null)); // a tombstone after the record, same batch
        List<Float> moved = unit(random, 64);
        batch.add(KeyValue.pair("r8".getBytes(StandardCharsets.UTF_8), bytes(record("r8", "t1", "c", MODEL, 1, moved))));
        opened.restore(batch.subList(0, 1000));
        opened.restore(batch.subList(1000, batch.size()));
        ShardStore store = opened.store;

        assertThat(store.index().size()).isEqualTo(1499);
        assertThat(store.get(key("r7"))).isNull();
        assertThat(top(store, vectors.get("r7"), 1)).doesNotContain("r7");
        assertThat(top(store, moved, 1)).as("the later write of r8").containsExactly("r8");
        for (String id : List.of("r0", "r500", "r999", "r1000", "r1499")) {
            assertThat(top(store, vectors.get(id), 1)).as("restored and searchable: %s", id).containsExactly(id);
        }
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            all.forEachRemaining(kv -> ids.add(new String(kv.key.get(), StandardCharsets.UTF_8)));
        }
        assertThat(ids).hasSize(1499).doesNotContain("r7").contains("r8", "r0");
        store.close();
    }

    @Test
    void whatWasFlushedSurvivesAReopenAndWhatWasNotIsLeftToTheChangelog() throws Exception {
        File dir = Files.createTempDirectory("shard-store").toFile();
        ShardStore first = new Opened(dir, 1).store;
        byte[] a = bytes(record("a", "t1", "c", MODEL, 10, vec(1, 0, 0, 0)));
        first.put(key("a"), a);
        first.put(key("b"), bytes(record("b", "t1", "c", MODEL, 10, vec(0, 1, 0, 0))));
        first.flush(); // Kafka Streams checkpoints the changelog offset after this
        first.put(key("c"), bytes(record("c", "t1", "c", MODEL, 10, vec(0, 0, 1, 0)))); // after the checkpoint
        first.close();

        ShardStore reopened = new Opened(dir, 1).store;
        assertThat(reopened.get(key("a"))).isEqualTo(a);
        assertThat(top(reopened, vec(0, 1, 0, 0), 1)).as("searchable without any rebuild").containsExactly("b");
        assertThat(reopened.get(key("c"))).as("not committed: restored again from the checkpoint").isNull();
        assertThat(reopened.index().size()).isEqualTo(2);
        reopened.close();
    }

    @Test
    void theProcessorFindsTheStoreInsideTheMeteredAndChangeloggedOne() {
        try (SearchTopologyTest.Shard shard = new SearchTopologyTest.Shard()) {
            var store = shard.driver.<String, CollectionRecord>getKeyValueStore(SearchProcessor.RECORDS_STORE);
            assertThat(ShardStore.of(store)).isNotNull();
            shard.records.pipeInput("a", record("a", "t1", "c", MODEL, 10, vec(1, 0, 0, 0)));
            assertThat(store.get("a").getRecordId()).isEqualTo("a");
            List<SearchHit> hits = ShardStore.of(store).index().search("t1", "c", MODEL, 0, vec(1, 0, 0, 0), 1);
            assertThat(hits).extracting(SearchHit::getRecordId).containsExactly("a");
        }
    }
}
