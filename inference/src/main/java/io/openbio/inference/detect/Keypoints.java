package io.openbio.inference.detect;

/**
 * Five keypoints in source pixels, derived from the 68 landmarks (iBUG-68 numbering, 0-based):
 * eye centres = mean of points 37, 38, 40, 41 and 43, 44, 46, 47; nose tip = point 30;
 * mouth corners = mean of points 48 and 60, and of 54 and 64.
 *
 * <p>{@code rightEye} is the subject's right eye, which appears on the LEFT of the image
 * (ISO/IEC 19794-5 convention); likewise {@code mouthRight}.
 */
public record Keypoints(Point rightEye, Point leftEye, Point nose, Point mouthRight, Point mouthLeft) {
    /** Distance between the two eye centres in source pixels. */
    public double interEyeDistance() {
        return rightEye.distance(leftEye);
    }

    public static Keypoints from68(float[] lm) {
        return new Keypoints(
                avg(lm, 36 + 1, 36 + 2, 36 + 4, 36 + 5),
                avg(lm, 42 + 1, 42 + 2, 42 + 4, 42 + 5),
                avg(lm, 30),
                avg(lm, 48, 60),
                avg(lm, 54, 64));
    }

    private static Point avg(float[] lm, int... idx) {
        double x = 0;
        double y = 0;
        for (int i : idx) {
            x += lm[2 * i];
            y += lm[2 * i + 1];
        }
        return new Point(x / idx.length, y / idx.length);
    }

    public double[] asArray() {
        return new double[] {rightEye.x(), rightEye.y(), leftEye.x(), leftEye.y(), nose.x(), nose.y(),
                mouthRight.x(), mouthRight.y(), mouthLeft.x(), mouthLeft.y()};
    }
}
