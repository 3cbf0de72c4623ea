package io.openbio.inference.challenge;

/**
 * What the verifier found for one requested action: never image bytes, only frame indices and
 * measurements, for debug output and the audit record.
 *
 * @param action     the requested action
 * @param found      whether a segment performing it was found in order
 * @param startFrame first frame of the segment (-1 when not found)
 * @param endFrame   last frame of the segment (-1 when not found)
 * @param measure    the quantity judged, e.g. {@code yaw}, {@code pitch}, {@code smile}, {@code eyesOpen}, {@code gazeX,gazeY}
 * @param peak       the most extreme value of that quantity in the segment (or in the search window when not found)
 * @param threshold  the value it had to reach
 * @param note       a short reason, e.g. {@code "no return to neutral before it"}
 */
public record ActionEvidence(ChallengeAction action, boolean found, int startFrame, int endFrame,
                             String measure, double peak, double threshold, String note) {
}
