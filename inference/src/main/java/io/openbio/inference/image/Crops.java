package io.openbio.inference.image;

import io.openbio.inference.detect.BoundingBox;

/** The face crops the models were trained with (as the model package's own JavaScript builds them). */
public final class Crops {
    private Crops() {
    }

    /**
     * Square box of side {@code box.height * scale} around the box centre, the scale reduced so the
     * crop fits in the image and the crop shifted back inside the image (fr_liveness / fr_age /
     * fr_gender pre-processing).
     */
    public static BoundingBox scaledInside(RgbImage img, BoundingBox box, double scale) {
        BoundingBox sq = box.squareScaled(1.0);
        double s = Math.min(Math.min((img.height() - 1) / sq.height(), (img.width() - 1) / sq.width()), scale);
        double w = sq.width() * s;
        double h = sq.height() * s;
        double x0 = sq.centerX() - w / 2;
        double y0 = sq.centerY() - h / 2;
        x0 = Math.max(0, Math.min(x0, img.width() - 1 - w));
        y0 = Math.max(0, Math.min(y0, img.height() - 1 - h));
        return new BoundingBox(x0, y0, w, h);
    }

    public static RgbImage crop(RgbImage img, BoundingBox b, int outW, int outH) {
        return ImageOps.cropResize(img, b.x(), b.y(), b.width(), b.height(), outW, outH);
    }
}
