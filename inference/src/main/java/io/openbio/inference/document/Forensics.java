package io.openbio.inference.document;

import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Image-forensics primitives shared by the default document pipelines (OpenCV where it helps). */
final class Forensics {
    private Forensics() {
    }

    /** Channel planes of a region as float Mats: index 0 = luma Y, 1 = Cr, 2 = Cb (OpenCV YCrCb, 0..255). */
    static Mat[] ycrcb(RgbImage img, Rect r) {
        OpenCv.load();
        Mat rgb = img.toMat();
        Mat sub = new Mat(rgb, r);
        Mat y = new Mat();
        Imgproc.cvtColor(sub, y, Imgproc.COLOR_RGB2YCrCb);
        List<Mat> planes = new ArrayList<>();
        Core.split(y, planes);
        Mat[] out = new Mat[3];
        for (int i = 0; i < 3; i++) {
            out[i] = new Mat();
            planes.get(i).convertTo(out[i], CvType.CV_32F);
            planes.get(i).release();
        }
        y.release();
        sub.release();
        rgb.release();
        return out;
    }

    static float[] pixels(Mat f) {
        float[] v = new float[(int) f.total()];
        Mat c = f.isContinuous() ? f : f.clone();
        c.get(0, 0, v);
        if (c != f) {
            c.release();
        }
        return v;
    }

    static void release(Mat... ms) {
        for (Mat m : ms) {
            if (m != null) {
                m.release();
            }
        }
    }

    // ---- spectral peaks ------------------------------------------------------------------------

    /**
     * Strongest isolated peak of the 2-D amplitude spectrum of a square tile.
     *
     * @param ratio     amplitude of the strongest bin / mean amplitude of its 15x15 neighbourhood
     *                  without the central 5x5 (the Hann window's main lobe)
     * @param bins      number of bins tested (one half-plane of the band)
     * @param log10Null log10 of the expected number of bins at least that high under the null
     *                  hypothesis of a smooth spectrum (bin amplitudes Rayleigh around the local mean:
     *                  P(A &gt; r mean) = exp(-pi r^2 / 4))
     * @param fx        horizontal frequency of the peak, cycles per pixel
     * @param fy        vertical frequency of the peak, cycles per pixel
     */
    record Peak(double ratio, int bins, double log10Null, double fx, double fy) {
        /** Null p-value of the strongest peak (Poisson: 1 - exp(-expected)). */
        double pValue() {
            double e = Math.pow(10, log10Null);
            return e > 1e-6 ? 1 - Math.exp(-e) : e;
        }
    }

    /**
     * Tested bins: radial frequency in [fmin, fmax] cycles/px; excluded are the two axes (|u| or |v|
     * at most 2 bins, or within {@value #AXIS_DEG} degrees of an axis: the straight edges and text lines of a
     * document photographed within that angle of level put streaks there) and the JPEG 8x8 grid
     * frequencies (both u and v within 2 bins of a multiple of N/8: blocking artefacts).
     */
    /** Half-width of the excluded wedge around each spectral axis, degrees. */
    static final double AXIS_DEG = 6;

