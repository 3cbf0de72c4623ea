package io.openbio.inference.document.page;

import io.openbio.inference.document.DocumentLocator;
import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The locator's working copy of a photo: grey (BT.601), longer side at most
 * {@link DocumentLocator#WORK_SIDE}, Gaussian 5x5; {@code f} = work pixels per photo pixel.
 */
record WorkImage(byte[] grey, int w, int h, double f) {
    static WorkImage of(RgbImage photo) {
        OpenCv.load();
        double f = Math.min(1.0, (double) DocumentLocator.WORK_SIDE / Math.max(photo.width(), photo.height()));
        int w = Math.max(1, (int) Math.round(photo.width() * f));
        int h = Math.max(1, (int) Math.round(photo.height() * f));
        Mat rgb = photo.toMat();
        Mat small = new Mat();
        Mat grey = new Mat();
        byte[] g = new byte[w * h];
        try {
            Imgproc.resize(rgb, small, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
            Imgproc.cvtColor(small, grey, Imgproc.COLOR_RGB2GRAY);
            Imgproc.GaussianBlur(grey, grey, new Size(5, 5), 0);
            grey.get(0, 0, g);
        } finally {
            rgb.release();
            small.release();
            grey.release();
        }
        return new WorkImage(g, w, h, f);
    }

    /** Grey level at the nearest pixel, NaN outside the image. */
    double at(double x, double y) {
        int xi = (int) Math.round(x);
        int yi = (int) Math.round(y);
        if (xi < 0 || yi < 0 || xi >= w || yi >= h) {
            return Double.NaN;
        }
        return grey[yi * w + xi] & 0xff;
    }
}
