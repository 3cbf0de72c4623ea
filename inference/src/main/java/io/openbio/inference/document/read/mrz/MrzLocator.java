package io.openbio.inference.document.read.mrz;

import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.RotatedRect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the machine readable zone band on a document page with OpenCV morphology and cuts it out
 * upright, grey, at a size Tesseract reads well.
 *
 * <ol>
 *   <li>grey copy whose width is {@value #WORK_WIDTH} px; a 3x3 Gaussian blur;</li>
 *   <li>black-hat with a wide flat kernel (dark characters on a light background stand out, large
 *       dark areas such as a portrait do not);</li>
 *   <li>horizontal Sobel gradient (text is dense in vertical edges), closed with the same kernel so the
 *       characters of a line merge, Otsu threshold, then closed with a tall square kernel so the two or
 *       three MRZ lines merge into one band, and eroded to cut thin bridges to other text;</li>
 *   <li>each outer contour's minimum-area rectangle is a candidate when it is at least 5 times wider
 *       than high and at least {@value #MIN_WIDTH_FRACTION} of the page wide (an MRZ spans the document); the widest
 *       candidate, then the lowest, is the band;</li>
 *   <li>the band is grown by a margin, rotated upright around its centre on the full-resolution grey
 *       page and cut out; the cut is resized to {@value #BAND_WIDTH} px wide (or to each of several widths:
 *       the reader tries other scales when the first reading is not valid).</li>
 * </ol>
 * The kernel sizes assume a page normalised to the document (the document fills the image, as the DIS
 * page normalisation gives): MRZ characters are then 1.5-3 % of the page width. Stateless, thread-safe.
 */
public final class MrzLocator {
    static final int WORK_WIDTH = 800;
    static final int BAND_WIDTH = 1400;
    static final double MIN_WIDTH_FRACTION = 0.45;
    static final double MIN_ASPECT = 5;

    /** A cut-out band: upright grey pixels, and where it was on the page (the rotated rectangle's corners). */
    public record Band(byte[] grey, int width, int height, double angleDegrees, List<double[]> corners) {
    }

    /** The MRZ band of the page cut to {@value #BAND_WIDTH} px wide, or null when no band-shaped text region is found. */
    public Band locate(RgbImage page) {
        List<Band> b = locate(page, new int[] {BAND_WIDTH});
        return b.isEmpty() ? null : b.get(0);
    }

    /** The MRZ band cut at each of the given widths (one band, several scales), or an empty list. */
    public List<Band> locate(RgbImage page, int[] bandWidths) {
        OpenCv.load();
        Mat rgb = page.toMat();
        Mat grey = new Mat();
        Imgproc.cvtColor(rgb, grey, Imgproc.COLOR_RGB2GRAY);
        rgb.release();
        try {
            RotatedRect r = candidate(grey);
            List<Band> out = new ArrayList<>();
            if (r != null) {
                for (int w : bandWidths) {
                    out.add(cut(grey, r, w));
                }
            }
            return out;
        } finally {
            grey.release();
        }
    }

    /** The band's rotated rectangle in full-resolution page coordinates, or null. */
    static RotatedRect candidate(Mat grey) {
        double f = (double) WORK_WIDTH / grey.cols();
        Mat small = new Mat();
        Imgproc.resize(grey, small, new Size(WORK_WIDTH, Math.max(1, Math.round(grey.rows() * f))), 0, 0,
                f < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
        Imgproc.GaussianBlur(small, small, new Size(3, 3), 0);
        Mat lineKernel = Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(15, 5));
        Mat bandKernel = Imgproc.getStructuringElement(Imgproc.MORPH_RECT, new Size(25, 25));
        Mat blackhat = new Mat();
        Imgproc.morphologyEx(small, blackhat, Imgproc.MORPH_BLACKHAT, lineKernel);
        Mat gx = new Mat();
        Imgproc.Sobel(blackhat, gx, CvType.CV_32F, 1, 0, -1, 1, 0);
        Core.absdiff(gx, new org.opencv.core.Scalar(0), gx);
        Mat g8 = new Mat();
        Core.normalize(gx, gx, 0, 255, Core.NORM_MINMAX);
        gx.convertTo(g8, CvType.CV_8U);
        Imgproc.morphologyEx(g8, g8, Imgproc.MORPH_CLOSE, lineKernel);
        Imgproc.threshold(g8, g8, 0, 255, Imgproc.THRESH_BINARY | Imgproc.THRESH_OTSU);
        Imgproc.morphologyEx(g8, g8, Imgproc.MORPH_CLOSE, bandKernel);
        Imgproc.erode(g8, g8, new Mat(), new Point(-1, -1), 3);
        List<MatOfPoint> contours = new ArrayList<>();
        Imgproc.findContours(g8, contours, new Mat(), Imgproc.RETR_EXTERNAL, Imgproc.CHAIN_APPROX_SIMPLE);
        RotatedRect best = null;
        double bestW = 0;
        double bestY = 0;
        for (MatOfPoint c : contours) {
            RotatedRect r = Imgproc.minAreaRect(new MatOfPoint2f(c.toArray()));
            RotatedRect u = upright(r);
            double w = u.size.width;
            double h = Math.max(1, u.size.height);
            if (w / h < MIN_ASPECT || w < MIN_WIDTH_FRACTION * WORK_WIDTH) {
                continue;
            }
            // the widest band; between two of about the same width (within 10 %), the lower one
            if (best == null || w > bestW * 1.1 || (w > bestW / 1.1 && u.center.y > bestY)) {
                best = u;
                bestW = w;
                bestY = u.center.y;
            }
            c.release();
        }
        for (Mat m : List.of(small, lineKernel, bandKernel, blackhat, gx, g8)) {
            m.release();
        }
        if (best == null) {
            return null;
        }
        return new RotatedRect(new Point(best.center.x / f, best.center.y / f),
                new Size(best.size.width / f, best.size.height / f), best.angle);
    }

    /** The same rectangle described with width >= height and an angle in (-45, 45]. */
    static RotatedRect upright(RotatedRect r) {
        double w = r.size.width;
        double h = r.size.height;
        double a = r.angle;
        if (w < h) {
            double t = w;
            w = h;
            h = t;
            a += 90;
        }
        while (a > 45) {
            a -= 90;
        }
        while (a <= -45) {
            a += 90;
        }
        return new RotatedRect(r.center, new Size(w, h), a);
    }

    static Band cut(Mat grey, RotatedRect r, int bandWidth) {
        // the erosion above and the line ends: grow the band by a margin proportional to its height
        double mh = r.size.height * 0.35 + 4;
        double mw = r.size.height * 0.6 + 4;
        Size size = new Size(r.size.width + 2 * mw, r.size.height + 2 * mh);
        Mat rot = Imgproc.getRotationMatrix2D(r.center, r.angle, 1.0);
        // translate so the band's centre lands in the middle of the output
        double[] tx = rot.get(0, 2);
        double[] ty = rot.get(1, 2);
        rot.put(0, 2, tx[0] + size.width / 2 - r.center.x);
        rot.put(1, 2, ty[0] + size.height / 2 - r.center.y);
        Mat out = new Mat();
        Imgproc.warpAffine(grey, out, rot, size, Imgproc.INTER_LINEAR, Core.BORDER_REPLICATE);
        double s = (double) bandWidth / out.cols();
        Mat scaled = new Mat();
        Imgproc.resize(out, scaled, new Size(bandWidth, Math.max(1, Math.round(out.rows() * s))), 0, 0,
                s < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        byte[] px = new byte[(int) scaled.total()];
        scaled.get(0, 0, px);
        Point[] pts = new Point[4];
        r.points(pts);
        List<double[]> corners = new ArrayList<>();
        for (Point p : pts) {
            corners.add(new double[] {p.x, p.y});
        }
        Band b = new Band(px, scaled.cols(), scaled.rows(), r.angle, corners);
        rot.release();
        out.release();
        scaled.release();
        return b;
    }

    /** Not found by morphology: the lower {@code fraction} of the page, full width, as a fallback band. */
    static Band bottom(RgbImage page, double fraction) {
        OpenCv.load();
        Mat rgb = page.toMat();
        Mat grey = new Mat();
        Imgproc.cvtColor(rgb, grey, Imgproc.COLOR_RGB2GRAY);
        rgb.release();
        int y = (int) Math.round(page.height() * (1 - fraction));
        Mat roi = grey.submat(new Rect(0, y, page.width(), page.height() - y));
        RotatedRect r = new RotatedRect(new Point(page.width() / 2.0, y + roi.rows() / 2.0),
                new Size(page.width(), roi.rows()), 0);
        Band b = cut(grey, new RotatedRect(r.center, new Size(r.size.width - 8, r.size.height - 8), 0), BAND_WIDTH);
        roi.release();
        grey.release();
        return b;
    }
}
