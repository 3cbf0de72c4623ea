package io.openbio.inference.embed;

import io.openbio.inference.align.FaceAligner;
import io.openbio.inference.detect.Keypoints;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;

import java.util.ArrayList;
import java.util.List;

/**
 * 512-d face embedding ({@code fr_feature}) of an aligned 112x112 face, L2-normalised.
 *
 * <p>Batching: {@link #embedAll} hands all faces to {@link OnnxModel#runBatch}. The
 * {@code fr_feature} file declares its input as {@code [1, 3, 112, 112]} (batch fixed at 1; ONNX
 * Runtime refuses N &gt; 1), so today that is one inference per face; a re-exported model with a
 * symbolic batch dimension would run as one {@code [N, 3, 112, 112]} call with no code change.
 */
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
        float[] v = model.run(input(aligned), 1, 3, FaceAligner.SIZE, FaceAligner.SIZE).get("output");
        return normalised(v);
    }

    /** Embeddings of several faces of one image, in order; see the class comment on batching. */
    public List<float[]> embedAll(RgbImage img, List<Keypoints> faces) {
        List<float[]> in = new ArrayList<>(faces.size());
        for (Keypoints k : faces) {
            in.add(input(FaceAligner.align(img, k)));
        }
        List<float[]> out = new ArrayList<>(faces.size());
        for (var r : model.runBatch(in, 3, FaceAligner.SIZE, FaceAligner.SIZE)) {
            out.add(normalised(r.get("output")));
        }
        return out;
    }

    /** Templates of several faces of one image, in order. */
    public List<Template> templates(RgbImage img, List<Keypoints> faces) {
        List<Template> out = new ArrayList<>(faces.size());
        for (float[] v : embedAll(img, faces)) {
            out.add(new Template(modelId(), modelVersion(), v));
        }
        return out;
    }

    /** Whether {@code fr_feature} takes a batch (read from the model file; false for the pinned file). */
    public boolean batched() {
        return model.batchable();
    }

    private static float[] input(RgbImage aligned) {
        return ImageOps.chw(aligned, 1f, new float[] {127f, 127f, 127f}, new float[] {128f, 128f, 128f});
    }

    private static float[] normalised(float[] v) {
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
