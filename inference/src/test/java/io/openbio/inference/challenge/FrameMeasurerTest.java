package io.openbio.inference.challenge;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.Shared;
import io.openbio.inference.TestPhotos;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-frame measurement on real photos (test photos of the build, see photos.tsv) and on synthetic
 * frames made from them: mirrored copies, planar head-turn warps, eyes painted over with skin, irises
 * moved inside the eye. The synthetic frames test the direction of each measure, not its accuracy on
 * real head movements (see inference/EVALUATION.md, "Active liveness: per-frame measurement").
 */
class FrameMeasurerTest {
    private static FaceAnalyzer analyzer;
    private static FrameMeasurer measurer;

    @BeforeAll
    static void load() {
        OpenCv.load();
        analyzer = Shared.analyzer();
        measurer = new FrameMeasurer(analyzer);
    }

    @AfterAll
    static void close() {
        measurer.close();
    }

    // ---- frames ----------------------------------------------------------------------------------

    /**
     * The {@code index}-th face (largest first) of a photo, cropped with margin (2.2x its box); only
     * the face's own surroundings (1.5x its box) are kept, the rest is mid-grey, so that the frame
     * holds one face even in the photos that tile several (yale_x4.jpg).
     */
    static RgbImage faceCrop(String photo, int index) {
        DecodedImage d = analyzer.decode(TestPhotos.bytes(photo));
        Face f = analyzer.detectAll(d).get(index);
        BoundingBox b = f.box().squareScaled(2.2);
        BoundingBox keep = f.box().squareScaled(1.5);
        int side = (int) Math.round(b.width());
        RgbImage c = ImageOps.cropResize(d.image(), b.x(), b.y(), b.width(), b.height(), side, side);
        double kx = keep.x() - b.x();
        double ky = keep.y() - b.y();
        byte[] px = c.rgb().clone();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (x < kx || y < ky || x >= kx + keep.width() || y >= ky + keep.height()) {
                    Arrays.fill(px, (y * side + x) * 3, (y * side + x) * 3 + 3, (byte) 128);
                }
            }
        }
        return new RgbImage(side, side, px);
    }

    static byte[] jpeg(RgbImage img) {
        return ImageOps.encodeJpeg(img, 95);
    }

    static FrameMeasurement one(RgbImage img) {
        return measurer.measure(List.of(new TimedFrame(0, jpeg(img)))).get(0);
    }

    static Face face(RgbImage img) {
        return analyzer.detectAll(analyzer.decode(jpeg(img))).get(0);
    }

    static RgbImage mirror(RgbImage img) {
        return IrisGaze.mirror(img);
    }

    /**
     * The image as a plane through the face centre turned by {@code degrees} about a vertical axis
     * (positive: the image's right side goes away from the camera, as when the person turns to
     * their left), seen by a pinhole camera of focal length {@code focal} pixels. {@code vertical}
     * turns about the horizontal axis instead (positive: the top goes away, as when looking up).
     */
    static RgbImage turn(RgbImage img, double degrees, boolean vertical) {
        double cx = img.width() / 2.0;
        double cy = img.height() / 2.0;
        double focal = 1.5 * img.width();
        double t = Math.toRadians(degrees);
        Point[] src = {new Point(0, 0), new Point(img.width(), 0), new Point(img.width(), img.height()), new Point(0, img.height())};
        Point[] dst = new Point[4];
        for (int i = 0; i < 4; i++) {
            double x = src[i].x - cx;
            double y = src[i].y - cy;
            double depth;
            double nx;
            double ny;
            if (vertical) {
                depth = -y * Math.sin(t); // top (y < 0) goes away for t > 0
                nx = x;
                ny = y * Math.cos(t);
            } else {
                depth = x * Math.sin(t);
                nx = x * Math.cos(t);
                ny = y;
            }
            double s = focal / (focal + depth);
            dst[i] = new Point(cx + nx * s, cy + ny * s);
        }
        Mat h = Imgproc.getPerspectiveTransform(new MatOfPoint2f(src), new MatOfPoint2f(dst));
        Mat in = img.toMat();
        Mat out = new Mat();
        Imgproc.warpPerspective(in, out, h, new Size(img.width(), img.height()), Imgproc.INTER_LINEAR,
                Core.BORDER_REPLICATE, new Scalar(0, 0, 0));
        RgbImage r = RgbImage.fromMat(out);
        in.release();
        out.release();
        h.release();
        return r;
    }

    /**
     * Both eyes closed by paint: the eye (landmarks 36-41, 42-47) filled with the median colour of
     * the skin ring around it, and a dark lash line drawn along the lower lid, as a closed eye looks.
     */
    static RgbImage eyesPainted(RgbImage img) {
        Face f = face(img);
        float[] lm = f.landmarks();
        Mat m = img.toMat();
        for (int first : new int[] {36, 42}) {
            double minX = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double cyEye = 0;
            for (int k = first; k < first + 6; k++) {
                minX = Math.min(minX, lm[2 * k]);
                maxX = Math.max(maxX, lm[2 * k]);
                cyEye += lm[2 * k + 1] / 6;
            }
            double w = maxX - minX;
            double cxEye = (minX + maxX) / 2;
            double ax = w * 0.75;
            double ay = w * 0.45;
            double[] skin = ringColour(img, cxEye, cyEye, ax, ay);
            Imgproc.ellipse(m, new Point(cxEye, cyEye), new Size(ax, ay), 0, 0, 360, new Scalar(skin[0], skin[1], skin[2]), -1);
            // lash line: outer corner, the two lower-lid points, inner corner
            int[] lid = first == 36 ? new int[] {36, 41, 40, 39} : new int[] {42, 47, 46, 45};
            Point[] pts = new Point[lid.length];
            for (int k = 0; k < lid.length; k++) {
                pts[k] = new Point(lm[2 * lid[k]], lm[2 * lid[k] + 1]);
            }
            Imgproc.polylines(m, List.of(new org.opencv.core.MatOfPoint(toInt(pts))), false,
                    new Scalar(skin[0] * 0.3, skin[1] * 0.3, skin[2] * 0.3), Math.max(1, (int) Math.round(w / 10)), Imgproc.LINE_AA);
        }
        Imgproc.GaussianBlur(m, m, new Size(3, 3), 0);
        RgbImage r = RgbImage.fromMat(m);
        m.release();
        return r;
    }

    private static org.opencv.core.Point[] toInt(Point[] p) {
        Point[] q = new Point[p.length];
        for (int i = 0; i < p.length; i++) {
            q[i] = new Point(Math.round(p[i].x), Math.round(p[i].y));
        }
        return q;
    }

    /** Median colour of the pixels between the ellipse (ax, ay) and the same ellipse 1.5 times larger. */
    static double[] ringColour(RgbImage img, double cx, double cy, double ax, double ay) {
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            List<Integer> v = new ArrayList<>();
            for (int y = (int) (cy - 1.5 * ay); y <= cy + 1.5 * ay; y++) {
                for (int x = (int) (cx - 1.5 * ax); x <= cx + 1.5 * ax; x++) {
                    double e = Math.pow((x - cx) / ax, 2) + Math.pow((y - cy) / ay, 2);
                    if (e > 1 && e <= 2.25 && x >= 0 && y >= 0 && x < img.width() && y < img.height()) {
                        v.add(img.rgb()[(y * img.width() + x) * 3 + c] & 0xff);
                    }
                }
            }
            v.sort(Integer::compare);
            out[c] = v.get(v.size() / 2);
        }
        return out;
    }

    /**
     * Irises moved by {@code fraction} of the eye width towards the image's right (negative: left):
     * inside each eye opening (the iris model's contour 0..15) every pixel takes the value found
     * {@code dx} pixels to its left, or the eye's white (its brightest decile) where that falls
     * outside the opening.
     */
    static RgbImage irisShifted(RgbImage img, double fraction) {
        Face f = face(img);
        IrisGaze.Gaze g = measurer.gaze(img, f);
        byte[] px = img.rgb().clone();
        for (double[] eye : g.eyes()) {
            double[] poly = Arrays.copyOf(eye, 32);
            double w = Math.abs(eye[16] - eye[0]);
            int dx = (int) Math.round(fraction * w);
            List<int[]> inside = new ArrayList<>();
            List<Integer> luma = new ArrayList<>();
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    if (contains(poly, x + 0.5, y + 0.5)) {
                        inside.add(new int[] {x, y});
                        int o = (y * img.width() + x) * 3;
                        luma.add((px[o] & 0xff) + (px[o + 1] & 0xff) + (px[o + 2] & 0xff));
                    }
                }
            }
            List<Integer> sorted = new ArrayList<>(luma);
            sorted.sort(Integer::compare);
            int white = sorted.get((int) (sorted.size() * 0.9));
            byte[] sclera = null;
            for (int i = 0; i < inside.size() && sclera == null; i++) {
                if (luma.get(i) == white) {
                    int o = (inside.get(i)[1] * img.width() + inside.get(i)[0]) * 3;
                    sclera = new byte[] {img.rgb()[o], img.rgb()[o + 1], img.rgb()[o + 2]};
                }
            }
            for (int[] p : inside) {
                int sx = p[0] - dx;
                int o = (p[1] * img.width() + p[0]) * 3;
                if (contains(poly, sx + 0.5, p[1] + 0.5)) {
                    System.arraycopy(img.rgb(), (p[1] * img.width() + sx) * 3, px, o, 3);
                } else {
                    System.arraycopy(sclera, 0, px, o, 3);
                }
            }
        }
        return new RgbImage(img.width(), img.height(), px);
    }

    /** Point in polygon (x0,y0,x1,y1,...), even-odd rule. */
    static boolean contains(double[] poly, double x, double y) {
        boolean in = false;
        int n = poly.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = poly[2 * i];
            double yi = poly[2 * i + 1];
            double xj = poly[2 * j];
            double yj = poly[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void frontalFaceHasSmallYawAndPitch() {
        for (int i = 0; i < 3; i++) {
            FrameMeasurement m = one(faceCrop("yale_x4.jpg", i));
            System.out.printf("frontal yale %d: yaw %.1f pitch %.1f roll %.1f eyes %.2f smile %.2f gaze %.2f %.2f sharp %.0f%n",
                    i, m.yaw(), m.pitch(), m.roll(), m.eyesOpen(), m.smile(), m.gazeX(), m.gazeY(), m.sharpness());
            assertThat(m.faceCount()).isPositive();
            assertThat(Math.abs(m.yaw())).isLessThan(10);
            assertThat(Math.abs(m.pitch())).isLessThan(10);
            assertThat(m.eyesOpen()).isGreaterThan(0.5);
        }
    }

    @Test
    void mirroringATurnedFaceFlipsYaw() {
        // man_b.jpg: the man faces the image's left, i.e. he has turned to his right
        RgbImage turned = faceCrop("man_b.jpg", 0);
        FrameMeasurement m = one(turned);
        FrameMeasurement mirrored = one(mirror(turned));
        System.out.printf("man_b yaw %.1f, mirrored %.1f%n", m.yaw(), mirrored.yaw());
        assertThat(m.yaw()).as("turned to the person's right").isLessThan(-10);
        assertThat(mirrored.yaw()).as("mirror: turned to the person's left").isGreaterThan(10);
        assertThat(Math.abs(m.roll() + mirrored.roll())).as("roll flips too").isLessThan(Math.abs(m.roll()) + 10);
    }

    /**
     * Near-frontal faces with open eyes: three of yale_x4's four (the fourth is dimly lit), two of
     * same_man_x3's three (the third has outlines drawn over its eyes), astronaut.
     */
    static final String[][] FRONTAL = {{"yale_x4.jpg", "0"}, {"yale_x4.jpg", "1"}, {"yale_x4.jpg", "2"},
        {"same_man_x3.jpg", "0"}, {"same_man_x3.jpg", "1"}, {"astronaut.png", "0"}};
    static final int[] ANGLES = {-40, -30, -20, -10, 0, 10, 20, 30, 40};

    /**
     * Planar head-turn warps of 6 frontal faces at 9 angles (54 frames, synthetic): yaw moves the
     * right way (on average, and from -30 to +30 on 5 of the 6 faces); prints the table behind
     * EVALUATION.md and the time per frame.
     */
    @Test
    void syntheticHeadTurnMovesYawTheRightWay() {
        double[][] yaw = new double[FRONTAL.length][ANGLES.length];
        List<Double> ms = new ArrayList<>();
        for (int f = 0; f < FRONTAL.length; f++) {
            RgbImage frontal = faceCrop(FRONTAL[f][0], Integer.parseInt(FRONTAL[f][1]));
            for (int a = 0; a < ANGLES.length; a++) {
                byte[] frame = jpeg(turn(frontal, ANGLES[a], false));
                long t0 = System.nanoTime();
                FrameMeasurement m = measurer.measure(List.of(new TimedFrame(0, frame))).get(0);
                ms.add((System.nanoTime() - t0) / 1e6);
                yaw[f][a] = m.yaw();
            }
            StringBuilder row = new StringBuilder();
            for (int a = 0; a < ANGLES.length; a++) {
                row.append(String.format(" %6.1f", yaw[f][a]));
            }
            System.out.printf("EVAL warp %s#%s:%s%n", FRONTAL[f][0], FRONTAL[f][1], row);
        }
        ms.sort(Double::compare);
        System.out.printf("EVAL ms per frame (measure() of one frame, incl. decode): median %.1f, p90 %.1f over %d frames%n",
                ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)), ms.size());
        double[] mean = new double[ANGLES.length];
        for (int a = 0; a < ANGLES.length; a++) {
            for (double[] y : yaw) {
                mean[a] += y[a] / yaw.length;
            }
        }
        System.out.println("EVAL warp mean yaw per angle: " + Arrays.toString(mean));
        int rightWay = 0;
        for (double[] y : yaw) {
            if (y[ANGLES.length - 2] > y[1]) { // +30 vs -30
                rightWay++;
            }
        }
        System.out.printf("EVAL warp faces where yaw(+30) > yaw(-30): %d of %d%n", rightWay, yaw.length);
        StringBuilder pitch = new StringBuilder();
        for (String[] p : FRONTAL) {
            RgbImage frontal = faceCrop(p[0], Integer.parseInt(p[1]));
            pitch.append(String.format(" %s#%s %.1f/%.1f/%.1f", p[0], p[1], one(turn(frontal, -30, true)).pitch(),
                    one(frontal).pitch(), one(turn(frontal, 30, true)).pitch()));
        }
        System.out.println("EVAL tilt warp pitch (bottom away -30 / none / top away +30):" + pitch);
        // fr_pose follows a planar warp only weakly (EVALUATION.md): the direction is asserted, not the angle
        assertThat(mean[ANGLES.length - 1]).as("+40 (to the left) vs -40 (to the right)").isGreaterThan(mean[0] + 5);
        assertThat(mean[ANGLES.length - 1]).as("+40 vs frontal").isGreaterThan(mean[4] + 3);
        assertThat(rightWay).isGreaterThanOrEqualTo(5);
    }

    /** Smile (fr_expression "happy") on photos labelled by eye here: smiling vs neutral. */
    @Test
    void smileSeparatesSmilingFromNeutralPhotos() {
        String[][] smiling = {{"man_a.jpg", "0"}, {"astronaut.png", "0"}, {"man_b.jpg", "0"}};
        String[][] neutral = {{"yale_x4.jpg", "0"}, {"yale_x4.jpg", "1"}, {"yale_x4.jpg", "2"}, {"yale_x4.jpg", "3"},
            {"same_man_x3.jpg", "0"}, {"same_man_x3.jpg", "1"}};
        double minSmiling = 1;
        double maxNeutral = 0;
        for (String[] p : smiling) {
            double v = one(faceCrop(p[0], Integer.parseInt(p[1]))).smile();
            System.out.printf("EVAL smile smiling %s#%s %.3f%n", p[0], p[1], v);
            minSmiling = Math.min(minSmiling, v);
        }
        for (String[] p : neutral) {
            double v = one(faceCrop(p[0], Integer.parseInt(p[1]))).smile();
            System.out.printf("EVAL smile neutral %s#%s %.3f%n", p[0], p[1], v);
            maxNeutral = Math.max(maxNeutral, v);
        }
        assertThat(minSmiling).isGreaterThan(0.5);
        assertThat(maxNeutral).isLessThan(0.5);
    }

    @Test
    void eyesPaintedOverReadAsClosed() {
        for (String[] p : FRONTAL) {
            RgbImage open = faceCrop(p[0], Integer.parseInt(p[1]));
            FrameMeasurement before = one(open);
            FrameMeasurement after = one(eyesPainted(open));
            System.out.printf("EVAL eyes %s#%s: open %.3f, painted closed %.3f%n", p[0], p[1], before.eyesOpen(), after.eyesOpen());
            assertThat(before.eyesOpen()).isGreaterThan(0.5);
            assertThat(after.eyesOpen()).isLessThan(0.5);
        }
    }

    @Test
    void sameFaceIsSimilarAndDifferentPeopleAreNot() {
        byte[] a = jpeg(faceCrop("man_a.jpg", 0));
        byte[] b = jpeg(faceCrop("man_b.jpg", 0));
        List<FrameMeasurement> ms = measurer.measure(List.of(new TimedFrame(0, a), new TimedFrame(40, a), new TimedFrame(80, b)));
        System.out.printf("similarity same %.3f, other person %.3f (to first %.3f)%n",
                ms.get(1).similarityToPrevious(), ms.get(2).similarityToPrevious(), ms.get(2).similarityToFirst());
        assertThat(ms.get(0).similarityToPrevious()).isNaN();
        assertThat(ms.get(0).similarityToFirst()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
        assertThat(ms.get(1).similarityToPrevious()).isGreaterThan(0.9);
        assertThat(ms.get(2).similarityToPrevious()).isLessThan(0.5);
        assertThat(ms.get(2).similarityToFirst()).isLessThan(0.5);
        assertThat(ms).extracting(FrameMeasurement::timestampMs).containsExactly(0L, 40L, 80L);
        assertThat(ms).extracting(FrameMeasurement::index).containsExactly(0, 1, 2);
    }

    @Test
    void frameWithoutFaceHasNoMeasures() {
        byte[] face = jpeg(faceCrop("man_a.jpg", 0));
        List<FrameMeasurement> ms = measurer.measure(List.of(new TimedFrame(0, face),
                new TimedFrame(40, TestPhotos.bytes("sudoku.png")), new TimedFrame(80, face)));
        FrameMeasurement none = ms.get(1);
        assertThat(none.faceCount()).isZero();
        assertThat(none.hasFace()).isFalse();
        for (double v : new double[] {none.yaw(), none.pitch(), none.roll(), none.eyesOpen(), none.smile(),
                none.gazeX(), none.gazeY(), none.similarityToPrevious(), none.similarityToFirst(), none.sharpness()}) {
            assertThat(v).isNaN();
        }
        // the frame after the gap is compared with the last frame that had a face
        assertThat(ms.get(2).similarityToPrevious()).isGreaterThan(0.9);
    }

    @Test
    void tracksTheFaceOfThePreviousFrame() {
        // group photo: the first frame shows one face alone, the next the whole group; the tracked
        // face must be the same person, not the group's largest face
        DecodedImage d = analyzer.decode(TestPhotos.bytes("group6.jpg"));
        List<Face> all = analyzer.detectAll(d);
        Face small = all.get(all.size() - 1);
        RgbImage only = blackOutside(d.image(), small.box().squareScaled(1.6));
        List<FrameMeasurement> ms = measurer.measure(List.of(new TimedFrame(0, jpeg(only)),
                new TimedFrame(40, jpeg(d.image()))));
        assertThat(ms.get(0).faceCount()).isEqualTo(1);
        assertThat(ms.get(1).faceCount()).isEqualTo(all.size());
        assertThat(ms.get(1).face().iou(small.box())).isGreaterThan(0.5);
        assertThat(ms.get(1).similarityToPrevious()).isGreaterThan(0.9);
    }

    static RgbImage blackOutside(RgbImage img, BoundingBox keep) {
        byte[] px = new byte[img.rgb().length];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                if (x >= keep.x() && x < keep.x() + keep.width() && y >= keep.y() && y < keep.y() + keep.height()) {
                    System.arraycopy(img.rgb(), (y * img.width() + x) * 3, px, (y * img.width() + x) * 3, 3);
                }
            }
        }
        return new RgbImage(img.width(), img.height(), px);
    }

    @Test
    void movingTheIrisesShiftsGazeX() {
        for (int i = 0; i < 3; i++) {
            RgbImage img = faceCrop("yale_x4.jpg", i);
            double base = one(img).gazeX();
            double right = one(irisShifted(img, 0.15)).gazeX();
            double left = one(irisShifted(img, -0.15)).gazeX();
            System.out.printf("gaze yale %d: base %.2f, iris to the image right %.2f, to the left %.2f%n", i, base, right, left);
            assertThat(right).as("iris towards the image's right = the person's left").isGreaterThan(base + 0.1);
            assertThat(left).isLessThan(base - 0.1);
        }
    }

    @Test
    void sharperFaceHasHigherSharpness() {
        RgbImage img = faceCrop("man_a.jpg", 0);
        Mat m = img.toMat();
        Imgproc.GaussianBlur(m, m, new Size(0, 0), 2.5);
        RgbImage blurred = RgbImage.fromMat(m);
        m.release();
        assertThat(one(img).sharpness()).isGreaterThan(2 * one(blurred).sharpness());
    }
}
