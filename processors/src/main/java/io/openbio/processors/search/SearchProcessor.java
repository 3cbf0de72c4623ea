package io.openbio.processors.search;

import io.openbio.events.CollectionRecord;
import io.openbio.events.CollectionState;
import io.openbio.events.SearchHit;
import io.openbio.events.SearchPartial;
import io.openbio.events.SearchQuery;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CollectionKey;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code search} stage: sharded 1:N search over enrolled templates (IDLive API collections).
 *
 * <p><b>Shards.</b> {@link Topics#COLLECTION_RECORDS} (compacted, record id -> template) and
 * {@link Topics#SEARCH_QUERIES} have the same partitions; one Kafka Streams task per partition holds
 * the records of its partition in a persistent state store (RocksDB, changelogged in Kafka: the state
 * lives in Kafka) that is itself the shard's search index ({@link ShardStore}: a Lucene int8 HNSW
 * {@link ShardIndex} holding each record's bytes too), memory-mapped from the task's state folder. Every query is multicast to all partitions ({@link SearchScatter}); each task answers
 * with its top {@code limit} as a {@link SearchPartial} keyed by request id on
 * {@link Topics#SEARCH_PARTIALS}, and the gatherer merges them ({@link SearchGather#merge}). More pods
 * (up to the partition count) = more shards searched in parallel, each holding less of the index.
 *
 * <p><b>Start and failover.</b> Kafka Streams restores the record store from its changelog before the
 * task's processor is initialised, and restoring indexes ({@link ShardStore}: each restore batch on
 * {@link ProcessorSettings#searchRebuildThreads()} threads), so the processor finds a complete index.
 * A restart with its state folder reopens the committed index and restores the changelog's tail. With
 * standby replicas ({@code OPENBIO_STREAMS_STANDBY_REPLICAS}, default 1) another instance keeps each
 * shard's index warm by the same restore path, and when an instance dies Kafka Streams recycles the
 * standby into the active task without closing its store: the new owner answers after the group's
 * session timeout and the changelog's tail (BENCHMARKS.md, "Search failover"). While a shard moves its
 * queries wait in its partition (exactly-once: the new owner answers them); a request whose shards did
 * not all answer within the assembler's timeout answers its search with the explicit error
 * {@code "The search did not answer in time"} ({@code AssemblerProcessor}), never merged hits of the
 * shards that did.
 *
 * <p><b>Collections.</b> {@link Topics#COLLECTIONS} (one partition, compacted) is a GLOBAL store: every
 * instance holds all collections. A query on a collection that does not exist or is deleted answers
 * {@link #COLLECTION_NOT_FOUND}; records created before the collection's current {@code createdAt}
 * belong to a deleted incarnation and are never returned, nor are records of another tenant, another
 * collection or another model version (templates of different models are not comparable).
 *
 * <p>{@link #inputs()} names the partitioned inputs (they bound the useful pod count); the global
 * {@link #GLOBAL_INPUT} is read in full by every instance.
 */
public final class SearchProcessor implements StreamProcessor {
    public static final String NAME = EkycContract.SEARCH.name();
    public static final String RECORDS_STORE = "search-records";
    public static final String COLLECTIONS_STORE = "search-collections";
    public static final String COLLECTION_NOT_FOUND = "Collection does not exist";
    public static final String INVALID_TEMPLATE = "Invalid template";
    public static final TopicSpec<CollectionState> GLOBAL_INPUT = Topics.COLLECTIONS;
    private static final Logger log = LoggerFactory.getLogger(SearchProcessor.class);

    private final ShardIndex.Settings settings;
    private final int maxRebuildMs;
    private final int rebuildThreads;

    /** With the default settings ({@link ProcessorSettings#defaults()}); ProcessorMain passes the process's. */
    public SearchProcessor() {
        this(ProcessorSettings.defaults());
    }

    public SearchProcessor(ProcessorSettings settings) {
        this(ShardIndex.Settings.DEFAULT, settings);
    }

    /**
     * @param index    the shards' index parameters
     * @param settings {@link ProcessorSettings#searchMaxRebuildMs()} is the main consumer's poll interval (see
     *                 {@link #configOverrides()}); {@link ProcessorSettings#searchRebuildThreads()} threads
     *                 index each restore batch of a shard's store ({@link ShardStore}): the HNSW build is the
     *                 whole cost of a new pod's start, and one thread per core divides it
     */
    public SearchProcessor(ShardIndex.Settings index, ProcessorSettings settings) {
        this.settings = index;
        this.maxRebuildMs = settings.searchMaxRebuildMs();
        this.rebuildThreads = settings.searchRebuildThreads();
    }

    /**
     * The key of a collection on {@link Topics#COLLECTIONS}, as the collections stage writes it:
     * {@link CollectionKey#encoded()} ({@code <tenant>/<collection>}, the name escaped).
     */
    public static String collectionKey(String tenant, String collection) {
        return new CollectionKey(tenant, collection).encoded();
    }

    @Override
    public Stage stage() {
        return EkycContract.SEARCH;
    }

    /** The partitioned inputs, which bound the useful pod count: the contract's, less the global {@link #GLOBAL_INPUT}. */
    @Override
    public List<TopicSpec<?>> inputs() {
        return stage().inputs().stream().filter(topic -> !topic.equals(GLOBAL_INPUT)).toList();
    }

    /**
     * Indexing now happens while the store restores ({@link ShardStore}), which Kafka Streams' state
     * updater does without holding up the poll loop; the long poll interval is kept as a margin for a
     * thread that initialises or commits (a Lucene commit per shard) many large shards at once. Before,
     * rebuilding the shards' indexes happened in the tasks' initialisation, and a stream thread
     * initialises all the tasks it restored before it polls again: the poll interval must cover the
     * rebuild of every shard one thread owns, or the group drops the member just as it turns RUNNING,
     * takes its tasks away and the rebuild starts over (seen with 1,000,000 templates in 6 shards on
     * one thread: 33 minutes of rebuild against the 15 minutes allowed before). Default 2 hours
     * ({@link ProcessorSettings#searchMaxRebuildMs()}); the Kafka default is 5 minutes. A hung thread is then
     * noticed by the group that much later; more pods or threads per pod shorten the rebuild.
     */
    @Override
    public Map<String, Object> configOverrides() {
        return Map.of(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), maxRebuildMs);
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        TopicSpec<CollectionState> collections = Topics.COLLECTIONS;
        TopicSpec<CollectionRecord> records = Topics.COLLECTION_RECORDS;
        TopicSpec<SearchQuery> queries = Topics.SEARCH_QUERIES;
        TopicSpec<SearchPartial> partials = Topics.SEARCH_PARTIALS;

        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COLLECTIONS_STORE),
                        Serdes.String(), collections.valueSerde(serdes)).withLoggingDisabled(),
                "collections-source", collections.keySerde().deserializer(), collections.valueSerde(serdes).deserializer(),
                collections.name(), "collections-updater", () -> io.openbio.processors.core.StoreMirror.<CollectionState>of(COLLECTIONS_STORE));

        topology.addSource("records-source", records.keySerde().deserializer(), records.valueSerde(serdes).deserializer(), records.name());
        topology.addSource("queries-source", queries.keySerde().deserializer(), queries.valueSerde(serdes).deserializer(), queries.name());
        topology.addProcessor("shard-searcher", () -> new ShardSearcher(settings, rebuildThreads), "records-source", "queries-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(ShardStore.supplier(RECORDS_STORE, settings,
                records.valueSerde(serdes).deserializer(), rebuildThreads), Serdes.String(), records.valueSerde(serdes)), "shard-searcher");
        topology.addSink("partials-sink", partials.name(), partials.keySerde().serializer(),
                partials.valueSerde(serdes).serializer(), "shard-searcher");
        return topology;
    }

    /**
     * One shard: record upserts/tombstones go to the store and the index; queries are answered from
     * the index. One instance per task, so the index is the task's own.
     */
    static final class ShardSearcher implements Processor<String, Object, String, SearchPartial> {
        private final ShardIndex.Settings settings;
        private final int rebuildThreads;
        private ProcessorContext<String, SearchPartial> context;
        private KeyValueStore<String, CollectionRecord> records;
        private KeyValueStore<String, CollectionState> collections;
        private ShardIndex index;

        ShardSearcher(ShardIndex.Settings settings, int rebuildThreads) {
            this.settings = settings;
            this.rebuildThreads = rebuildThreads;
        }

        @Override
        public void init(ProcessorContext<String, SearchPartial> context) {
            this.context = context;
            this.records = context.getStateStore(RECORDS_STORE);
            this.collections = context.getStateStore(COLLECTIONS_STORE);
            // the record store is the index: restored (or kept warm as a standby) before this runs
            this.index = ShardStore.of(records).index();
            log.info("search shard {}: serving from its index of {} records ({} segments)",
                    context.taskId(), index.size(), index.segments());
        }

        @Override
        public void process(Record<String, Object> record) {
            String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
            boolean isQuery = topic != null ? topic.equals(Topics.SEARCH_QUERIES.name()) : record.value() instanceof SearchQuery;
            if (isQuery) {
                if (record.value() instanceof SearchQuery query) {
                    answer(record, query);
                }
            } else if (record.key() != null) {
                update(record.key(), (CollectionRecord) record.value());
            }
        }

        private void update(String recordId, CollectionRecord value) {
            // the store indexes what it stores (ShardStore)
            if (value == null) {
                records.delete(recordId);
                return;
            }
            records.put(recordId, value);
        }

        private void answer(Record<String, Object> record, SearchQuery query) {
            SearchPartial.Builder partial = SearchPartial.newBuilder()
                    .setRequestId(query.getRequestId())
                    .setCollection(query.getCollection())
                    .setImageSource(query.getImageSource())
                    .setPartition(context.taskId().partition())
                    .setPartitions(query.getPartitions())
                    .setHits(List.of())
                    .setError(null);
            CollectionState collection = collection(query);
            if (collection == null || collection.getDeleted()) {
                partial.setError(COLLECTION_NOT_FOUND);
            } else {
                try {
                    List<SearchHit> hits = index.search(query.getTenant(), query.getCollection(), query.getModelVersion(),
                            collection.getCreatedAt(), probe(query), query.getLimit());
                    partial.setHits(hits);
                } catch (IllegalArgumentException | io.openbio.schemas.crypto.SealedPayloadException e) {
                    partial.setError(INVALID_TEMPLATE);
                }
            }
            context.forward(record.withKey(query.getRequestId()).withValue(partial.build()));
        }

        /** The query's probe vector, opened: sealed for its tenant under its request id. */
        private static float[] probe(SearchQuery query) {
            if (query.getSealedVector() == null) {
                throw new IllegalArgumentException("no sealed probe vector");
            }
            byte[] bytes = new byte[query.getSealedVector().remaining()];
            query.getSealedVector().duplicate().get(bytes);
            return io.openbio.schemas.crypto.PayloadKeys.shared().openVector(query.getTenant(), query.getRequestId(), bytes);
        }

        /** The live or deleted collection {@code query} searches; null when there is none (or no key can name it). */
        private CollectionState collection(SearchQuery query) {
            try {
                return collections.get(collectionKey(query.getTenant(), query.getCollection()));
            } catch (IllegalArgumentException e) {
                return null; // a tenant with '/': the gateway refuses those, so no collection has one
            }
        }

        /** The task's index (tests). */
        ShardIndex index() {
            return index;
        }

        @Override
        public void close() {
            if (index != null && context != null) {
                log.info("search shard {}: no longer served by this processor", context.taskId());
            }
            index = null; // the store's: Kafka Streams closes it with the task (or keeps it, recycled)
        }
    }
}
