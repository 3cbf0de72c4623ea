package io.openbio.inference.document;

import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.List;

/**
 * The four built-in pipelines: signal-processing detectors, not trained models. Each measures one
 * statistic on the document region and maps it to a genuine probability with a fixed, documented
 * formula (inference/README.md, "Document checks"). Everything is deterministic.
 */
final class DefaultPipelines {
    /** False-alarm rate per image under the null hypothesis at which a spectral detector says 0.5. */
    static final double SPECTRAL_ALPHA = 1e-3;
    /** Noise / grid inconsistency (|log ratio|) at which PORTRAIT_SUBSTITUTION says 0.5: a factor of 2. */
    static final double PS_D0 = Math.log(2);
    /** Lowest luma frequency default-pc tests (cycles/px): the glyph pitch of card text lies below (development cards). */
    static final double PC_FMIN = 0.08;
    /** Luma range (0.5..99.5 percentile, grey levels) at which the gamut term says 0.5. */
    static final double PC_RANGE0 = 96;
    /** ELA anomaly (99th percentile / median of the window ratio) at which DM's ELA term says 0.5. */
    static final double DM_ELA0 = 4.0;
    /** JPEG-ghost anomaly (99th percentile of the window dip) at which DM's ghost term says 0.5. */
    static final double DM_GHOST0 = 0.40;

    private DefaultPipelines() {
    }

    /** Region the checks measure: the quad's bounding box shrunk by 3 % per side, inside the image. */
    static Rect region(DocumentAnalysis doc) {
        Quad q = doc.quad();
        RgbImage img = doc.image().image();
        double mx = 0.03 * (q.maxX() - q.minX());
        double my = 0.03 * (q.maxY() - q.minY());
        int x0 = (int) Math.max(0, Math.ceil(q.minX() + mx));
        int y0 = (int) Math.max(0, Math.ceil(q.minY() + my));
        int x1 = (int) Math.min(img.width(), Math.floor(q.maxX() - mx));
        int y1 = (int) Math.min(img.height(), Math.floor(q.maxY() - my));
        return new Rect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }

    /** Spectral genuine probability: p-value of the strongest peak raised to ln 0.5 / ln alpha. */
    static double spectralProbability(Forensics.Peak p, int channels) {
        double log10Null = p.log10Null() + Math.log10(channels);
        double e = Math.pow(10, log10Null);
        double pv = e > 1e-6 ? 1 - Math.exp(-e) : e;
        double gamma = Math.log(0.5) / Math.log(SPECTRAL_ALPHA);
        return Math.pow(Math.max(pv, 0), gamma);
    }

    // ---- SCREEN_REPLAY_ATTACK -------------------------------------------------------------------

    /**
     * default-sr: a display's sub-pixel grid (R, G, B stripes) photographed by a camera aliases into
     * periodic colour patterns (moire). Statistic: strongest isolated peak of the amplitude spectra of
     * the two chroma planes (Cr, Cb) in 0.03..0.5 cycles/px (Hann-windowed DFT of the central tile of
     * up to 512x512); genuine probability = null p-value of that peak ^ (ln 0.5 / ln 1e-3).
     */
    static final class ScreenReplay implements DocumentPipeline {
        @Override
        public String name() {
            return DocumentAttack.SCREEN_REPLAY_ATTACK.defaultPipeline();
        }

        @Override
        public boolean needsPortrait() {
            return false;
        }

        @Override
        public Measurement measure(DocumentAnalysis doc) {
            Mat[] planes = Forensics.ycrcb(doc.image().image(), region(doc));
            try {
                Forensics.Peak cr = Forensics.spectralPeak(planes[1], 0.03, 0.5);
                Forensics.Peak cb = Forensics.spectralPeak(planes[2], 0.03, 0.5);
                if (cr == null || cb == null) {
                    throw new IllegalStateException("document region under 64x64 px: too small for a spectrum");
                }
                Forensics.Peak p = cr.log10Null() < cb.log10Null() ? cr : cb;
                double prob = spectralProbability(p, 2);
                return new Measurement(p.ratio(), prob, String.format(
                        "chroma peak ratio %.2f at (%.3f, %.3f) c/px, log10 expected null peaks %.2f over %d bins",
                        p.ratio(), p.fx(), p.fy(), p.log10Null() + Math.log10(2), p.bins()));
            } finally {
                Forensics.release(planes);
            }
        }
    }

