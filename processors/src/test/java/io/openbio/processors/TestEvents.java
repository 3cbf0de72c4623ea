package io.openbio.processors;

import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

public final class TestEvents {
    private TestEvents() {
    }

    /** A request with its parts sealed, as the gateway sends it. */
    public static RequestEnvelope request(String id, String replyTo, String callbackUrl, byte[]... parts) {
        return TestSealing.sealed(RequestEnvelope.newBuilder()
                .setRequestId(id)
                .setTenant("tenant-a")
                .setOperation("diagnostic.digest")
                .setReplyTo(replyTo)
                .setCallbackUrl(callbackUrl)
                .setCreatedAt(Instant.parse("2026-11-21T10:00:00Z"))
                .setParts(java.util.Arrays.stream(parts)
                        .map(p -> new Part("payload", "application/octet-stream", ByteBuffer.wrap(p)))
                        .toList())
                .setAttributes(Map.of())
                .build());
    }

    public static List<String> stages(io.openbio.events.ResultEvent result) {
        return result.getTrace().stream().map(io.openbio.events.StageTrace::getStage).toList();
    }
}
