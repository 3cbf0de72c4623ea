package io.openbio.schemas.crypto;

import io.openbio.events.ApiResponse;
import io.openbio.events.ExtractedImage;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import java.nio.ByteBuffer;

/**
 * The gateway's side of payload encryption: a request's parts are sealed before it is sent (purpose
 * {@link Purpose#PART}, the request id as record key), and a result's image or answer body is opened
 * (purpose {@link Purpose#RESULT}) before it is answered. The stages' side is
 * {@code io.openbio.processors.core.Sealing}.
 */
public final class SealedEvents {
    private SealedEvents() {
    }

    /** {@code request} with every part's bytes sealed for its tenant under its request id. */
    public static RequestEnvelope sealParts(PayloadCipher cipher, RequestEnvelope request) {
        if (request.getParts().isEmpty()) {
            return request;
        }
        return RequestEnvelope.newBuilder(request).setParts(request.getParts().stream()
                .map(p -> Part.newBuilder(p).setData(ByteBuffer.wrap(
                        cipher.seal(request.getTenant(), Purpose.PART, request.getRequestId(), bytes(p.getData())))).build())
                .toList()).build();
    }

    /** {@code result} with its image or answer body opened (for the HTTP answer only, never written back). */
    public static ResultEvent openPayload(PayloadCipher cipher, ResultEvent result) {
        Object payload = result.getPayload();
        if (payload instanceof ExtractedImage image) {
            byte[] plain = cipher.open(result.getTenant(), Purpose.RESULT, result.getRequestId(), bytes(image.getData()));
            return ResultEvent.newBuilder(result).setPayload(new ExtractedImage(ByteBuffer.wrap(plain), image.getContentType())).build();
        }
        if (payload instanceof ApiResponse response) {
            String json = cipher.openText(result.getTenant(), Purpose.RESULT, result.getRequestId(), response.getJson());
            return ResultEvent.newBuilder(result).setPayload(new ApiResponse(response.getStatus(), json, response.getSummary(), response.getSignals())).build();
        }
        return result;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
