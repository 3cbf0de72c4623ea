package io.openbio.inference.challenge;

/**
 * An action a person can be asked to perform in front of the camera, each one something the
 * face models can verify on a frame sequence: head pose (fr_pose), expression (fr_expression),
 * eye openness (fr_eye) and gaze (iris landmarks).
 */
public enum ChallengeAction {
    /** Turn the head to the person's left (the face turns towards the image's right). */
    TURN_LEFT,
    /** Turn the head to the person's right. */
    TURN_RIGHT,
    LOOK_UP,
    LOOK_DOWN,
    SMILE,
    /** Close both eyes, then open them again. */
    CLOSE_EYES,
    /** Look at the screen's top-left corner (seed 004 EYE_GAZE_LIVENESS), head still. */
    GAZE_TOP_LEFT,
    GAZE_TOP_RIGHT,
    GAZE_BOTTOM_LEFT,
    GAZE_BOTTOM_RIGHT;

    public boolean isGaze() {
        return name().startsWith("GAZE_");
    }
}
