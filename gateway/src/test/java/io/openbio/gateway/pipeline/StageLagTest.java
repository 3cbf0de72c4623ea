package io.openbio.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.DiagnosticContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.PlatformContract;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The lag arithmetic and the shedding decision of {@link StageLag}, without a broker. */
class StageLagTest {
    static final TopicPartition P0 = new TopicPartition("in", 0);
    static final TopicPartition P1 = new TopicPartition("in", 1);
    static final TopicPartition P2 = new TopicPartition("in", 2);
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    static final List<String> DIAGNOSTIC = DiagnosticContract.ROUTE.stageNames();

    static StageLag stageLag(long maxLag, SimpleMeterRegistry meters) {
        return new StageLag(null, new PipelineHealth(null, null, List.of("digest", "image-info")), meters, maxLag, Duration.ofSeconds(1));
    }

    @Test
    void lagIsTheSumOfEndMinusCommittedOverCommittedPartitions() {
        Map<TopicPartition, Long> committed = Map.of(P0, 10L, P1, 7L);
        Map<TopicPartition, Long> ends = Map.of(P0, 15L, P1, 7L, P2, 1000L);
        assertThat(StageLag.lag(committed, ends)).as("P2 was never committed: not counted").isEqualTo(5);
        assertThat(StageLag.lag(Map.of(P0, 20L), Map.of(P0, 15L))).as("committed past the last stable offset counts 0").isZero();
        assertThat(StageLag.lag(Map.of(P0, 3L), Map.of())).as("unknown end: not counted").isZero();
        assertThat(StageLag.lag(Map.of(), ends)).isZero();
    }

