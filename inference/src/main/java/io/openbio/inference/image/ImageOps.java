package io.openbio.inference.image;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** Image operations done with OpenCV (resize, crop with border, affine warp, grey conversion). */
public final class ImageOps {
    private ImageOps() {
    }

    /** Resizes the whole image to w x h (bilinear). */
    public static RgbImage resize(RgbImage img, int w, int h) {
        Mat src = img.toMat();
        Mat dst = new Mat();
        try {
            Imgproc.resize(src, dst, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
            return RgbImage.fromMat(dst);
        } finally {
            src.release();
            dst.release();
        }
    }

    /**
     * Crops the rectangle (x, y, w, h) in source pixels and resizes it to outW x outH. Parts of the
     * rectangle outside the image are filled with black (no clamping shifts the face off-centre).
     */
    public static RgbImage cropResize(RgbImage img, double x, double y, double w, double h, int outW, int outH) {
        Mat src = img.toMat();
        Mat dst = new Mat();
        Mat warp = new Mat(2, 3, CvType.CV_64F);
        try {
            double sx = outW / w;
            double sy = outH / h;
            warp.put(0, 0, sx, 0, -x * sx, 0, sy, -y * sy);
            Imgproc.warpAffine(src, dst, warp, new Size(outW, outH), Imgproc.INTER_LINEAR,
                    Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            return RgbImage.fromMat(dst);
        } finally {
            src.release();
            dst.release();
            warp.release();
        }
    }

    /** Applies a 2x3 affine matrix (row-major, source to destination) into an outW x outH image. */
    public static RgbImage warpAffine(RgbImage img, double[] m23, int outW, int outH) {
        Mat src = img.toMat();
        Mat dst = new Mat();
        Mat warp = new Mat(2, 3, CvType.CV_64F);
        try {
            warp.put(0, 0, m23);
            Imgproc.warpAffine(src, dst, warp, new Size(outW, outH), Imgproc.INTER_LINEAR,
                    Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
            return RgbImage.fromMat(dst);
        } finally {
            src.release();
            dst.release();
            warp.release();
        }
    }

    /** 8-bit grey (ITU-R BT.601 luma, as cv::cvtColor RGB2GRAY) of the region, resized. */
    public static byte[] grayCrop(RgbImage img, double x, double y, double w, double h, int outW, int outH) {
        RgbImage c = cropResize(img, x, y, w, h, outW, outH);
        return gray(c);
    }

    public static byte[] gray(RgbImage img) {
        Mat src = img.toMat();
        Mat g = new Mat();
        try {
            Imgproc.cvtColor(src, g, Imgproc.COLOR_RGB2GRAY);
            byte[] out = new byte[img.width() * img.height()];
            g.get(0, 0, out);
            return out;
        } finally {
            src.release();
            g.release();
        }
    }

    /** Clips a rectangle to the image; returns null if nothing is left. */
    public static Rect clip(RgbImage img, double x, double y, double w, double h) {
        int x0 = (int) Math.max(0, Math.floor(x));
        int y0 = (int) Math.max(0, Math.floor(y));
        int x1 = (int) Math.min(img.width(), Math.ceil(x + w));
        int y1 = (int) Math.min(img.height(), Math.ceil(y + h));
        return x1 > x0 && y1 > y0 ? new Rect(x0, y0, x1 - x0, y1 - y0) : null;
    }

    /** NCHW float tensor from an RGB image: (v - mean[c]) / std[c], v in 0..255 scaled by {@code scale}. */
    public static float[] chw(RgbImage img, float scale, float[] mean, float[] std) {
        int n = img.width() * img.height();
        float[] out = new float[3 * n];
        byte[] p = img.rgb();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (p[i * 3 + c] & 0xff) * scale;
                out[c * n + i] = (v - mean[c]) / std[c];
            }
        }
        return out;
    }

    /** NHWC float tensor (TensorFlow layout) from an RGB image: v * scale, channels R, G, B. */
    public static float[] hwc(RgbImage img, float scale) {
        byte[] p = img.rgb();
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (p[i] & 0xff) * scale;
        }
        return out;
    }

    /** JPEG bytes of the image (OpenCV imencode, quality 0..100). */
    public static byte[] encodeJpeg(RgbImage img, int quality) {
        Mat rgb = img.toMat();
        Mat bgr = new Mat();
        org.opencv.core.MatOfByte buf = new org.opencv.core.MatOfByte();
        try {
            Imgproc.cvtColor(rgb, bgr, Imgproc.COLOR_RGB2BGR);
            org.opencv.imgcodecs.Imgcodecs.imencode(".jpg", bgr, buf,
                    new org.opencv.core.MatOfInt(org.opencv.imgcodecs.Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
            return buf.toArray();
        } finally {
            rgb.release();
            bgr.release();
            buf.release();
        }
    }
}
