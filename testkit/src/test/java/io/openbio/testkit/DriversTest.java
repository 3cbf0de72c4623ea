package io.openbio.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.openbio.events.DigestedRequest;
import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

class DriversTest {
    /** requests -> digested, the request wrapped unchanged: a stand-in for a stage. */
    private static Topology wrap() {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(Topics.DIAGNOSTIC_REQUESTS.name(), Topics.DIAGNOSTIC_REQUESTS.consumed(Drivers.SERDES))
                .mapValues(r -> DigestedRequest.newBuilder().setEnvelope(r).setSha256("0".repeat(64)).build())
                .to(Topics.DIAGNOSTIC_DIGESTED.name(), Topics.DIAGNOSTIC_DIGESTED.produced(Drivers.SERDES));
        return b.build();
    }

    private static RequestEnvelope request(String id) {
        return RequestEnvelope.newBuilder().setRequestId(id).setTenant("t").setOperation("diagnostic.digest")
                .setReplyTo(null).setCallbackUrl(null).setCreatedAt(Instant.EPOCH).setParts(List.of())
                .setAttributes(Map.of()).build();
    }

    @Test
    void typedTopicsCarryTheAvroEventsAndReadAllReturnsTheWholeOutput() {
        try (Drivers.Driver d = Drivers.start(wrap(), Drivers.START)) {
            var in = d.input(Topics.DIAGNOSTIC_REQUESTS);
            var out = d.output(Topics.DIAGNOSTIC_DIGESTED);
            in.pipeInput("a", request("a"));
            in.pipeInput("b", request("b"));

            assertThat(Drivers.readAll(out)).extracting(kv -> kv.key, kv -> kv.value.getEnvelope().getRequestId())
                    .containsExactly(tuple("a", "a"), tuple("b", "b"));
            assertThat(out.isEmpty()).isTrue();

            in.pipeInput("a", request("a"));
            assertThat(Drivers.readAllByKey(out)).containsOnlyKeys("a");
        }
    }

    @Test
    void eachDriverHasItsOwnStateFolderDeletedOnClose() {
        Path first;
        try (Drivers.Driver a = Drivers.start(wrap()); Drivers.Driver b = Drivers.start(wrap())) {
            first = a.stateDir();
            assertThat(first).isDirectory().isNotEqualTo(b.stateDir());
        }
        assertThat(Files.exists(first)).as("%s deleted", first).isFalse();
    }
}