    // ---- PRINTED_COPY_ATTACK ----------------------------------------------------------------------

    /**
     * default-pc: a printed copy carries halftone screens (periodic dots) and a compressed tonal range
     * (paper white, ink black). Statistic 1: strongest isolated peak of the luma amplitude spectrum in
     * 0.08..0.45 cycles/px, mapped as for default-sr. Statistic 2: luma range R = 99.5th - 0.5th
     * percentile, p = 1 / (1 + exp(-(R - 96) / 12)). Genuine probability = the smaller of the two.
     */
    static final class PrintedCopy implements DocumentPipeline {
        @Override
        public String name() {
            return DocumentAttack.PRINTED_COPY_ATTACK.defaultPipeline();
        }

        @Override
        public boolean needsPortrait() {
            return false;
        }

        @Override
        public Measurement measure(DocumentAnalysis doc) {
            Mat[] planes = Forensics.ycrcb(doc.image().image(), region(doc));
            try {
                Forensics.Peak p = Forensics.spectralPeak(planes[0], PC_FMIN, 0.45);
                if (p == null) {
                    throw new IllegalStateException("document region under 64x64 px: too small for a spectrum");
                }
                double halftone = spectralProbability(p, 1);
                float[] y = Forensics.pixels(planes[0]);
                double[] d = new double[y.length];
                for (int i = 0; i < y.length; i++) {
                    d[i] = y[i];
                }
                double range = Forensics.percentile(d, 0.995) - Forensics.percentile(d, 0.005);
                double gamut = 1 / (1 + Math.exp(-(range - PC_RANGE0) / 12));
                return new Measurement(p.ratio(), Math.min(halftone, gamut), String.format(
                        "luma peak ratio %.2f at (%.3f, %.3f) c/px (p %.3f); luma range %.0f (p %.3f)",
                        p.ratio(), p.fx(), p.fy(), halftone, range, gamut));
            } finally {
                Forensics.release(planes);
            }
        }
    }

    // ---- PORTRAIT_SUBSTITUTION_ATTACK --------------------------------------------------------------

    /**
     * default-ps: a portrait pasted into the document image keeps the noise level and JPEG grid of its
     * own history. Inner region = the central 70 % of the portrait's face box; surroundings = the
     * ring between the face box scaled 2.2x and 3.0x about its centre, inside the document region.
     * D_noise = |ln((sigma_in + 0.2) / (sigma_out + 0.2))| (Immerkaer noise sigma over homogeneous
     * pixels); D_grid = ln((1 + s_best) / (1 + s_doc)), s = blocking strength of the inner region at
     * its own strongest 8x8 phase and at the document's phase. D = max of the two; genuine
     * probability = 1 / (1 + (D / ln 2)^4) (0.5 at a factor of 2). The edge-sharpness ratio
     * (|Laplacian| / |gradient| on the strongest edges) is measured and reported in the detail but not
     * used: on the development cards it differed by a factor of 2-3 between a genuine face and the
     * card's text (content, not tampering).
     */
    static final class PortraitSubstitution implements DocumentPipeline {
        @Override
        public String name() {
            return DocumentAttack.PORTRAIT_SUBSTITUTION_ATTACK.defaultPipeline();
        }

        @Override
        public boolean needsPortrait() {
            return true;
        }

