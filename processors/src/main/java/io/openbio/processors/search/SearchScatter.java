package io.openbio.processors.search;

import io.openbio.events.SearchQuery;
import io.openbio.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The scatter half of 1:N search: every {@link SearchQuery} goes to EVERY partition of
 * {@link Topics#SEARCH_QUERIES}, whose partitions are those of {@link Topics#COLLECTION_RECORDS}
 * (co-partitioned: partition p of the queries reaches the task that indexes partition p of the
 * records). Each shard answers with one {@code SearchPartial}; {@link SearchGather} merges them.
 *
 * <p>From Kafka Streams (multicast): {@code queries.to(Topics.SEARCH_QUERIES.name(),
 * Produced.with(keySerde, valueSerde).withStreamPartitioner(new SearchScatter()))}; set the query's
 * {@code partitions} with {@link #partitions()}. From a plain producer: send every record of
 * {@link #records(SearchQuery)} (in one transaction, or accept that a lost send leaves the gatherer
 * waiting until its timeout).
 */
public final class SearchScatter implements StreamPartitioner<String, SearchQuery> {

    /** All partitions of the topic: a multicast. */
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, SearchQuery value, int numPartitions) {
        return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet()));
    }

    /** How many partials a query waits for: the partitions of the queries (= records) topic. */
    public static int partitions() {
        return Topics.SEARCH_QUERIES.partitions();
    }

    /** One producer record per partition, keyed by request id. */
    public static List<ProducerRecord<String, SearchQuery>> records(SearchQuery query) {
        List<ProducerRecord<String, SearchQuery>> records = new ArrayList<>(query.getPartitions());
        for (int p = 0; p < query.getPartitions(); p++) {
            records.add(new ProducerRecord<>(Topics.SEARCH_QUERIES.name(), p, query.getRequestId(), query));
        }
        return records;
    }

    /**
     * The partition (shard) a record with this id lands on under Kafka's default partitioner (murmur2
     * of the serialized string key): where the record producer's plain {@code send} puts it.
     */
    public static int shardOf(String recordId, int numPartitions) {
        return Utils.toPositive(Utils.murmur2(recordId.getBytes(StandardCharsets.UTF_8))) % numPartitions;
    }
}
