package io.openbio.processors.challenge;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.liveness.LivenessResult;
import io.openbio.inference.challenge.Challenge;
import io.openbio.inference.challenge.ChallengeVerdict;
import io.openbio.inference.challenge.ChallengePolicy;
import io.openbio.inference.challenge.ChallengeVerifier;
import io.openbio.inference.challenge.FrameMeasurement;
import io.openbio.inference.challenge.FrameMeasurer;
import io.openbio.inference.challenge.TimedFrame;
import io.openbio.processors.core.Lazily;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The challenge analysis with the real models: {@link FrameMeasurer} on every frame,
 * {@link ChallengeVerifier} on the measurements, then the passive liveness models
 * ({@link FaceAnalyzer#liveness}) and the face embedding ({@link FaceAnalyzer#embed}) on the face of the
 * verdict's best frame (the detected face that overlaps the tracked one most).
 */
public final class ModelChallengeAnalysis implements ChallengeAnalysis {
    private final Supplier<FaceAnalyzer> analyzer;
    private final ChallengeVerifier verifier = new ChallengeVerifier();
    /** Made on first use (it may load models of its own), then shared by the stage's stream threads. */
    private final Supplier<FrameMeasurer> measurer;

    public ModelChallengeAnalysis(Supplier<FaceAnalyzer> analyzer) {
        this.analyzer = analyzer;
        this.measurer = Lazily.once(() -> new FrameMeasurer(analyzer.get()));
    }

    @Override
    public Result analyze(Challenge challenge, List<TimedFrame> frames) {
        return analyze(challenge, frames, verifier);
    }

    /** Under {@code policy} (a security level's): the verdict of a verifier with that policy. */
    @Override
    public Result analyze(Challenge challenge, List<TimedFrame> frames, ChallengePolicy policy) {
        return analyze(challenge, frames, policy == ChallengePolicy.DEFAULT ? verifier : new ChallengeVerifier(policy));
    }

    private Result analyze(Challenge challenge, List<TimedFrame> frames, ChallengeVerifier verifier) {
        List<FrameMeasurement> measured = measurer.get().measure(frames);
        ChallengeVerdict verdict = verifier.verify(challenge, measured);
        int best = verdict.bestFrame();
        if (best < 0 || best >= frames.size() || measured.get(best).face() == null) {
            return new Result(verdict, null, null);
        }
        FaceAnalyzer models = analyzer.get();
        DecodedImage image = models.decode(frames.get(best).image());
        var tracked = measured.get(best).face();
        Face face = models.detectAll(image).stream()
                .max(Comparator.comparingDouble(f -> f.box().iou(tracked)))
                .orElse(null);
        if (face == null || face.box().iou(tracked) <= 0) {
            return new Result(verdict, null, null);
        }
        LivenessResult passive = models.liveness(image, face);
        Template embedding = models.embed(image, face);
        return new Result(verdict, passive.probability(), passive.modelScores(), embedding.vector(),
                embedding.modelId() + ":" + embedding.modelVersion());
    }
}
