package io.openbio.processors.diagnostic;

import io.openbio.events.DigestedRequest;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.processors.core.Results;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.DiagnosticContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Diagnostic chain, stage 1: the SHA-256 of the request's payload. A request without a payload
 * part ends here with a 400 result.
 */
public final class DigestProcessor implements StreamProcessor {
    public static final String NAME = DiagnosticContract.DIGEST.name();

    @Override
    public Stage stage() {
        return DiagnosticContract.DIGEST;
    }


    /** The in-process computation of this stage (also used by the benchmark's baseline). */
    public static String sha256Hex(ByteBuffer data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data.duplicate());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicSpec<RequestEnvelope> in = Topics.DIAGNOSTIC_REQUESTS;
        TopicSpec<DigestedRequest> out = Topics.DIAGNOSTIC_DIGESTED;
        KStream<String, RequestEnvelope> requests = builder.stream(in.name(),
                Consumed.with(in.keySerde(), in.valueSerde(serdes)).withName("diagnostic-requests"));
        Map<String, KStream<String, RequestEnvelope>> branches = requests
                .filter((key, request) -> request != null)
                .split(Named.as("payload-"))
                .branch((key, request) -> !request.getParts().isEmpty(), Branched.as("present"))
                .defaultBranch(Branched.as("missing"));

        branches.get("payload-present")
                .mapValues(request -> DigestedRequest.newBuilder()
                        .setEnvelope(request)
                        .setSha256(sha256Hex(request.getParts().get(0).getData()))
                        .setTrace(List.of(Results.trace(NAME)))
                        .build())
                .to(out.name(), Produced.with(out.keySerde(), out.valueSerde(serdes)));

        KStream<String, ResultEvent> rejected = branches.get("payload-missing")
                .mapValues(request -> Results.error(request, List.of(Results.trace(NAME)),
                        400, "EMPTY_PAYLOAD", "the request has no payload to digest"));
        Results.publish(rejected, serdes);
        return builder.build();
    }
}
