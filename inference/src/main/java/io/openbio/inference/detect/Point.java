package io.openbio.inference.detect;

/** A point in source-image pixels (upright image, origin top-left, x right, y down). */
public record Point(double x, double y) {
    public double distance(Point o) {
        return Math.hypot(x - o.x, y - o.y);
    }
}
