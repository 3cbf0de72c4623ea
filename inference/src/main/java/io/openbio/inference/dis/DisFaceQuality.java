package io.openbio.inference.dis;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.attributes.AttributeEstimator;
import io.openbio.inference.challenge.IrisGaze;
import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.quality.QualityMeter;
import io.openbio.inference.quality.QualityReport;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Digital Identity Service's {@code GET /faces/{id}/quality} ({@code FaceQualityResponse}): up to 18
 * {@code FaceAttribute {score 0..1, preconditionsMet}} and three {@code HeadPoseAttribute {angle, preconditionsMet}}.
 * Each value comes from a model or from a documented classical measurement; the formula of each, its
 * direction and what was checked: inference/EVALUATION.md, "DIS face quality". In short:
 *
 * <table>
 *   <caption>attributes</caption>
 *   <tr><th>attribute</th><th>score</th><th>preconditionsMet</th></tr>
 *   <tr><td>sharpness</td><td>v / (v + {@value #SHARPNESS_HALF}), v = variance of the Laplacian of the aligned 112x112 grey face (higher = sharper)</td><td>face large enough</td></tr>
 *   <tr><td>brightness</td><td>mean grey level of the aligned face / 255</td><td>always</td></tr>
 *   <tr><td>contrast</td><td>grey-level standard deviation of the aligned face / 127.5, at most 1</td><td>always</td></tr>
 *   <tr><td>uniqueIntensityLevels</td><td>distinct grey levels in the aligned face / 256</td><td>always</td></tr>
 *   <tr><td>shadow</td><td>|mean grey left inner half - right inner half| / the larger (higher = more lateral shadow)</td><td>|yaw| &lt;= {@value #MAX_SYMMETRIC_YAW}</td></tr>
 *   <tr><td>noseShadow</td><td>the same for the cheek patches beside the nose</td><td>|yaw| &lt;= {@value #MAX_SYMMETRIC_YAW}</td></tr>
 *   <tr><td>specularity</td><td>share of inner-face pixels that are specular highlights</td><td>always</td></tr>
 *   <tr><td>backgroundUniformity</td><td>1 - min(1, sd / 64) of the background ring around the face (1 = flat); omitted when the ring is outside the image</td><td>always (when present)</td></tr>
 *   <tr><td>redRightEye / redLeftEye</td><td>share of the pupil disc (MediaPipe Iris centre, half the iris radius) that is saturated red</td><td>that eye open (fr_eye &gt;= 0.5), face large enough</td></tr>
 *   <tr><td>eyeDistance</td><td>min(1, IED / {@value #EYE_DISTANCE_FULL} px)</td><td>always</td></tr>
 *   <tr><td>eyeGaze</td><td>1 - min(1, |horizontal iris offset between the eye corners|) (MediaPipe Iris; 1 = looking straight ahead relative to the head)</td><td>both eyes open, |yaw| &lt;= {@value #MAX_SYMMETRIC_YAW}, face large enough</td></tr>
 *   <tr><td>rightEye / leftEye</td><td>probability the eye is open (fr_eye); right = the person's right = image left</td><td>face large enough</td></tr>
 *   <tr><td>mouth</td><td>inner-lip opening / mouth width, at most 1 (fr_landmark; higher = more open)</td><td>|yaw| &lt;= {@value #MAX_MOUTH_YAW}, face large enough</td></tr>
 *   <tr><td>faceSize</td><td>face box height / image height, at most 1</td><td>always</td></tr>
 *   <tr><td>faceRelativeArea</td><td>face box area / image area, at most 1</td><td>always</td></tr>
 *   <tr><td>faceRelativeAreaInImage</td><td>share of the face box that lies inside the image</td><td>always</td></tr>
 * </table>
 *
 * <p>Head pose: roll, yaw, pitch in whole degrees from fr_pose (its own signs; yaw positive = face
 * turned towards the image's left); preconditionsMet when the face is large enough. "Face large
 * enough" = inter-eye distance at least {@link FaceAnalyzer#MIN_INTER_EYE_PX} px, the platform's
 * measured minimum for matching (EVALUATION.md, "Face size").
 */
public final class DisFaceQuality implements AutoCloseable {
    /** The reference's attribute names, in its order. */
    public static final List<String> ATTRIBUTES = List.of("sharpness", "brightness", "contrast", "uniqueIntensityLevels",
            "shadow", "noseShadow", "specularity", "backgroundUniformity", "redRightEye", "redLeftEye", "eyeDistance",
            "eyeGaze", "rightEye", "leftEye", "mouth", "faceSize", "faceRelativeArea", "faceRelativeAreaInImage");
    public static final List<String> HEAD_POSE = List.of("roll", "yaw", "pitch");
    /** Laplacian variance at which the sharpness score is 0.5: about the median of the 40 labelled evaluation faces (395). */
    public static final double SHARPNESS_HALF = 400;
    /** Inter-eye distance at which eyeDistance reaches 1: twice the platform's 32 px minimum. */
    public static final double EYE_DISTANCE_FULL = 64;
    /** Beyond this yaw the two face halves differ by geometry, not light (shadow, noseShadow, eyeGaze). */
    public static final double MAX_SYMMETRIC_YAW = 20;
    public static final double MAX_MOUTH_YAW = 30;
    public static final double EYE_OPEN = 0.5;

    private final AttributeEstimator attributes;
    private final IrisGaze iris;

    /** One {@code FaceAttribute}. */
    public record Attribute(double score, boolean preconditionsMet) {
        public Attribute {
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException("score outside 0..1: " + score);
            }
        }
    }

    /** One {@code HeadPoseAttribute}. */
    public record HeadPose(int angle, boolean preconditionsMet) {
    }

    /**
     * A {@code FaceQualityResponse}: attributes in the reference's order, only those measured (an absent
     * key is an omitted field, e.g. backgroundUniformity when the face fills the image); head pose roll, yaw, pitch.
     */
    public record Result(Map<String, Attribute> attributes, Map<String, HeadPose> headPose) {
        public Result {
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
            headPose = Collections.unmodifiableMap(new LinkedHashMap<>(headPose));
        }

        public Attribute attribute(String name) {
            return attributes.get(name);
        }

        public double score(String name) {
            Attribute a = attributes.get(name);
            return a == null ? Double.NaN : a.score();
        }
    }

    /** Uses the analyzer's attribute models (pose, eyes) and loads MediaPipe Iris ({@code hm_iris}) from {@code repo}. */
    public DisFaceQuality(FaceAnalyzer analyzer, ModelRepository repo) {
        this.attributes = analyzer.attributeEstimator();
        this.iris = new IrisGaze(repo);
    }

    public Result measure(RgbImage img, Face face) {
        QualityReport q = QualityMeter.measure(img, face);
        double[] ypr = attributes.pose(img, face);
        double[] eyes = attributes.eyesOpen(img, face);
        IrisGaze.Gaze gaze = iris.estimate(img, face);
        boolean large = face.interEyeDistance() >= FaceAnalyzer.MIN_INTER_EYE_PX;
        boolean symmetric = Math.abs(ypr[0]) <= MAX_SYMMETRIC_YAW;
        Map<String, Attribute> a = new LinkedHashMap<>();
        put(a, "sharpness", q.sharpness() / (q.sharpness() + SHARPNESS_HALF), large);
        put(a, "brightness", clamp(q.brightness() / 255.0), true);
        put(a, "contrast", clamp(q.contrast() / 127.5), true);
        put(a, "uniqueIntensityLevels", clamp(q.uniqueIntensityLevels() / 256.0), true);
        put(a, "shadow", clamp(q.shadow()), symmetric);
        put(a, "noseShadow", clamp(q.noseShadow()), symmetric);
        put(a, "specularity", clamp(q.specularity()), true);
        put(a, "backgroundUniformity", q.backgroundUniformity(), true);
        put(a, "redRightEye", redEye(img, gaze.eyes()[0]), large && eyes[0] >= EYE_OPEN);
        put(a, "redLeftEye", redEye(img, gaze.eyes()[1]), large && eyes[1] >= EYE_OPEN);
        put(a, "eyeDistance", clamp(face.interEyeDistance() / EYE_DISTANCE_FULL), true);
        put(a, "eyeGaze", 1 - clamp(Math.abs(gaze.x())),
                large && symmetric && eyes[0] >= EYE_OPEN && eyes[1] >= EYE_OPEN);
        put(a, "rightEye", clamp(eyes[0]), large);
        put(a, "leftEye", clamp(eyes[1]), large);
        put(a, "mouth", mouthOpening(face.landmarks()), large && Math.abs(ypr[0]) <= MAX_MOUTH_YAW);
        BoundingBox b = face.box();
        put(a, "faceSize", clamp(b.height() / img.height()), true);
        put(a, "faceRelativeArea", clamp(b.area() / ((double) img.width() * img.height())), true);
        put(a, "faceRelativeAreaInImage", insideShare(b, img.width(), img.height()), true);
        Map<String, HeadPose> pose = new LinkedHashMap<>();
        pose.put("roll", new HeadPose((int) Math.round(ypr[2]), large));
        pose.put("yaw", new HeadPose((int) Math.round(ypr[0]), large));
        pose.put("pitch", new HeadPose((int) Math.round(ypr[1]), large));
        return new Result(a, pose);
    }

    /**
     * Share of the pupil disc (radius half the iris radius around the iris centre, MediaPipe Iris points
     * 71..75 in image pixels) whose pixels are saturated red: R &gt;= {@value #RED_MIN} and
     * R &gt;= {@value #RED_RATIO} x max(G, B). Skin and lips stay below the ratio (R/G about 1.1-1.6), a
     * dark pupil below the level; a flash red-eye pupil meets both. 0 when the disc has no pixel.
     */
    static double redEye(RgbImage img, double[] eye) {
        double cx = eye[2 * 71];
        double cy = eye[2 * 71 + 1];
        double r = 0;
        for (int k = 1; k <= 4; k++) {
            r += Math.hypot(eye[2 * (71 + k)] - cx, eye[2 * (71 + k) + 1] - cy);
        }
        double pr = Math.max(1.0, r / 4 / 2);
        int n = 0;
        int red = 0;
        byte[] p = img.rgb();
        for (int y = (int) Math.floor(cy - pr); y <= (int) Math.ceil(cy + pr); y++) {
            for (int x = (int) Math.floor(cx - pr); x <= (int) Math.ceil(cx + pr); x++) {
                if (x < 0 || y < 0 || x >= img.width() || y >= img.height() || Math.hypot(x - cx, y - cy) > pr) {
                    continue;
                }
                int i = 3 * (y * img.width() + x);
                int rr = p[i] & 0xff;
                int gg = p[i + 1] & 0xff;
                int bb = p[i + 2] & 0xff;
                n++;
                if (rr >= RED_MIN && rr >= RED_RATIO * Math.max(gg, bb)) {
                    red++;
                }
            }
        }
        return n == 0 ? 0 : (double) red / n;
    }

    static final int RED_MIN = 80;
    static final double RED_RATIO = 2.0;

    /**
     * Inner-lip opening over mouth width from the 68 iBUG landmarks: mean of the distances 61-67, 62-66,
     * 63-65 over the distance 48-54, at most 1.
     */
    static double mouthOpening(float[] lm) {
        double open = (dist(lm, 61, 67) + dist(lm, 62, 66) + dist(lm, 63, 65)) / 3;
        double width = dist(lm, 48, 54);
        return width <= 0 ? 0 : clamp(open / width);
    }

    private static double dist(float[] lm, int a, int b) {
        return Math.hypot(lm[2 * a] - lm[2 * b], lm[2 * a + 1] - lm[2 * b + 1]);
    }

    static double insideShare(BoundingBox b, int w, int h) {
        double x0 = Math.max(0, b.x());
        double y0 = Math.max(0, b.y());
        double x1 = Math.min(w, b.x() + b.width());
        double y1 = Math.min(h, b.y() + b.height());
        double inside = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
        return b.area() <= 0 ? 0 : clamp(inside / b.area());
    }

    /** NaN (not measurable on this face) stays NaN: {@link #put} then omits the attribute. */
    private static double clamp(double v) {
        return Double.isNaN(v) ? v : Math.max(0, Math.min(1, v));
    }

    /** Adds an attribute, or leaves it out (an omitted field) when it could not be measured. */
    private static void put(Map<String, Attribute> a, String name, double score, boolean preconditionsMet) {
        if (!Double.isNaN(score)) {
            a.put(name, new Attribute(clamp(score), preconditionsMet));
        }
    }

    @Override
    public void close() {
        iris.close();
    }
}
