package io.openbio.schemas;

import io.openbio.schemas.serde.EventSerdes;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

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

    /** The topic as an admin request, with replication factor {@code replication}. */
    public NewTopic newTopic(short replication) {
        return new NewTopic(name, partitions, replication).configs(config);
    }
}
