package io.openbio.inference.attributes;

import io.openbio.inference.detect.BoundingBox;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.Crops;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.liveness.Softmax;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;

import java.util.Map;

/**
 * Age, gender, head pose, eye state and expression, each from its own pinned model, with the
 * pre-processing of the model package (see models.tsv for the input contracts).
 */
public final class AttributeEstimator implements AutoCloseable {
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] ONE = {1f, 1f, 1f};
    /** fr_eye output index meaning "open". */
    public static final int EYE_OPEN_CLASS = 1;

    private final OnnxModel age;
    private final OnnxModel gender;
    private final OnnxModel pose;
    private final OnnxModel eye;
    private final OnnxModel expression;

    public AttributeEstimator(ModelRepository repo) {
        this.age = OnnxModel.load(repo, "fr_age");
        this.gender = OnnxModel.load(repo, "fr_gender");
        this.pose = OnnxModel.load(repo, "fr_pose");
        this.eye = OnnxModel.load(repo, "fr_eye");
        this.expression = OnnxModel.load(repo, "fr_expression");
    }

    public FaceAttributes estimate(RgbImage img, Face face) {
        double a = age(img, face);
        double g = genderScore(img, face);
        double[] ypr = pose(img, face);
        double[] eyes = eyesOpen(img, face);
        float[] ex = expressionScores(img, face);
        int best = 0;
        for (int i = 1; i < ex.length; i++) {
            if (ex[i] > ex[best]) {
                best = i;
            }
        }
        return new FaceAttributes(a, g, g >= FaceAttributes.MALE_ABOVE ? Gender.MALE : Gender.FEMALE,
                ypr[0], ypr[1], ypr[2], eyes[0], eyes[1], Expression.values()[best], ex);
    }

    private float[] ssrInput(RgbImage img, Face face) {
        RgbImage c = Crops.crop(img, Crops.scaledInside(img, face.box(), 1.4), 64, 64);
        return ImageOps.chw(c, 1f / 255f, IMAGENET_MEAN, IMAGENET_STD);
    }

    public double age(RgbImage img, Face face) {
        return ssrMerge(age.run(ssrInput(img, face), 1, 3, 64, 64), 101);
    }

    public double genderScore(RgbImage img, Face face) {
        return ssrMerge(gender.run(ssrInput(img, face), 1, 3, 64, 64), 1);
    }

    /** SSR-Net soft stagewise regression merge (3 stages of 3 bins, lambda_local = lambda_d = 1). */
    static double ssrMerge(Map<String, float[]> o, double v) {
        float[][] p = {o.get("prob_stage_1"), o.get("prob_stage_2"), o.get("prob_stage_3")};
        float[][] idx = {o.get("index_offset_stage1"), o.get("index_offset_stage2"), o.get("index_offset_stage3")};
        float[] dk = {o.get("stage1_delta_k")[0], o.get("stage2_delta_k")[0], o.get("stage3_delta_k")[0]};
        double result = 0;
        double denom = 1;
        for (int k = 0; k < 3; k++) {
            double s = 0;
            for (int i = 0; i < 3; i++) {
                s += (i + idx[k][i]) * p[k][i];
            }
            denom *= 3 * (1 + dk[k]);
            result += s / denom;
        }
        return result * v;
    }

    /** yaw, pitch, roll in degrees: 3 * E[bin] - 99 over 66 bins (HopeNet decoding). */
    public double[] pose(RgbImage img, Face face) {
        BoundingBox b = face.box().squareScaled(1.0);
        BoundingBox grown = new BoundingBox(b.x() - b.width() / 4, b.y() - b.height() / 4,
                b.width() * 1.5, b.height() * 1.5);
        RgbImage c = Crops.crop(img, grown, 224, 224);
        Map<String, float[]> o = pose.run(ImageOps.chw(c, 1f / 255f, IMAGENET_MEAN, IMAGENET_STD), 1, 3, 224, 224);
        String[] names = o.keySet().toArray(new String[0]); // session output order: yaw, pitch, roll
        double[] out = new double[3];
        for (int k = 0; k < 3; k++) {
            float[] sm = Softmax.of(o.get(names[k]));
            double e = 0;
            for (int i = 0; i < sm.length; i++) {
                e += i * sm[i];
            }
            out[k] = e * 3 - 99;
        }
        return out;
    }

    /** Probability each eye is open: {subject's right (image left), subject's left (image right)}. */
    public double[] eyesOpen(RgbImage img, Face face) {
        float[] lm = face.landmarks();
        return new double[] {eyeOpen(img, lm, 36, 39), eyeOpen(img, lm, 42, 45)};
    }

    private double eyeOpen(RgbImage img, float[] lm, int outer, int inner) {
        int first = Math.min(outer, inner);
        double cx = (lm[2 * (first + 1)] + lm[2 * (first + 2)] + lm[2 * (first + 4)] + lm[2 * (first + 5)]) / 4;
        double cy = (lm[2 * (first + 1) + 1] + lm[2 * (first + 2) + 1] + lm[2 * (first + 4) + 1]
                + lm[2 * (first + 5) + 1]) / 4;
        double size = Math.max(4, Math.abs(lm[2 * (first + 3)] - lm[2 * first]) * 1.6);
        byte[] g = ImageOps.grayCrop(img, cx - size / 2, cy - size / 2, size, size, 24, 24);
        float[] in = new float[24 * 24];
        for (int i = 0; i < in.length; i++) {
            in[i] = (g[i] & 0xff) / 255f;
        }
        return Softmax.of(eye.run(in, 1, 1, 24, 24).get("output"))[EYE_OPEN_CLASS];
    }

    public float[] expressionScores(RgbImage img, Face face) {
        BoundingBox b = face.box().squareScaled(1.0);
        RgbImage c = Crops.crop(img, new BoundingBox(b.x(), b.y(), b.width() * 1.2, b.height() * 1.2), 224, 224);
        return Softmax.of(expression.run(ImageOps.chw(c, 1f / 255f, ZERO, ONE), 1, 3, 224, 224).get("output"));
    }

    @Override
    public void close() {
        age.close();
        gender.close();
        pose.close();
        eye.close();
        expression.close();
    }
}
