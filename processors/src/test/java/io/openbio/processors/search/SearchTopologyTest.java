package io.openbio.processors.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.CollectionRecord;
import io.openbio.events.CollectionState;
import io.openbio.events.SearchHit;
import io.openbio.events.SearchPartial;
import io.openbio.events.SearchQuery;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.schemas.Topics;
import io.openbio.testkit.Drivers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

/** The search stage's topology on TopologyTestDriver: one driver = one task = one shard. */
class SearchTopologyTest {
    static final String MODEL = "fr-1.0";

    /** One shard (task) with its input and output topics. */
    static final class Shard implements AutoCloseable {
        final Drivers.Driver driver;
        final TestInputTopic<String, CollectionState> collections;
        final TestInputTopic<String, CollectionRecord> records;
        final TestInputTopic<String, SearchQuery> queries;
        final TestOutputTopic<String, SearchPartial> partials;

        Shard() {
            driver = Drivers.start("openbio-search", new SearchProcessor(ProcessorSettings.defaults()).topology(Drivers.SERDES));
            collections = driver.input(Topics.COLLECTIONS);
            records = driver.input(Topics.COLLECTION_RECORDS);
            queries = driver.input(Topics.SEARCH_QUERIES);
            partials = driver.output(Topics.SEARCH_PARTIALS);
        }

