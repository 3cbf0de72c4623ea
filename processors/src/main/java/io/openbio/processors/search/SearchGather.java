package io.openbio.processors.search;

import io.openbio.events.SearchHit;
import io.openbio.events.SearchPartial;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gather half of 1:N search: the shards' {@link SearchPartial}s of one request merged into the
 * final top-k. Pure functions (no Kafka): the assembler that collects the partials by request id
 * calls {@link #complete} to know when every shard answered, then {@link #error} and {@link #merge}.
 *
 * <p>Because every shard returns its own exact-rescored top {@code limit}, the global top
 * {@code limit} is always among the union of the partials: merging loses nothing.
 */
public final class SearchGather {
    /** Highest similarity first; equal similarities by record id (deterministic). */
    public static final Comparator<SearchHit> BEST_FIRST = Comparator.comparingDouble(SearchHit::getSimilarity).reversed()
            .thenComparing(SearchHit::getRecordId);

    private SearchGather() {
    }

    /**
     * The best {@code limit} hits of all partials, best first. A record id seen in several partials
     * (a redelivered or moved shard) counts once, with its highest similarity. Partials with an
     * error contribute nothing (see {@link #error}).
     */
    public static List<SearchHit> merge(List<SearchPartial> partials, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Map<String, SearchHit> best = new HashMap<>();
        for (SearchPartial partial : partials) {
            if (partial == null || partial.getError() != null) {
                continue;
            }
            for (SearchHit hit : partial.getHits()) {
                best.merge(hit.getRecordId(), hit, (a, b) -> a.getSimilarity() >= b.getSimilarity() ? a : b);
            }
        }
        List<SearchHit> hits = new ArrayList<>(best.values());
        hits.sort(BEST_FIRST);
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : List.copyOf(hits);
    }

    /** The hits at or above {@code threshold} (e.g. the API's probability threshold), order kept. */
    public static List<SearchHit> atLeast(List<SearchHit> hits, double threshold) {
        return hits.stream().filter(h -> h.getSimilarity() >= threshold).toList();
    }

    /** The first error any shard answered with (e.g. "Collection does not exist"), if any. */
    public static Optional<String> error(Collection<SearchPartial> partials) {
        return partials.stream().filter(p -> p != null && p.getError() != null).map(SearchPartial::getError).findFirst();
    }

    /** True once a partial from every partition ({@code partitions} of the query) is there. */
    public static boolean complete(Collection<SearchPartial> partials) {
        if (partials.isEmpty()) {
            return false;
        }
        int expected = partials.iterator().next().getPartitions();
        Set<Integer> seen = new HashSet<>();
        for (SearchPartial partial : partials) {
            seen.add(partial.getPartition());
        }
        return seen.size() >= expected;
    }
}
