package io.openbio.testkit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Edits of a real face photo that make SYNTHETIC "performed action" frames (no model involved: plain
 * image operations on geometry given by the caller): framing one face alone, mirroring, eyes painted
 * closed, irises moved inside the eye opening, mouth corners lifted. Which edit the face models read as
 * which action is measured in the inference module's {@code GenuineChallengeCapturesTest}; see
 * {@link GenuineCaptures} for the sequences built from them.
 */
public final class FaceEdits {
    /** Mid grey: everything outside the kept surroundings of the face. */
    public static final int GREY = 0x808080;

    private FaceEdits() {
    }

    /** A photo decoded as RGB. */
    public static BufferedImage read(byte[] bytes) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            return copy(img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage copy(BufferedImage img) {
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /**
     * The face of box (x, y, w, h) of {@code photo} framed in a {@code size} square with the box {@code faceWidth}
     * wide at the centre; only the face's own surroundings ({@code keep} times the box, centred on it) are
     * kept, the rest is {@link #GREY}, so that neighbouring faces of a group photo are not in the frame.
     */
    public static BufferedImage portrait(BufferedImage photo, double x, double y, double w, double h, int size, double faceWidth,
                                         double keep) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(new Color(GREY));
        g.fillRect(0, 0, size, size);
        double s = faceWidth / w;
        double kw = keep * w * s;
        double kh = keep * h * s;
        g.setClip((int) Math.round(size / 2.0 - kw / 2), (int) Math.round(size / 2.0 - kh / 2), (int) Math.round(kw), (int) Math.round(kh));
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        java.awt.geom.AffineTransform t = new java.awt.geom.AffineTransform();
        t.translate(size / 2.0, size / 2.0);
        t.scale(s, s);
        t.translate(-(x + w / 2), -(y + h / 2));
        g.drawImage(photo, t, null);
        g.dispose();
        return out;
    }

    /** Mirrored left to right. */
    public static BufferedImage mirror(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, src.getWidth(), 0, -src.getWidth(), src.getHeight(), null);
        g.dispose();
        return out;
    }