        @Override
        public Measurement measure(DocumentAnalysis doc) {
            RgbImage img = doc.image().image();
            Rect reg = region(doc);
            BoundingBox b = doc.portrait().box();
            Rect inner = clip(scaled(b, 0.7, 0.7), reg);
            Rect outer = scaled(b, 3.0, 3.0);
            Rect hole = scaled(b, 2.2, 2.2);
            if (inner == null || inner.width < 12 || inner.height < 12) {
                throw new IllegalStateException("portrait too small to measure its noise");
            }
            Mat grey = Forensics.greyFloat(img);
            try {
                double sIn = Forensics.noiseSigma(grey, inner);
                double sum = 0;
                double wsum = 0;
                for (Rect strip : ring(outer, hole)) {
                    Rect c = clip(strip, reg);
                    if (c == null || c.width < 12 || c.height < 12) {
                        continue;
                    }
                    double s = Forensics.noiseSigma(grey, c);
                    if (!Double.isNaN(s)) {
                        sum += s * c.area();
                        wsum += c.area();
                    }
                }
                if (Double.isNaN(sIn) || wsum == 0) {
                    throw new IllegalStateException("no homogeneous surroundings of the portrait inside the document");
                }
                double sOut = sum / wsum;
                double dNoise = Math.abs(Math.log((sIn + 0.2) / (sOut + 0.2)));
                double shIn = Forensics.sharpness(grey, inner);
                double shSum = 0;
                double shW = 0;
                for (Rect strip : ring(outer, hole)) {
                    Rect c = clip(strip, reg);
                    if (c != null && c.width >= 12 && c.height >= 12) {
                        double v = Forensics.sharpness(grey, c);
                        if (!Double.isNaN(v)) {
                            shSum += v * c.area();
                            shW += c.area();
                        }
                    }
                }
                double dEdge = Double.isNaN(shIn) || shW == 0 ? 0 : Math.abs(Math.log(shIn / (shSum / shW)));
                double[] gDoc = Forensics.grid(grey, reg);
                double[] gIn = Forensics.gridAt(grey, inner, (int) gDoc[0], (int) gDoc[1]);
                double dGrid = Math.max(0, Math.log((1 + gIn[2]) / (1 + Math.max(0, gIn[3]))));
                double d = Math.max(dNoise, dGrid); // dEdge is reported, not used: see the class comment
                return new Measurement(d, Forensics.logLogistic(d, PS_D0, 4), String.format(
                        "noise sigma portrait %.2f vs surroundings %.2f (D %.3f); edge sharpness portrait %.3f vs "
                                + "%.3f (D %.3f); grid phase document (%d,%d) portrait (%d,%d), D_grid %.3f",
                        sIn, sOut, dNoise, shIn, shSum / Math.max(1e-9, shW), dEdge, (int) gDoc[0], (int) gDoc[1],
                        (int) gIn[0], (int) gIn[1], dGrid));
            } finally {
                grey.release();
            }
        }

        static Rect scaled(BoundingBox b, double sx, double sy) {
            double w = b.width() * sx;
            double h = b.height() * sy;
            return new Rect((int) Math.round(b.centerX() - w / 2), (int) Math.round(b.centerY() - h / 2),
                    (int) Math.round(w), (int) Math.round(h));
        }

        static List<Rect> ring(Rect outer, Rect hole) {
            List<Rect> r = new ArrayList<>();
            r.add(new Rect(outer.x, outer.y, outer.width, hole.y - outer.y));
            r.add(new Rect(outer.x, hole.y + hole.height, outer.width, outer.y + outer.height - hole.y - hole.height));
            r.add(new Rect(outer.x, hole.y, hole.x - outer.x, hole.height));
            r.add(new Rect(hole.x + hole.width, hole.y, outer.x + outer.width - hole.x - hole.width, hole.height));
            return r;
        }

        static Rect clip(Rect a, Rect b) {
            int x0 = Math.max(a.x, b.x);
            int y0 = Math.max(a.y, b.y);
            int x1 = Math.min(a.x + a.width, b.x + b.width);
            int y1 = Math.min(a.y + a.height, b.y + b.height);
            return x1 > x0 && y1 > y0 ? new Rect(x0, y0, x1 - x0, y1 - y0) : null;
        }
    }

    // ---- DIGITAL_MANIPULATION_ATTACK ----------------------------------------------------------------

    /**
     * default-dm: two classic tamper traces on the JPEG 8x8 grid of the photo, measured in 32x32
     * windows aligned to the image origin, inside the document region.
     * <ul>
     *   <li>Error-level analysis: e = |grey - grey after re-compression at quality 90|; window ratio
     *       r = (mean e + 0.5) / (mean |Laplacian| + 2) (error relative to texture); A = 99th percentile
     *       of r / median r. p_ela = 1 / (1 + (A / 4)^4).</li>
     *   <li>JPEG ghosts (Farid 2009; evidence of a second compression history): d_q = mean squared
     *       difference to the re-compression at q = 50, 60, 70, 80, 90, normalised per window by its
     *       largest d_q; the document's median curve g_q; a window's dip = max over q of (g_q -
     *       normalised d_q), windows whose d_50 is under 1 (flat) skipped. B = 99th percentile of the
     *       dips. p_ghost = 1 / (1 + (B / 0.40)^4).</li>
     * </ul>
     * Genuine probability = the smaller of the two.
     */
    static final class DigitalManipulation implements DocumentPipeline {
        static final int[] QUALITIES = {50, 60, 70, 80, 90};
        static final int WIN = 32;

