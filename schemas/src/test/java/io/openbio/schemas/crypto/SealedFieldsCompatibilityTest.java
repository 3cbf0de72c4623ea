package io.openbio.schemas.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.CollectionRecord;
import io.openbio.events.SearchQuery;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * The registry enforces BACKWARD compatibility and local runs have the plaintext-vector schemas
 * registered: today's schemas (vector dropped, {@code sealedVector} added with a null default) must
 * read events written with them, a record enrolled before payload encryption coming out without a
 * sealed vector (which the search stage skips).
 */
class SealedFieldsCompatibilityTest {

    /** {@code current} as it was before payload encryption: {@code vector: array<float>} instead of {@code sealedVector}. */
    static Schema plaintextEra(Schema current) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (f.name().equals("sealedVector")) {
                fields.add(new Schema.Field("vector", Schema.createArray(Schema.create(Schema.Type.FLOAT)), null, (Object) null));
            } else {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    @Test
    void todaysSchemasReadThePlaintextEraOnes() throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        for (Schema current : List.of(CollectionRecord.getClassSchema(), SearchQuery.getClassSchema())) {
            Schema old = plaintextEra(current);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                    .as("%s BACKWARD", current.getName()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
        Schema old = plaintextEra(CollectionRecord.getClassSchema());
        GenericRecord record = new GenericData.Record(old);
        record.put("recordId", "r1");
        record.put("tenant", "t");
        record.put("collection", "c");
        record.put("modelId", "m");
        record.put("modelVersion", "1");
        record.put("vector", List.of(0.6f, 0.8f));
        record.put("createdAt", 5L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(old).write(record, encoder);
        encoder.flush();
        CollectionRecord read = new SpecificDatumReader<CollectionRecord>(old, CollectionRecord.getClassSchema(), new org.apache.avro.specific.SpecificData())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(read.getRecordId()).isEqualTo("r1");
        assertThat(read.getSealedVector()).as("enrolled before payload encryption: nothing to search").isNull();
    }
}
