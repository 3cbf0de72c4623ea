package io.openbio.processors.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.CollectionRecord;
import io.openbio.events.SearchHit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShardIndexTest {

    @Test
    void afterTheRebuildEnrolmentsUseTheSmallStreamingBufferAndStaySearchable() {
        try (ShardIndex index = ShardIndex.inMemory(ShardIndex.Settings.DEFAULT)) {
            assertThat(index.ramBufferMb()).as("rebuild: one big segment per shard").isEqualTo(512.0);
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < 50; i++) {
                index.upsert("r-" + i, "t", "c", "m1", 10, vector(random));
            }
            index.refresh();
            index.streaming();
            assertThat(index.ramBufferMb()).as("streaming enrolments").isEqualTo(ShardIndex.STREAMING_RAM_BUFFER_MB);
            float[] late = vector(random);
            index.upsert("r-late", "t", "c", "m1", 10, late);
            List<SearchHit> hits = index.search("t", "c", "m1", 0, late, 3);
            assertThat(hits).isNotEmpty();
            assertThat(hits.get(0).getRecordId()).as("a record enrolled after the rebuild is found").isEqualTo("r-late");
            assertThat(index.size()).isEqualTo(51);
        }
    }

    @Test
    void aRebuildOnSeveralThreadsIndexesEveryUsableRecordAndFindsEachByItsOwnVector() {
        SplittableRandom random = new SplittableRandom(11);
        List<CollectionRecord> records = new ArrayList<>();
        for (int i = 0; i < 2 * ShardIndex.REBUILD_BATCH + 17; i++) {
            records.add(record("r-" + i, vector(random)));
        }
        records.add(record("r-zero", new float[64]));
        try (ShardIndex index = ShardIndex.inMemory(ShardIndex.Settings.DEFAULT)) {
            int indexed = index.rebuild(records.iterator(), 3);
            assertThat(indexed).as("every record but the zero vector").isEqualTo(records.size() - 1);
            assertThat(index.size()).isEqualTo(records.size() - 1);
            assertThat(index.segments()).as("one in-memory segment per indexing thread at most").isBetween(1, 3);
            for (int i : new int[] {0, 255, 256, 400, records.size() - 2}) {
                CollectionRecord probe = records.get(i);
                List<SearchHit> hits = index.search("t", "c", "m1", 0, io.openbio.processors.TestSealing.vector(probe), 1);
                assertThat(hits).extracting(SearchHit::getRecordId).containsExactly(probe.getRecordId());
            }
            index.mergeInBackground();
            index.awaitMerged();
            assertThat(index.segments()).as("merged into one graph after the rebuild").isEqualTo(1);
            assertThat(index.search("t", "c", "m1", 0, io.openbio.processors.TestSealing.vector(records.get(300)), 1))
                    .extracting(SearchHit::getRecordId).containsExactly("r-300");
            index.upsert("r-0", "t", "c", "m1", 10, vector(random));
            assertThat(index.size()).as("an update after the rebuild replaces, not adds").isEqualTo(records.size() - 1);
        }
    }

    @Test
    void aRebuildOnOneThreadGivesTheSameIndex() {
        SplittableRandom random = new SplittableRandom(12);
        List<CollectionRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(record("r-" + i, vector(random)));
        }
        try (ShardIndex index = ShardIndex.inMemory(ShardIndex.Settings.DEFAULT)) {
            assertThat(index.rebuild(records.iterator(), 1)).isEqualTo(40);
            assertThat(index.segments()).isEqualTo(1);
            assertThat(index.search("t", "c", "m1", 0, io.openbio.processors.TestSealing.vector(records.get(7)), 1))
                    .extracting(SearchHit::getRecordId).containsExactly("r-7");
        }
    }

    @Test
    void recordsEnrolledBeforePayloadEncryptionOrSealedForAnotherRecordAreSkipped() {
        SplittableRandom random = new SplittableRandom(13);
        CollectionRecord good = record("r-good", vector(random));
        CollectionRecord plaintextEra = CollectionRecord.newBuilder(good).setRecordId("r-old").setSealedVector(null).build();
        CollectionRecord moved = CollectionRecord.newBuilder(good).setRecordId("r-moved").build(); // r-good's envelope under another id
        try (ShardIndex index = ShardIndex.inMemory(ShardIndex.Settings.DEFAULT)) {
            assertThat(index.rebuild(List.of(good, plaintextEra, moved).iterator(), 1)).isEqualTo(1);
            assertThat(index.upsert(plaintextEra)).isFalse();
            assertThat(index.upsert(moved)).isFalse();
            assertThat(index.size()).isEqualTo(1);
        }
    }

    private static CollectionRecord record(String id, float[] vector) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        return CollectionRecord.newBuilder()
                .setRecordId(id)
                .setTenant("t")
                .setCollection("c")
                .setModelId("face")
                .setModelVersion("m1")
                .setCreatedAt(10)
                .setSealedVector(io.openbio.processors.TestSealing.sealVector("t", id, values))
                .build();
    }

    private static float[] vector(SplittableRandom random) {
        float[] v = new float[64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
