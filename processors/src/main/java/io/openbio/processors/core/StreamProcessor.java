package io.openbio.processors.core;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.contract.Pipeline;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.Topology;

/**
 * One pipeline stage: the Kafka Streams topology of one entry of the pipeline contract
 * ({@link Pipeline#stages()}). {@link ProcessorRuntime} gives every stage the same lifecycle
 * (configuration, exactly-once, health, metrics, graceful shutdown).
 */
public interface StreamProcessor {

    /** The stage's entry in the pipeline contract: its name, family, topics and deployment. */
    Stage stage();

    /** The topology, with serdes from {@code serdes} (the registry's in production, plain Avro in unit tests). */
    Topology topology(EventSerdes serdes);

    /** Stage name, e.g. {@code digest}. */
    default String name() {
        return stage().name();
    }

    /** The topics this stage reads: the contract's streams, then its tables. */
    default List<TopicSpec<?>> inputs() {
        return stage().inputs();
    }

    /** Kafka Streams settings this stage needs beyond {@code KafkaSettings#streams} (e.g. small polls for slow work). */
    default Map<String, Object> configOverrides() {
        return Map.of();
    }

    /** The Kafka Streams application id, which is also the consumer group: {@code openbio-<name>}. */
    default String applicationId() {
        return stage().applicationId();
    }

    /**
     * Called once Kafka Streams has started, with its configuration (this stage's principal and
     * security settings): a stage that needs a Kafka client of its own beside the topology (an admin
     * client) makes it from these. Default: nothing.
     */
    default void started(java.util.Properties streamsConfig) {
    }

    /**
     * Releases what the stage holds outside Kafka Streams (an HTTP client's connections and threads);
     * {@link ProcessorRuntime#close()} calls it once the stream threads have stopped.
     */
    default void close() {
    }
}
