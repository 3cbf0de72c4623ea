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
 * @param yaw              head yaw, positive = the person turned to their left, i.e. the nose towards the
 *                         image's right in an unmirrored camera frame (fr_pose reports the opposite sign,
 *                         negated here; checked on mirrored real photos and planar head-turn warps)
 * @param pitch            head pitch, positive = looking up (fr_pose's own sign; checked only weakly, on
 *                         planar tilt warps of one face)
 * @param roll             head roll (fr_pose)
 * @param eyesOpen         probability both eyes are open: min of the two eyes (fr_eye)
 * @param smile            probability of a smile (fr_expression "happy")
 * @param gazeX            horizontal gaze relative to the head, -1 (person's right) .. 1 (person's left) in an
 *                         unmirrored frame: the iris centre between the eye corners (MediaPipe Iris), both
 *                         eyes averaged; about 0 when looking at the camera. Meaningless with eyes closed.
 * @param gazeY            vertical gaze relative to the head, -1 (down) .. 1 (up): the iris centre's offset
 *                         from the line of the eye corners over half the eyelid opening. Not centred: about
 *                         +0.4 on frontal photos looking at the camera, so compare with the capture's own
 *                         neutral frames rather than with 0.
 * @param similarityToPrevious cosine similarity of this frame's face embedding to the previous measured frame's (NaN for the first)
 * @param similarityToFirst    cosine similarity to the first frame with a face
 * @param sharpness        focus measure of the face crop (variance of the Laplacian of the grey face box resized
 *                         to 128x128), higher is sharper
 */
public record FrameMeasurement(int index, long timestampMs, int faceCount, BoundingBox face,
                               double yaw, double pitch, double roll, double eyesOpen, double smile,
                               double gazeX, double gazeY, double similarityToPrevious, double similarityToFirst,
                               double sharpness) {
    public boolean hasFace() {
        return face != null;
    }
}
