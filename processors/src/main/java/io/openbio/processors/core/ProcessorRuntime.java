package io.openbio.processors.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.openbio.schemas.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lifecycle every processor runs under: configuration from {@link KafkaSettings}
 * (exactly_once_v2, application id {@code openbio-<stage>}), Kafka Streams metrics bound to the
 * meter registry, a thread that dies is replaced, readiness = the Streams state is RUNNING,
 * liveness = not in ERROR or shut down, and a graceful close that commits in-flight work.
 */
public final class ProcessorRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessorRuntime.class);

    private final StreamProcessor processor;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Properties config;

    public ProcessorRuntime(StreamProcessor processor, KafkaSettings settings, MeterRegistry meters) {
        this(processor, settings, withOverrides(settings.streams(processor.applicationId()), processor), meters);
    }

    public ProcessorRuntime(StreamProcessor processor, KafkaSettings settings, Properties props, MeterRegistry meters) {
        this.processor = processor;
        this.config = props;
        Topology topology = processor.topology(settings.serdes());
        this.streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(exception -> {
            log.error("processor {}: stream thread failed, replacing it: {}", processor.name(), exception.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((next, previous) -> {
            log.info("processor {}: {} -> {}", processor.name(), previous, next);
            if (next == KafkaStreams.State.NOT_RUNNING || next == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        this.metrics = new KafkaStreamsMetrics(streams, Tags.of("processor", processor.name()));
        if (meters != null) {
            metrics.bindTo(meters);
        }
    }

    private static Properties withOverrides(Properties props, StreamProcessor processor) {
        props.putAll(processor.configOverrides());
        return props;
    }

    public void start() {
        log.info("processor {}: starting as {}", processor.name(), processor.applicationId());
        streams.start();
        processor.started(config);
    }

    public String name() {
        return processor.name();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Ready to take work: every task assigned and running. */
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Alive: starting, rebalancing or running (not failed, not stopped). */
    public boolean alive() {
        KafkaStreams.State state = streams.state();
        return state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED;
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready()) {
            if (System.nanoTime() > deadline || !alive()) {
                return ready();
            }
            Thread.sleep(20);
        }
        return true;
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        log.info("processor {}: closing", processor.name());
        // Leave the group on close, so the stage's partitions move to the other instances (or to
        // this one after a restart) at once instead of after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        metrics.close();
        processor.close();
    }
}