    static Peak spectralPeak(Mat plane, double fmin, double fmax) {
        int n = Integer.highestOneBit(Math.min(512, Math.min(plane.rows(), plane.cols())));
        if (n < 64) {
            return null;
        }
        int x0 = (plane.cols() - n) / 2;
        int y0 = (plane.rows() - n) / 2;
        Mat tile = new Mat(plane, new Rect(x0, y0, n, n)).clone();
        Core.subtract(tile, Core.mean(tile), tile);
        Mat win = new Mat();
        Imgproc.createHanningWindow(win, new Size(n, n), CvType.CV_32F);
        Core.multiply(tile, win, tile);
        Mat spec = new Mat();
        Core.dft(tile, spec, Core.DFT_COMPLEX_OUTPUT);
        List<Mat> ri = new ArrayList<>();
        Core.split(spec, ri);
        Mat mag = new Mat();
        Core.magnitude(ri.get(0), ri.get(1), mag);
        // neighbourhood sums on the periodic spectrum: wrap-pad by 7, box filter, cut the padding off
        Mat padded = new Mat();
        Core.copyMakeBorder(mag, padded, 7, 7, 7, 7, Core.BORDER_WRAP);
        Mat bigP = new Mat();
        Mat coreP = new Mat();
        Imgproc.boxFilter(padded, bigP, -1, new Size(15, 15), new org.opencv.core.Point(-1, -1), false, Core.BORDER_CONSTANT);
        Imgproc.boxFilter(padded, coreP, -1, new Size(5, 5), new org.opencv.core.Point(-1, -1), false, Core.BORDER_CONSTANT);
        Mat big = new Mat(bigP, new Rect(7, 7, n, n)).clone();
        Mat core = new Mat(coreP, new Rect(7, 7, n, n)).clone();
        float[] m = pixels(mag);
        float[] b = pixels(big);
        float[] c = pixels(core);
        release(tile, win, spec, mag, big, core, padded, bigP, coreP, ri.get(0), ri.get(1));
        double best = 0;
        int bins = 0;
        double bfx = 0;
        double bfy = 0;
        int g = n / 8;
        for (int v = 0; v < n; v++) {
            int fv = v <= n / 2 ? v : v - n;
            for (int u = 0; u <= n / 2; u++) { // half plane (the spectrum of a real image is symmetric)
                if (u == 0 && fv < 0 || u == n / 2 && fv < 0) {
                    continue;
                }
                double fr = Math.hypot(u, fv) / n;
                double ang = Math.toDegrees(Math.atan2(Math.abs(fv), u)); // 0 = horizontal axis, 90 = vertical
                if (fr < fmin || fr > fmax || u <= 2 || Math.abs(fv) <= 2 || ang < AXIS_DEG || ang > 90 - AXIS_DEG) {
                    continue;
                }
                int du = Math.min(u % g, g - u % g);
                int dv = Math.min(Math.abs(fv) % g, g - Math.abs(fv) % g);
                if (du <= 2 && dv <= 2) {
                    continue;
                }
                int i = v * n + u;
                double local = (b[i] - c[i]) / (225.0 - 25.0);
                bins++;
                if (local <= 0) {
                    continue;
                }
                double r = m[i] / local;
                if (r > best) {
                    best = r;
                    bfx = (double) u / n;
                    bfy = (double) fv / n;
                }
            }
        }
        double log10Null = Math.log10(Math.max(1, bins)) - Math.PI * best * best / 4 / Math.log(10);
        return new Peak(best, bins, log10Null, bfx, bfy);
    }

    // ---- noise level -------------------------------------------------------------------------------

