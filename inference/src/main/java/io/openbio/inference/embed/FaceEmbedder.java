package io.openbio.inference.embed;

import io.openbio.inference.align.FaceAligner;
import io.openbio.inference.detect.Keypoints;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;

/** 512-d face embedding ({@code fr_feature}) of an aligned 112x112 face, L2-normalised. */
public final class FaceEmbedder implements AutoCloseable {
    public static final String MODEL = "fr_feature";
    public static final int DIM = 512;

    private final OnnxModel model;

    public FaceEmbedder(ModelRepository repo) {
        this.model = OnnxModel.load(repo, MODEL);
    }

    public String modelId() {
        return model.spec().id();
    }

    public String modelVersion() {
        return model.spec().version() + "+" + model.spec().sha256().substring(0, 12);
    }

    public float[] embed(RgbImage img, Keypoints k) {
        return embedAligned(FaceAligner.align(img, k));
    }

    public float[] embedAligned(RgbImage aligned) {
        float[] in = ImageOps.chw(aligned, 1f, new float[] {127f, 127f, 127f}, new float[] {128f, 128f, 128f});
        float[] v = model.run(in, 1, 3, FaceAligner.SIZE, FaceAligner.SIZE).get("output");
        if (v.length != DIM) {
            throw new IllegalStateException("embedding model returned " + v.length + " values, expected " + DIM);
        }
        return Similarity.l2normalise(v);
    }

    /** A template for the face, tagged with this model's id and version. */
    public Template template(RgbImage img, Keypoints k) {
        return new Template(modelId(), modelVersion(), embed(img, k));
    }

    @Override
    public void close() {
        model.close();
    }
}
