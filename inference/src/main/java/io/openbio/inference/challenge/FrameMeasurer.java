package io.openbio.inference.challenge;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.attributes.AttributeEstimator;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures every frame of a challenge capture with the face models: the tracked face, head pose,
 * eye openness, smile, gaze, identity similarity frame to frame, sharpness.
 *
 * <p>Tracking: on a frame with several faces, the face overlapping the previous measured frame's
 * face most (IoU) is taken, or the largest when none overlaps or there is no previous face. Per
 * face: fr_pose (yaw negated so that positive = the person turned to their left, see
 * {@link FrameMeasurement}), fr_eye on both eyes, fr_expression's "happy", MediaPipe Iris
 * ({@link IrisGaze}), the fr_feature embedding, and the variance of the Laplacian of the face box
 * in grey resized to {@value #SHARPNESS_SIZE} pixels square (so that it does not grow with face size).
 * A frame without a face has faceCount 0 and NaN measures, and leaves the tracking state (previous
 * box and embedding) as it was. A frame that cannot be decoded throws the decoder's
 * {@link io.openbio.inference.InferenceException}. Thread-safe if the analyzer is; the tracking state
 * lives in each {@link #measure} call.
 */
public final class FrameMeasurer implements AutoCloseable {
    /** Side of the grey face crop on which sharpness is measured. */
    public static final int SHARPNESS_SIZE = 128;
    /** fr_expression class "happy". */
    public static final int HAPPY = 3;
    /**
     * fr_pose reports yaw positive when the face turns towards the image's left, which is the
     * person's right (checked on mirrored photos and warped head turns in FrameMeasurerTest), so
     * its yaw is negated to follow {@link FrameMeasurement#yaw()}.
     */
    static final double YAW_SIGN = -1;

    private final FaceAnalyzer analyzer;
    private final IrisGaze gaze;

    /** Iris model from the default model folder ({@link ModelRepository#fromEnvironment()}). */
    public FrameMeasurer(FaceAnalyzer analyzer) {
        this(analyzer, ModelRepository.fromEnvironment());
    }

    public FrameMeasurer(FaceAnalyzer analyzer, ModelRepository repo) {
        this.analyzer = analyzer;
        this.gaze = new IrisGaze(repo);
    }

    /** One measurement per frame, in the given order; index = position in the list. */
    public List<FrameMeasurement> measure(List<TimedFrame> frames) {
        List<FrameMeasurement> out = new ArrayList<>(frames.size());
        BoundingBox previousBox = null;
        Template previous = null;
        Template first = null;
        for (int i = 0; i < frames.size(); i++) {
            TimedFrame f = frames.get(i);
            DecodedImage d = analyzer.decode(f.image());
            List<Face> faces = analyzer.detectAll(d);
            if (faces.isEmpty()) {
                out.add(noFace(i, f.timestampMs()));
                continue;
            }
            Face face = track(faces, previousBox);
            Measured m = measureFace(d.image(), face);
            Template t = analyzer.embed(d, face);
            double simPrev = previous == null ? Double.NaN : t.similarity(previous);
            if (first == null) {
                first = t;
            }
            double simFirst = t.similarity(first);
            out.add(new FrameMeasurement(i, f.timestampMs(), faces.size(), face.box(), m.yaw, m.pitch, m.roll,
                    m.eyesOpen, m.smile, m.gazeX, m.gazeY, simPrev, simFirst, m.sharpness));
            previousBox = face.box();
            previous = t;
        }
        return out;
    }

    /** The face overlapping {@code previous} most, else the largest (detectAll lists the largest first). */
    static Face track(List<Face> faces, BoundingBox previous) {
        Face best = faces.get(0);
        if (previous == null) {
            return best;
        }
        double bestIou = 0;
        for (Face c : faces) {
            double iou = c.box().iou(previous);
            if (iou > bestIou) {
                bestIou = iou;
                best = c;
            }
        }
        return best;
    }

    private record Measured(double yaw, double pitch, double roll, double eyesOpen, double smile,
                            double gazeX, double gazeY, double sharpness) {
    }

    private Measured measureFace(RgbImage img, Face face) {
        AttributeEstimator a = analyzer.attributeEstimator();
        double[] ypr = a.pose(img, face);
        double[] eyes = a.eyesOpen(img, face);
        float[] ex = a.expressionScores(img, face);
        IrisGaze.Gaze g = gaze.estimate(img, face);
        return new Measured(YAW_SIGN * ypr[0], ypr[1], ypr[2], Math.min(eyes[0], eyes[1]), ex[HAPPY],
                g.x(), g.y(), sharpness(img, face.box()));
    }

    /** The iris model's gaze for one face (also used by tests and evaluation). */
    public IrisGaze.Gaze gaze(RgbImage img, Face face) {
        return gaze.estimate(img, face);
    }

    /** Variance of the Laplacian (3x3 aperture, 64-bit) of the box in grey, resized to {@value #SHARPNESS_SIZE} square. */
    public static double sharpness(RgbImage img, BoundingBox box) {
        OpenCv.load();
        BoundingBox sq = box.squareScaled(1.0);
        byte[] gray = ImageOps.grayCrop(img, sq.x(), sq.y(), sq.width(), sq.height(), SHARPNESS_SIZE, SHARPNESS_SIZE);
        Mat g = new Mat(SHARPNESS_SIZE, SHARPNESS_SIZE, CvType.CV_8UC1);
        Mat lap = new Mat();
        MatOfDouble mean = new MatOfDouble();
        MatOfDouble std = new MatOfDouble();
        try {
            g.put(0, 0, gray);
            Imgproc.Laplacian(g, lap, CvType.CV_64F);
            Core.meanStdDev(lap, mean, std);
            double s = std.get(0, 0)[0];
            return s * s;
        } finally {
            g.release();
            lap.release();
            mean.release();
            std.release();
        }
    }

    private static FrameMeasurement noFace(int index, long timestampMs) {
        double nan = Double.NaN;
        return new FrameMeasurement(index, timestampMs, 0, null, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan);
    }

    @Override
    public void close() {
        gaze.close();
    }
}
