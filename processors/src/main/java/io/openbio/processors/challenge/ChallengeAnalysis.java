package io.openbio.processors.challenge;

import io.openbio.inference.challenge.ChallengePolicy;
import io.openbio.inference.challenge.Challenge;
import io.openbio.inference.challenge.ChallengeVerdict;
import io.openbio.inference.challenge.TimedFrame;
import java.util.List;
import java.util.Map;

/**
 * What the challenge-verify stage runs on a capture's frames: measure them, verify the challenge,
 * score the best frame's passive liveness. The stage takes it as a function so its topology test can
 * give canned measurements; the stage itself runs {@link ModelChallengeAnalysis} (the real models).
 */
@FunctionalInterface
public interface ChallengeAnalysis {

    /**
     * @param challenge the challenge re-derived from its seed
     * @param frames    the capture's frames, opened, in capture order
     * @throws io.openbio.inference.InferenceException when a frame cannot be decoded or a model is missing
     */
    Result analyze(Challenge challenge, List<TimedFrame> frames);

    /**
     * {@link #analyze(Challenge, List)} under the verification policy of a security level (seed 003's
     * {@code securityLevel}); by default the analysis' own policy.
     */
    default Result analyze(Challenge challenge, List<TimedFrame> frames, ChallengePolicy policy) {
        return analyze(challenge, frames);
    }

    /**
     * @param verdict      the verifier's verdict on the measured frames
     * @param passive      the passive liveness probability of the best frame's face; null when no best frame
     *                     was found or it has no face
     * @param passiveModels each passive model's score (empty when {@code passive} is null)
     * @param bestEmbedding the face embedding of the best frame's face (the one scored); null when none
     * @param modelId       the embedding's model as {@code <modelId>:<modelVersion>}; null without an embedding
     */
    record Result(ChallengeVerdict verdict, Double passive, Map<String, Double> passiveModels, float[] bestEmbedding, String modelId) {
        public Result {
            passiveModels = passiveModels == null ? Map.of() : Map.copyOf(passiveModels);
            bestEmbedding = bestEmbedding == null ? null : bestEmbedding.clone();
        }

        /** A result without an embedding of the best frame. */
        public Result(ChallengeVerdict verdict, Double passive, Map<String, Double> passiveModels) {
            this(verdict, passive, passiveModels, null, null);
        }
    }
}
