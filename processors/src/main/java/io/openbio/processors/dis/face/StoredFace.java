package io.openbio.processors.dis.face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.detect.Keypoints;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One face or palm as the dis-faces stage keeps it in its {@value DisFaceProcessor#FACES} store: a JSON
 * record under {@code face:<id>} or {@code palm:<id>}. Plain: the tenant, the expiry, the detection
 * confidence and rectangle (no biometric data). Sealed for the tenant under the store key
 * ({@link PayloadKeys}): the face's geometry (box, 68 landmarks) and its template. The image it was
 * detected in is in the {@value DisFaceProcessor#IMAGES} store under the same key, sealed.
 *
 * @param rect x, y, width, height of the detection rectangle, in the image's pixels
 */
record StoredFace(String key, String tenant, Instant expires, double confidence, int[] rect, String sealedGeometry,
                  String sealedTemplate) {
    static final ObjectMapper JSON = new ObjectMapper();

    static String faceKey(String id) {
        return "face:" + id;
    }

    static String palmKey(String id) {
        return "palm:" + id;
    }

    static StoredFace face(String key, String tenant, Instant expires, Face face, String template) {
        return new StoredFace(key, tenant, expires, face.score(), rect(face.box()),
                PayloadKeys.shared().sealText(tenant, Purpose.TEMPLATE, key, geometry(face)),
                PayloadKeys.shared().sealText(tenant, Purpose.TEMPLATE, key, template));
    }

    static StoredFace palm(String key, String tenant, Instant expires, double confidence, BoundingBox box) {
        return new StoredFace(key, tenant, expires, confidence, rect(box), null, null);
    }

    static int[] rect(BoundingBox box) {
        return new int[] {(int) Math.round(box.x()), (int) Math.round(box.y()), (int) Math.round(box.width()),
                (int) Math.round(box.height())};
    }

    boolean expired(Instant now) {
        return !now.isBefore(expires);
    }

    /** The face as detected (box, score, landmarks), opened. */
    Face openFace() {
        JsonNode node = read(PayloadKeys.shared().openText(tenant, Purpose.TEMPLATE, key, sealedGeometry));
        JsonNode b = node.get("box");
        JsonNode l = node.get("landmarks");
        float[] landmarks = new float[l.size()];
        for (int i = 0; i < landmarks.length; i++) {
            landmarks[i] = (float) l.get(i).asDouble();
        }
        return new Face(new BoundingBox(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble()),
                node.get("score").asDouble(), landmarks, Keypoints.from68(landmarks));
    }

    /** The template (Base64, {@link io.openbio.inference.embed.Template#encode()}), opened. */
    String openTemplate() {
        return PayloadKeys.shared().openText(tenant, Purpose.TEMPLATE, key, sealedTemplate);
    }

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("tenant", tenant);
        node.put("expires", expires.toEpochMilli());
        node.put("confidence", confidence);
        ArrayNode r = node.putArray("rect");
        for (int v : rect) {
            r.add(v);
        }
        if (sealedGeometry != null) {
            node.put("geometry", sealedGeometry);
        }
        if (sealedTemplate != null) {
            node.put("template", sealedTemplate);
        }
        return node.toString();
    }

    static StoredFace fromJson(String key, String json) {
        JsonNode node = read(json);
        JsonNode r = node.get("rect");
        return new StoredFace(key, node.get("tenant").asText(), Instant.ofEpochMilli(node.get("expires").asLong()),
                node.get("confidence").asDouble(), new int[] {r.get(0).asInt(), r.get(1).asInt(), r.get(2).asInt(), r.get(3).asInt()},
                node.hasNonNull("geometry") ? node.get("geometry").asText() : null,
                node.hasNonNull("template") ? node.get("template").asText() : null);
    }

    /** Expiry without opening anything (the sweep). */
    static Instant expiresOf(String json) {
        return Instant.ofEpochMilli(read(json).get("expires").asLong());
    }

    private static String geometry(Face face) {
        ObjectNode node = JSON.createObjectNode();
        BoundingBox b = face.box();
        node.putArray("box").add(b.x()).add(b.y()).add(b.width()).add(b.height());
        node.put("score", face.score());
        ArrayNode l = node.putArray("landmarks");
        for (float v : face.landmarks()) {
            l.add(v);
        }
        return node.toString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
