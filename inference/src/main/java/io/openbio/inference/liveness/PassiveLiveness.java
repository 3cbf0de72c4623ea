package io.openbio.inference.liveness;

import io.openbio.inference.detect.Face;
import io.openbio.inference.image.Crops;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;
import io.openbio.inference.tfjs.TfjsModels;

import java.util.LinkedHashMap;
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

    public LivenessResult assess(RgbImage img, Face face) {
        RgbImage crop = Crops.crop(img, Crops.scaledInside(img, face.box(), 2.7), 128, 128);
        float[] p = Softmax.of(model.runFirst(ImageOps.chw(crop, 1f, ZERO, ONE), 1, 3, 128, 128));
        RgbImage faceCrop = Crops.crop(img, face.box().squareScaled(1.0), 128, 128);
        double real = antispoof.runFirst(ImageOps.hwc(faceCrop, 1f / 255f), 1, 128, 128, 3)[0];
        RgbImage small = ImageOps.resize(faceCrop, 32, 32);
        double live = liveness32.runFirst(ImageOps.hwc(small, 1f / 255f), 1, 32, 32, 3)[0];
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(MODEL, (double) p[LIVE_CLASS]);
        scores.put(ANTISPOOF, real);
        scores.put(LIVENESS32, live);
        double mean = scores.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new LivenessResult(mean, p, String.join("+", scores.keySet()), java.util.Collections.unmodifiableMap(scores));
    }

    @Override
    public void close() {
        model.close();
        antispoof.close();
        liveness32.close();
    }
}