    /**
     * Immerkaer's fast noise estimate (1996): sigma = sqrt(pi/2) * mean |I * M| / 6 with the mask
     * M = [1 -2 1; -2 4 -2; 1 -2 1] (insensitive to linear intensity ramps), taken over the
     * homogeneous pixels only: those whose Sobel gradient magnitude is below the region's median (so
     * that edges and text do not count as noise). NaN when fewer than 200 pixels qualify.
     */
    static double noiseSigma(Mat grey, Rect r) {
        Rect in = new Rect(r.x, r.y, r.width, r.height);
        if (in.width < 8 || in.height < 8) {
            return Double.NaN;
        }
        Mat sub = new Mat(grey, in);
        Mat lap = new Mat();
        Mat k = new Mat(3, 3, CvType.CV_32F);
        k.put(0, 0, 1, -2, 1, -2, 4, -2, 1, -2, 1);
        Imgproc.filter2D(sub, lap, CvType.CV_32F, k);
        Mat gx = new Mat();
        Mat gy = new Mat();
        Imgproc.Sobel(sub, gx, CvType.CV_32F, 1, 0);
        Imgproc.Sobel(sub, gy, CvType.CV_32F, 0, 1);
        Mat gm = new Mat();
        Core.magnitude(gx, gy, gm);
        float[] l = pixels(lap);
        float[] gr = pixels(gm);
        int w = in.width;
        int h = in.height;
        release(sub, lap, k, gx, gy, gm);
        float[] inner = new float[(w - 2) * (h - 2)];
        int q = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                inner[q++] = gr[y * w + x];
            }
        }
        float[] sorted = inner.clone();
        Arrays.sort(sorted);
        float med = sorted[sorted.length / 2];
        double sum = 0;
        int count = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                if (gr[i] <= med) {
                    sum += Math.abs(l[i]);
                    count++;
                }
            }
        }
        return count < 200 ? Double.NaN : Math.sqrt(Math.PI / 2) * sum / count / 6;
    }

    /**
     * Edge sharpness: mean |Laplacian| / mean |Sobel gradient| over the region's strongest-gradient
     * pixels (top 10 %). For an edge blurred by a Gaussian of scale s this ratio falls as 1/s, and it
     * does not depend on the edge's contrast. NaN for regions under 12x12 px.
     */
    static double sharpness(Mat grey, Rect r) {
        if (r.width < 12 || r.height < 12) {
            return Double.NaN;
        }
        Mat sub = new Mat(grey, r);
        Mat lap = new Mat();
        Mat gx = new Mat();
        Mat gy = new Mat();
        Mat gm = new Mat();
        Imgproc.Laplacian(sub, lap, CvType.CV_32F);
        Imgproc.Sobel(sub, gx, CvType.CV_32F, 1, 0);
        Imgproc.Sobel(sub, gy, CvType.CV_32F, 0, 1);
        Core.magnitude(gx, gy, gm);
        float[] l = pixels(lap);
        float[] g = pixels(gm);
        release(sub, lap, gx, gy, gm);
        float[] sorted = g.clone();
        Arrays.sort(sorted);
        float cut = sorted[(int) (sorted.length * 0.9)];
        double sl = 0;
        double sg = 0;
        for (int i = 0; i < g.length; i++) {
            if (g[i] >= cut && g[i] > 0) {
                sl += Math.abs(l[i]);
                sg += g[i];
            }
        }
        return sg <= 0 ? Double.NaN : sl / sg;
    }

    // ---- JPEG 8x8 grid -----------------------------------------------------------------------------

    /**
     * Blocking-artefact profile of a region of the whole-image grey plane: for each phase k = 0..7,
     * the mean absolute horizontal difference |I(x+1, y) - I(x, y)| over pixels with x mod 8 = k
     * (image coordinates), and the same vertically. A JPEG saved on this grid has its largest
     * jumps at k = 7 (between blocks). Returns {phaseX, phaseY, strength}: the phases of the
     * largest jump and strength = mean over both directions of (largest / median of the 8) - 1.
     */
    static double[] grid(Mat grey, Rect r) {
        return gridAt(grey, r, -1, -1);
    }

    /**
     * Like {@link #grid} but also reports the strength at given phases: {phaseX, phaseY, strength,
     * strengthAtGivenPhases}.
     */
    static double[] gridAt(Mat grey, Rect r, int px, int py) {
        Mat sub = new Mat(grey, r);
        float[] v = pixels(sub.clone());
        sub.release();
        int w = r.width;
        int h = r.height;
        double[] hx = new double[8];
        double[] hy = new double[8];
        int[] nx = new int[8];
        int[] ny = new int[8];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (x + 1 < w) {
                    int k = (r.x + x) & 7;
                    hx[k] += Math.abs(v[i + 1] - v[i]);
                    nx[k]++;
                }
                if (y + 1 < h) {
                    int k = (r.y + y) & 7;
                    hy[k] += Math.abs(v[i + w] - v[i]);
                    ny[k]++;
                }
            }
        }
        for (int k = 0; k < 8; k++) {
            hx[k] /= Math.max(1, nx[k]);
            hy[k] /= Math.max(1, ny[k]);
        }
        int bx = argmax(hx);
        int by = argmax(hy);
        double mx = median(hx);
        double my = median(hy);
        double s = ((hx[bx] / Math.max(1e-6, mx) - 1) + (hy[by] / Math.max(1e-6, my) - 1)) / 2;
        double sg = px < 0 ? s : ((hx[px] / Math.max(1e-6, mx) - 1) + (hy[py] / Math.max(1e-6, my) - 1)) / 2;
        return new double[] {bx, by, s, sg};
    }

    static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[b]) {
                b = i;
            }
        }
        return b;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double percentile(double[] v, double p) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))));
        return s[i];
    }

    // ---- JPEG re-compression -------------------------------------------------------------------------

    /** The whole image JPEG-compressed at the quality and decoded again (OpenCV / libjpeg), as grey float. */
    static Mat recompressedGrey(Mat bgr, int quality) {
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".jpg", bgr, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
        Mat dec = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_COLOR);
        Mat g = new Mat();
        Imgproc.cvtColor(dec, g, Imgproc.COLOR_BGR2GRAY);
        Mat f = new Mat();
        g.convertTo(f, CvType.CV_32F);
        release(buf, dec, g);
        return f;
    }

    /** Whole-image grey plane (BT.601) as float. */
    static Mat greyFloat(RgbImage img) {
        OpenCv.load();
        Mat rgb = img.toMat();
        Mat g = new Mat();
        Imgproc.cvtColor(rgb, g, Imgproc.COLOR_RGB2GRAY);
        Mat f = new Mat();
        g.convertTo(f, CvType.CV_32F);
        release(rgb, g);
        return f;
    }

    static Mat bgr(RgbImage img) {
        OpenCv.load();
        Mat rgb = img.toMat();
        Mat b = new Mat();
        Imgproc.cvtColor(rgb, b, Imgproc.COLOR_RGB2BGR);
        rgb.release();
        return b;
    }

    /** Log-logistic probability: 1 at statistic 0, 0.5 at {@code s0}, falling with slope {@code k}. */
    static double logLogistic(double s, double s0, double k) {
        if (Double.isNaN(s)) {
            return Double.NaN;
        }
        if (s <= 0) {
            return 1;
        }
        return 1 / (1 + Math.pow(s / s0, k));
    }
}
