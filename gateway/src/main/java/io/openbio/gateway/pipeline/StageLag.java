package io.openbio.gateway.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.openbio.schemas.contract.Route;
import io.openbio.schemas.contract.Stage;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Consumer lag of the processor stages, the gateway's second back-pressure signal (the first is
 * {@code openbio.gateway.max-pending}).
 *
 * <p>A background daemon thread asks the broker, every {@code openbio.gateway.lag-check-interval}
 * (1 s), for the committed offsets of each required stage's Kafka Streams consumer group
 * ({@link Stage#applicationId(String)}; the stages {@link PipelineHealth} requires) and the log-end offsets of those
 * partitions (read_committed, i.e. the last stable offset). A stage's lag is the sum over its
 * committed partitions of {@code end - committed} (never below 0); partitions the group never
 * committed are not counted. Request threads only read the last snapshot: they never wait for the
 * broker.
 *
 * <p>When a stage's lag exceeds {@code openbio.gateway.max-lag} ({@code OPENBIO_GATEWAY_MAX_LAG},
 * default 1000; 0 or less disables the check, its polling and its gauge), new pipeline requests
 * whose route passes through that stage are answered 429 at once: {@link #overload(Collection)}
 * considers only the stages it is given, the caller's route ({@link RequestReplyClient}). A stage
 * off every route (the callback stage reads results after they are answered) is watched and
 * measured but sheds nothing, and one product's backlog never refuses another product's requests. {@code Retry-After} is derived from the stage's drain rate (records
 * its group committed per second over the last interval): the seconds it needs to get back under
 * the bound, rounded up and clamped to 1..5; a stage that did not advance (stopped or stalled)
 * gets 5.
 *
 * <p>A failed or slow lag query never blocks or fails requests: a stage whose offsets could not be
 * read, and every stage when the last good snapshot is older than 5 intervals (at least 5 s), is
 * unknown, and unknown never sheds. Failures are logged at WARN at most once a minute, else DEBUG.
 *
 * <p>Gauge {@code openbio_stage_lag{stage="..."}}: the last lag of each stage (NaN while unknown).
 */
@Component
public class StageLag implements InitializingBean, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(StageLag.class);
    static final int MIN_RETRY_AFTER_S = 1;
    static final int MAX_RETRY_AFTER_S = 5;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Admin admin;
    private final Map<String, String> groupsByStage = new LinkedHashMap<>();
    private final long maxLag;
    private final Duration interval;
    private final long staleAfterNanos;
    private ScheduledExecutorService executor;
    private volatile Snapshot last;
    private long lastWarnNanos;

    /** One stage's state: its lag, how fast it drains (records / s; NaN on the first sample), its committed offsets. */
    public record StageState(long lag, double drainPerSecond, Map<TopicPartition, Long> committed) {
    }

    /** The lag of every stage whose offsets could be read, at {@code atNanos} ({@link System#nanoTime()}). */
    public record Snapshot(Map<String, StageState> stages, long atNanos) {
    }

    /** A stage over the bound: the answer is 429 with {@code Retry-After: retryAfterSeconds}. */
    public record Overload(String stage, long lag, long maxLag, int retryAfterSeconds) {
    }

    public StageLag(Admin admin, PipelineHealth health, MeterRegistry meters,
                    @Value("${openbio.gateway.max-lag:1000}") long maxLag,
                    @Value("${openbio.gateway.lag-check-interval:1s}") Duration interval) {
        this.admin = admin;
        this.maxLag = maxLag;
        this.interval = interval.isNegative() || interval.isZero() ? Duration.ofSeconds(1) : interval;
        this.staleAfterNanos = Math.max(TimeUnit.SECONDS.toNanos(5), 5 * this.interval.toNanos());
        for (String stage : health.requiredProcessors()) {
            groupsByStage.put(stage, Stage.applicationId(stage));
        }
        if (enabled() && meters != null) {
            for (String stage : groupsByStage.keySet()) {
                Gauge.builder("openbio.stage.lag", this, lag -> lag.lagOf(stage))
                        .tag("stage", stage)
                        .description("Records the stage's consumer group has not yet committed (sum over partitions)")
                        .register(meters);
            }
        }
    }

    public boolean enabled() {
        return maxLag > 0 && !groupsByStage.isEmpty();
    }

    public long maxLag() {
        return maxLag;
    }

    @Override
    public void afterPropertiesSet() {
        if (!enabled()) {
            log.info("consumer-lag back-pressure is off (openbio.gateway.max-lag={})", maxLag);
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "openbio-stage-lag");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("watching the consumer lag of {} stage(s) every {} ms; new requests get 429 above {} records",
                groupsByStage.size(), interval.toMillis(), maxLag);
    }

    @Override
    public void destroy() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** The last snapshot (null before the first good one). */
    public Snapshot snapshot() {
        return last;
    }

    /**
     * Of {@code stages} (a request's route, {@link Route#stageNames()}), the one over the bound with
     * the longest expected wait, if any; empty when disabled or unknown, and for stages this instance
     * does not watch or that are not over the bound. Stages not in {@code stages} never count, however
     * far behind they are.
     */
    public Optional<Overload> overload(Collection<String> stages) {
        return overload(stages, System.nanoTime());
    }

    Optional<Overload> overload(Collection<String> stages, long nowNanos) {
        Snapshot snapshot = last;
        if (!enabled() || stages.isEmpty() || snapshot == null || nowNanos - snapshot.atNanos() > staleAfterNanos) {
            return Optional.empty();
        }
        Overload worst = null;
        for (String stage : stages) {
            StageState state = snapshot.stages().get(stage);
            if (state != null && state.lag() > maxLag) {
                int retryAfter = retryAfterSeconds(state.lag(), maxLag, state.drainPerSecond());
                if (worst == null || retryAfter > worst.retryAfterSeconds()
                        || (retryAfter == worst.retryAfterSeconds() && state.lag() > worst.lag())) {
                    worst = new Overload(stage, state.lag(), maxLag, retryAfter);
                }
            }
        }
        return Optional.ofNullable(worst);
    }

    double lagOf(String stage) {
        Snapshot snapshot = last;
        if (snapshot == null || System.nanoTime() - snapshot.atNanos() > staleAfterNanos) {
            return Double.NaN;
        }
        StageState state = snapshot.stages().get(stage);
        return state == null ? Double.NaN : state.lag();
    }

    /** One poll of the broker; runs on the background thread only. */
    void refresh() {
        try {
            long timeoutMs = Math.min(5000, Math.max(1000, 2 * interval.toMillis()));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * timeoutMs);
            Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
            groupsByStage.values().forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
            ListConsumerGroupOffsetsResult groups = admin.listConsumerGroupOffsets(specs);
            Map<String, Map<TopicPartition, Long>> committedByStage = new LinkedHashMap<>();
            Set<TopicPartition> partitions = new java.util.HashSet<>();
            int failed = 0;
            Exception failure = null;
            for (Map.Entry<String, String> stage : groupsByStage.entrySet()) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> offsets = groups.partitionsToOffsetAndMetadata(stage.getValue())
                            .get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
                    Map<TopicPartition, Long> committed = committed(offsets);
                    committedByStage.put(stage.getKey(), committed);
                    partitions.addAll(committed.keySet());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    if (e.getCause() instanceof GroupIdNotFoundException) {
                        committedByStage.put(stage.getKey(), Map.of()); // never ran yet: nothing committed, no lag
                    } else {
                        failed++;
                        failure = e;
                    }
                }
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            if (!partitions.isEmpty()) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                ListOffsetsOptions options = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
                options.timeoutMs((int) timeoutMs);
                ListOffsetsResult result = admin.listOffsets(latest, options);
                for (TopicPartition tp : partitions) {
                    try {
                        ends.put(tp, result.partitionResult(tp).get(remainingNanos(deadline), TimeUnit.NANOSECONDS).offset());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        // a partition whose end is unknown (e.g. a deleted repartition topic) is not counted
                        failure = e;
                    }
                }
            }
            if (!partitions.isEmpty() && ends.isEmpty()) {
                warnRateLimited("log-end offsets unknown; not shedding on lag until they are known", failure);
                return;
            }
            accept(committedByStage, ends, System.nanoTime());
            if (failed > 0 || ends.size() < partitions.size()) {
                warnRateLimited("consumer lag partly unknown (" + failed + " stage(s), "
                        + (partitions.size() - ends.size()) + " partition end(s))", failure);
            }
        } catch (RuntimeException e) {
            warnRateLimited("consumer lag query failed; not shedding on lag until it works", e);
        }
    }

    private static long remainingNanos(long deadline) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime());
    }

    /** Turns one sample into the new snapshot (the previous one gives the drain rates). */
    void accept(Map<String, Map<TopicPartition, Long>> committedByStage, Map<TopicPartition, Long> ends, long nowNanos) {
        Snapshot previous = last;
        Map<String, StageState> stages = new LinkedHashMap<>();
        for (Map.Entry<String, Map<TopicPartition, Long>> e : committedByStage.entrySet()) {
            Map<TopicPartition, Long> committed = e.getValue();
            long lag = lag(committed, ends);
            double drain = Double.NaN;
            StageState before = previous == null ? null : previous.stages().get(e.getKey());
            if (before != null) {
                drain = drainPerSecond(before.committed(), committed, (nowNanos - previous.atNanos()) / 1e9);
            }
            stages.put(e.getKey(), new StageState(lag, drain, Map.copyOf(committed)));
        }
        last = new Snapshot(Map.copyOf(stages), nowNanos);
    }

    /** The committed offsets of a group, partitions without one left out. */
    static Map<TopicPartition, Long> committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, Long> committed = new HashMap<>();
        if (offsets != null) {
            offsets.forEach((tp, offset) -> {
                if (offset != null && offset.offset() >= 0) {
                    committed.put(tp, offset.offset());
                }
            });
        }
        return committed;
    }

    /**
     * Sum over the committed partitions of {@code end - committed}; a partition whose end is
     * unknown is not counted, and one whose committed offset is past the end (the end is the last
     * stable offset, which an open transaction holds back) counts 0.
     */
    static long lag(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
        long total = 0;
        for (Map.Entry<TopicPartition, Long> e : committed.entrySet()) {
            Long end = ends.get(e.getKey());
            if (end != null && end > e.getValue()) {
                total += end - e.getValue();
            }
        }
        return total;
    }

    /** Records committed per second between two samples, over the partitions both have (never negative). */
    static double drainPerSecond(Map<TopicPartition, Long> before, Map<TopicPartition, Long> after, double seconds) {
        if (!(seconds > 0)) {
            return Double.NaN;
        }
        long advanced = 0;
        for (Map.Entry<TopicPartition, Long> e : after.entrySet()) {
            Long then = before.get(e.getKey());
            if (then != null && e.getValue() > then) {
                advanced += e.getValue() - then;
            }
        }
        return advanced / seconds;
    }

    /**
     * Seconds until a stage {@code lag} records behind is back under {@code maxLag} at
     * {@code drainPerSecond}, rounded up, within 1..5; 5 when it does not drain (or the rate is unknown).
     */
    static int retryAfterSeconds(long lag, long maxLag, double drainPerSecond) {
        if (!(drainPerSecond > 0)) {
            return MAX_RETRY_AFTER_S;
        }
        double seconds = Math.ceil(Math.max(0, lag - maxLag) / drainPerSecond);
        return (int) Math.max(MIN_RETRY_AFTER_S, Math.min(MAX_RETRY_AFTER_S, seconds));
    }

    private void warnRateLimited(String message, Throwable e) {
        long now = System.nanoTime();
        String cause = e == null ? "" : ": " + e;
        if (lastWarnNanos == 0 || now - lastWarnNanos > WARN_EVERY_NANOS) {
            lastWarnNanos = now;
            log.warn("{}{}", message, cause);
        } else {
            log.debug("{}{}", message, cause);
        }
    }
}
