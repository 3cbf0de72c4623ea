package io.openbio.inference.document.read;

import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.awt.image.BufferedImage;

/**
 * Capture conditions applied to a SYNTHETIC document page (testkit {@code MrzDocuments}): the page is
 * put on a grey background with a margin of 4 % (as a normalised page from the page-normalisation
 * step still shows a little), then rotated, keystoned and blurred.
 */
final class SyntheticPages {
    /** @param blurSigma Gaussian blur sigma in pixels (0 = none) @param rotationDeg in-plane rotation
     *  @param keystone top edge shortened by this fraction of the width (a camera tilted back) */
    record Condition(String name, double blurSigma, double rotationDeg, double keystone) {
        static final Condition CLEAN = new Condition("clean", 0, 0, 0);
    }

    private SyntheticPages() {
    }

    static RgbImage rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] b = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int i = 3 * (y * w + x);
                b[i] = (byte) (p >> 16);
                b[i + 1] = (byte) (p >> 8);
                b[i + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, b);
    }

    static RgbImage apply(BufferedImage page, Condition c) {
        OpenCv.load();
        RgbImage src = rgb(page);
        if (c.blurSigma() == 0 && c.rotationDeg() == 0 && c.keystone() == 0) {
            return src;
        }
        Mat m = src.toMat();
        int mx = (int) Math.round(page.getWidth() * 0.04);
        int my = mx;
        Mat canvas = new Mat();
        Core.copyMakeBorder(m, canvas, my, my, mx, mx, Core.BORDER_CONSTANT, new Scalar(120, 120, 120));
        m.release();
        Mat out = new Mat();
        double w = page.getWidth();
        double h = page.getHeight();
        Point[] from = {new Point(mx, my), new Point(mx + w, my), new Point(mx + w, my + h), new Point(mx, my + h)};
        double k = c.keystone() * w / 2;
        Point[] to = {new Point(mx + k, my), new Point(mx + w - k, my), new Point(mx + w, my + h), new Point(mx, my + h)};
        double a = Math.toRadians(c.rotationDeg());
        Point centre = new Point(canvas.cols() / 2.0, canvas.rows() / 2.0);
        for (int i = 0; i < 4; i++) {
            double x = to[i].x - centre.x;
            double y = to[i].y - centre.y;
            to[i] = new Point(centre.x + x * Math.cos(a) - y * Math.sin(a), centre.y + x * Math.sin(a) + y * Math.cos(a));
        }
        Mat hm = Imgproc.getPerspectiveTransform(new MatOfPoint2f(from), new MatOfPoint2f(to));
        Imgproc.warpPerspective(canvas, out, hm, canvas.size(), Imgproc.INTER_LINEAR, Core.BORDER_CONSTANT,
                new Scalar(120, 120, 120));
        if (c.blurSigma() > 0) {
            Imgproc.GaussianBlur(out, out, new Size(0, 0), c.blurSigma());
        }
        RgbImage r = RgbImage.fromMat(out);
        canvas.release();
        out.release();
        hm.release();
        return r;
    }
}