        SearchPartial ask(SearchQuery query) {
            queries.pipeInput(query.getRequestId(), query);
            var answer = partials.readKeyValue();
            assertThat(answer.key).isEqualTo(query.getRequestId());
            assertThat(partials.isEmpty()).as("one partial per query and shard").isTrue();
            return answer.value;
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    static CollectionState collection(String tenant, String name, long createdAt, boolean deleted) {
        return new CollectionState(tenant, name, createdAt, deleted, createdAt);
    }

    static CollectionRecord record(String id, String tenant, String collection, String model, long createdAt, List<Float> vector) {
        return new CollectionRecord(id, tenant, collection, "fr", model, io.openbio.processors.TestSealing.sealVector(tenant, id, vector), createdAt);
    }

    static SearchQuery query(String requestId, String tenant, String collection, String model, List<Float> vector, int limit, int partitions) {
        return new SearchQuery(requestId, tenant, collection, "FACE", model, io.openbio.processors.TestSealing.sealVector(tenant, requestId, vector), limit, partitions);
    }

    static List<Float> unit(Random random, int dim) {
        List<Float> v = new ArrayList<>(dim);
        double norm = 0;
        float[] raw = new float[dim];
        for (int i = 0; i < dim; i++) {
            raw[i] = (float) random.nextGaussian();
            norm += raw[i] * raw[i];
        }
        for (float x : raw) {
            v.add((float) (x / Math.sqrt(norm)));
        }
        return v;
    }

    static List<Float> vec(float... values) {
        List<Float> v = new ArrayList<>();
        for (float x : values) {
            v.add(x);
        }
        return v;
    }

    static double cosine(List<Float> a, List<Float> b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
            na += a.get(i) * a.get(i);
            nb += b.get(i) * b.get(i);
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void recordsSpreadOverPartitionsAreFoundByMulticastAndMerged() {
        int partitions = 3;
        Random random = new Random(7);
        List<Shard> shards = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            shards.add(new Shard());
        }
        try {
            shards.forEach(s -> s.collections.pipeInput("t1/people", collection("t1", "people", 1000, false)));
            List<CollectionRecord> all = new ArrayList<>();
            int[] perShard = new int[partitions];
            for (int i = 0; i < 60; i++) {
                CollectionRecord r = record("rec-" + i, "t1", "people", MODEL, 2000 + i, unit(random, 16));
                all.add(r);
                int shard = SearchScatter.shardOf(r.getRecordId(), partitions);
                perShard[shard]++;
                shards.get(shard).records.pipeInput(r.getRecordId(), r);
            }
            assertThat(java.util.Arrays.stream(perShard).min().getAsInt()).as("the default partitioner spreads the records").isPositive();

            List<Float> probe = io.openbio.processors.TestSealing.vector(all.get(17));
            SearchQuery q = query("req-1", "t1", "people", MODEL, probe, 5, partitions);
            assertThat(new SearchScatter().partitions(Topics.SEARCH_QUERIES.name(), "req-1", q, partitions))
                    .hasValue(java.util.Set.of(0, 1, 2));
            List<SearchPartial> answers = new ArrayList<>();
            for (Shard shard : shards) { // the multicast: every partition gets the query
                SearchPartial partial = shard.ask(q);
                assertThat(partial.getError()).isNull();
                assertThat(partial.getPartitions()).isEqualTo(partitions);
                assertThat(partial.getCollection()).isEqualTo("people");
                assertThat(partial.getImageSource()).isEqualTo("FACE");
                assertThat(partial.getHits()).hasSizeLessThanOrEqualTo(5);
                // a shard answers only with its own partition's records
                for (SearchHit hit : partial.getHits()) {
                    assertThat(shards.get(SearchScatter.shardOf(hit.getRecordId(), partitions))).isSameAs(shard);
                }
                answers.add(partial);
            }
            List<SearchHit> merged = SearchGather.merge(answers, 5);

            List<String> expected = all.stream()
                    .sorted((a, b) -> Double.compare(cosine(probe, io.openbio.processors.TestSealing.vector(b)), cosine(probe, io.openbio.processors.TestSealing.vector(a))))
                    .limit(5).map(CollectionRecord::getRecordId).toList();
            assertThat(merged).extracting(SearchHit::getRecordId).containsExactlyElementsOf(expected);
            assertThat(merged.get(0).getRecordId()).isEqualTo("rec-17");
            assertThat(merged.get(0).getSimilarity()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            for (SearchHit hit : merged) {
                CollectionRecord r = all.stream().filter(x -> x.getRecordId().equals(hit.getRecordId())).findFirst().orElseThrow();
                assertThat(hit.getSimilarity()).isCloseTo(cosine(probe, io.openbio.processors.TestSealing.vector(r)), org.assertj.core.data.Offset.offset(1e-5));
            }
        } finally {
            shards.forEach(Shard::close);
        }
    }

    @Test
    void tombstoneRemovesARecordAndAnUpsertReplacesIt() {
        try (Shard shard = new Shard()) {
            shard.collections.pipeInput("t1/c", collection("t1", "c", 0, false));
            shard.records.pipeInput("a", record("a", "t1", "c", MODEL, 10, vec(1, 0, 0, 0)));
            shard.records.pipeInput("b", record("b", "t1", "c", MODEL, 10, vec(0.8f, 0.6f, 0, 0)));
            assertThat(shard.ask(query("q1", "t1", "c", MODEL, vec(1, 0, 0, 0), 10, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("a", "b");

            shard.records.pipeInput("a", (CollectionRecord) null);
            assertThat(shard.ask(query("q2", "t1", "c", MODEL, vec(1, 0, 0, 0), 10, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("b");
            assertThat(shard.driver.<String, CollectionRecord>getKeyValueStore(SearchProcessor.RECORDS_STORE).get("a")).isNull();

            shard.records.pipeInput("b", record("b", "t1", "c", MODEL, 10, vec(0, 0, 1, 0)));
            SearchPartial partial = shard.ask(query("q3", "t1", "c", MODEL, vec(1, 0, 0, 0), 10, 1));
            assertThat(partial.getHits()).extracting(SearchHit::getRecordId).containsExactly("b");
            assertThat(partial.getHits().get(0).getSimilarity()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void missingOrDeletedCollectionAnswersCollectionDoesNotExist() {
        try (Shard shard = new Shard()) {
            SearchPartial missing = shard.ask(query("q1", "t1", "nope", MODEL, vec(1, 0), 5, 1));
            assertThat(missing.getError()).isEqualTo("Collection does not exist");
            assertThat(missing.getHits()).isEmpty();

            shard.collections.pipeInput("t1/c", collection("t1", "c", 0, false));
            shard.records.pipeInput("a", record("a", "t1", "c", MODEL, 10, vec(1, 0)));
            assertThat(shard.ask(query("q2", "t1", "c", MODEL, vec(1, 0), 5, 1)).getHits()).hasSize(1);

            shard.collections.pipeInput("t1/c", collection("t1", "c", 0, true));
            assertThat(shard.ask(query("q3", "t1", "c", MODEL, vec(1, 0), 5, 1)).getError()).isEqualTo("Collection does not exist");

            shard.collections.pipeInput("t1/c", (CollectionState) null);
            assertThat(shard.ask(query("q4", "t1", "c", MODEL, vec(1, 0), 5, 1)).getError()).isEqualTo("Collection does not exist");
        }
    }

    @Test
    void recreatedCollectionHidesTheRecordsOfItsEarlierIncarnation() {
        try (Shard shard = new Shard()) {
            shard.collections.pipeInput("t1/c", collection("t1", "c", 100, false));
            shard.records.pipeInput("old", record("old", "t1", "c", MODEL, 150, vec(1, 0, 0)));
            shard.collections.pipeInput("t1/c", collection("t1", "c", 100, true));
            shard.collections.pipeInput("t1/c", collection("t1", "c", 500, false)); // re-created
            assertThat(shard.ask(query("q1", "t1", "c", MODEL, vec(1, 0, 0), 5, 1)).getHits()).isEmpty();

            shard.records.pipeInput("new", record("new", "t1", "c", MODEL, 500, vec(0.6f, 0.8f, 0)));
            SearchPartial partial = shard.ask(query("q2", "t1", "c", MODEL, vec(1, 0, 0), 5, 1));
            assertThat(partial.getError()).isNull();
            assertThat(partial.getHits()).extracting(SearchHit::getRecordId).containsExactly("new");
        }
    }

    @Test
    void nestedCollectionNamesAreFoundUnderTheKeysTheCollectionsStageWritesAndKeptApart() {
        try (Shard shard = new Shard()) {
            // keys as CollectionsProcessor writes them to openbio.collections (CollectionKey.encoded())
            shard.collections.pipeInput("t1/a", collection("t1", "a", 0, false));
            shard.collections.pipeInput("t1/a%2Fb", collection("t1", "a/b", 0, false));
            shard.records.pipeInput("in-a", record("in-a", "t1", "a", MODEL, 1, vec(1, 0)));
            shard.records.pipeInput("in-ab", record("in-ab", "t1", "a/b", MODEL, 1, vec(1, 0)));

            assertThat(shard.ask(query("q1", "t1", "a", MODEL, vec(1, 0), 5, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("in-a");
            assertThat(shard.ask(query("q2", "t1", "a/b", MODEL, vec(1, 0), 5, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("in-ab");

            shard.collections.pipeInput("t1/a", collection("t1", "a", 0, true));
            assertThat(shard.ask(query("q3", "t1", "a", MODEL, vec(1, 0), 5, 1)).getError()).isEqualTo("Collection does not exist");
            assertThat(shard.ask(query("q4", "t1", "a/b", MODEL, vec(1, 0), 5, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("in-ab");
            assertThat(shard.ask(query("q5", "t1/a", "b", MODEL, vec(1, 0), 5, 1)).getError())
                    .as("a tenant with '/' names no collection").isEqualTo("Collection does not exist");
        }
    }

    @Test
    void tenantsAndCollectionsAreIsolated() {
        try (Shard shard = new Shard()) {
            shard.collections.pipeInput("t1/c", collection("t1", "c", 0, false));
            shard.collections.pipeInput("t2/c", collection("t2", "c", 0, false));
            shard.collections.pipeInput("t1/other", collection("t1", "other", 0, false));
            shard.records.pipeInput("mine", record("mine", "t1", "c", MODEL, 1, vec(0, 1)));
            shard.records.pipeInput("theirs", record("theirs", "t2", "c", MODEL, 1, vec(1, 0)));
            shard.records.pipeInput("elsewhere", record("elsewhere", "t1", "other", MODEL, 1, vec(1, 0)));

            assertThat(shard.ask(query("q1", "t1", "c", MODEL, vec(1, 0), 10, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("mine");
            assertThat(shard.ask(query("q2", "t2", "c", MODEL, vec(1, 0), 10, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("theirs");
            // the same collection name of another tenant does not make t3's collection exist
            assertThat(shard.ask(query("q3", "t3", "c", MODEL, vec(1, 0), 10, 1)).getError()).isEqualTo("Collection does not exist");
        }
    }

    @Test
    void templatesOfAnotherModelVersionAreNeverReturned() {
        try (Shard shard = new Shard()) {
            shard.collections.pipeInput("t1/c", collection("t1", "c", 0, false));
            shard.records.pipeInput("v1", record("v1", "t1", "c", "fr-1.0", 1, vec(1, 0, 0)));
            shard.records.pipeInput("v2", record("v2", "t1", "c", "fr-2.0", 1, vec(1, 0, 0)));
            shard.records.pipeInput("v2-wide", record("v2-wide", "t1", "c", "fr-2.0", 1, vec(1, 0, 0, 0, 0, 0)));
            assertThat(shard.ask(query("q1", "t1", "c", "fr-1.0", vec(1, 0, 0), 10, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("v1");
            assertThat(shard.ask(query("q2", "t1", "c", "fr-2.0", vec(1, 0, 0), 10, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("v2");
            assertThat(shard.ask(query("q3", "t1", "c", "fr-3.0", vec(1, 0, 0), 10, 1)).getHits()).isEmpty();
        }
    }

    @Test
    void limitAndUnusableQueriesAreAnsweredNotDropped() {
        try (Shard shard = new Shard()) {
            shard.collections.pipeInput("t1/c", collection("t1", "c", 0, false));
            for (int i = 0; i < 8; i++) {
                shard.records.pipeInput("r" + i, record("r" + i, "t1", "c", MODEL, 1, vec(1, i)));
            }
            assertThat(shard.ask(query("q1", "t1", "c", MODEL, vec(1, 0), 3, 1)).getHits())
                    .extracting(SearchHit::getRecordId).containsExactly("r0", "r1", "r2");
            assertThat(shard.ask(query("q2", "t1", "c", MODEL, vec(0, 0), 3, 1)).getError()).isEqualTo("Invalid template");
            assertThat(shard.ask(query("q3", "t1", "c", MODEL, vec(1, 0), 0, 1)).getHits()).isEmpty();
        }
    }

    @Test
    void recordsAreChangeloggedSoTheStateLivesInKafka() {
        try (Shard shard = new Shard()) {
            shard.collections.pipeInput("t1/c", collection("t1", "c", 0, false));
            shard.records.pipeInput("a", record("a", "t1", "c", MODEL, 1, vec(1, 0)));
            assertThat(shard.driver.producedTopicNames()).contains("openbio-search-" + SearchProcessor.RECORDS_STORE + "-changelog");
        }
    }

    @Test
    void aThreadMayRebuildItsShardsForTwoHoursBeforeTheGroupDropsIt() {
        // 1,000,000 templates in 6 shards on one thread took 33 minutes to rebuild on 2 cores (BENCHMARKS.md)
        assertThat(new SearchProcessor(ProcessorSettings.defaults()).configOverrides())
                .containsEntry("main.consumer.max.poll.interval.ms", 2 * 60 * 60 * 1000);
    }
}
