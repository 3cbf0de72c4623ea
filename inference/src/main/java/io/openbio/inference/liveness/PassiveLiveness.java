package io.openbio.inference.liveness;

import io.openbio.inference.detect.Face;
import io.openbio.inference.image.Crops;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import io.openbio.inference.tfjs.TfjsModels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Passive (single image) liveness from three pretrained models, combined:
 * <ol>
 *   <li>{@code fr_liveness}: MiniFASNet-style 3-class network on a 128x128 crop of the face box
 *       scaled 2.7x, RGB 0..255; live probability = softmax of class {@link #LIVE_CLASS};</li>
 *   <li>{@code hm_antispoof}: real-vs-fake-face CNN (TF.js graph model converted to ONNX), 128x128
 *       RGB 0..1 of the square face box; live probability = its sigmoid output;</li>
 *   <li>{@code hm_liveness}: LivenessNet-style CNN (TF.js graph model converted to ONNX), 32x32 RGB
 *       0..1 of the square face box; live probability = softmax output 0.</li>
 * </ol>
 * Combination rule (fixed before any evaluation): the arithmetic mean of the three live
 * probabilities. Each model's probability is kept in {@link LivenessResult#modelScores()}.
 *
 * <p>Batching ({@link #assessAll}): {@code hm_antispoof} and {@code hm_liveness} declare a
 * symbolic batch dimension and run once for all faces ({@code [N, 128, 128, 3]},
 * {@code [N, 32, 32, 3]}); {@code fr_liveness} is exported with batch 1 ({@code [1, 3, 128, 128]})
 * and runs once per face.
 */
public final class PassiveLiveness implements AutoCloseable {
    public static final String MODEL = "fr_liveness";
    public static final String ANTISPOOF = "hm_antispoof";
    public static final String LIVENESS32 = "hm_liveness";
    public static final int LIVE_CLASS = 0;
    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] ONE = {1f, 1f, 1f};

    private final OnnxModel model;
    private final OnnxModel antispoof;
    private final OnnxModel liveness32;

    public PassiveLiveness(ModelRepository repo) {
        this.model = OnnxModel.load(repo, MODEL);
        this.antispoof = TfjsModels.load(repo, ANTISPOOF, ANTISPOOF + "_weights");
        this.liveness32 = TfjsModels.load(repo, LIVENESS32, LIVENESS32 + "_weights");
    }

    /** The three models' inputs for one face. */
    private record Inputs(float[] fasnet, float[] antispoof, float[] liveness32) {
    }

    private static Inputs inputs(RgbImage img, Face face) {
        RgbImage crop = Crops.crop(img, Crops.scaledInside(img, face.box(), 2.7), 128, 128);
        RgbImage faceCrop = Crops.crop(img, face.box().squareScaled(1.0), 128, 128);
        RgbImage small = ImageOps.resize(faceCrop, 32, 32);
        return new Inputs(ImageOps.chw(crop, 1f, ZERO, ONE), ImageOps.hwc(faceCrop, 1f / 255f),
                ImageOps.hwc(small, 1f / 255f));
    }

    public LivenessResult assess(RgbImage img, Face face) {
        Inputs in = inputs(img, face);
        float[] logits = model.runFirst(in.fasnet(), 1, 3, 128, 128);
        double real = antispoof.runFirst(in.antispoof(), 1, 128, 128, 3)[0];
        double live = liveness32.runFirst(in.liveness32(), 1, 32, 32, 3)[0];
        return combine(logits, real, live);
    }

    /**
     * Liveness of several faces of one image, in order; each result equals {@link #assess} of that
     * face (within float rounding). The TF.js models run once for all faces, fr_liveness once per face.
     */
    public List<LivenessResult> assessAll(RgbImage img, List<Face> faces) {
        if (faces.isEmpty()) {
            return List.of();
        }
        List<float[]> a = new ArrayList<>(faces.size());
        List<float[]> b = new ArrayList<>(faces.size());
        List<float[]> c = new ArrayList<>(faces.size());
        for (Face f : faces) {
            Inputs in = inputs(img, f);
            a.add(in.fasnet());
            b.add(in.antispoof());
            c.add(in.liveness32());
        }
        List<float[]> logits = model.runBatchFirst(a, 3, 128, 128);
        List<float[]> real = antispoof.runBatchFirst(b, 128, 128, 3);
        List<float[]> live = liveness32.runBatchFirst(c, 32, 32, 3);
        List<LivenessResult> out = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            out.add(combine(logits.get(i), real.get(i)[0], live.get(i)[0]));
        }
        return out;
    }

    /** Which of the three models run batched (read from the model files), by model id. */
    public Map<String, Boolean> batched() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put(MODEL, model.batchable());
        m.put(ANTISPOOF, antispoof.batchable());
        m.put(LIVENESS32, liveness32.batchable());
        return Collections.unmodifiableMap(m);
    }

    private static LivenessResult combine(float[] fasnetLogits, double real, double live) {
        float[] p = Softmax.of(fasnetLogits);
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(MODEL, (double) p[LIVE_CLASS]);
        scores.put(ANTISPOOF, real);
        scores.put(LIVENESS32, live);
        double mean = scores.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new LivenessResult(mean, p, String.join("+", scores.keySet()), Collections.unmodifiableMap(scores));
    }

    @Override
    public void close() {
        model.close();
        antispoof.close();
        liveness32.close();
    }
}
