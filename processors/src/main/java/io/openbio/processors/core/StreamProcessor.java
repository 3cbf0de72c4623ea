package io.openbio.processors.core;

import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.serde.EventSerdes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.Topology;

/**
 * One pipeline stage: a named Kafka Streams topology. {@link ProcessorRuntime} gives every stage the
 * same lifecycle (configuration, exactly-once, health, metrics, graceful shutdown).
 */
public interface StreamProcessor {

    /** Stage name, e.g. {@code digest}; the Kafka Streams application id is {@code openbio-<name>}. */
    String name();

    /** The topology, with serdes from {@code serdes} (the registry's in production, plain Avro in unit tests). */
    Topology topology(EventSerdes serdes);

    /** The topics this stage reads (the runtime checks they exist before it starts). */
    List<TopicSpec<?>> inputs();

    /** Kafka Streams settings this stage needs beyond {@code KafkaSettings#streams} (e.g. small polls for slow work). */
    default Map<String, Object> configOverrides() {
        return Map.of();
    }

    default String applicationId() {
        return "openbio-" + name();
    }
}
