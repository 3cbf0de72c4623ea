package io.openbio.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.DiagnosticResult;
import io.openbio.schemas.serde.EventSerdes;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry enforces BACKWARD compatibility, and an event written with an older schema is
 * still read by today's generated class after a new optional field was added.
 */
class SchemaEvolutionTest {
    static WiredPlatform platform;

    @BeforeAll
    static void up() throws Exception {
        platform = WiredPlatform.get();
    }

    /** DiagnosticResult as it was before the optional field {@code height} was added. */
    static Schema withoutHeight() {
        Schema current = DiagnosticResult.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (!f.name().equals("height")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    @Test
    void oldSchemaEventIsReadAfterAnOptionalFieldWasAdded() {
        String topic = "openbio.test.evolution";
        GenericRecord old = new GenericData.Record(withoutHeight());
        old.put("sha256", "ab".repeat(32));
        old.put("sizeBytes", 42L);
        old.put("imageFormat", "jpeg");
        old.put("width", 640);

        Serializer<GenericRecord> oldWriter = new AvroKafkaSerializer<>();
        oldWriter.configure(EventSerdes.registryConfig(platform.registry.url()), false);
        byte[] oldBytes = oldWriter.serialize(topic, old);

        var serde = EventSerdes.registry(platform.registry.url()).valueSerde(DiagnosticResult.class);
        // Today's schema registers as a new version of the subject: BACKWARD-compatible.
        byte[] newBytes = serde.serializer().serialize(topic,
                new DiagnosticResult("cd".repeat(32), 7L, "png", 10, 20));
        assertThat(java.nio.ByteBuffer.wrap(newBytes, 1, 4).getInt())
                .isNotEqualTo(java.nio.ByteBuffer.wrap(oldBytes, 1, 4).getInt());

        DiagnosticResult read = serde.deserializer().deserialize(topic, oldBytes);
        assertThat(read.getSha256()).isEqualTo("ab".repeat(32));
        assertThat(read.getSizeBytes()).isEqualTo(42L);
        assertThat(read.getWidth()).isEqualTo(640);
        assertThat(read.getHeight()).as("new optional field takes its default").isNull();
    }

    @Test
    void registryRefusesAnIncompatibleChange() throws Exception {
        String subject = "openbio.test.incompatible-value";
        String v1 = "{\"type\":\"record\",\"name\":\"Thing\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
        String v2 = "{\"type\":\"record\",\"name\":\"Thing\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}]}";
        assertThat(register(subject, v1)).isEqualTo(200);
        assertThat(register(subject, v2)).as("new required field without default breaks old events").isEqualTo(409);
    }

    private static int register(String subject, String schema) throws Exception {
        String body = Http.JSON.writeValueAsString(java.util.Map.of("schema", schema));
        // a write: the registry requires the platform's credentials (RegistryAccessIntegrationTest)
        return Http.send(platform.registry.credentials().authorize(
                        HttpRequest.newBuilder(URI.create(platform.registry.ccompatUrl() + "/subjects/" + subject + "/versions")))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()).status();
    }
}
