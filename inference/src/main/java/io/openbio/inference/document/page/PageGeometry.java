package io.openbio.inference.document.page;

import io.openbio.inference.detect.Point;
import io.openbio.inference.document.Quad;
import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Corner order, perspective normalisation and the API's crop resizing (all OpenCV). */
public final class PageGeometry {
    /** Largest width or height a caller may ask a crop for (the API's width / height query parameters). */
    public static final int MAX_CROP_SIDE = 4096;

    private PageGeometry() {
    }

    /**
     * The four corners in page order: top-left, top-right, bottom-right, bottom-left of the page as it
     * will be read, with the top edge a LONG side (pages are normalised landscape) and, of the two
     * long sides, the one whose direction is nearest to the image's x axis (the least rotation). A page
     * photographed upside down therefore comes out upside down: the outline alone cannot tell.
     */
    public static Quad pageOrder(Quad q) {
        List<Point> c = new ArrayList<>(q.corners());
        double cx = c.stream().mapToDouble(Point::x).average().orElse(0);
        double cy = c.stream().mapToDouble(Point::y).average().orElse(0);
        // clockwise on screen (y down): increasing atan2(y, x)
        c.sort(Comparator.comparingDouble(p -> Math.atan2(p.y() - cy, p.x() - cx)));
        Quad best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < 4; s++) {
            Point a = c.get(s);
            Point b = c.get((s + 1) % 4);
            Point d = c.get((s + 3) % 4);
            double top = a.distance(b);
            double left = a.distance(d);
            double cos = (b.x() - a.x()) / Math.max(1e-9, top); // 1 when the top edge runs along +x
            double score = (top >= left ? 10 : 0) + cos;
            if (score > bestScore) {
                bestScore = score;
                best = new Quad(a, b, c.get((s + 2) % 4), d);
            }
        }
        return best;
    }

    /** Long side over short side of the outline (means of opposite sides: perspective is not undone). */
    public static double aspectRatio(Quad q) {
        double[] s = q.sides();
        return s[1] <= 0 ? Double.NaN : s[0] / s[1];
    }

    /**
     * The page cut out of the photo and made flat: the quad (in {@link #pageOrder}) mapped by a
     * perspective transform onto the format's {@link PageFormat#widthPx()} x {@link PageFormat#heightPx()}
     * rectangle, bilinear; parts outside the photo come out black.
     */
    public static RgbImage normalise(RgbImage photo, Quad pageCorners, PageFormat format) {
        OpenCv.load();
        int w = format.widthPx();
        int h = format.heightPx();
        Mat src = photo.toMat();
        Mat dst = new Mat();
        MatOfPoint2f from = new MatOfPoint2f(cv(pageCorners.topLeft()), cv(pageCorners.topRight()),
                cv(pageCorners.bottomRight()), cv(pageCorners.bottomLeft()));
        MatOfPoint2f to = new MatOfPoint2f(new org.opencv.core.Point(0, 0), new org.opencv.core.Point(w, 0),
                new org.opencv.core.Point(w, h), new org.opencv.core.Point(0, h));
        Mat m = Imgproc.getPerspectiveTransform(from, to);
        try {
            Imgproc.warpPerspective(src, dst, m, new Size(w, h), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT,
                    new Scalar(0, 0, 0));
            return RgbImage.fromMat(dst);
        } finally {
            src.release();
            dst.release();
            from.release();
            to.release();
            m.release();
        }
    }

    /**
     * A crop resized for the API's optional {@code width} / {@code height}: neither = unchanged; one =
     * that side, the other from the crop's aspect ratio; both = the largest size that fits in width x
     * height keeping the aspect ratio (a crop is never distorted). Area interpolation when shrinking,
     * bilinear when enlarging.
     *
     * @throws IllegalArgumentException a width or height outside 1..{@value #MAX_CROP_SIDE} (the
     *                                  gateway's 400 INVALID_REQUEST_PARAMETER)
     */
    public static RgbImage resize(RgbImage crop, Integer width, Integer height) {
        check("width", width);
        check("height", height);
        if (width == null && height == null) {
            return crop;
        }
        double sx = width == null ? Double.POSITIVE_INFINITY : (double) width / crop.width();
        double sy = height == null ? Double.POSITIVE_INFINITY : (double) height / crop.height();
        double s = Math.min(sx, sy);
        int w = width != null && s == sx ? width : Math.max(1, (int) Math.round(crop.width() * s));
        int h = height != null && s == sy ? height : Math.max(1, (int) Math.round(crop.height() * s));
        if (w == crop.width() && h == crop.height()) {
            return crop;
        }
        Mat src = crop.toMat();
        Mat dst = new Mat();
        try {
            Imgproc.resize(src, dst, new Size(w, h), 0, 0, s < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
            return RgbImage.fromMat(dst);
        } finally {
            src.release();
            dst.release();
        }
    }

    private static void check(String name, Integer v) {
        if (v != null && (v < 1 || v > MAX_CROP_SIDE)) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAX_CROP_SIDE + ", was " + v);
        }
    }

    private static org.opencv.core.Point cv(Point p) {
        return new org.opencv.core.Point(p.x(), p.y());
    }
}
