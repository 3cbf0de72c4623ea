package io.openbio.inference.document.page;

import io.openbio.inference.detect.Point;
import io.openbio.inference.document.Quad;
import io.openbio.inference.image.RgbImage;

import java.util.List;

/**
 * The detection confidence of a page outline: the share of the outline that a visible step edge
 * backs. It is a measured fit, not a probability.
 *
 * <p>On the locator's working copy (grey BT.601, longer side at most {@link io.openbio.inference.document.DocumentLocator#WORK_SIDE},
 * Gaussian 5x5), points are taken every work pixel along the four sides of the quad; at each, the grey
 * level {@value #PROBE} work px inside the outline (towards the quad's centre, along the side's normal)
 * and {@value #PROBE} px outside are read. A point is supported when they differ by at least
 * {@value #MIN_STEP} grey levels. Confidence = supported points / all points of the outline; points whose
 * probes fall outside the photo count as unsupported (a document leaving the frame, whose outline is
 * partly unseen, has a lower confidence). 1.0 = a contrasted edge under the whole outline; a quad
 * drawn around a blob whose border is not straight, or a low-contrast outline, scores lower.
 */
public final class OutlineSupport {
    /** Distance of each probe from the outline, work pixels. */
    static final int PROBE = 3;
    /** Smallest grey-level step across the outline that counts as an edge. */
    static final double MIN_STEP = 12;

    private OutlineSupport() {
    }

    /** The confidence (0..1) of the quad in the photo. */
    public static double of(RgbImage photo, Quad quad) {
        return of(WorkImage.of(photo), quad);
    }

    static double of(WorkImage wi, Quad quad) {
        double f = wi.f();
        List<Point> c = quad.corners();
        double cx = 0;
        double cy = 0;
        for (Point p : c) {
            cx += p.x() * f / 4;
            cy += p.y() * f / 4;
        }
        int total = 0;
        int supported = 0;
        for (int i = 0; i < 4; i++) {
            double ax = c.get(i).x() * f;
            double ay = c.get(i).y() * f;
            double bx = c.get((i + 1) % 4).x() * f;
            double by = c.get((i + 1) % 4).y() * f;
            double len = Math.hypot(bx - ax, by - ay);
            if (len < 1) {
                continue;
            }
            double nx = -(by - ay) / len;
            double ny = (bx - ax) / len;
            double mx = (ax + bx) / 2;
            double my = (ay + by) / 2;
            if (nx * (cx - mx) + ny * (cy - my) > 0) { // make the normal point outwards
                nx = -nx;
                ny = -ny;
            }
            int n = (int) Math.floor(len);
            for (int k = 0; k < n; k++) {
                double t = (k + 0.5) / n;
                double px = ax + t * (bx - ax);
                double py = ay + t * (by - ay);
                total++;
                double in = wi.at(px - PROBE * nx, py - PROBE * ny);
                double out = wi.at(px + PROBE * nx, py + PROBE * ny);
                if (!Double.isNaN(in) && !Double.isNaN(out) && Math.abs(in - out) >= MIN_STEP) {
                    supported++;
                }
            }
        }
        return total == 0 ? 0 : (double) supported / total;
    }
}
