package io.openbio.processors.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.SearchHit;
import io.openbio.events.SearchPartial;
import io.openbio.events.SearchQuery;
import io.openbio.schemas.Topics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scatter (multicast partitioner, producer records) and gather (merge of partials). */
class SearchGatherTest {

    static SearchPartial partial(int partition, int partitions, String error, SearchHit... hits) {
        return new SearchPartial("req", "c", "FACE", partition, partitions, List.of(hits), error);
    }

    @Test
    void mergeKeepsTheBestLimitAcrossPartialsBestFirst() {
        List<SearchHit> merged = SearchGather.merge(List.of(
                partial(0, 3, null, new SearchHit("a", 0.95), new SearchHit("b", 0.40)),
                partial(1, 3, null, new SearchHit("c", 0.99), new SearchHit("d", 0.50)),
                partial(2, 3, null)), 3);
        assertThat(merged).extracting(SearchHit::getRecordId).containsExactly("c", "a", "d");
        assertThat(SearchGather.merge(List.of(partial(0, 1, null, new SearchHit("a", 0.9))), 0)).isEmpty();
    }

    @Test
    void mergeCountsARecordOnceAndBreaksTiesByRecordId() {
        List<SearchHit> merged = SearchGather.merge(List.of(
                partial(0, 2, null, new SearchHit("x", 0.7), new SearchHit("b", 0.8)),
                partial(0, 2, null, new SearchHit("x", 0.7)), // redelivered partial
                partial(1, 2, null, new SearchHit("a", 0.8))), 10);
        assertThat(merged).extracting(SearchHit::getRecordId).containsExactly("a", "b", "x");
    }

    @Test
    void errorsCompletenessAndThreshold() {
        List<SearchPartial> partials = new ArrayList<>(List.of(partial(0, 2, "Collection does not exist"),
                partial(0, 2, "Collection does not exist")));
        assertThat(SearchGather.complete(partials)).as("the same partition twice is not all partitions").isFalse();
        partials.add(partial(1, 2, "Collection does not exist"));
        assertThat(SearchGather.complete(partials)).isTrue();
        assertThat(SearchGather.error(partials)).hasValue("Collection does not exist");
        assertThat(SearchGather.merge(partials, 5)).isEmpty();
        assertThat(SearchGather.complete(List.of())).isFalse();
        assertThat(SearchGather.error(List.of(partial(0, 1, null)))).isEmpty();

        List<SearchHit> hits = List.of(new SearchHit("a", 0.97), new SearchHit("b", 0.9), new SearchHit("c", 0.6));
        assertThat(SearchGather.atLeast(hits, 0.9)).extracting(SearchHit::getRecordId).containsExactly("a", "b");
    }

    /** Merging every shard's own exact top-k gives the global exact top-k. */
    @Test
    void mergeOfShardTopKEqualsGlobalTopK() {
        Random random = new Random(1);
        List<SearchHit> all = new ArrayList<>();
        List<List<SearchHit>> shards = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < 500; i++) {
            SearchHit hit = new SearchHit("r" + i, random.nextDouble() * 2 - 1);
            all.add(hit);
            shards.get(SearchScatter.shardOf(hit.getRecordId(), 4)).add(hit);
        }
        List<SearchPartial> partials = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            List<SearchHit> top = shards.get(s).stream().sorted(SearchGather.BEST_FIRST).limit(10).toList();
            partials.add(new SearchPartial("req", "c", "FACE", s, 4, top, null));
        }
        assertThat(SearchGather.merge(partials, 10)).containsExactlyElementsOf(all.stream().sorted(SearchGather.BEST_FIRST).limit(10).toList());
    }

    @Test
    void scatterMulticastsToEveryPartition() {
        SearchQuery query = new SearchQuery("req-9", "t", "c", "FACE", "m", io.openbio.processors.TestSealing.sealVector("t", "req-9", List.of(1f, 0f)), 5, SearchScatter.partitions());
        assertThat(SearchScatter.partitions()).isEqualTo(Topics.COLLECTION_RECORDS.partitions())
                .isEqualTo(Topics.SEARCH_QUERIES.partitions());
        assertThat(new SearchScatter().partitions(Topics.SEARCH_QUERIES.name(), "req-9", query, 6))
                .hasValue(Set.of(0, 1, 2, 3, 4, 5));
        var records = SearchScatter.records(query);
        assertThat(records).hasSize(6);
        Set<Integer> partitions = new HashSet<>();
        records.forEach(r -> {
            assertThat(r.topic()).isEqualTo(Topics.SEARCH_QUERIES.name());
            assertThat(r.key()).isEqualTo("req-9");
            partitions.add(r.partition());
        });
        assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void shardOfMatchesKafkasDefaultPartitioner() {
        // org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey on the serialized key
        for (String id : List.of("a", "rec-1", "9a05cb71-aaaa-bbbb-cccc-000000000000")) {
            byte[] key = org.apache.kafka.common.serialization.Serdes.String().serializer().serialize("t", id);
            assertThat(SearchScatter.shardOf(id, 6))
                    .isEqualTo(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(key, 6));
        }
    }
}
