package io.openbio.schemas.clients;

import io.openbio.events.ClientPart;
import io.openbio.events.ClientRequest;
import io.openbio.events.Part;
import io.openbio.events.RequestEnvelope;
import io.openbio.schemas.PayloadLimits;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.CaptureContract;
import io.openbio.schemas.contract.ClientsContract;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.ekyc.CheckModel;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A public {@link ClientRequest} (README "Kafka clients") as the {@link RequestEnvelope} the gateway
 * produces for the same HTTP call: the same operation, part names, attributes and checks
 * ({@code POST /check}: {@link CheckModel#parse} and {@link CheckModel#missingPart}; {@code POST
 * /check_capture_liveness}: a non-empty bundle), so the existing stages answer it. The envelope's
 * parts are still plaintext: the caller seals them at once ({@code SealedEvents.sealParts}).
 */
public final class ClientRequests {
    private ClientRequests() {
    }

    /** A request refused before it reaches the pipeline: the status and error code the HTTP API answers with. */
    public static final class Refused extends Exception {
        private final int status;
        private final String code;

        public Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    /**
     * The envelope and the request topic of its route; no topic for the operations the kafka-clients stage
     * answers itself ({@link ClientsContract#ANSWERED_BY_STAGE}: their envelope has no part).
     */
    public record Mapped(TopicSpec<RequestEnvelope> topic, RequestEnvelope envelope) {
        public boolean answeredByStage() {
            return topic == null;
        }
    }

    /** Error code of an {@code ekyc.check} with plain images while they are refused ({@code OPENBIO_KAFKA_CLIENT_PLAIN_IMAGES=false}). */
    public static final String PLAIN_IMAGES_REFUSED = "PLAIN_IMAGES_REFUSED";

    /**
     * {@code request} as the gateway's envelope, or the reason it is refused.
     *
     * @param plainImages whether an {@code ekyc.check} may carry plain images ({@code encrypted=false},
     *                    {@code OPENBIO_KAFKA_CLIENT_PLAIN_IMAGES}); when not, it is refused before its parts are read
     */
    public static Mapped toEnvelope(String tenant, String clientRequestId, ClientRequest request, Instant now, boolean plainImages) throws Refused {
        String operation = request.getOperation();
        if (!ClientsContract.OPERATIONS.contains(operation)) {
            throw new Refused(400, "UNKNOWN_OPERATION", "Unknown operation '" + printable(operation) + "': one of "
                    + ClientsContract.OPERATIONS.stream().sorted().toList());
        }
        if (operation.equals(EkycContract.CHECK) && !request.getEncrypted() && !plainImages) {
            throw new Refused(400, PLAIN_IMAGES_REFUSED, "Plain images (encrypted=false) are refused on Kafka: biometric data stays"
                    + " encrypted inside Kafka. Send capture bundles (encrypted=true, the default): face and doc each a bundle"
                    + " built with a nonce from iad.nonce and the key from iad.public_key");
        }
        long size = 0;
        Map<String, byte[]> parts = new HashMap<>();
        for (ClientPart part : request.getParts()) {
            byte[] data = bytes(part.getData());
            size += data.length;
            if (parts.put(part.getName(), data) != null) {
                throw new Refused(400, "UNKNOWN", "Part '" + printable(part.getName()) + "' is given twice");
            }
        }
        if (size > PayloadLimits.MAX_PAYLOAD_BYTES) {
            throw new Refused(413, "PAYLOAD_TOO_LARGE", "request body exceeds the limit of " + PayloadLimits.MAX_PAYLOAD_BYTES + " bytes");
        }
        String callbackUrl = request.getCallbackUrl();
        if (callbackUrl != null && !absoluteHttp(callbackUrl)) {
            throw new Refused(400, "UNKNOWN", "callbackUrl must be an absolute http(s) URL without credentials");
        }
        RequestEnvelope.Builder envelope = RequestEnvelope.newBuilder()
                .setRequestId(ClientsContract.platformRequestId(tenant, clientRequestId))
                .setTenant(tenant)
                .setOperation(operation)
                .setReplyTo(ClientsContract.REPLIES.name())
                .setCallbackUrl(callbackUrl)
                .setCreatedAt(now);
        if (operation.equals(EkycContract.CHECK)) {
            return new Mapped(Topics.EKYC_REQUESTS, check(envelope, request, parts));
        }
        if (ClientsContract.ANSWERED_BY_STAGE.contains(operation)) {
            if (!parts.isEmpty() || request.getCheckModel() != null) {
                throw new Refused(400, "UNKNOWN", "Operation '" + operation + "' takes no parts and no checkModel");
            }
            return new Mapped(null, envelope.setParts(List.of()).setAttributes(Map.of()).build());
        }
        byte[] bundle = parts.get("bundle");
        if (bundle == null || bundle.length == 0 || parts.size() != 1) {
            throw new Refused(400, "UNKNOWN", "Failed to parse file");
        }
        return new Mapped(Topics.CAPTURE_REQUESTS, envelope
                .setParts(List.of(new Part("bundle", "application/octet-stream", ByteBuffer.wrap(bundle))))
                .setAttributes(Map.of()).build());
    }

    private static RequestEnvelope check(RequestEnvelope.Builder envelope, ClientRequest request, Map<String, byte[]> given) throws Refused {
        if (request.getCheckModel() == null) {
            throw new Refused(400, "UNKNOWN", "Required part 'checkModel' is not present");
        }
        CheckModel model;
        try {
            model = CheckModel.parse(request.getCheckModel());
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "UNKNOWN", e.getMessage());
        }
        for (String name : given.keySet()) {
            if (!name.equals("face") && !name.equals("doc")) {
                throw new Refused(400, "UNKNOWN", "Unknown part '" + printable(name) + "': face and doc only");
            }
        }
        byte[] face = given.get("face");
        byte[] doc = given.get("doc");
        String missing = model.missingPart(face != null, doc != null);
        if (missing != null) {
            throw new Refused(400, "UNKNOWN", missing);
        }
        List<Part> parts = new ArrayList<>();
        if (face != null) {
            parts.add(new Part("face", null, ByteBuffer.wrap(face)));
        }
        if (doc != null) {
            parts.add(new Part("doc", null, ByteBuffer.wrap(doc)));
        }
        return envelope.setParts(parts)
                .setAttributes(Map.of("checkModel", model.toJson(), "encrypted", Boolean.toString(request.getEncrypted())))
                .build();
    }

    private static boolean absoluteHttp(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** {@code s} shortened to 64 printable characters, for error messages. */
    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
