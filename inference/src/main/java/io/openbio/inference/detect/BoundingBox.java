package io.openbio.inference.detect;

/** Axis-aligned box in source-image pixels. */
public record BoundingBox(double x, double y, double width, double height) {
    public double area() {
        return width * height;
    }

    public double centerX() {
        return x + width / 2;
    }

    public double centerY() {
        return y + height / 2;
    }

    /** A square box of side {@code height * scale} around the same centre. */
    public BoundingBox squareScaled(double scale) {
        double s = height * scale;
        return new BoundingBox(centerX() - s / 2, centerY() - s / 2, s, s);
    }

    public double iou(BoundingBox o) {
        double ix = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
        double iy = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
        double inter = ix * iy;
        double union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
