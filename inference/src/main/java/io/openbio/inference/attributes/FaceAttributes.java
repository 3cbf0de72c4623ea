package io.openbio.inference.attributes;

/**
 * Attributes of one face, each straight from its model.
 *
 * @param age              estimated age in years (fr_age, SSR-Net merge, V = 101)
 * @param genderScore      fr_gender output in [0, 1]; {@link #MALE_ABOVE} or more reads as male
 * @param gender           gender read from genderScore
 * @param yaw              head yaw in degrees as fr_pose reports it: positive = face turned towards the image's
 *                         left, i.e. the person's right (checked on mirrored photos and warped turns in
 *                         FrameMeasurerTest; {@link io.openbio.inference.challenge.FrameMeasurement} negates it)
 * @param pitch            head pitch in degrees
 * @param roll             head roll in degrees
 * @param rightEyeOpen     probability the subject's right eye (image left) is open (fr_eye class 1)
 * @param leftEyeOpen      probability the subject's left eye (image right) is open
 * @param expression       most probable expression (fr_expression)
 * @param expressionScores softmax over {@link Expression#values()}
 */
public record FaceAttributes(double age, double genderScore, Gender gender, double yaw, double pitch, double roll,
                             double rightEyeOpen, double leftEyeOpen, Expression expression,
                             float[] expressionScores) {
    public static final double MALE_ABOVE = 0.5;
}
