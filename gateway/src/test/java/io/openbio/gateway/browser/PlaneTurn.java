package io.openbio.gateway.browser;

import java.awt.image.BufferedImage;

/**
 * A synthetic head movement: the picture as a plane through its centre turned about a vertical
 * axis (yaw) or a horizontal one (pitch), seen by a pinhole camera of focal length 1.5 x the width.
 * The same geometry as the per-frame measurement tests' warp (inference FrameMeasurerTest#turn),
 * so a frontal face photo turns the way the pose model reads a head turn; it is a flat picture
 * turning, not a head (no parallax, no occlusion), and is labelled synthetic wherever it is used.
 */
public final class PlaneTurn {
    private PlaneTurn() {
    }

    /**
     * {@code image} turned by {@code degrees}: about the vertical axis, positive when the image's
     * right side goes away from the camera (the person turns to their left); with {@code vertical},
     * about the horizontal axis, positive when the top goes away (the person looks up).
     */
    public static BufferedImage turn(BufferedImage image, double degrees, boolean vertical) {
        int w = image.getWidth();
        int h = image.getHeight();
        double cx = w / 2.0;
        double cy = h / 2.0;
        double f = 1.5 * w;
        double t = Math.toRadians(degrees);
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int[] dst = new int[w * h];
        for (int row = 0; row < h; row++) {
            double v = row + 0.5 - cy;
            for (int col = 0; col < w; col++) {
                double u = col + 0.5 - cx;
                double x;
                double y;
                // Inverse of the projection: which point of the turned plane lands on (u, v).
                if (vertical) {
                    y = v * f / (f * cos + v * sin);
                    x = u * (f - y * sin) / f;
                } else {
                    x = u * f / (f * cos - u * sin);
                    y = v * (f + x * sin) / f;
                }
                dst[row * w + col] = bilinear(src, w, h, x + cx - 0.5, y + cy - 0.5);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, dst, 0, w);
        return out;
    }

    /** Bilinear sample at (x, y), edges replicated. */
    private static int bilinear(int[] src, int w, int h, double x, double y) {
        x = Math.max(0, Math.min(w - 1, x));
        y = Math.max(0, Math.min(h - 1, y));
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(w - 1, x0 + 1);
        int y1 = Math.min(h - 1, y0 + 1);
        double fx = x - x0;
        double fy = y - y0;
        int p00 = src[y0 * w + x0];
        int p10 = src[y0 * w + x1];
        int p01 = src[y1 * w + x0];
        int p11 = src[y1 * w + x1];
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double top = (p00 >> shift & 0xff) * (1 - fx) + (p10 >> shift & 0xff) * fx;
            double bottom = (p01 >> shift & 0xff) * (1 - fx) + (p11 >> shift & 0xff) * fx;
            out |= (int) Math.round(top * (1 - fy) + bottom * fy) << shift;
        }
        return out;
    }
}
