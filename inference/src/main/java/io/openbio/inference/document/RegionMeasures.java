package io.openbio.inference.document;

import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The plain photometric measurements of a document region, one definition for the IDLive quality
 * warnings ({@link QualityWarning}) and the DIS page quality
 * ({@link io.openbio.inference.document.page.PageQuality}).
 *
 * @param laplacianVariance variance of the 3x3 Laplacian of the grey region (BT.601 grey, 8 bit):
 *                          falls as the region blurs
 * @param meanGrey          mean grey level, 0..255
 * @param saturatedShare    share of the region's pixels at 250 or above in all three channels
 *                          (reflections that clip the sensor)
 * @param clippedAreaShare  share of the region's pixels in saturated AREAS: the saturated mask opened
 *                          by a {@value #AREA_SIDE} x {@value #AREA_SIDE} square, so that scattered
 *                          saturated pixels (noise on a near-white background) do not count, a
 *                          reflection or a clipped zone does
 */
public record RegionMeasures(double laplacianVariance, double meanGrey, double saturatedShare,
                             double clippedAreaShare) {
    /** Grey level (each channel) from which a pixel counts as saturated. */
    public static final int SATURATED = 250;
    /** Side of the square that a saturated area must hold, px. */
    public static final int AREA_SIDE = 5;

    /** Measures the rectangle (x, y, w, h) of the image; it must lie inside the image. */
    public static RegionMeasures of(RgbImage img, int x, int y, int w, int h) {
        OpenCv.load();
        Mat rgb = img.toMat();
        Mat sub = new Mat(rgb, new Rect(x, y, w, h));
        Mat grey = new Mat();
        Mat lap = new Mat();
        Mat white = new Mat();
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble sd = new MatOfDouble();
        try {
            Imgproc.cvtColor(sub, grey, Imgproc.COLOR_RGB2GRAY);
            Imgproc.Laplacian(grey, lap, CvType.CV_64F);
            Core.meanStdDev(lap, mean, sd);
            double s = sd.toArray()[0];
            Core.inRange(sub, new Scalar(SATURATED, SATURATED, SATURATED), new Scalar(255, 255, 255), white);
            double saturated = (double) Core.countNonZero(white) / white.total();
            Mat k = Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(AREA_SIDE, AREA_SIDE));
            Imgproc.morphologyEx(white, white, Imgproc.MORPH_OPEN, k);
            k.release();
            double areas = (double) Core.countNonZero(white) / white.total();
            return new RegionMeasures(s * s, Core.mean(grey).val[0], saturated, areas);
        } finally {
            rgb.release();
            sub.release();
            grey.release();
            lap.release();
            white.release();
            mean.release();
            sd.release();
        }
    }

    /** Measures the whole image. */
    public static RegionMeasures of(RgbImage img) {
        return of(img, 0, 0, img.width(), img.height());
    }
}
