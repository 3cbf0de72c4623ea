package io.openbio.inference.challenge;

import io.openbio.inference.detect.Face;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import io.openbio.inference.tfjs.TfjsModels;

/**
 * Gaze relative to the head from MediaPipe Iris ({@code hm_iris}: 71 eye-contour and 5 iris points
 * per 64x64 eye crop), both eyes in one batched inference.
 *
 * <p>Crop (as Human's {@code iris.ts}): the box of the two eye corners (fr_landmark 36/39 and
 * 42/45) enlarged 2.3 times and made square, resized to 64x64, RGB 0..1. The model was trained on
 * one eye orientation; the other eye is mirrored before inference and its points mirrored back
 * ({@link #MIRRORED_EYE}). Chosen by measurement during development (a throwaway harness over the
 * 38 faces of the test photos): mirroring the image-right eye put the model's eye corners closest to
 * fr_landmark's corners on 27 faces, mirroring neither on 8, mirroring the image-left eye on 3.
 *
 * <p>Per eye, from the model's own points: the corners (contour 0 and 8), the eyelid middles
 * (contour 4 lower, 12 upper), the iris centre (71) and radius (mean distance to 72..75).
 * Horizontal: the iris centre's offset from the corners' midpoint along the corner-to-corner line,
 * divided by the room the iris has ({@code half eye width - iris radius}), positive towards the
 * image's right, which is the person's left in an unmirrored camera frame. Vertical: the offset
 * perpendicular to that line, divided by half the eyelid opening, positive up. The two eyes are
 * averaged.
 *
 * <p>Both references are the model's own points, and the model moves them with the iris: on testkit's
 * portrait, an iris and upper lid edited 6.7 px down (the corners' pixels moved under 0.4 px) moved the
 * model's iris centre 1.7-1.9 px and its corners 1.2-1.3 px, so no edit there reads as a glance down,
 * while a lowered lid alone reads higher (smaller opening); real downcast eyes of the test photos (4 faces,
 * head lowered too) read -0.38 to -1.79 ({@code GazeDownEditsTest}).
 */
public final class IrisGaze implements AutoCloseable {
    public static final String MODEL = "hm_iris";
    static final int SIZE = 64;
    static final double ENLARGE = 2.3;
    /** Which eye is mirrored before inference: 0 = the image-left eye (the person's right), 1 = the image-right eye. */
    static final int MIRRORED_EYE = 1;
    static final int POINTS = 76;
    static final int IRIS = 71;

    /** Result for one face. {@code eyes} holds, per eye (image-left first), the 76 points x,y in image pixels. */
    public record Gaze(double x, double y, double[] perEyeX, double[] perEyeY, double[][] eyes) {
    }

    private final OnnxModel model;

    public IrisGaze(ModelRepository repo) {
        this.model = TfjsModels.load(repo, MODEL, MODEL + "_weights");
    }

    public Gaze estimate(RgbImage img, Face face) {
        return estimate(img, face, MIRRORED_EYE);
    }

    /** As {@link #estimate(RgbImage, Face)} with the given eye mirrored (0 image-left, 1 image-right, -1 none). */
    Gaze estimate(RgbImage img, Face face, int mirroredEye) {
        float[] lm = face.landmarks();
        int[][] corners = {{36, 39}, {42, 45}};
        double[][] box = new double[2][];
        float[] input = new float[2 * SIZE * SIZE * 3];
        for (int e = 0; e < 2; e++) {
            double ax = lm[2 * corners[e][0]];
            double ay = lm[2 * corners[e][0] + 1];
            double bx = lm[2 * corners[e][1]];
            double by = lm[2 * corners[e][1] + 1];
            double side = Math.max(4, ENLARGE * Math.max(Math.abs(bx - ax), Math.abs(by - ay)));
            double x0 = (ax + bx) / 2 - side / 2;
            double y0 = (ay + by) / 2 - side / 2;
            box[e] = new double[] {x0, y0, side};
            RgbImage crop = ImageOps.cropResize(img, x0, y0, side, side, SIZE, SIZE);
            if (e == mirroredEye) {
                crop = mirror(crop);
            }
            System.arraycopy(ImageOps.hwc(crop, 1f / 255f), 0, input, e * SIZE * SIZE * 3, SIZE * SIZE * 3);
        }
        float[] out = model.runFirst(input, 2, SIZE, SIZE, 3);
        double[][] eyes = new double[2][2 * POINTS];
        double[] gx = new double[2];
        double[] gy = new double[2];
        for (int e = 0; e < 2; e++) {
            double scale = box[e][2] / SIZE;
            for (int p = 0; p < POINTS; p++) {
                double x = out[e * POINTS * 3 + p * 3];
                double y = out[e * POINTS * 3 + p * 3 + 1];
                eyes[e][2 * p] = box[e][0] + (e == mirroredEye ? SIZE - x : x) * scale;
                eyes[e][2 * p + 1] = box[e][1] + y * scale;
            }
            double[] g = eyeGaze(eyes[e]);
            gx[e] = g[0];
            gy[e] = g[1];
        }
        return new Gaze((gx[0] + gx[1]) / 2, (gy[0] + gy[1]) / 2, gx, gy, eyes);
    }

    /** {gazeX, gazeY} of one eye's 76 points (image pixels), as described in the class comment. */
    static double[] eyeGaze(double[] p) {
        double c0x = p[0];
        double c0y = p[1];
        double c1x = p[2 * 8];
        double c1y = p[2 * 8 + 1];
        if (c1x < c0x) { // corner-to-corner line pointing to the image's right
            double tx = c0x;
            double ty = c0y;
            c0x = c1x;
            c0y = c1y;
            c1x = tx;
            c1y = ty;
        }
        double len = Math.hypot(c1x - c0x, c1y - c0y);
        double ux = (c1x - c0x) / len;
        double uy = (c1y - c0y) / len;
        double nx = -uy; // perpendicular, pointing down in the image
        double ny = ux;
        double mx = (c0x + c1x) / 2;
        double my = (c0y + c1y) / 2;
        double ix = p[2 * IRIS];
        double iy = p[2 * IRIS + 1];
        double r = 0;
        for (int k = 1; k <= 4; k++) {
            r += Math.hypot(p[2 * (IRIS + k)] - ix, p[2 * (IRIS + k) + 1] - iy);
        }
        r /= 4;
        double room = Math.max(len / 2 - r, len * 0.1);
        double opening = Math.abs((p[2 * 4] - p[2 * 12]) * nx + (p[2 * 4 + 1] - p[2 * 12 + 1]) * ny);
        double halfOpening = Math.max(opening / 2, len * 0.05);
        double along = (ix - mx) * ux + (iy - my) * uy;
        double down = (ix - mx) * nx + (iy - my) * ny;
        return new double[] {along / room, -down / halfOpening};
    }

    static RgbImage mirror(RgbImage img) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.rgb();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + x) * 3, dst, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return new RgbImage(w, h, dst);
    }

    @Override
    public void close() {
        model.close();
    }
}
