package io.openbio.inference.liveness;

import io.openbio.inference.detect.Face;
import io.openbio.inference.image.Crops;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;

/**
 * Passive (single image) liveness with {@code fr_liveness}: a MiniFASNet-style 3-class network on a
 * 128x128 crop of the face box scaled 2.7x, RGB 0..255. The live probability is the softmax of the
 * live class (index {@link #LIVE_CLASS}); the other two classes are spoof types.
 */
public final class PassiveLiveness implements AutoCloseable {
    public static final String MODEL = "fr_liveness";
    public static final int LIVE_CLASS = 0;
    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] ONE = {1f, 1f, 1f};

    private final OnnxModel model;

    public PassiveLiveness(ModelRepository repo) {
        this.model = OnnxModel.load(repo, MODEL);
    }

    public LivenessResult assess(RgbImage img, Face face) {
        RgbImage crop = Crops.crop(img, Crops.scaledInside(img, face.box(), 2.7), 128, 128);
        float[] logits = model.run(ImageOps.chw(crop, 1f, ZERO, ONE), 1, 3, 128, 128).get("output");
        float[] p = Softmax.of(logits);
        return new LivenessResult(p[LIVE_CLASS], p, MODEL);
    }

    @Override
    public void close() {
        model.close();
    }
}
