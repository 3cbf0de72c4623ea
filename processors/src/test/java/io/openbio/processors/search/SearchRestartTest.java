package io.openbio.processors.search;

import static io.openbio.processors.search.SearchTopologyTest.MODEL;
import static io.openbio.processors.search.SearchTopologyTest.collection;
import static io.openbio.processors.search.SearchTopologyTest.query;
import static io.openbio.processors.search.SearchTopologyTest.record;
import static io.openbio.processors.search.SearchTopologyTest.unit;
import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.CollectionRecord;
import io.openbio.events.CollectionState;
import io.openbio.events.SearchPartial;
import io.openbio.events.SearchQuery;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.schemas.Topics;
import io.openbio.testkit.Drivers;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A search task that restarts with its state folder (its processor and store closed, Kafka Streams
 * having flushed the store, then both opened again, as after a restarted container) answers exactly as
 * before from the committed index, without rebuilding anything.
 */
class SearchRestartTest {

    private static KeyValueStore<String, CollectionRecord> recordStore() {
        return Stores.keyValueStoreBuilder(ShardStore.supplier(SearchProcessor.RECORDS_STORE, ShardIndex.Settings.DEFAULT,
                        Topics.COLLECTION_RECORDS.valueSerde(Drivers.SERDES).deserializer(), 2), Serdes.String(),
                Topics.COLLECTION_RECORDS.valueSerde(Drivers.SERDES)).withLoggingDisabled().build();
    }

    @Test
    void aRestartedTaskReopensItsCommittedIndexAndAnswersTheSame() throws Exception {
        File stateDir = Files.createTempDirectory("search-restart").toFile();
        KeyValueStore<String, CollectionState> collections = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(SearchProcessor.COLLECTIONS_STORE), Serdes.String(),
                Topics.COLLECTIONS.valueSerde(Drivers.SERDES)).withLoggingDisabled().build();

        Random random = new Random(3);
        SearchQuery query = query("q", "t1", "c", MODEL, unit(random, 64), 10, 6);
        KeyValueStore<String, CollectionRecord> records = recordStore();
        MockProcessorContext<String, SearchPartial> first = context(stateDir, records, collections);
        SearchProcessor.ShardSearcher searcher = new SearchProcessor.ShardSearcher(ShardIndex.Settings.DEFAULT,
                ProcessorSettings.defaults().searchRebuildThreads());
        searcher.init(first);
        collections.put("t1/c", collection("t1", "c", 0, false));
        for (int i = 0; i < 3000; i++) { // enough for the graph search, not only exact scans
            send(first, searcher, Topics.COLLECTION_RECORDS.name(), "r" + i, record("r" + i, "t1", "c", MODEL, 1, unit(random, 64)));
        }
        for (int i = 0; i < 3000; i += 7) {
            send(first, searcher, Topics.COLLECTION_RECORDS.name(), "r" + i, null);
        }
        send(first, searcher, Topics.SEARCH_QUERIES.name(), "q", query);
        List<SearchPartial> before = answers(first);
        searcher.close();
        records.flush(); // what Kafka Streams does before it checkpoints and closes the task
        records.close();
        assertThat(new File(stateDir, SearchProcessor.RECORDS_STORE)).as("the index is the state: kept").isDirectory();

        KeyValueStore<String, CollectionRecord> reopened = recordStore();
        MockProcessorContext<String, SearchPartial> second = context(stateDir, reopened, collections);
        SearchProcessor.ShardSearcher restarted = new SearchProcessor.ShardSearcher(ShardIndex.Settings.DEFAULT,
                ProcessorSettings.defaults().searchRebuildThreads());
        restarted.init(second);
        assertThat(restarted.index().size()).isEqualTo(3000 - 429);
        assertThat(reopened.get("r1").getRecordId()).isEqualTo("r1");
        assertThat(reopened.get("r7")).isNull();
        send(second, restarted, Topics.SEARCH_QUERIES.name(), "q", query);
        List<SearchPartial> after = answers(second);
        restarted.close();
        reopened.close();

        assertThat(before).hasSize(1);
        assertThat(before.get(0).getHits()).hasSize(10);
        assertThat(before.get(0).getHits()).allMatch(h -> Integer.parseInt(h.getRecordId().substring(1)) % 7 != 0);
        assertThat(after).as("the same index: the same answer").isEqualTo(before);
        assertThat(after.get(0).getPartition()).isEqualTo(4);
    }

    private static MockProcessorContext<String, SearchPartial> context(File stateDir, KeyValueStore<?, ?>... stores) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "openbio-search");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        MockProcessorContext<String, SearchPartial> context = new MockProcessorContext<>(config, new TaskId(0, 4), stateDir);
        for (KeyValueStore<?, ?> store : stores) {
            store.init(context.getStateStoreContext(), store); // an in-memory store keeps its content: the restored state
            context.addStateStore(store);
        }
        return context;
    }

    private static void send(MockProcessorContext<String, SearchPartial> context, SearchProcessor.ShardSearcher searcher,
                             String topic, String key, Object value) {
        context.setRecordMetadata(topic, 4, 0);
        searcher.process(new Record<>(key, value, 0L));
    }

    private static List<SearchPartial> answers(MockProcessorContext<String, SearchPartial> context) {
        List<SearchPartial> partials = context.forwarded().stream().map(f -> (SearchPartial) f.record().value()).toList();
        context.resetForwards();
        return partials;
    }
}