        @Override
        public String name() {
            return DocumentAttack.DIGITAL_MANIPULATION_ATTACK.defaultPipeline();
        }

        @Override
        public boolean needsPortrait() {
            return false;
        }

        @Override
        public Measurement measure(DocumentAnalysis doc) {
            RgbImage img = doc.image().image();
            Rect reg = region(doc);
            int wx0 = (reg.x + WIN - 1) / WIN;
            int wy0 = (reg.y + WIN - 1) / WIN;
            int wx1 = (reg.x + reg.width) / WIN;
            int wy1 = (reg.y + reg.height) / WIN;
            int nw = (wx1 - wx0) * (wy1 - wy0);
            if (wx1 <= wx0 || wy1 <= wy0 || nw < 16) {
                throw new IllegalStateException("document region holds fewer than 16 windows of 32x32 px");
            }
            Mat bgr = Forensics.bgr(img);
            Mat grey = Forensics.greyFloat(img);
            Mat lap = new Mat();
            Imgproc.Laplacian(grey, lap, CvType.CV_32F);
            Core.absdiff(lap, new org.opencv.core.Scalar(0), lap);
            float[] g = Forensics.pixels(grey);
            float[] t = Forensics.pixels(lap);
            int w = img.width();
            double[][] d = new double[QUALITIES.length][nw];
            double[] ela = new double[nw];
            double[] tex = new double[nw];
            try {
                for (int qi = 0; qi < QUALITIES.length; qi++) {
                    Mat rec = Forensics.recompressedGrey(bgr, QUALITIES[qi]);
                    float[] r = Forensics.pixels(rec);
                    rec.release();
                    int k = 0;
                    for (int wy = wy0; wy < wy1; wy++) {
                        for (int wx = wx0; wx < wx1; wx++) {
                            double sq = 0;
                            double ab = 0;
                            double tx = 0;
                            for (int y = wy * WIN; y < (wy + 1) * WIN; y++) {
                                for (int x = wx * WIN; x < (wx + 1) * WIN; x++) {
                                    int i = y * w + x;
                                    double e = g[i] - r[i];
                                    sq += e * e;
                                    ab += Math.abs(e);
                                    tx += t[i];
                                }
                            }
                            d[qi][k] = sq / (WIN * WIN);
                            if (QUALITIES[qi] == 90) {
                                ela[k] = ab / (WIN * WIN);
                                tex[k] = tx / (WIN * WIN);
                            }
                            k++;
                        }
                    }
                }
            } finally {
                Forensics.release(bgr, grey, lap);
            }
            double[] ratio = new double[nw];
            for (int k = 0; k < nw; k++) {
                ratio[k] = (ela[k] + 0.5) / (tex[k] + 2);
            }
            double med = Forensics.median(ratio);
            double a = Forensics.percentile(ratio, 0.99) / Math.max(1e-6, med);
            double[][] n = new double[QUALITIES.length][nw];
            for (int k = 0; k < nw; k++) {
                double mx = 1e-9;
                for (int qi = 0; qi < QUALITIES.length; qi++) {
                    mx = Math.max(mx, d[qi][k]);
                }
                for (int qi = 0; qi < QUALITIES.length; qi++) {
                    n[qi][k] = d[qi][k] / mx;
                }
            }
            double[] curve = new double[QUALITIES.length];
            for (int qi = 0; qi < QUALITIES.length; qi++) {
                curve[qi] = Forensics.median(n[qi]);
            }
            double[] dip = new double[nw];
            for (int k = 0; k < nw; k++) {
                if (d[0][k] < 1) {
                    continue; // a flat window: even quality 50 changes it by under 1 grey level rms
                }
                double m = 0;
                for (int qi = 0; qi < QUALITIES.length; qi++) {
                    m = Math.max(m, curve[qi] - n[qi][k]);
                }
                dip[k] = m;
            }
            double bGhost = Forensics.percentile(dip, 0.99);
            double pEla = Forensics.logLogistic(a, DM_ELA0, 4);
            double pGhost = Forensics.logLogistic(bGhost, DM_GHOST0, 4);
            double stat = Math.max(a / DM_ELA0, bGhost / DM_GHOST0);
            return new Measurement(stat, Math.min(pEla, pGhost), String.format(
                    "ELA anomaly %.2f (p %.3f), JPEG-ghost dip %.3f (p %.3f), %d windows", a, pEla, bGhost, pGhost, nw));
        }
    }
}
