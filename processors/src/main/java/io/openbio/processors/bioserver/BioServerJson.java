package io.openbio.processors.bioserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.BioServerFace;
import io.openbio.events.BioServerSession;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The BioServer's JSON objects (seed 003, "Objects"), in the seed's field order; absent values are
 * left out, as the seed's examples do. Unsigned: the gateway adds {@code signature}.
 */
final class BioServerJson {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The seed's datetimes: ISO-8601 UTC with milliseconds ({@code 2017-05-18T10:14:39.587Z}). */
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private BioServerJson() {
    }

    static String datetime(Instant instant) {
        return DATETIME.format(instant);
    }

    static ObjectNode session(BioServerSession session) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", session.getId());
        putIfPresent(node, "correlationId", session.getCorrelationId());
        putIfPresent(node, "evidenceId", session.getEvidenceId());
        node.put("imageStorageEnabled", session.getImageStorageEnabled());
        node.put("created", datetime(session.getCreatedAt()));
        node.put("expires", datetime(session.getExpiresAt()));
        return node;
    }

    /**
     * A Face. {@code template} is the opened template (null: left out, as in a Match's reference and
     * candidate); {@code expires} null for a face outside a session.
     */
    static ObjectNode face(BioServerFace face, String template, Instant expires) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", face.getId());
        putIfPresent(node, "friendlyName", face.getFriendlyName());
        putIfPresent(node, "digest", face.getDigest());
        node.put("mode", face.getMode());
        node.put("imageType", face.getImageType());
        node.put("quality", Math.round(face.getQuality()));
        ObjectNode landmarks = landmarks(face.getEyes(), face.getBox());
        if (landmarks != null) {
            node.set("landmarks", landmarks);
        }
        if (face.getImageRotationEnabled() != null) {
            node.put("imageRotationEnabled", face.getImageRotationEnabled());
        }
        if (template != null) {
            node.put("template", template);
            node.put("templateVersion", face.getTemplateVersion());
        }
        node.put("created", datetime(face.getCreatedAt()));
        if (expires != null) {
            node.put("expires", datetime(expires));
        }
        return node;
    }

    static ObjectNode landmarks(List<Double> eyes, List<Integer> box) {
        if (eyes == null && box == null) {
            return null;
        }
        ObjectNode landmarks = JSON.createObjectNode();
        if (eyes != null && eyes.size() == 4) {
            ObjectNode e = landmarks.putObject("eyes");
            e.put("x1", (float) (double) eyes.get(0));
            e.put("y1", (float) (double) eyes.get(1));
            e.put("x2", (float) (double) eyes.get(2));
            e.put("y2", (float) (double) eyes.get(3));
        }
        if (box != null && box.size() == 4) {
            ObjectNode b = landmarks.putObject("box");
            b.put("x", box.get(0));
            b.put("y", box.get(1));
            b.put("width", box.get(2));
            b.put("height", box.get(3));
        }
        return landmarks;
    }

    /** A Match: the two faces without their templates. */
    static ObjectNode match(ObjectNode reference, ObjectNode candidate, BioServerScores scores, String correlationId,
                            String evidenceId, Instant created, Instant expires) {
        ObjectNode node = JSON.createObjectNode();
        node.set("reference", withoutTemplate(reference));
        node.set("candidate", withoutTemplate(candidate));
        node.put("score", scores.score());
        node.put("falseAcceptanceRate", scores.falseAcceptanceRate());
        putIfPresent(node, "correlationId", correlationId);
        putIfPresent(node, "evidenceId", evidenceId);
        node.put("created", datetime(created));
        if (expires != null) {
            node.put("expires", datetime(expires));
        }
        return node;
    }

    static ObjectNode withoutTemplate(ObjectNode face) {
        ObjectNode copy = face.deepCopy();
        copy.remove(List.of("template", "templateVersion", "created", "expires", "signature"));
        return copy;
    }

    static ArrayNode array(List<ObjectNode> items) {
        ArrayNode array = JSON.createArrayNode();
        items.forEach(array::add);
        return array;
    }

    static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
