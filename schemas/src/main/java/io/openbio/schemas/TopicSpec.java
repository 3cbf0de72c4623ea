package io.openbio.schemas;

import io.openbio.schemas.serde.EventSerdes;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A typed topic: its name, partition count, topic configuration, key serde (always the request
 * id as a string) and the Avro value type whose serde {@link EventSerdes} builds.
 */
public record TopicSpec<V extends SpecificRecord>(
        String name, int partitions, Class<V> valueType, Map<String, String> config) {

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public Serde<V> valueSerde(EventSerdes serdes) {
        return serdes.valueSerde(valueType);
    }

    /** How a Kafka Streams topology reads this topic: its key and value serdes. */
    public Consumed<String, V> consumed(EventSerdes serdes) {
        return Consumed.with(keySerde(), valueSerde(serdes));
    }

    /** How a Kafka Streams topology writes to this topic: its key and value serdes. */
    public Produced<String, V> produced(EventSerdes serdes) {
        return Produced.with(keySerde(), valueSerde(serdes));
    }

    /** The topic as an admin request, with replication factor {@code replication}. */
    public NewTopic newTopic(short replication) {
        return new NewTopic(name, partitions, replication).configs(config);
    }
}
