package io.openbio.processors.dis.face;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.inference.detect.BoundingBox;

/** The reference's objects the dis-faces stage answers (Roi, FaceDetection, Links...). */
final class DisFaceJson {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FACES = "/api/v1/faces/";
    static final String PALMS = "/api/v1/palms/";

    private DisFaceJson() {
    }

    /** Roi {topLeft, topRight, bottomRight, bottomLeft} of the rectangle x, y, width, height. */
    static ObjectNode roi(int[] rect) {
        ObjectNode roi = JSON.createObjectNode();
        int x0 = rect[0];
        int y0 = rect[1];
        int x1 = rect[0] + rect[2];
        int y1 = rect[1] + rect[3];
        point(roi.putObject("topLeft"), x0, y0);
        point(roi.putObject("topRight"), x1, y0);
        point(roi.putObject("bottomRight"), x1, y1);
        point(roi.putObject("bottomLeft"), x0, y1);
        return roi;
    }

    static ObjectNode roi(BoundingBox box) {
        return roi(StoredFace.rect(box));
    }

    /** Roi of a palm rectangle (rotated: its four corners as they are, rounded). */
    static ObjectNode roi(io.openbio.inference.palm.PalmDetector.Rectangle r) {
        ObjectNode roi = JSON.createObjectNode();
        point(roi.putObject("topLeft"), (int) Math.round(r.topLeft().x()), (int) Math.round(r.topLeft().y()));
        point(roi.putObject("topRight"), (int) Math.round(r.topRight().x()), (int) Math.round(r.topRight().y()));
        point(roi.putObject("bottomRight"), (int) Math.round(r.bottomRight().x()), (int) Math.round(r.bottomRight().y()));
        point(roi.putObject("bottomLeft"), (int) Math.round(r.bottomLeft().x()), (int) Math.round(r.bottomLeft().y()));
        return roi;
    }

    private static void point(ObjectNode node, int x, int y) {
        node.put("x", x);
        node.put("y", y);
    }

    /** CreateFaceResponse / CreatePalmResponse of a created resource. */
    static ObjectNode created(String id, String base, double confidence, int[] rect, String rectangleField) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        ObjectNode detection = node.putObject("detection");
        detection.put("confidence", Math.max(0, Math.min(1, confidence)));
        detection.set(rectangleField, roi(rect));
        node.putObject("links").put("self", base + id);
        return node;
    }

    /** A 200 answer carrying only a domain error code (NO_FACE_DETECTED, MULTIPLE_FACES_DETECTED, ...). */
    static ObjectNode errorCode(String code) {
        ObjectNode node = JSON.createObjectNode();
        node.put("errorCode", code);
        return node;
    }
}
