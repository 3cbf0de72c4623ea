package io.openbio.inference.detect;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfRect2d;
import org.opencv.core.Rect2d;
import org.opencv.dnn.Dnn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Face detection ({@code fr_detect}, 320x240 SSD with decoded corner boxes) followed by the
 * 68-point landmark model ({@code fr_landmark}) on each box, giving keypoints in source pixels.
 */
public final class FaceDetector implements AutoCloseable {
    public static final String DETECT_MODEL = "fr_detect";
    public static final String LANDMARK_MODEL = "fr_landmark";
    private static final int IN_W = 320;
    private static final int IN_H = 240;

    private final OnnxModel detector;
    private final OnnxModel landmarker;
    private final float scoreThreshold;
    private final float nmsThreshold;

    public FaceDetector(ModelRepository repo) {
        this(repo, 0.65f, 0.4f);
    }

    /**
     * @param scoreThreshold minimum face score (the package's own value is 0.65)
     * @param nmsThreshold   IoU above which the weaker of two boxes is dropped (package: 0.4)
     */
    public FaceDetector(ModelRepository repo, float scoreThreshold, float nmsThreshold) {
        this.detector = OnnxModel.load(repo, DETECT_MODEL);
        this.landmarker = OnnxModel.load(repo, LANDMARK_MODEL);
        this.scoreThreshold = scoreThreshold;
        this.nmsThreshold = nmsThreshold;
    }

    /** Every face found, largest first. */
    public List<Face> detectAll(RgbImage img) {
        List<BoundingBox> boxes = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        RgbImage small = ImageOps.resize(img, IN_W, IN_H);
        float[] input = ImageOps.chw(small, 1f, new float[] {127f, 127f, 127f}, new float[] {128f, 128f, 128f});
        var out = detector.run(input, 1, 3, IN_H, IN_W);
        float[] sc = out.get("scores");
        float[] bx = out.get("boxes");
        int n = sc.length / 2;
        for (int i = 0; i < n; i++) {
            float s = sc[2 * i + 1];
            if (s < scoreThreshold) {
                continue;
            }
            double x1 = bx[4 * i] * img.width();
            double y1 = bx[4 * i + 1] * img.height();
            double x2 = bx[4 * i + 2] * img.width();
            double y2 = bx[4 * i + 3] * img.height();
            if (x2 - x1 < 2 || y2 - y1 < 2) {
                continue;
            }
            boxes.add(new BoundingBox(x1, y1, x2 - x1, y2 - y1));
            scores.add(s);
        }
        List<Face> faces = new ArrayList<>();
        for (int k : nms(boxes, scores)) {
            BoundingBox b = boxes.get(k);
            float[] lm = landmarks(img, b);
            faces.add(new Face(b, scores.get(k), lm, Keypoints.from68(lm)));
        }
        faces.sort(Comparator.comparingDouble((Face f) -> f.box().area()).reversed());
        return faces;
    }

    private int[] nms(List<BoundingBox> boxes, List<Float> scores) {
        if (boxes.isEmpty()) {
            return new int[0];
        }
        OpenCv.load();
        Rect2d[] rects = boxes.stream().map(b -> new Rect2d(b.x(), b.y(), b.width(), b.height())).toArray(Rect2d[]::new);
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        MatOfRect2d mr = new MatOfRect2d(rects);
        MatOfFloat ms = new MatOfFloat(s);
        MatOfInt keep = new MatOfInt();
        try {
            Dnn.NMSBoxes(mr, ms, scoreThreshold, nmsThreshold, keep);
            return keep.empty() ? new int[0] : keep.toArray();
        } finally {
            mr.release();
            ms.release();
            keep.release();
        }
    }

    /** 68 landmarks in source pixels for a detector box (square crop of side = box height). */
    public float[] landmarks(RgbImage img, BoundingBox box) {
        BoundingBox sq = box.squareScaled(1.0);
        byte[] g = ImageOps.grayCrop(img, sq.x(), sq.y(), sq.width(), sq.height(), 64, 64);
        float[] in = new float[64 * 64];
        for (int i = 0; i < in.length; i++) {
            in[i] = (g[i] & 0xff) / 256f;
        }
        float[] rel = landmarker.run(in, 1, 1, 64, 64).get("output");
        float[] abs = new float[rel.length];
        for (int i = 0; i < rel.length; i += 2) {
            abs[i] = (float) (sq.x() + rel[i] * sq.width());
            abs[i + 1] = (float) (sq.y() + rel[i + 1] * sq.height());
        }
        return abs;
    }

    /**
     * Exactly one usable face, or an error:
     * <ul>
     *   <li>{@link ErrorCode#FACE_NOT_FOUND}: the detector found nothing;</li>
     *   <li>{@link ErrorCode#MULTIPLE_FACES}: another face's box is at least {@code competingRatio}
     *       (0.5) of the largest box's height, so which face is meant is ambiguous;</li>
     *   <li>{@link ErrorCode#FACE_TOO_SMALL}: the chosen face's inter-eye distance is below
     *       {@code minInterEye} pixels ({@code FaceAnalyzer.MIN_INTER_EYE_PX}, 32 by
     *       default: see EVALUATION.md, "Face size").</li>
     * </ul>
     */
    public static Face selectSingle(List<Face> faces, double minInterEye, double competingRatio) {
        if (faces.isEmpty()) {
            throw new InferenceException(ErrorCode.FACE_NOT_FOUND, "no face was found in the image");
        }
        Face main = faces.get(0);
        long competing = faces.stream()
                .filter(f -> f.box().height() >= competingRatio * main.box().height())
                .count();
        if (competing > 1) {
            throw new InferenceException(ErrorCode.MULTIPLE_FACES, competing + " faces of comparable size were found ("
                    + faces.size() + " in all); exactly one is required");
        }
        if (main.interEyeDistance() < minInterEye) {
            throw new InferenceException(ErrorCode.FACE_TOO_SMALL, String.format(java.util.Locale.ROOT,
                    "the face's inter-eye distance is %.1f px; at least %.0f px is required",
                    main.interEyeDistance(), minInterEye));
        }
        return main;
    }

    @Override
    public void close() {
        detector.close();
        landmarker.close();
    }
}