    @Test
    void partitionsWithoutACommittedOffsetAreLeftOut() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        offsets.put(P0, new OffsetAndMetadata(4));
        offsets.put(P1, null);
        assertThat(StageLag.committed(offsets)).containsExactly(Map.entry(P0, 4L));
        assertThat(StageLag.committed(null)).isEmpty();
    }

    @Test
    void drainRateCountsOnlyPartitionsInBothSamples() {
        Map<TopicPartition, Long> before = Map.of(P0, 100L, P1, 50L);
        Map<TopicPartition, Long> after = Map.of(P0, 140L, P1, 50L, P2, 9000L);
        assertThat(StageLag.drainPerSecond(before, after, 2.0)).isEqualTo(20.0);
        assertThat(StageLag.drainPerSecond(before, before, 1.0)).isZero();
        assertThat(StageLag.drainPerSecond(before, after, 0)).isNaN();
    }

    @Test
    void retryAfterIsTheTimeToDrainBackUnderTheBoundWithinOneToFiveSeconds() {
        assertThat(StageLag.retryAfterSeconds(1300, 1000, 100)).isEqualTo(3);
        assertThat(StageLag.retryAfterSeconds(1301, 1000, 100)).as("rounded up").isEqualTo(4);
        assertThat(StageLag.retryAfterSeconds(1001, 1000, 10_000)).as("at least 1").isEqualTo(1);
        assertThat(StageLag.retryAfterSeconds(100_000, 1000, 10)).as("at most 5").isEqualTo(5);
        assertThat(StageLag.retryAfterSeconds(2000, 1000, 0)).as("a stalled stage").isEqualTo(5);
        assertThat(StageLag.retryAfterSeconds(2000, 1000, Double.NaN)).as("rate unknown yet").isEqualTo(5);
    }

    @Test
    void shedsOnlyWhileAStageIsOverTheBoundAndTheSnapshotIsFresh() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StageLag lag = stageLag(100, meters);
        long t0 = System.nanoTime();
        assertThat(lag.overload(DIAGNOSTIC, t0)).as("nothing known yet").isEmpty();

        lag.accept(Map.of("digest", Map.of(P0, 0L), "image-info", Map.of(P1, 0L)), Map.of(P0, 500L, P1, 50L), t0);
        StageLag.Overload first = lag.overload(DIAGNOSTIC, t0).orElseThrow();
        assertThat(first.stage()).isEqualTo("digest");
        assertThat(first.lag()).isEqualTo(500);
        assertThat(first.retryAfterSeconds()).as("no rate yet").isEqualTo(5);

        // one second later digest committed 200 more: 300 behind, draining at 200/s -> (300-100)/200 = 1 s
        lag.accept(Map.of("digest", Map.of(P0, 200L), "image-info", Map.of(P1, 50L)), Map.of(P0, 500L, P1, 50L), t0 + SECOND);
        StageLag.Overload second = lag.overload(DIAGNOSTIC, t0 + SECOND).orElseThrow();
        assertThat(second.lag()).isEqualTo(300);
        assertThat(second.retryAfterSeconds()).isEqualTo(1);

        assertThat(lag.overload(DIAGNOSTIC, t0 + 10 * SECOND)).as("a stale snapshot is unknown: no shedding").isEmpty();

        lag.accept(Map.of("digest", Map.of(P0, 450L)), Map.of(P0, 500L), t0 + 2 * SECOND);
        assertThat(lag.overload(DIAGNOSTIC, t0 + 2 * SECOND)).as("50 <= 100").isEmpty();
        assertThat(lag.snapshot().stages()).as("image-info unknown this round").doesNotContainKey("image-info");
    }

    @Test
    void aRequestIsShedOnlyForTheLagOfTheStagesOnItsOwnRoute() {
        // every stage of the contract watched (required-processors empty), as in production
        StageLag lag = new StageLag(null, new PipelineHealth(null, null, List.of()), new SimpleMeterRegistry(), 100, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        for (String stage : Pipeline.stageNames()) {
            committed.put(stage, Map.of(new TopicPartition(stage + ".in", 0), 0L));
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        committed.values().forEach(c -> c.keySet().forEach(tp -> ends.put(tp, 0L)));
        ends.put(new TopicPartition("callback.in", 0), 5000L); // a dead callback receiver
        ends.put(new TopicPartition("digest.in", 0), 300L);
        lag.accept(committed, ends, t0);

        assertThat(lag.overload(CaptureContract.ROUTE.stageNames(), t0)).as("capture route: neither stage is on it").isEmpty();
        assertThat(lag.overload(EkycContract.CHECK_ROUTE.stageNames(), t0)).isEmpty();
        assertThat(lag.overload(EkycContract.TEMPLATE_ROUTE.stageNames(), t0)).isEmpty();
        StageLag.Overload diagnostic = lag.overload(DiagnosticContract.ROUTE.stageNames(), t0).orElseThrow();
        assertThat(diagnostic.stage()).as("diagnostic route: digest, never callback").isEqualTo("digest");
        assertThat(diagnostic.lag()).isEqualTo(300);
        assertThat(Pipeline.routes()).as("callback is on no route, so its lag sheds nothing")
                .allSatisfy(route -> assertThat(route.stageNames()).doesNotContain(PlatformContract.CALLBACK.name()));
        assertThat(lag.overload(List.of(), t0)).as("a topic without a route").isEmpty();
        assertThat(lag.snapshot().stages().get("callback").lag()).as("callback is still measured").isEqualTo(5000);
    }

    @Test
    void requiredProcessorsDefaultToTheContractsStages() {
        assertThat(new PipelineHealth(null, null, List.of()).requiredProcessors()).isEqualTo(Pipeline.stageNames());
        assertThat(new PipelineHealth(null, null, List.of(" ")).requiredProcessors()).isEqualTo(Pipeline.stageNames());
        assertThat(new PipelineHealth(null, null, List.of("digest", " image-info")).requiredProcessors())
                .containsExactly("digest", "image-info");
    }

    @Test
    void gaugePerStageShowsTheLastLag() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StageLag lag = stageLag(100, meters);
        assertThat(meters.get("openbio.stage.lag").tag("stage", "digest").gauge().value()).isNaN();
        lag.accept(Map.of("digest", Map.of(P0, 3L)), Map.of(P0, 10L), System.nanoTime());
        assertThat(meters.get("openbio.stage.lag").tag("stage", "digest").gauge().value()).isEqualTo(7.0);
        assertThat(meters.get("openbio.stage.lag").tag("stage", "image-info").gauge().value()).isNaN();
    }

    @Test
    void zeroOrNegativeMaxLagTurnsItOff() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StageLag off = stageLag(0, meters);
        assertThat(off.enabled()).isFalse();
        off.afterPropertiesSet(); // starts no thread, needs no admin
        off.accept(Map.of("digest", Map.of(P0, 0L)), Map.of(P0, 1_000_000L), System.nanoTime());
        assertThat(off.overload(DIAGNOSTIC)).isEmpty();
        assertThat(meters.find("openbio.stage.lag").gauges()).isEmpty();
        assertThat(stageLag(-1, meters).enabled()).isFalse();
    }
}
