package io.openbio.inference.eval;

import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.Random;

/**
 * SYNTHETIC presentation attacks made from real photos, for the evaluation only (no real print or
 * replay photos are reachable here). They imitate the physical traces of a recapture; they are not
 * real attacks and the figures measured on them say so.
 *
 * <ul>
 *   <li>{@link #screenReplay}: the photo shown on an RGB-stripe display (each source pixel becomes a
 *       3x3 block of R, G, B sub-pixel columns with a dark row of black matrix), photographed by a
 *       camera whose sampling grid is rotated by 2 degrees and scaled by 1.04 against the display
 *       grid (each camera pixel integrates the display imperfectly, so the sub-pixel grid aliases
 *       into moire), then lens blur,
 *       the display's bluish white point, lifted blacks (glare) and sensor noise.</li>
 *   <li>{@link #print}: the photo printed as a CMY halftone (round dots on screens at 15, 75 and 0
 *       degrees, 5-pixel cells) with real-ink colours on a warm off-white paper, photographed with
 *       blur, a colour cast and sensor noise.</li>
 * </ul>
 */
public final class Recaptures {
    private Recaptures() {
    }

    public static RgbImage screenReplay(RgbImage src, long seed) {
        int w = src.width();
        int h = src.height();
        int s = 3;
        byte[] big = new byte[w * s * h * s * 3];
        byte[] p = src.rgb();
        int bw = w * s;
        for (int y = 0; y < h * s; y++) {
            double row = (y % s == s - 1) ? 0.45 : 1.0; // black matrix between pixel rows
            for (int x = 0; x < bw; x++) {
                int sp = ((y / s) * w + (x / s)) * 3;
                int c = x % s; // sub-pixel column: R, G, B
                double v = (p[sp + c] & 0xff) * 3.0 * row; // a sub-pixel carries its channel at full drive
                big[(y * bw + x) * 3 + c] = (byte) Math.min(255, Math.round(v));
            }
        }
        RgbImage screen = new RgbImage(bw, h * s, big);
        // camera: rotated 2 degrees, magnification 1.04 / 3, centred; nearest sampling aliases the grid
        Mat m = Imgproc.getRotationMatrix2D(new Point(bw / 2.0, h * s / 2.0), 2.0, 1.04 / s);
        m.put(0, 2, m.get(0, 2)[0] - (bw / 2.0 - w / 2.0));
        m.put(1, 2, m.get(1, 2)[0] - (h * s / 2.0 - h / 2.0));
        Mat in = screen.toMat();
        Mat out = new Mat();
        // each camera pixel integrates about 2.9 x 2.9 display pixels, but not perfectly (optics,
        // Bayer filter): a Gaussian of sigma 1.0 display pixels leaves part of the sub-pixel pattern
        Imgproc.GaussianBlur(in, in, new Size(0, 0), 1.0);
        Imgproc.warpAffine(in, out, m, new Size(w, h), Imgproc.INTER_NEAREST, Core.BORDER_REFLECT);
        Imgproc.GaussianBlur(out, out, new Size(0, 0), 0.7);
        RgbImage shot = RgbImage.fromMat(out);
        in.release();
        out.release();
        m.release();
        return finish(shot, new double[] {0.92, 1.0, 1.08}, 0.85, 12, 3.0, seed);
    }

    public static RgbImage print(RgbImage src, long seed) {
        int w = src.width();
        int h = src.height();
        double[] paper = {248, 244, 232};
        double[][] ink = {{0.00, 0.63, 0.88}, {0.90, 0.00, 0.49}, {1.00, 0.93, 0.00}}; // C, M, Y transmittance
        double[] angle = {Math.toRadians(15), Math.toRadians(75), 0};
        double cell = 5;
        byte[] p = src.rgb();
        byte[] o = new byte[p.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                double[] rgb = {paper[0], paper[1], paper[2]};
                for (int k = 0; k < 3; k++) {
                    double coverage = 1 - (p[i + k] & 0xff) / 255.0; // C from R, M from G, Y from B
                    double u = (x * Math.cos(angle[k]) + y * Math.sin(angle[k])) / cell;
                    double v = (-x * Math.sin(angle[k]) + y * Math.cos(angle[k])) / cell;
                    double spot = (Math.cos(2 * Math.PI * u) * Math.cos(2 * Math.PI * v) + 1) / 2; // 0..1, dot centres = 1
                    if (spot > 1 - coverage) {
                        for (int c = 0; c < 3; c++) {
                            rgb[c] *= ink[k][c] * 0.85 + 0.15; // inks are not ideal filters
                        }
                    }
                }
                for (int c = 0; c < 3; c++) {
                    o[i + c] = (byte) Math.round(Math.min(255, rgb[c]));
                }
            }
        }
        RgbImage printed = new RgbImage(w, h, o);
        Mat m = printed.toMat();
        Imgproc.GaussianBlur(m, m, new Size(0, 0), 1.0);
        RgbImage shot = RgbImage.fromMat(m);
        m.release();
        return finish(shot, new double[] {1.04, 1.0, 0.90}, 1.1, 0, 2.0, seed);
    }

    /** White balance per channel, gamma, black level, Gaussian sensor noise. */
    private static RgbImage finish(RgbImage img, double[] gain, double gamma, double black, double noise, long seed) {
        Random r = new Random(seed);
        byte[] p = img.rgb();
        byte[] o = new byte[p.length];
        for (int i = 0; i < p.length; i++) {
            double v = (p[i] & 0xff) / 255.0 * gain[i % 3];
            v = black + (255 - black) * Math.pow(Math.min(1, v), gamma) + noise * r.nextGaussian();
            o[i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
        return new RgbImage(img.width(), img.height(), o);
    }
}