    /**
     * Both eyes closed by paint: each eye, given by its six landmarks (x0,y0,..,x5,y5 in the 68-point order
     * 36-41 / 42-47: outer corner, two upper-lid points, inner corner, two lower-lid points), is covered by an
     * ellipse of the median colour of the skin ring around it, and a dark lash line is drawn along the lower
     * lid (corner, the two lower-lid points, the other corner), then the image is softened (3x3 box blur).
     */
    public static BufferedImage eyesClosed(BufferedImage src, double[]... eyes) {
        BufferedImage out = copy(src);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (double[] e : eyes) {
            double minX = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double cy = 0;
            for (int k = 0; k < 6; k++) {
                minX = Math.min(minX, e[2 * k]);
                maxX = Math.max(maxX, e[2 * k]);
                cy += e[2 * k + 1] / 6;
            }
            double w = maxX - minX;
            double cx = (minX + maxX) / 2;
            double ax = w * 0.75;
            double ay = w * 0.45;
            int skin = ringColour(src, cx, cy, ax, ay);
            g.setColor(new Color(skin));
            g.fill(new Ellipse2D.Double(cx - ax, cy - ay, 2 * ax, 2 * ay));
            Color c = new Color(skin);
            g.setColor(new Color((int) (c.getRed() * 0.3), (int) (c.getGreen() * 0.3), (int) (c.getBlue() * 0.3)));
            g.setStroke(new BasicStroke((float) Math.max(1, Math.round(w / 10)), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D lash = new Path2D.Double();
            lash.moveTo(e[0], e[1]);
            for (int k : new int[] {5, 4, 3}) {
                lash.lineTo(e[2 * k], e[2 * k + 1]);
            }
            g.draw(lash);
        }
        g.dispose();
        return boxBlur3(out);
    }

    /** Median colour (per channel) of the pixels between the ellipse (ax, ay) and the same ellipse 1.5 times larger. */
    static int ringColour(BufferedImage img, double cx, double cy, double ax, double ay) {
        int[][] v = new int[3][];
        int n = 0;
        int[] tmp = new int[(int) (10 * ax * ay + 16)];
        int[][] ch = {tmp.clone(), tmp.clone(), tmp.clone()};
        for (int y = (int) (cy - 1.5 * ay); y <= cy + 1.5 * ay; y++) {
            for (int x = (int) (cx - 1.5 * ax); x <= cx + 1.5 * ax; x++) {
                double e = Math.pow((x - cx) / ax, 2) + Math.pow((y - cy) / ay, 2);
                if (e > 1 && e <= 2.25 && x >= 0 && y >= 0 && x < img.getWidth() && y < img.getHeight() && n < tmp.length) {
                    int p = img.getRGB(x, y);
                    ch[0][n] = (p >> 16) & 255;
                    ch[1][n] = (p >> 8) & 255;
                    ch[2][n] = p & 255;
                    n++;
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            v[c] = Arrays.copyOf(ch[c], n);
            Arrays.sort(v[c]);
        }
        return n == 0 ? GREY : (v[0][n / 2] << 16) | (v[1][n / 2] << 8) | v[2][n / 2];
    }

    static BufferedImage boxBlur3(BufferedImage src) {
        float[] k = new float[9];
        Arrays.fill(k, 1f / 9);
        BufferedImage out = new java.awt.image.ConvolveOp(new java.awt.image.Kernel(3, 3, k), java.awt.image.ConvolveOp.EDGE_NO_OP, null)
                .filter(src, null);
        return copy(out);
    }

    /**
     * Irises moved inside the eye openings: each opening is a polygon (x0,y0,x1,y1,..: the eye contour, e.g.
     * MediaPipe Iris's 16 contour points); inside it every pixel takes the value found (dx, dy) pixels back,
     * or the eye's white (the colour of its brightest decile) where that falls outside the opening.
     * dx &gt; 0 moves the iris towards the image's right, dy &gt; 0 down.
     */
    public static BufferedImage irisesMoved(BufferedImage src, double dx, double dy, double[]... openings) {
        BufferedImage out = copy(src);
        int sx = (int) Math.round(dx);
        int sy = (int) Math.round(dy);
        for (double[] poly : openings) {
            double minX = Double.MAX_VALUE;
            double minY = Double.MAX_VALUE;
            double maxX = -Double.MAX_VALUE;
            double maxY = -Double.MAX_VALUE;
            for (int i = 0; i < poly.length; i += 2) {
                minX = Math.min(minX, poly[i]);
                maxX = Math.max(maxX, poly[i]);
                minY = Math.min(minY, poly[i + 1]);
                maxY = Math.max(maxY, poly[i + 1]);
            }
            java.util.List<int[]> inside = new java.util.ArrayList<>();
            java.util.List<Integer> luma = new java.util.ArrayList<>();
            for (int y = (int) Math.floor(minY); y <= maxY; y++) {
                for (int x = (int) Math.floor(minX); x <= maxX; x++) {
                    if (x >= 0 && y >= 0 && x < src.getWidth() && y < src.getHeight() && contains(poly, x + 0.5, y + 0.5)) {
                        inside.add(new int[] {x, y});
                        int p = src.getRGB(x, y);
                        luma.add(((p >> 16) & 255) + ((p >> 8) & 255) + (p & 255));
                    }
                }
            }
            if (inside.isEmpty()) {
                continue;
            }
            java.util.List<Integer> sorted = new java.util.ArrayList<>(luma);
            sorted.sort(Integer::compare);
            int white = sorted.get((int) (sorted.size() * 0.9));
            int sclera = GREY;
            for (int i = 0; i < inside.size(); i++) {
                if (luma.get(i) == white) {
                    sclera = src.getRGB(inside.get(i)[0], inside.get(i)[1]) & 0xffffff;
                    break;
                }
            }
            for (int[] p : inside) {
                int fx = p[0] - sx;
                int fy = p[1] - sy;
                boolean from = fx >= 0 && fy >= 0 && fx < src.getWidth() && fy < src.getHeight() && contains(poly, fx + 0.5, fy + 0.5);
                out.setRGB(p[0], p[1], from ? src.getRGB(fx, fy) : sclera);
            }
        }
        return out;
    }

    /**
     * Mouth corners lifted: a smooth displacement (Gaussian, sigma {@code sigma} pixels) around each corner
     * (x, y) moves it up by {@code lift} and outwards (away from the other corner) by {@code widen} pixels;
     * the rest of the face stays.
     */
    public static BufferedImage mouthCornersLifted(BufferedImage src, double leftX, double leftY, double rightX, double rightY,
                                                   double lift, double widen, double sigma) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] in = src.getRGB(0, 0, w, h, null, 0, w);
        int[] outPx = new int[w * h];
        double[][] corners = {{leftX, leftY, -widen, -lift}, {rightX, rightY, widen, -lift}};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double ddx = 0;
                double ddy = 0;
                for (double[] c : corners) {
                    double d2 = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
                    double wt = Math.exp(-d2 / (2 * sigma * sigma));
                    ddx += wt * c[2];
                    ddy += wt * c[3];
                }
                outPx[y * w + x] = sample(in, w, h, x - ddx, y - ddy);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, outPx, 0, w);
        return out;
    }

    /** Bilinear sample of packed RGB pixels at (x, y) (pixel (i, j) sits at (i, j)), clamped at the edges. */
    public static int sample(int[] px, int w, int h, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double[] acc = new double[3];
        for (int k = 0; k < 4; k++) {
            int xi = Math.min(w - 1, Math.max(0, x0 + (k & 1)));
            int yi = Math.min(h - 1, Math.max(0, y0 + (k >> 1)));
            double wt = ((k & 1) == 1 ? fx : 1 - fx) * ((k >> 1) == 1 ? fy : 1 - fy);
            int p = px[yi * w + xi];
            acc[0] += wt * ((p >> 16) & 255);
            acc[1] += wt * ((p >> 8) & 255);
            acc[2] += wt * (p & 255);
        }
        return ((int) Math.round(acc[0]) << 16) | ((int) Math.round(acc[1]) << 8) | (int) Math.round(acc[2]);
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
}
