package io.openbio.processors.lcp;

import io.openbio.events.LcpAuditEvent;
import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.contract.LcpContract;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;

/**
 * The Liveness Check Proxy's audit log events ({@code openbio.lcp.audit}, keyed by
 * {@link LcpContract#userKey}): one per init, verify request, probe image, verification result,
 * reference upload or removal, and failed request. Messages are the seed's lines where it gives them.
 * Images are sealed (purpose IMAGE, record key = the event's id), so only a holder of the payload key
 * store opens them; the lcp-audit stage answers them to ADMINs.
 */
public final class LcpAudit {
    public static final String INIT = "INIT";
    public static final String VERIFY = "VERIFY";
    public static final String PROBE_IMAGE = "PROBE_IMAGE";
    public static final String RESULT = "RESULT";
    public static final String REFERENCE_IMAGE = "REFERENCE_IMAGE";
    public static final String REFERENCE_DELETED = "REFERENCE_DELETED";
    public static final String USER_DELETED = "USER_DELETED";
    public static final String ERROR = "ERROR";

    private LcpAudit() {
    }

    public static KeyValue<String, LcpAuditEvent> init(RequestEnvelope request, String userId) {
        return event(request, userId, INIT, "Received request to initiate liveness verification for userId=" + userId + ".",
                null, null, Map.of());
    }

    public static KeyValue<String, LcpAuditEvent> verify(RequestEnvelope request, String userId) {
        return event(request, userId, VERIFY, "Received request to verify liveness from userId=" + userId + ".", null, null, Map.of());
    }

    /** The probe image, with the reference face it is compared against (both sealed). */
    public static KeyValue<String, LcpAuditEvent> probe(RequestEnvelope request, String userId, byte[] probe, byte[] trusted) {
        return event(request, userId, PROBE_IMAGE, "User with userId=" + userId + " recorded probe image.", probe, trusted, Map.of());
    }

    /** The verdict with its figures ({@code result}, scores, reason); no image. */
    public static KeyValue<String, LcpAuditEvent> result(RequestEnvelope request, String userId, String result, Map<String, String> figures) {
        Map<String, String> params = new LinkedHashMap<>(figures);
        params.put("result", result);
        return event(request, userId, RESULT, "Liveness verification of userId=" + userId + " finished with result " + result + ".",
                null, null, params);
    }

    public static KeyValue<String, LcpAuditEvent> reference(RequestEnvelope request, String userId, byte[] image, Map<String, String> params) {
        return event(request, userId, REFERENCE_IMAGE, "Reference image uploaded for userId=" + userId + ".", null, image, params);
    }

    public static KeyValue<String, LcpAuditEvent> referenceDeleted(RequestEnvelope request, String userId) {
        return event(request, userId, REFERENCE_DELETED, "Reference image deleted for userId=" + userId + ".", null, null, Map.of());
    }

    public static KeyValue<String, LcpAuditEvent> userDeleted(RequestEnvelope request, String userId) {
        return event(request, userId, USER_DELETED, "User details deleted for userId=" + userId + ".", null, null, Map.of());
    }

    /** A request of the user that ended with one of the seed's errors. */
    public static KeyValue<String, LcpAuditEvent> error(RequestEnvelope request, String userId, LcpFailure failure) {
        return event(request, userId, ERROR, "Request " + request.getOperation() + " for userId=" + userId + " failed: "
                + failure.code() + ".", null, null, Map.of("code", failure.code(), "status", Integer.toString(failure.status())));
    }

    static KeyValue<String, LcpAuditEvent> event(RequestEnvelope request, String userId, String kind, String message,
                                                  byte[] probe, byte[] trusted, Map<String, String> params) {
        String id = UUID.randomUUID().toString();
        String tenant = request.getTenant();
        Map<String, String> all = new HashMap<>(params);
        all.put("userId", userId);
        LcpAuditEvent event = LcpAuditEvent.newBuilder()
                .setId(id)
                .setTenant(tenant)
                .setUserId(userId)
                .setTimestamp(Instant.now())
                .setKind(kind)
                .setMessage(message)
                .setRequestId(request.getRequestId())
                .setProbeImage(seal(tenant, id, probe))
                .setTrustedImage(seal(tenant, id, trusted))
                .setParams(all)
                .build();
        return KeyValue.pair(LcpContract.userKey(tenant, userId), event);
    }

    private static ByteBuffer seal(String tenant, String id, byte[] image) {
        return image == null ? null : ByteBuffer.wrap(PayloadKeys.shared().seal(tenant, Purpose.IMAGE, id, image));
    }
}
