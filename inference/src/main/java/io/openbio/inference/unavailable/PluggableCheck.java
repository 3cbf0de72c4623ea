package io.openbio.inference.unavailable;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.detect.Face;
import io.openbio.inference.image.Crops;
import io.openbio.inference.image.ImageOps;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.liveness.Softmax;
import io.openbio.inference.model.ModelRepository;
import io.openbio.inference.model.OnnxModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A binary ONNX classifier plugged in by configuration (system properties or a Properties object):
 * <pre>
 *   openbio.check.glasses.model    = /path/to/glasses.onnx      (required)
 *   openbio.check.glasses.sha256   = hex SHA-256 of that file     (required, checked at load)
 *   openbio.check.glasses.size     = 224                          (square input side, NCHW RGB float32)
 *   openbio.check.glasses.scale    = 0.00392157                   (pixel * scale, then (v - mean) / std)
 *   openbio.check.glasses.mean     = 0.485,0.456,0.406
 *   openbio.check.glasses.std      = 0.229,0.224,0.225
 *   openbio.check.glasses.crop     = 1.4                          (face box scale; 0 = whole image)
 *   openbio.check.glasses.positive = 1                            (output index of the positive class; softmax)
 * </pre>
 * Keys for the other checks: {@code openbio.check.deepfake.*}, {@code openbio.check.mask.*},
 * {@code openbio.check.document-attack.*}. Without {@code .model} the check answers UNAVAILABLE.
 */
public final class PluggableCheck implements AutoCloseable {
    private final Check check;
    private final String key;
    private final OnnxModel model;
    private final String modelPath;
    private final int size;
    private final float scale;
    private final float[] mean;
    private final float[] std;
    private final double crop;
    private final int positive;

    private PluggableCheck(Check check, String k, OnnxModel model, String modelPath, Properties p) {
        this.check = check;
        this.key = k;
        this.model = model;
        this.modelPath = modelPath;
        this.size = Integer.parseInt(p.getProperty(k + ".size", "224"));
        this.scale = Float.parseFloat(p.getProperty(k + ".scale", String.valueOf(1f / 255f)));
        this.mean = floats(p.getProperty(k + ".mean", "0,0,0"));
        this.std = floats(p.getProperty(k + ".std", "1,1,1"));
        this.crop = Double.parseDouble(p.getProperty(k + ".crop", "1.4"));
        this.positive = Integer.parseInt(p.getProperty(k + ".positive", "1"));
    }

    /** The configured check, or null when no model is configured for it. */
    public static PluggableCheck configured(Check check, Properties p) {
        return configured(check, check.key(), p);
    }

    /**
     * A classifier configured under any key prefix (same keys as above after the prefix), e.g. the
     * document pipelines' {@code openbio.document.SCREEN_REPLAY_ATTACK}; null when {@code <prefix>.model}
     * is not set. Use {@link #positiveProbability} to run it.
     */
    public static PluggableCheck configured(String keyPrefix, Properties p) {
        return configured(null, keyPrefix, p);
    }

    private static PluggableCheck configured(Check check, String k, Properties p) {
        String path = p.getProperty(k + ".model");
        if (path == null || path.isBlank()) {
            return null;
        }
        String sha = p.getProperty(k + ".sha256", "");
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, k + ".model points at " + file
                    + ", which does not exist");
        }
        String actual = ModelRepository.sha256(file);
        if (!actual.equalsIgnoreCase(sha)) {
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE, k + ".sha256 is '" + sha
                    + "' but " + file + " hashes to " + actual + ": set the pinned hash of the model you mean to use");
        }
        return new PluggableCheck(check, k, OnnxModel.loadFile(null, k, file), path, p);
    }

    /** Configuration key prefix this classifier was read from. */
    public String key() {
        return key;
    }

    /** Path of the configured model file. */
    public String modelPath() {
        return modelPath;
    }

    public CheckResult run(RgbImage img, Face face) {
        return new CheckResult(check, true, positiveProbability(img, face), modelPath);
    }

    /** Probability of the positive class for the image (whole image resized when face is null or crop is 0). */
    public double positiveProbability(RgbImage img, Face face) {
        RgbImage in = face == null || crop <= 0
                ? ImageOps.resize(img, size, size)
                : Crops.crop(img, Crops.scaledInside(img, face.box(), crop), size, size);
        float[] x = ImageOps.chw(in, scale, mean, std);
        float[] out = model.runFirst(x, 1, 3, size, size);
        float[] p = out.length == 1 ? new float[] {1 - sigmoid(out[0]), sigmoid(out[0])} : Softmax.of(out);
        return p[Math.min(positive, p.length - 1)];
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }

    private static float[] floats(String s) {
        String[] parts = s.split(",");
        float[] f = new float[3];
        for (int i = 0; i < 3; i++) {
            f[i] = Float.parseFloat(parts[Math.min(i, parts.length - 1)].trim());
        }
        return f;
    }

    @Override
    public void close() {
        model.close();
    }
}
