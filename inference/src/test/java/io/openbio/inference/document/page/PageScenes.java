package io.openbio.inference.document.page;

import io.openbio.inference.detect.Point;
import io.openbio.inference.document.Quad;
import io.openbio.inference.eval.SyntheticDocuments;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.Random;

/**
 * SYNTHETIC page photos for the page tests and measurements: a card image (SyntheticDocuments' ID-1
 * layout, or testkit IdCards' card cut out of its desk) laid by a perspective transform onto a real
 * photo used as background, then photographed (lens blur, sensor noise, JPEG 90), with optional
 * defects: defocus blur, exposure gain, a specular glare spot.
 */
final class PageScenes {
    /** A scene: the JPEG-decoded photo and the true corners of the card (card TL, TR, BR, BL). */
    record Scene(RgbImage photo, Quad truth) {
    }

    /** Where and how the card lies: centre (fraction of the frame), card width (fraction), angle, keystone. */
    record Pose(double cx, double cy, double width, double degrees, double keystone) {
        static Pose centred(double width, double degrees) {
            return new Pose(0.5, 0.5, width, degrees, 0);
        }
    }

    /** Defects applied to the photo: Gaussian blur sigma (px), gain, glare spot radius (fraction of the card width). */
    record Defects(double blur, double gain, double glare) {
        static final Defects NONE = new Defects(0, 1, 0);
    }

    private PageScenes() {
    }

    /** A real photo as background: resized to w x h, slightly blurred (sigma 1.5) and darkened (0.7). */
    static RgbImage background(RgbImage real, int w, int h) {
        RgbImage d = ImageOps.resize(real, w, h);
        Mat m = d.toMat();
        Imgproc.GaussianBlur(m, m, new Size(0, 0), 1.5);
        m.convertTo(m, -1, 0.7, 0);
        RgbImage out = RgbImage.fromMat(m);
        m.release();
        return out;
    }

    static Scene photograph(RgbImage card, RgbImage background, Pose pose, Defects defects, long seed) {
        int w = background.width();
        int h = background.height();
        double s = pose.width() * w / card.width();
        double ang = Math.toRadians(pose.degrees());
        double[][] src = {{0, 0}, {card.width(), 0}, {card.width(), card.height()}, {0, card.height()}};
        Point[] dst = new Point[4];
        for (int i = 0; i < 4; i++) {
            double x = (src[i][0] - card.width() / 2.0) * s * (1 + (src[i][1] < 1 ? pose.keystone() : -pose.keystone()));
            double y = (src[i][1] - card.height() / 2.0) * s;
            dst[i] = new Point(pose.cx() * w + x * Math.cos(ang) - y * Math.sin(ang),
                    pose.cy() * h + x * Math.sin(ang) + y * Math.cos(ang));
        }
        Mat c = card.toMat();
        Mat out = background.toMat();
        Mat mask = new Mat(card.height(), card.width(), CvType.CV_8UC1, new Scalar(255));
        Mat warped = new Mat();
        Mat wmask = new Mat();
        MatOfPoint2f a = new MatOfPoint2f(new org.opencv.core.Point(0, 0), new org.opencv.core.Point(card.width(), 0),
                new org.opencv.core.Point(card.width(), card.height()), new org.opencv.core.Point(0, card.height()));
        MatOfPoint2f b = new MatOfPoint2f(cv(dst[0]), cv(dst[1]), cv(dst[2]), cv(dst[3]));
        Mat hm = Imgproc.getPerspectiveTransform(a, b);
        Imgproc.warpPerspective(c, warped, hm, new Size(w, h), Imgproc.INTER_AREA);
        Imgproc.warpPerspective(mask, wmask, hm, new Size(w, h), Imgproc.INTER_NEAREST);
        warped.copyTo(out, wmask);
        if (defects.glare() > 0) { // a specular spot: saturated core, soft halo, on the card's upper right
            Point g = new Point(0.25 * dst[0].x() + 0.75 * dst[2].x() - 0.3 * (dst[2].x() - dst[1].x()),
                    0.25 * dst[0].y() + 0.75 * dst[2].y() - 0.3 * (dst[2].y() - dst[1].y()));
            double r = defects.glare() * pose.width() * w;
            Mat spot = Mat.zeros(h, w, CvType.CV_8UC3);
            Imgproc.circle(spot, cv(g), (int) Math.round(r), new Scalar(255, 255, 255), -1);
            Imgproc.GaussianBlur(spot, spot, new Size(0, 0), r / 4);
            Core.add(out, spot, out);
            Core.add(out, spot, out);
            spot.release();
        }
        Imgproc.GaussianBlur(out, out, new Size(0, 0), 0.6);
        if (defects.blur() > 0) {
            Imgproc.GaussianBlur(out, out, new Size(0, 0), defects.blur());
        }
        if (defects.gain() != 1) {
            out.convertTo(out, -1, defects.gain(), 0);
        }
        RgbImage shot = noise(RgbImage.fromMat(out), 2.0, seed);
        for (Mat m : new Mat[] {c, out, mask, warped, wmask, a, b, hm}) {
            m.release();
        }
        RgbImage photo = SyntheticDocuments.decode(ImageOps.encodeJpeg(shot, 90));
        return new Scene(photo, new Quad(dst[0], dst[1], dst[2], dst[3]));
    }

    /** testkit IdCards' card (1000 x 630, drawn at 140,150 on its desk) cut out of its desk. */
    static RgbImage idCardsCard(byte[] idCardsJpeg) {
        RgbImage all = SyntheticDocuments.decode(idCardsJpeg);
        return ImageOps.cropResize(all, 140, 150, 1000, 630, 1000, 630);
    }

    /** Largest corner distance between a detected outline and the truth, in any of the 4 rotations of the order. */
    static double cornerError(Quad found, Quad truth) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 4; r++) {
            double worst = 0;
            for (int i = 0; i < 4; i++) {
                worst = Math.max(worst, found.corners().get((i + r) % 4).distance(truth.corners().get(i)));
            }
            best = Math.min(best, worst);
        }
        return best;
    }

    static RgbImage noise(RgbImage img, double sigma, long seed) {
        Random r = new Random(seed * 31 + 7);
        byte[] p = img.rgb();
        byte[] o = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            o[i] = (byte) Math.max(0, Math.min(255, Math.round((p[i] & 0xff) + sigma * r.nextGaussian())));
        }
        return new RgbImage(img.width(), img.height(), o);
    }

    private static org.opencv.core.Point cv(Point p) {
        return new org.opencv.core.Point(p.x(), p.y());
    }
}
