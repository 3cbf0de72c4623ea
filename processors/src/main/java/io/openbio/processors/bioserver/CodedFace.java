package io.openbio.processors.bioserver;

import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;

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
    double[] eyes() {
        var k = face.keypoints();
        return new double[] {k.rightEye().x(), k.rightEye().y(), k.leftEye().x(), k.leftEye().y()};
    }

    /** x, y, width, height of the face box, rounded to pixels. */
    int[] box() {
        var b = face.box();
        return new int[] {(int) Math.round(b.x()), (int) Math.round(b.y()), (int) Math.round(b.width()), (int) Math.round(b.height())};
    }
}
