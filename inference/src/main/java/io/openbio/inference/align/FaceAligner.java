package io.openbio.inference.align;

import io.openbio.inference.detect.Keypoints;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.opencv.calib3d.Calib3d;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;

/**
 * Warps a face to the 112x112 ArcFace reference frame: a similarity transform (rotation, uniform
 * scale, translation) estimated by OpenCV {@code estimateAffinePartial2D} from the five keypoints to
 * the reference points, then {@code warpAffine}. The reference points are those the embedding
 * package itself uses (REFERENCE_FACIAL_POINTS in its fr_feature.js, the standard 112x112 set).
 */
public final class FaceAligner {
    public static final int SIZE = 112;
    /** Image-left eye, image-right eye, nose, image-left mouth corner, image-right mouth corner. */
    static final double[][] REFERENCE = {
            {38.29459953, 51.69630051},
            {73.53179932, 51.50139999},
            {56.02519989, 71.73660278},
            {41.54930115, 92.3655014},
            {70.72990036, 92.20410156}};

    private FaceAligner() {
    }

    /** The 2x3 source-to-aligned matrix, row-major. */
    public static double[] transform(Keypoints k) {
        OpenCv.load();
        MatOfPoint2f src = new MatOfPoint2f(
                new Point(k.rightEye().x(), k.rightEye().y()),
                new Point(k.leftEye().x(), k.leftEye().y()),
                new Point(k.nose().x(), k.nose().y()),
                new Point(k.mouthRight().x(), k.mouthRight().y()),
                new Point(k.mouthLeft().x(), k.mouthLeft().y()));
        Point[] ref = new Point[REFERENCE.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = new Point(REFERENCE[i][0], REFERENCE[i][1]);
        }
        MatOfPoint2f dst = new MatOfPoint2f(ref);
        Mat inliers = new Mat();
        Mat m = Calib3d.estimateAffinePartial2D(src, dst, inliers, Calib3d.LMEDS);
        try {
            if (m.empty()) {
                throw new IllegalStateException("no similarity transform fits the keypoints");
            }
            double[] out = new double[6];
            m.get(0, 0, out);
            return out;
        } finally {
            src.release();
            dst.release();
            inliers.release();
            m.release();
        }
    }

    public static RgbImage align(RgbImage img, Keypoints k) {
        return ImageOps.warpAffine(img, transform(k), SIZE, SIZE);
    }
}
