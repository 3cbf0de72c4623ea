package io.openbio.inference.detect;

/**
 * One detected face, all coordinates in source-image pixels of the upright image.
 *
 * @param box        detector box (x, y, width, height)
 * @param score      detector confidence (softmax of the face class), 0..1
 * @param landmarks  68 landmarks as x0, y0, x1, y1, ... (136 values) from the landmark model
 * @param keypoints  eyes, nose, mouth corners derived from the landmarks
 */
public record Face(BoundingBox box, double score, float[] landmarks, Keypoints keypoints) {
    public double interEyeDistance() {
        return keypoints.interEyeDistance();
    }
}
