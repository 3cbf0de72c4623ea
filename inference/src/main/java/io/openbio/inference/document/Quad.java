package io.openbio.inference.document;

import io.openbio.inference.detect.Point;

import java.util.List;

/**
 * A document outline: four corners in source-image pixels (upright image), ordered top-left,
 * top-right, bottom-right, bottom-left.
 */
public record Quad(Point topLeft, Point topRight, Point bottomRight, Point bottomLeft) {
    public List<Point> corners() {
        return List.of(topLeft, topRight, bottomRight, bottomLeft);
    }

    /** Polygon area (shoelace), square pixels. */
    public double area() {
        List<Point> c = corners();
        double s = 0;
        for (int i = 0; i < 4; i++) {
            Point a = c.get(i);
            Point b = c.get((i + 1) % 4);
            s += a.x() * b.y() - b.x() * a.y();
        }
        return Math.abs(s) / 2;
    }

    /** Mean length of the two longer opposite sides and of the two shorter ones: {long, short}. */
    public double[] sides() {
        double top = topLeft.distance(topRight);
        double bottom = bottomLeft.distance(bottomRight);
        double left = topLeft.distance(bottomLeft);
        double right = topRight.distance(bottomRight);
        double a = (top + bottom) / 2;
        double b = (left + right) / 2;
        return new double[] {Math.max(a, b), Math.min(a, b)};
    }

    public double minX() {
        return Math.min(Math.min(topLeft.x(), topRight.x()), Math.min(bottomRight.x(), bottomLeft.x()));
    }

    public double maxX() {
        return Math.max(Math.max(topLeft.x(), topRight.x()), Math.max(bottomRight.x(), bottomLeft.x()));
    }

    public double minY() {
        return Math.min(Math.min(topLeft.y(), topRight.y()), Math.min(bottomRight.y(), bottomLeft.y()));
    }

    public double maxY() {
        return Math.max(Math.max(topLeft.y(), topRight.y()), Math.max(bottomRight.y(), bottomLeft.y()));
    }

    /** Whether the point lies inside the quadrilateral (convex: same side of every edge). */
    public boolean contains(Point p) {
        List<Point> c = corners();
        int sign = 0;
        for (int i = 0; i < 4; i++) {
            Point a = c.get(i);
            Point b = c.get((i + 1) % 4);
            double cross = (b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x());
            int s = cross > 0 ? 1 : cross < 0 ? -1 : 0;
            if (s != 0) {
                if (sign != 0 && s != sign) {
                    return false;
                }
                sign = s;
            }
        }
        return true;
    }

    /** Orders four arbitrary corners: top-left = smallest x+y, bottom-right = largest, etc. */
    public static Quad ordered(List<Point> pts) {
        if (pts.size() != 4) {
            throw new IllegalArgumentException("a quad needs 4 points, got " + pts.size());
        }
        Point tl = pts.get(0);
        Point br = pts.get(0);
        Point tr = pts.get(0);
        Point bl = pts.get(0);
        for (Point p : pts) {
            if (p.x() + p.y() < tl.x() + tl.y()) {
                tl = p;
            }
            if (p.x() + p.y() > br.x() + br.y()) {
                br = p;
            }
            if (p.x() - p.y() > tr.x() - tr.y()) {
                tr = p;
            }
            if (p.x() - p.y() < bl.x() - bl.y()) {
                bl = p;
            }
        }
        return new Quad(tl, tr, br, bl);
    }
}
