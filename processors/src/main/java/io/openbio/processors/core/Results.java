package io.openbio.processors.core;

import io.openbio.events.ErrorInfo;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.StageTrace;
import io.openbio.schemas.Topics;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

/**
 * How a stage ends a request: the result goes to the durable {@link Topics#RESULTS} topic and,
 * when a gateway instance waits for it, to that instance's reply topic (both in the stage's
 * exactly-once transaction), and its {@link Audit} record goes to {@link Topics#AUDIT}.
 */
public final class Results {
    private Results() {
    }

    public static void publish(KStream<String, ResultEvent> results, EventSerdes serdes) {
        Produced<String, ResultEvent> produced = Topics.RESULTS.produced(serdes);
        results.to(Topics.RESULTS.name(), produced);
        results.filter((key, result) -> result.getReplyTo() != null)
                .to((key, result, context) -> result.getReplyTo(), produced);
        results.mapValues(Audit::of)
                .to(Topics.AUDIT.name(), Topics.AUDIT.produced(serdes));
    }

    public static StageTrace trace(String stage) {
        return new StageTrace(stage, Instance.id(), Instant.now());
    }

    /** A successful result for {@code request}, payload set by the caller's builder. */
    public static ResultEvent.Builder resultFor(RequestEnvelope request, List<StageTrace> trace) {
        return ResultEvent.newBuilder()
                .setRequestId(request.getRequestId())
                .setTenant(request.getTenant())
                .setOperation(request.getOperation())
                .setReplyTo(request.getReplyTo())
                .setCallbackUrl(request.getCallbackUrl())
                .setCreatedAt(request.getCreatedAt())
                .setCompletedAt(Instant.now())
                .setTrace(new ArrayList<>(trace));
    }

    /** A failed result: {@code status} is the HTTP status the API answers with. */
    public static ResultEvent error(RequestEnvelope request, List<StageTrace> trace, int status, String code, String message) {
        return resultFor(request, trace)
                .setError(new ErrorInfo(status, code, message))
                .setPayload(null)
                .build();
    }
}
