package io.openbio.processors.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.SearchHit;
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

    private static float[] vector(SplittableRandom random) {
        float[] v = new float[64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
