package io.openbio.schemas.serde;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.openbio.schemas.registry.RegistryCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds the value serdes of the platform's Avro events.
 *
 * <p>{@link #registry(String)} is what every running component uses: Apicurio Registry serdes that
 * register schemas (subject {@code <topic>-value}, the Confluent naming) and write the Confluent
 * wire format: magic byte 0, a 4-byte schema id that resolves through the registry's
 * Confluent-compatible API ({@code /apis/ccompat/v7/schemas/ids/{id}}), then Avro binary. Readers
 * resolve the writer's schema by id and read it into the generated class, so events written with
 * an older compatible schema are still read.
 *
 * <p>The serializers write to the registry at run time: with auto-registration on they POST their
 * schema ({@code ifExists=RETURN_OR_UPDATE}) on first use of each topic, even when the set-up already
 * registered it. So they carry the platform's {@link RegistryCredentials} (basic auth), which the
 * registry requires for every write; reads by id need none.
 *
 * <p>{@link #unregistered()} writes plain Avro binary with the generated class's schema and no
 * registry: only for topology unit tests (TopologyTestDriver), never for a topic.
 */
public final class EventSerdes {
    static {
        trustGeneratedEvents();
    }

    private final String registryUrl;
    private final RegistryCredentials credentials;

    private EventSerdes(String registryUrl, RegistryCredentials credentials) {
        this.registryUrl = registryUrl;
        this.credentials = credentials;
    }

    /**
     * Serdes backed by the registry at {@code registryUrl} (e.g. {@code http://localhost:8081/apis/registry/v2}),
     * with the credentials of the environment ({@link RegistryCredentials#fromEnvironment()}).
     */
    public static EventSerdes registry(String registryUrl) {
        return registry(registryUrl, RegistryCredentials.fromEnvironment());
    }

    /** Serdes backed by the registry at {@code registryUrl}, sending {@code credentials}. */
    public static EventSerdes registry(String registryUrl, RegistryCredentials credentials) {
        return new EventSerdes(registryUrl, credentials);
    }

    /** Registry-less Avro binary serdes, for topology unit tests only. */
    public static EventSerdes unregistered() {
        return new EventSerdes(null, RegistryCredentials.NONE);
    }

    /**
     * Avro 1.12 only instantiates trusted classes when it reads specific records; the platform's
     * generated events live in {@code io.openbio.events}.
     */
    public static synchronized void trustGeneratedEvents() {
        ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                current, type -> type.getName().startsWith("io.openbio.events.")));
    }

    /** The Apicurio serde settings this platform uses, for clients configured by properties (credentials of the environment). */
    public static Map<String, Object> registryConfig(String registryUrl) {
        return registryConfig(registryUrl, RegistryCredentials.fromEnvironment());
    }

    /** The Apicurio serde settings this platform uses, sending {@code credentials}. */
    public static Map<String, Object> registryConfig(String registryUrl, RegistryCredentials credentials) {
        Map<String, Object> config = new HashMap<>();
        credentials.addTo(config);
        config.put(SerdeConfig.REGISTRY_URL, registryUrl);
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        // 4-byte ids after the magic byte (Confluent wire format), taken from the content id,
        // which is the id the registry's Confluent-compatible API serves.
        config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        return config;
    }

    public boolean usesRegistry() {
        return registryUrl != null;
    }

    public <V extends SpecificRecord> Serde<V> valueSerde(Class<V> type) {
        if (registryUrl == null) {
            return new BinaryAvroSerde<>(type);
        }
        Map<String, Object> config = registryConfig(registryUrl, credentials);
        AvroKafkaSerializer<V> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        AvroKafkaDeserializer<V> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, false);
        return Serdes.serdeFrom(new RegistrySerializer<>(serializer, config), new RegistryDeserializer<>(deserializer, config));
    }

    /**
     * Frameworks (spring-kafka's factories, for one) call {@code configure} again on serializers
     * they are handed, with their own client settings only: the registry settings are merged back
     * in, so a re-configured serde keeps registering and resolving schemas.
     */
    private static Map<String, Object> merged(Map<String, ?> configs, Map<String, Object> registry) {
        Map<String, Object> all = new HashMap<>(configs);
        all.putAll(registry);
        return all;
    }

    private record RegistrySerializer<V>(AvroKafkaSerializer<V> delegate, Map<String, Object> registry) implements Serializer<V> {
        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            delegate.configure(merged(configs, registry), isKey);
        }

        @Override
        public byte[] serialize(String topic, V data) {
            return delegate.serialize(topic, data);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private record RegistryDeserializer<V>(AvroKafkaDeserializer<V> delegate, Map<String, Object> registry) implements Deserializer<V> {
        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            delegate.configure(merged(configs, registry), isKey);
        }

        @Override
        public V deserialize(String topic, byte[] data) {
            return delegate.deserialize(topic, data);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Plain Avro binary with the generated class's schema (no schema id): tests only. */
    private static final class BinaryAvroSerde<V extends SpecificRecord> implements Serde<V> {
        private final Schema schema;

        BinaryAvroSerde(Class<V> type) {
            this.schema = SpecificData.get().getSchema(type);
        }

        @Override
        public Serializer<V> serializer() {
            SpecificDatumWriter<V> writer = new SpecificDatumWriter<>(schema);
            return (topic, value) -> {
                if (value == null) {
                    return null;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                try {
                    writer.write(value, encoder);
                    encoder.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return out.toByteArray();
            };
        }

        @Override
        public Deserializer<V> deserializer() {
            SpecificDatumReader<V> reader = new SpecificDatumReader<>(schema);
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
                try {
                    return reader.read(null, decoder);
                } catch (IOException | RuntimeException e) {
                    throw new SerializationException("not an Avro " + schema.getName() + " record", e);
                }
            };
        }
    }
}
