package io.openbio.inference.document.page;

import io.openbio.inference.detect.Point;
import io.openbio.inference.document.Quad;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves the locator's corners onto the card's edges. The locator's corners are vertices of a polygon
 * approximation of the region's hull: on a card with rounded corners they sit on the arc, inside the
 * card. Here each side is re-measured on the working copy ({@link WorkImage}): along the middle 76 % of
 * the side, every work pixel, the strongest grey-level step within {@value #SEARCH} work px across the
 * side (central difference along the normal) is taken when it is at least
 * {@link OutlineSupport#MIN_STEP}; a line is fitted to those points (total least squares, refitted once
 * without the points over 1.5 px away), and the corners are the intersections of adjacent lines. A side
 * with under a third of its points found (e.g. one running along the photo's border) keeps its
 * original line; a corner that would move more than 5 % of the outline's perimeter keeps its place.
 */
final class CornerRefiner {
    static final int SEARCH = 6;

    private CornerRefiner() {
    }

    static Quad refine(WorkImage wi, Quad q) {
        double f = wi.f();
        List<Point> c = new ArrayList<>();
        for (Point p : q.corners()) {
            c.add(new Point(p.x() * f, p.y() * f));
        }
        double cx = c.stream().mapToDouble(Point::x).average().orElse(0);
        double cy = c.stream().mapToDouble(Point::y).average().orElse(0);
        double[][] lines = new double[4][]; // {px, py, dx, dy}: a point and a unit direction
        double perimeter = 0;
        for (int i = 0; i < 4; i++) {
            Point a = c.get(i);
            Point b = c.get((i + 1) % 4);
            double len = a.distance(b);
            perimeter += len;
            double dx = (b.x() - a.x()) / Math.max(1e-9, len);
            double dy = (b.y() - a.y()) / Math.max(1e-9, len);
            lines[i] = new double[] {a.x(), a.y(), dx, dy};
            double nx = -dy;
            double ny = dx;
            if (nx * (cx - (a.x() + b.x()) / 2) + ny * (cy - (a.y() + b.y()) / 2) > 0) {
                nx = -nx;
                ny = -ny;
            }
            List<double[]> pts = new ArrayList<>();
            int n = (int) Math.floor(len * 0.76);
            for (int k = 0; k < n; k++) {
                double t = 0.12 + 0.76 * (k + 0.5) / Math.max(1, n);
                double px = a.x() + t * (b.x() - a.x());
                double py = a.y() + t * (b.y() - a.y());
                double best = 0;
                int bestD = 0;
                for (int d = -SEARCH; d <= SEARCH; d++) {
                    double g1 = wi.at(px + (d + 1) * nx, py + (d + 1) * ny);
                    double g0 = wi.at(px + (d - 1) * nx, py + (d - 1) * ny);
                    if (Double.isNaN(g0) || Double.isNaN(g1)) {
                        continue;
                    }
                    double step = Math.abs(g1 - g0);
                    if (step > best) {
                        best = step;
                        bestD = d;
                    }
                }
                if (best >= OutlineSupport.MIN_STEP) {
                    pts.add(new double[] {px + bestD * nx, py + bestD * ny});
                }
            }
            if (n > 0 && pts.size() >= Math.max(10, n / 3)) {
                double[] line = fit(pts);
                List<double[]> near = new ArrayList<>();
                for (double[] p : pts) {
                    if (distance(line, p) <= 1.5) {
                        near.add(p);
                    }
                }
                if (near.size() >= Math.max(10, n / 3)) {
                    lines[i] = fit(near);
                }
            }
        }
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            double[] p = intersect(lines[(i + 3) % 4], lines[i]); // corner i joins side i-1 and side i
            Point old = c.get(i);
            Point moved = p == null ? old : new Point(p[0], p[1]);
            if (moved.distance(old) > 0.05 * perimeter) {
                moved = old;
            }
            out.add(new Point(moved.x() / f, moved.y() / f));
        }
        return new Quad(out.get(0), out.get(1), out.get(2), out.get(3));
    }

    private static double[] fit(List<double[]> pts) {
        double mx = 0;
        double my = 0;
        for (double[] p : pts) {
            mx += p[0];
            my += p[1];
        }
        mx /= pts.size();
        my /= pts.size();
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (double[] p : pts) {
            double x = p[0] - mx;
            double y = p[1] - my;
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
        }
        double angle = 0.5 * Math.atan2(2 * sxy, sxx - syy); // principal direction
        return new double[] {mx, my, Math.cos(angle), Math.sin(angle)};
    }

    private static double distance(double[] line, double[] p) {
        return Math.abs((p[0] - line[0]) * line[3] - (p[1] - line[1]) * line[2]);
    }

    private static double[] intersect(double[] l1, double[] l2) {
        double den = l1[2] * l2[3] - l1[3] * l2[2];
        if (Math.abs(den) < 1e-6) {
            return null;
        }
        double t = ((l2[0] - l1[0]) * l2[3] - (l2[1] - l1[1]) * l2[2]) / den;
        return new double[] {l1[0] + t * l1[2], l1[1] + t * l1[3]};
    }
}
