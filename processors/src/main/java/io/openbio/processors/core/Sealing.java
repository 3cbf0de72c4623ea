package io.openbio.processors.core;

import io.openbio.events.ApiResponse;
import io.openbio.events.CaptureAnalysis;
import io.openbio.events.CapturedFrame;
import io.openbio.events.ExtractedImage;
import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.crypto.PayloadCipher;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.nio.ByteBuffer;

/**
 * The stages' side of payload encryption ({@link PayloadCipher}): every image and template a stage
 * writes into an event is sealed for the request's tenant under the request id, and opened where it
 * is used. The request id is the Kafka key of every event of a request except three re-keyed hops
 * (the capture hop keyed by nonce, template requests keyed by collection, the search scatter keyed by
 * shard): those carry the request id in their value and seal under it, so a payload is bound to one
 * request wherever it travels. Collection records are sealed under their record id (their key).
 */
public final class Sealing {
    private Sealing() {
    }

    static PayloadCipher cipher() {
        return PayloadKeys.shared();
    }

    public static ByteBuffer sealImage(RequestEnvelope request, byte[] image) {
        return ByteBuffer.wrap(cipher().seal(request.getTenant(), Purpose.IMAGE, request.getRequestId(), image));
    }

    public static byte[] openImage(RequestEnvelope request, ByteBuffer sealed) {
        return cipher().open(request.getTenant(), Purpose.IMAGE, request.getRequestId(), bytes(sealed));
    }

    /** A Base64 template sealed as text; null stays null. */
    public static String sealTemplate(RequestEnvelope request, String template) {
        return template == null ? null : cipher().sealText(request.getTenant(), Purpose.TEMPLATE, request.getRequestId(), template);
    }

    public static String openTemplate(RequestEnvelope request, String sealed) {
        return sealed == null ? null : cipher().openText(request.getTenant(), Purpose.TEMPLATE, request.getRequestId(), sealed);
    }

    /** An image sealed for the tenant under {@code recordKey}, for records keyed by something else than a request id (e.g. a nonce). */
    public static ByteBuffer sealImage(String tenant, String recordKey, byte[] image) {
        return ByteBuffer.wrap(cipher().seal(tenant, Purpose.IMAGE, recordKey, image));
    }

    /** A template's vector sealed for the tenant under {@code recordKey} (record id or request id). */
    public static ByteBuffer sealVector(String tenant, String recordKey, float[] vector) {
        return ByteBuffer.wrap(cipher().sealVector(tenant, recordKey, vector));
    }

    /** The request part's bytes, opened (the gateway sealed them). */
    public static byte[] openPart(RequestEnvelope request, ByteBuffer sealed) {
        return cipher().open(request.getTenant(), Purpose.PART, request.getRequestId(), bytes(sealed));
    }

    /** A ready-made answer, its body sealed (it may hold a template). */
    public static ApiResponse apiResponse(RequestEnvelope request, int status, String json) {
        return new ApiResponse(status, cipher().sealText(request.getTenant(), Purpose.RESULT, request.getRequestId(), json),
                new java.util.HashMap<>(), new java.util.ArrayList<>());
    }

    /** A result image, sealed. */
    public static ExtractedImage extractedImage(RequestEnvelope request, byte[] image, String contentType) {
        return new ExtractedImage(ByteBuffer.wrap(cipher().seal(request.getTenant(), Purpose.RESULT, request.getRequestId(), image)),
                contentType);
    }

    /** The frame's image, opened. */
    public static byte[] frame(CaptureAnalysis capture, CapturedFrame frame) {
        return openImage(capture.getEnvelope(), frame.getData());
    }

    /** {@code capture} with its frames opened: for use inside a stage only, never written to a topic. */
    public static CaptureAnalysis withOpenFrames(CaptureAnalysis capture) {
        return CaptureAnalysis.newBuilder(capture)
                .setFrames(capture.getFrames().stream().map(f -> CapturedFrame.newBuilder(f)
                        .setData(ByteBuffer.wrap(frame(capture, f))).build()).toList())
                .build();
    }

    public static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
