package io.openbio.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.openbio.events.ApiResponse;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.ChallengeSpec;
import io.openbio.events.NonceIssued;
import io.openbio.events.NonceState;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 added optional fields to events already on the topics (the registry enforces BACKWARD
 * compatibility): the challenge a nonce was issued with ({@code NonceIssued}, {@code NonceState}, the
 * capture), and the audit figures of a ready-made answer ({@code ApiResponse}). Today's schemas read
 * events written before them, which come out with no challenge (a plain capture nonce).
 */
class ChallengeSchemaCompatibilityTest {
    static final Set<String> ADDED = Set.of("challenge", "nonceExpiresAt", "claimedChallengeId", "claimedActions", "summary", "signals");

    /** {@code current} without the fields issue 16 added. */
    static Schema before(Schema current) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            boolean added = ADDED.contains(f.name())
                    && !(current.getName().equals("CaptureAnalysis") && f.name().equals("signals"));
            if (!added) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    @Test
    void todaysSchemasReadEventsWrittenBeforeChallenges() throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        for (Schema current : List.of(NonceIssued.getClassSchema(), NonceState.getClassSchema(), CaptureAnalysis.getClassSchema(),
                ApiResponse.getClassSchema())) {
            Schema old = before(current);
            assertThat(old.getFields().size()).as(current.getName()).isLessThan(current.getFields().size());
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                    .as("%s BACKWARD", current.getName()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }
        Schema old = before(NonceIssued.getClassSchema());
        GenericRecord record = new GenericData.Record(old);
        record.put("nonce", "n1");
        record.put("tenant", "t");
        record.put("issuedAt", 5L);
        record.put("expiresAt", 6L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(old).write(record, encoder);
        encoder.flush();
        NonceIssued read = new SpecificDatumReader<NonceIssued>(old, NonceIssued.getClassSchema(), new SpecificData())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(read.getNonce()).isEqualTo("n1");
        assertThat(read.getChallenge()).as("a nonce issued before challenges carries none").isNull();
    }

    /** A nonce with a challenge round-trips, and a reader of the old schema still reads it (it ignores the challenge). */
    @Test
    void aChallengeTravelsWithItsNonce() throws Exception {
        io.openbio.schemas.serde.EventSerdes.trustGeneratedEvents();
        ChallengeSpec spec = new ChallengeSpec(ByteBuffer.wrap(new byte[] {1, 2, 3}), 2, List.of("SMILE", "TURN_LEFT"), List.of("SMILE", "TURN_LEFT"), null);
        NonceIssued issued = NonceIssued.newBuilder().setNonce("n2").setTenant("t").setIssuedAt(Instant.ofEpochMilli(1))
                .setExpiresAt(Instant.ofEpochMilli(2)).setChallenge(spec).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<NonceIssued>(NonceIssued.getClassSchema()).write(issued, encoder);
        encoder.flush();
        NonceIssued back = new SpecificDatumReader<NonceIssued>(NonceIssued.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(back.getChallenge().getActions()).containsExactly("SMILE", "TURN_LEFT");
        assertThat(back.getChallenge().getK()).isEqualTo(2);
        GenericRecord old = new GenericDatumReader<GenericRecord>(NonceIssued.getClassSchema(), before(NonceIssued.getClassSchema()))
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(old.get("nonce").toString()).isEqualTo("n2");
        assertThat(old.hasField("challenge")).isFalse();
    }
}
