package io.openbio.processors.bioserver;

import io.openbio.inference.detect.Face;
import io.openbio.events.BioServerFace;
import io.openbio.inference.embed.Template;
import java.time.Instant;
import java.util.List;

/**
 * A face as the BioServer API describes it, computed from an image: the face found (the largest, in
 * the image as coded, i.e. turned when rotation was needed), its template, quality and the image's digest.
 *
 * @param face     the detected face, coordinates in the coded image
 * @param template its template
 * @param quality  template quality on the seed's scale ({@link FaceCoder#quality})
 * @param digest   SHA-256 (hex) of the image file as received
 * @param rotated  degrees the image was turned clockwise before a face was found (0, 90, 180, 270)
 */
record CodedFace(Face face, Template template, double quality, String digest, int rotated) {
    /** x1, y1, x2, y2: the eye centres, the one on the image's left first. */
    List<Double> eyes() {
        var k = face.keypoints();
        return List.of(k.rightEye().x(), k.rightEye().y(), k.leftEye().x(), k.leftEye().y());
    }

    /** x, y, width, height of the face box, rounded to pixels. */
    List<Integer> box() {
        var b = face.box();
        return List.of((int) Math.round(b.x()), (int) Math.round(b.y()), (int) Math.round(b.width()), (int) Math.round(b.height()));
    }

    /**
     * The face as the stage keeps and answers it.
     *
     * @param template        its template as stored: sealed text in a session, {@code ""} for an answer only
     * @param rotation        the request's imageRotationEnabled (null when it gave none)
     */
    BioServerFace toFace(String id, String friendlyName, String mode, String imageType, Boolean rotation, String template,
                         int templateVersion, Instant created) {
        return BioServerFace.newBuilder()
                .setId(id)
                .setFriendlyName(friendlyName)
                .setDigest(digest)
                .setMode(mode == null || mode.isBlank() ? BioServerProcessor.DEFAULT_MODE : mode)
                .setImageType(imageType)
                .setQuality(quality)
                .setEyes(eyes())
                .setBox(box())
                .setTemplate(template)
                .setTemplateVersion(templateVersion)
                .setImageRotationEnabled(rotation)
                .setCreatedAt(created)
                .build();
    }
}
