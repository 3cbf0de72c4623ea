package io.openbio.inference.bench;

import io.openbio.inference.FaceAnalyzer;
import io.openbio.inference.detect.Face;
import io.openbio.inference.embed.MatchScores;
import io.openbio.inference.embed.Template;
import io.openbio.inference.image.DecodedImage;
import io.openbio.inference.liveness.LivenessResult;

/** One verification as a processor runs it: detect (+ landmarks), align + embed, liveness, compare with an enrolled template. */
final class VerificationChain {
    private VerificationChain() {
    }

    record Outcome(MatchScores match, LivenessResult live) {
    }

    static Outcome verify(FaceAnalyzer fa, DecodedImage image, Template enrolled) {
        Face f = fa.detect(image);
        Template t = fa.embed(image, f);
        LivenessResult l = fa.liveness(image, f);
        return new Outcome(fa.compare(t, enrolled), l);
    }
}
