package io.openbio.inference.liveness;

import java.util.Map;

/**
 * Passive liveness of one face.
 *
 * @param probability combined probability that the face is a live person in front of the camera,
 *                    0 (spoof) to 1 (live): the mean of the per-model live probabilities in
 *                    {@code modelScores} (see {@link PassiveLiveness}); IDLive convention: live
 *                    when at least {@link #THRESHOLD}
 * @param classScores {@code fr_liveness}'s softmax over its three classes, as returned
 * @param modelId     the models that produced it, joined with {@code +}
 * @param modelScores live probability of each model by model id, in the order combined
 */
public record LivenessResult(double probability, float[] classScores, String modelId, Map<String, Double> modelScores) {
    public static final double THRESHOLD = 0.5;
    public static final double STRICT_THRESHOLD = 0.9;

    /** A result from one model only. */
    public LivenessResult(double probability, float[] classScores, String modelId) {
        this(probability, classScores, modelId, Map.of(modelId, probability));
    }

    public boolean live() {
        return probability >= THRESHOLD;
    }

    public boolean liveStrict() {
        return probability >= STRICT_THRESHOLD;
    }

    /** Live probability of one model, or NaN if that model did not take part. */
    public double score(String model) {
        Double d = modelScores.get(model);
        return d == null ? Double.NaN : d;
    }
}
