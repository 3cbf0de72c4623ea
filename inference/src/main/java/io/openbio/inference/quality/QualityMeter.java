package io.openbio.inference.quality;

import io.openbio.inference.align.FaceAligner;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.Crops;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.imgproc.Imgproc;

import java.util.List;

/** Computes {@link QualityReport}: OpenCV on the aligned face, plain sums for region statistics. */
public final class QualityMeter {
    /** Inner face of the aligned 112x112 crop (forehead to chin, cheek to cheek). */
    static final int IX0 = 16;
    static final int IX1 = 96;
    static final int IY0 = 20;
    static final int IY1 = 108;

    private QualityMeter() {
    }

    public static QualityReport measure(RgbImage img, Face face) {
        RgbImage aligned = FaceAligner.align(img, face.keypoints());
        Mat rgb = aligned.toMat();
        Mat gray = new Mat();
        Mat lap = new Mat();
        Mat hist = new Mat();
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble sd = new MatOfDouble();
        MatOfDouble lmean = new MatOfDouble();
        MatOfDouble lsd = new MatOfDouble();
        try {
            Imgproc.cvtColor(rgb, gray, Imgproc.COLOR_RGB2GRAY);
            Imgproc.Laplacian(gray, lap, CvType.CV_64F);
            Core.meanStdDev(lap, lmean, lsd);
            Core.meanStdDev(gray, mean, sd);
            Imgproc.calcHist(List.of(gray), new MatOfInt(0), new Mat(), hist, new MatOfInt(256), new MatOfFloat(0, 256));
            int levels = Core.countNonZero(hist);
            double lapSd = lsd.toArray()[0];
            byte[] g = new byte[FaceAligner.SIZE * FaceAligner.SIZE];
            gray.get(0, 0, g);
            int mid = (IX0 + IX1) / 2;
            double shadow = asymmetry(meanGrey(g, IX0, mid, IY0, IY1), meanGrey(g, mid, IX1, IY0, IY1));
            // cheek patches beside the nose (reference nose tip at 56, 72)
            double noseShadow = asymmetry(meanGrey(g, 34, 48, 62, 82), meanGrey(g, 64, 78, 62, 82));
            double[] bg = background(img, face.box());
            return new QualityReport(lapSd * lapSd, mean.toArray()[0], sd.toArray()[0], levels,
                    face.interEyeDistance(), face.box().height(),
                    face.box().area() / ((double) img.width() * img.height()),
                    shadow, noseShadow, specularity(aligned), bg[0], bg[1], crop(img, face));
        } finally {
            rgb.release();
            gray.release();
            lap.release();
            hist.release();
        }
    }

    /** Portrait crop: square of side 2 x box height around the box centre, kept inside the image. */
    public static BoundingBox crop(RgbImage img, Face face) {
        return Crops.scaledInside(img, face.box(), 2.0);
    }

    static double asymmetry(double a, double b) {
        double m = Math.max(a, b);
        return m <= 0 ? 0 : Math.abs(a - b) / m;
    }

    static double meanGrey(byte[] g, int x0, int x1, int y0, int y1) {
        long s = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                s += g[y * FaceAligner.SIZE + x] & 0xff;
            }
        }
        return (double) s / ((x1 - x0) * (y1 - y0));
    }

    /** Share of inner-face pixels that are near-white, unsaturated highlights. */
    static double specularity(RgbImage aligned) {
        byte[] p = aligned.rgb();
        int n = 0;
        int spec = 0;
        for (int y = IY0; y < IY1; y++) {
            for (int x = IX0; x < IX1; x++) {
                int i = (y * aligned.width() + x) * 3;
                int r = p[i] & 0xff;
                int gg = p[i + 1] & 0xff;
                int b = p[i + 2] & 0xff;
                int max = Math.max(r, Math.max(gg, b));
                int min = Math.min(r, Math.min(gg, b));
                n++;
                if (max >= 240 && (max - min) < 0.2 * max) {
                    spec++;
                }
            }
        }
        return (double) spec / n;
    }

    /**
     * {uniformity, sd}: grey-level standard deviation of the background ring around the face (square
     * of 2.2 x box height minus square of 1.4 x box height, rows above the box bottom only, inside the
     * image); uniformity = 1 - min(1, sd / 64). NaN when fewer than 100 ring pixels are in the image.
     */
    static double[] background(RgbImage img, BoundingBox box) {
        BoundingBox outer = box.squareScaled(2.2);
        BoundingBox inner = box.squareScaled(1.4);
        double bottom = box.y() + box.height();
        // work on a copy of the outer square at most 128 px high, so the cost does not grow with the image
        double scale = Math.min(1.0, 128.0 / outer.height());
        int ow = Math.max(1, (int) Math.round(outer.width() * scale));
        int oh = Math.max(1, (int) Math.round(outer.height() * scale));
        byte[] g = ImageOps.grayCrop(img, outer.x(), outer.y(), outer.width(), outer.height(), ow, oh);
        double sum = 0;
        double sum2 = 0;
        int n = 0;
        for (int y = 0; y < oh; y++) {
            double sy = outer.y() + (y + 0.5) / scale;
            if (sy < 0 || sy >= img.height() || sy > bottom) {
                continue;
            }
            for (int x = 0; x < ow; x++) {
                double sx = outer.x() + (x + 0.5) / scale;
                if (sx < 0 || sx >= img.width()) {
                    continue;
                }
                if (sx >= inner.x() && sx < inner.x() + inner.width() && sy >= inner.y() && sy < inner.y() + inner.height()) {
                    continue;
                }
                double v = g[y * ow + x] & 0xff;
                sum += v;
                sum2 += v * v;
                n++;
            }
        }
        if (n < 100) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double m = sum / n;
        double sd = Math.sqrt(Math.max(0, sum2 / n - m * m));
        return new double[] {1 - Math.min(1, sd / 64), sd};
    }
}
