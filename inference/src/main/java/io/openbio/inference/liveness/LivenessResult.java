package io.openbio.inference.liveness;

/**
 * Passive liveness of one face.
 *
 * @param probability probability that the face is a live person in front of the camera, 0 (spoof)
 *                    to 1 (live); IDLive convention: live when at least {@link #THRESHOLD}
 * @param classScores the model's softmax over its three classes, as returned
 * @param modelId     the model(s) that produced it
 */
public record LivenessResult(double probability, float[] classScores, String modelId) {
    public static final double THRESHOLD = 0.5;
    public static final double STRICT_THRESHOLD = 0.9;

    public boolean live() {
        return probability >= THRESHOLD;
    }

    public boolean liveStrict() {
        return probability >= STRICT_THRESHOLD;
    }
}
