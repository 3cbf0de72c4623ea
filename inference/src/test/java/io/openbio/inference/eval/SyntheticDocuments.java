package io.openbio.inference.eval;

import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * SYNTHETIC identity documents and document attacks made from real photos, for the document-check
 * tests and evaluation only. No real identity document or real document attack is reachable here;
 * these imitate their layout and physical / digital traces and every figure measured on them says so.
 *
 * <ul>
 *   <li>{@link #card}: an ID-1 layout (1012x638, 300 dpi) with a pastel background and fine wavy
 *       lines, a header band inside a light 20 px margin, a real face photo as the portrait (crop 1.7x the face box wide) and
 *       text fields (DejaVu fonts drawn with Java2D).</li>
 *   <li>{@link #photograph}: the card placed on a dark blurred real photo (the "desk", 1400x1000),
 *       seen under a small perspective (rotation and keystone from the seed), lens blur sigma 0.6,
 *       sensor noise sigma 2, saved as JPEG quality 90: the GENUINE document photo.</li>
 *   <li>{@link #substitutePortrait}: another person's face photo, first saved as JPEG quality 60 (a
 *       different JPEG history), resized into the portrait area of the genuine photo and saved again
 *       at quality 90.</li>
 *   <li>{@link #manipulate}: a text field overwritten by a new field (text drawn on a patch of the card
 *       background), the patch first saved as JPEG quality 50 and pasted 3 px off the 8x8 grid, the
 *       whole photo saved again at quality 85 (local edit + recompression).</li>
 *   <li>Screen replay and print: {@link Recaptures#screenReplay} / {@link Recaptures#print} applied to
 *       the genuine photo, then saved at quality 90.</li>
 * </ul>
 */
public final class SyntheticDocuments {
    public static final int CARD_W = 1012;
    public static final int CARD_H = 638;
    /** Portrait area on the card layout. */
    public static final int PX = 60;
    public static final int PY = 170;
    public static final int PW = 270;
    public static final int PH = 340;

    /** A genuine document photo: JPEG bytes, the true corners (TL, TR, BR, BL) and the portrait rectangle. */
    public record Photo(byte[] jpeg, double[] corners, BoundingBox portrait) {
    }

    private SyntheticDocuments() {
    }

    /** The card layout with the face (box in {@code face}) as portrait. */
    public static RgbImage card(RgbImage photo, BoundingBox face, String name, long seed) {
        Random r = new Random(seed);
        BufferedImage bi = new BufferedImage(CARD_W, CARD_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = bi.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        float hue = r.nextFloat();
        for (int y = 0; y < CARD_H; y++) { // pastel vertical gradient
            float t = (float) y / CARD_H;
            g.setColor(Color.getHSBColor(hue + 0.08f * t, 0.10f + 0.06f * t, 0.97f - 0.05f * t));
            g.drawLine(0, y, CARD_W, y);
        }
        g.setStroke(new BasicStroke(1.2f));
        for (int k = 0; k < 14; k++) { // fine wavy security lines, irregular amplitudes and periods
            g.setColor(Color.getHSBColor(hue + 0.3f, 0.25f, 0.85f));
            double amp = 8 + 20 * r.nextDouble();
            double per = 90 + 160 * r.nextDouble();
            double y0 = 30 + k * 45 + 10 * r.nextDouble();
            int px = 0;
            int py = (int) y0;
            for (int x = 4; x < CARD_W; x += 4) {
                int yy = (int) Math.round(y0 + amp * Math.sin(2 * Math.PI * x / per + k));
                g.drawLine(px, py, x, yy);
                px = x;
                py = yy;
            }
        }
        g.setColor(Color.getHSBColor(hue + 0.5f, 0.55f, 0.55f));
        g.fillRoundRect(20, 20, CARD_W - 40, 100, 16, 16); // header band inside a light margin
        g.setColor(Color.WHITE);
        g.setFont(new Font("DejaVu Sans", Font.BOLD, 46));
        g.drawString("IDENTITY CARD", 50, 88);
        g.setFont(new Font("DejaVu Sans", Font.PLAIN, 22));
        g.drawString("REPUBLIC OF SYNTHETICA", 570, 86);
        String[][] fields = {{"Surname", name.toUpperCase()}, {"Given names", "ALEX JORDAN"},
                {"Date of birth", (10 + r.nextInt(18)) + ".0" + (1 + r.nextInt(9)) + "." + (1950 + r.nextInt(50))},
                {"Document no.", "SY" + (1000000 + r.nextInt(8999999))}, {"Expiry", "31.12.2031"}};
        int y = 200;
        for (String[] f : fields) {
            g.setColor(new Color(90, 90, 110));
            g.setFont(new Font("DejaVu Sans", Font.PLAIN, 18));
            g.drawString(f[0], 380, y);
            g.setColor(new Color(20, 20, 30));
            g.setFont(new Font("DejaVu Sans Mono", Font.BOLD, 30));
            g.drawString(f[1], 380, y + 34);
            y += 78;
        }
        g.dispose();
        RgbImage base = fromBuffered(bi);
        // portrait: crop 1.7 x the face box wide at the card's aspect, centred a little below the face centre
        double cw = 1.7 * face.width();
        double ch = cw * PH / PW;
        double cx = face.centerX();
        double cy = face.centerY() + 0.08 * face.height();
        double x0 = Math.max(0, Math.min(photo.width() - cw, cx - cw / 2));
        double y0 = Math.max(0, Math.min(photo.height() - ch, cy - ch / 2));
        RgbImage portrait = ImageOps.cropResize(photo, x0, y0, cw, ch, PW, PH);
        byte[] p = base.rgb().clone();
        for (int yy = 0; yy < PH; yy++) {
            System.arraycopy(portrait.rgb(), yy * PW * 3, p, ((PY + yy) * CARD_W + PX) * 3, PW * 3);
        }
        return new RgbImage(CARD_W, CARD_H, p);
    }

    /** A dark, blurred version of a real photo as the surface the card lies on. */
    public static RgbImage desk(RgbImage real, int w, int h) {
        RgbImage d = ImageOps.resize(real, w, h);
        Mat m = d.toMat();
        Imgproc.GaussianBlur(m, m, new Size(0, 0), 6);
        m.convertTo(m, -1, 0.35, 15);
        RgbImage out = RgbImage.fromMat(m);
        m.release();
        return out;
    }

    /**
     * Photographs the card on the desk: card width about 0.75 of the frame, rotation up to 4 degrees
     * and a small keystone from the seed, centre offset (dx, dy) in frame pixels (use a large dx to
     * push the card out of the frame).
     */
    public static Photo photograph(RgbImage card, RgbImage desk, long seed, double dx, double dy) {
        Random r = new Random(seed);
        int w = desk.width();
        int h = desk.height();
        double s = 0.75 * w / CARD_W;
        double ang = Math.toRadians((r.nextDouble() * 2 - 1) * 4);
        double key = (r.nextDouble() * 2 - 1) * 0.03;
        double[][] src = {{0, 0}, {CARD_W, 0}, {CARD_W, CARD_H}, {0, CARD_H}};
        double[] dst = new double[8];
        for (int i = 0; i < 4; i++) {
            double x = (src[i][0] - CARD_W / 2.0) * s * (1 + (src[i][1] < 1 ? key : -key));
            double y = (src[i][1] - CARD_H / 2.0) * s;
            dst[2 * i] = w / 2.0 + dx + x * Math.cos(ang) - y * Math.sin(ang);
            dst[2 * i + 1] = h / 2.0 + dy + x * Math.sin(ang) + y * Math.cos(ang);
        }
        Mat c = card.toMat();
        Mat out = desk.toMat();
        Mat mask = new Mat(card.height(), card.width(), CvType.CV_8UC1, new Scalar(255));
        Mat warped = new Mat();
        Mat wmask = new Mat();
        MatOfPoint2f a = new MatOfPoint2f(new Point(0, 0), new Point(CARD_W, 0), new Point(CARD_W, CARD_H), new Point(0, CARD_H));
        MatOfPoint2f b = new MatOfPoint2f(new Point(dst[0], dst[1]), new Point(dst[2], dst[3]),
                new Point(dst[4], dst[5]), new Point(dst[6], dst[7]));
        Mat hm = Imgproc.getPerspectiveTransform(a, b);
        Imgproc.warpPerspective(c, warped, hm, new Size(w, h), Imgproc.INTER_LINEAR);
        Imgproc.warpPerspective(mask, wmask, hm, new Size(w, h), Imgproc.INTER_LINEAR);
        warped.copyTo(out, wmask);
        Imgproc.GaussianBlur(out, out, new Size(0, 0), 0.6);
        RgbImage shot = noise(RgbImage.fromMat(out), 2.0, seed);
        // portrait rectangle in the photo: bounding box of its four warped corners
        MatOfPoint2f pc = new MatOfPoint2f(new Point(PX, PY), new Point(PX + PW, PY), new Point(PX + PW, PY + PH), new Point(PX, PY + PH));
        MatOfPoint2f pw = new MatOfPoint2f();
        Core.perspectiveTransform(pc, pw, hm);
        Point[] q = pw.toArray();
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -1;
        double maxY = -1;
        for (Point p : q) {
            minX = Math.min(minX, p.x);
            minY = Math.min(minY, p.y);
            maxX = Math.max(maxX, p.x);
            maxY = Math.max(maxY, p.y);
        }
        for (Mat m : new Mat[] {c, out, mask, warped, wmask, a, b, hm, pc, pw}) {
            m.release();
        }
        return new Photo(ImageOps.encodeJpeg(shot, 90), dst, new BoundingBox(minX, minY, maxX - minX, maxY - minY));
    }

    /** Another face (donor photo and box) pasted into the portrait area of a genuine photo. */
    public static byte[] substitutePortrait(RgbImage genuine, BoundingBox portrait, RgbImage donor, BoundingBox donorFace) {
        RgbImage d60 = decode(ImageOps.encodeJpeg(donor, 60));
        // inner 88 % of the portrait area (the genuine area is rotated a little)
        double iw = portrait.width() * 0.88;
        double ih = portrait.height() * 0.88;
        int x0 = (int) Math.round(portrait.centerX() - iw / 2);
        int y0 = (int) Math.round(portrait.centerY() - ih / 2);
        int w = (int) Math.round(iw);
        int h = (int) Math.round(ih);
        double cw = 1.7 * donorFace.width() * 0.88;
        double ch = cw * h / w;
        double cx = donorFace.centerX();
        double cy = donorFace.centerY() + 0.08 * donorFace.height();
        double sx = Math.max(0, Math.min(donor.width() - cw, cx - cw / 2));
        double sy = Math.max(0, Math.min(donor.height() - ch, cy - ch / 2));
        RgbImage face = ImageOps.cropResize(d60, sx, sy, cw, ch, w, h);
        return ImageOps.encodeJpeg(paste(genuine, face, x0, y0), 90);
    }

    /** A text field replaced by a new one carrying another JPEG history, then the whole photo recompressed. */
    public static byte[] manipulate(RgbImage genuine, double[] corners, long seed) {
        // the "Document no." value field of the layout, mapped to the photo by the corner bilinear map
        double u0 = 375.0 / CARD_W;
        double v0 = 430.0 / CARD_H;
        double u1 = 800.0 / CARD_W;
        double v1 = 480.0 / CARD_H;
        double[] p0 = map(corners, u0, v0);
        double[] p1 = map(corners, u1, v1);
        int x0 = (int) Math.round(Math.min(p0[0], p1[0])) | 3; // 3 px off the 8x8 grid
        int y0 = (int) Math.round(Math.min(p0[1], p1[1])) | 3;
        int w = (int) Math.round(Math.abs(p1[0] - p0[0]));
        int h = (int) Math.round(Math.abs(p1[1] - p0[1]));
        // patch: the card background just above the field, with a new number drawn on it
        RgbImage bg = ImageOps.cropResize(genuine, x0, y0 - h - 6, w, h, w, h);
        BufferedImage bi = toBuffered(bg);
        Graphics2D g = bi.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(25, 25, 35));
        g.setFont(new Font("DejaVu Sans Mono", Font.BOLD, (int) Math.round(h * 0.62)));
        g.drawString("SY" + (1000000 + new Random(seed).nextInt(8999999)), 4, (int) Math.round(h * 0.78));
        g.dispose();
        RgbImage patch = decode(ImageOps.encodeJpeg(fromBuffered(bi), 50));
        return ImageOps.encodeJpeg(paste(genuine, patch, x0, y0), 85);
    }

    static double[] map(double[] c, double u, double v) {
        double x = (1 - u) * (1 - v) * c[0] + u * (1 - v) * c[2] + u * v * c[4] + (1 - u) * v * c[6];
        double y = (1 - u) * (1 - v) * c[1] + u * (1 - v) * c[3] + u * v * c[5] + (1 - u) * v * c[7];
        return new double[] {x, y};
    }

    /** A real image laid unchanged (no resampling, grid kept) on a dark desk margin of {@code m} px (a multiple of 8). */
    public static RgbImage onDesk(RgbImage img, int m, long seed) {
        int w = img.width() + 2 * m;
        int h = img.height() + 2 * m;
        Random r = new Random(seed);
        byte[] p = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            int y = i / w;
            double v = 40 + 20.0 * y / h;
            p[3 * i] = (byte) Math.round(v + 6 + 2 * r.nextGaussian());
            p[3 * i + 1] = (byte) Math.round(v + 2 * r.nextGaussian());
            p[3 * i + 2] = (byte) Math.round(v - 4 + 2 * r.nextGaussian());
        }
        for (int y = 0; y < img.height(); y++) {
            System.arraycopy(img.rgb(), y * img.width() * 3, p, ((y + m) * w + m) * 3, img.width() * 3);
        }
        return new RgbImage(w, h, p);
    }

    public static byte[] screenReplay(RgbImage genuine, long seed) {
        return ImageOps.encodeJpeg(Recaptures.screenReplay(genuine, seed), 90);
    }

    public static byte[] print(RgbImage genuine, long seed) {
        return ImageOps.encodeJpeg(Recaptures.print(genuine, seed), 90);
    }

    static RgbImage paste(RgbImage base, RgbImage patch, int x0, int y0) {
        byte[] p = base.rgb().clone();
        for (int y = 0; y < patch.height(); y++) {
            int yy = y0 + y;
            if (yy < 0 || yy >= base.height()) {
                continue;
            }
            for (int x = 0; x < patch.width(); x++) {
                int xx = x0 + x;
                if (xx < 0 || xx >= base.width()) {
                    continue;
                }
                System.arraycopy(patch.rgb(), (y * patch.width() + x) * 3, p, (yy * base.width() + xx) * 3, 3);
            }
        }
        return new RgbImage(base.width(), base.height(), p);
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

    public static RgbImage decode(byte[] jpeg) {
        return new io.openbio.inference.image.ImageDecoder().decode(jpeg).image();
    }

    static RgbImage fromBuffered(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        byte[] p = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = bi.getRGB(x, y);
                int i = (y * w + x) * 3;
                p[i] = (byte) (v >> 16);
                p[i + 1] = (byte) (v >> 8);
                p[i + 2] = (byte) v;
            }
        }
        return new RgbImage(w, h, p);
    }

    static BufferedImage toBuffered(RgbImage img) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        byte[] p = img.rgb();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int i = (y * img.width() + x) * 3;
                bi.setRGB(x, y, ((p[i] & 0xff) << 16) | ((p[i + 1] & 0xff) << 8) | (p[i + 2] & 0xff));
            }
        }
        return bi;
    }
}
