package io.openbio.inference.challenge;

import io.openbio.inference.detect.BoundingBox;

/**
 * What the models measured on one frame of a challenge capture. Angles in degrees, scores 0..1;
 * a quantity that could not be measured (no face) is {@code Double.NaN}.
 *
 * @param index            frame index in the capture
 * @param timestampMs      the frame's capture timestamp (from the bundle)
 * @param faceCount        faces found on the frame
 * @param face             the tracked face's box (null when none)
 * @param yaw              head yaw, positive = the person turned to their left (fr_pose)
 * @param pitch            head pitch, positive = looking up (fr_pose)
 * @param roll             head roll (fr_pose)
 * @param eyesOpen         probability both eyes are open: min of the two eyes (fr_eye)
 * @param smile            probability of a smile (fr_expression "happy")
 * @param gazeX            horizontal gaze relative to the head, -1 (person's right) .. 1 (person's left) (iris landmarks)
 * @param gazeY            vertical gaze relative to the head, -1 (down) .. 1 (up)
 * @param similarityToPrevious cosine similarity of this frame's face embedding to the previous measured frame's (NaN for the first)
 * @param similarityToFirst    cosine similarity to the first frame with a face
 * @param sharpness        focus measure of the face crop (variance of the Laplacian), higher is sharper
 */
public record FrameMeasurement(int index, long timestampMs, int faceCount, BoundingBox face,
                               double yaw, double pitch, double roll, double eyesOpen, double smile,
                               double gazeX, double gazeY, double similarityToPrevious, double similarityToFirst,
                               double sharpness) {
    public boolean hasFace() {
        return face != null;
    }
}
