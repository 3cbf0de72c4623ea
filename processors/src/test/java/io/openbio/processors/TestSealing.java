package io.openbio.processors;

import io.openbio.events.ApiResponse;
import io.openbio.events.CollectionRecord;
import io.openbio.events.ExtractedImage;
import io.openbio.events.RequestEnvelope;
import io.openbio.events.ResultEvent;
import io.openbio.events.SearchQuery;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import io.openbio.schemas.crypto.SealedEvents;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Payload encryption in topology tests: requests sealed as the gateway seals them, outputs opened to compare. */
public final class TestSealing {
    private TestSealing() {
    }

    /** {@code request} with its parts sealed, as the gateway sends it. */
    public static RequestEnvelope sealed(RequestEnvelope request) {
        return SealedEvents.sealParts(PayloadKeys.shared(), request);
    }

    /** The answer body of {@code result}, opened. */
    public static String json(ResultEvent result) {
        return ((ApiResponse) SealedEvents.openPayload(PayloadKeys.shared(), result).getPayload()).getJson();
    }

    public static byte[] image(ResultEvent result) {
        return bytes(((ExtractedImage) SealedEvents.openPayload(PayloadKeys.shared(), result).getPayload()).getData());
    }

    /** An image a stage sealed for {@code request}, opened. */
    public static byte[] image(RequestEnvelope request, ByteBuffer sealed) {
        return PayloadKeys.shared().open(request.getTenant(), Purpose.IMAGE, request.getRequestId(), bytes(sealed));
    }

    public static ByteBuffer sealImage(String tenant, String requestId, byte[] image) {
        return ByteBuffer.wrap(PayloadKeys.shared().seal(tenant, Purpose.IMAGE, requestId, image));
    }

    public static List<Float> vector(CollectionRecord record) {
        return list(PayloadKeys.shared().openVector(record.getTenant(), record.getRecordId(), bytes(record.getSealedVector())));
    }

    public static List<Float> vector(SearchQuery query) {
        return list(PayloadKeys.shared().openVector(query.getTenant(), query.getRequestId(), bytes(query.getSealedVector())));
    }

    public static ByteBuffer sealVector(String tenant, String recordKey, List<Float> vector) {
        float[] array = new float[vector.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = vector.get(i);
        }
        return ByteBuffer.wrap(PayloadKeys.shared().sealVector(tenant, recordKey, array));
    }

    private static List<Float> list(float[] array) {
        List<Float> out = new ArrayList<>(array.length);
        for (float v : array) {
            out.add(v);
        }
        return out;
    }

    public static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
