package io.openbio.inference.image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * An 8-bit RGB image held on the Java heap (row-major, 3 bytes per pixel, R first), upright
 * (EXIF orientation already applied). Coordinates reported by the library refer to this image.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("bad RGB buffer " + width + "x" + height + " / " + rgb.length);
        }
    }

    /** A new OpenCV Mat (CV_8UC3, RGB order) holding a copy of the pixels; the caller releases it. */
    public Mat toMat() {
        OpenCv.load();
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        m.put(0, 0, rgb);
        return m;
    }

    /** Copies a CV_8UC3 RGB Mat into a heap image. */
    public static RgbImage fromMat(Mat m) {
        if (m.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected CV_8UC3, got " + CvType.typeToString(m.type()));
        }
        byte[] b = new byte[(int) (m.total() * 3)];
        Mat c = m.isContinuous() ? m : m.clone();
        c.get(0, 0, b);
        if (c != m) {
            c.release();
        }
        return new RgbImage(m.cols(), m.rows(), b);
    }
}
