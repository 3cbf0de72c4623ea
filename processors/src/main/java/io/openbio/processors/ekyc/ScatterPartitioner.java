package io.openbio.processors.ekyc;

import io.openbio.events.SearchQuery;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/** Multicasts a search query to every partition of the search query topic (scatter). */
public final class ScatterPartitioner implements StreamPartitioner<String, SearchQuery> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, SearchQuery value, int numPartitions) {
        return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
    }
}
