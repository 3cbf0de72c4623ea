package io.openbio.gateway.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.openbio.events.ResultEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/** Requests of this gateway instance that wait for their result, by request id. No thread waits. */
@Component
public class PendingReplies {
    private final ConcurrentMap<String, CompletableFuture<ResultEvent>> pending = new ConcurrentHashMap<>();

    public PendingReplies(MeterRegistry meters) {
        Gauge.builder("openbio.gateway.pending.requests", pending, ConcurrentMap::size)
                .description("Requests waiting for their pipeline result")
                .register(meters);
    }

    public CompletableFuture<ResultEvent> register(String requestId) {
        CompletableFuture<ResultEvent> future = new CompletableFuture<>();
        pending.put(requestId, future);
        future.whenComplete((result, error) -> pending.remove(requestId, future));
        return future;
    }

    /** Completes the waiting request; false when nobody waits any more (timed out, or another instance's). */
    public boolean complete(ResultEvent result) {
        CompletableFuture<ResultEvent> future = pending.remove(result.getRequestId());
        return future != null && future.complete(result);
    }

    public int size() {
        return pending.size();
    }
}
