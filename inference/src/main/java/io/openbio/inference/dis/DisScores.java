package io.openbio.inference.dis;

import io.openbio.inference.embed.Interval;
import io.openbio.inference.embed.MatchScores;
import io.openbio.inference.embed.ScoreCalibration;
import io.openbio.inference.embed.Template;

/**
 * The Digital Identity Service (seed 004) face similarity: the 0..1 {@code score} of
 * {@code POST /faces/{id}/similarity} and of the customer inspection's {@code similarityWith}
 * (disclose scores and their booleans).
 *
 * <p><b>The score is the calibrated same-person probability</b> of {@link ScoreCalibration}
 * (the same number as {@link MatchScores#disScore()}): Platt scaling of the fr_feature cosine,
 * fitted on the labelled genuine and impostor pairs of the evaluation photos with equal class
 * priors, clamped to [e, 1 - e], e = 1 / (N_impostor + 2), so that no score claims odds finer than
 * the impostor pairs resolve (EVALUATION.md, "Calibration" and "DIS similarity score"). Monotone in
 * the cosine. With the current calibration (9 genuine, 732 impostor pairs): score 0.5 at cosine
 * 0.540, 0.9 at cosine 0.672.
 *
 * <p>Why not {@code 1 - FAR}: the measured FAR stops at the resolution of the impostor pairs
 * (0.41 % for 732 pairs) from cosine 0.387 up, so every genuine pair and many weak impostors would
 * share one score (0.9959), and a client's usual 0.5 threshold would mean FAR 50 % (cosine 0.02).
 * The FAR behind a score is still reported with its pair counts: {@link Match#falseAcceptance()},
 * {@link #operatingPoint(double)}.
 *
 * <p><b>Decision</b> ({@code similarityWith.*: bool}): same person when the score is at least
 * {@link #SAME_PERSON_THRESHOLD} (0.5, the IDLive validation threshold the platform uses for
 * selfie-vs-document): on the evaluation pairs 1 of 732 impostor pairs is accepted (observed FAR
 * 0.14 %, 95 % CI 0.003-0.76 %; below the 0.41 % resolution, so "at most about 0.4 %" is all the
 * data say) and 0 of 9 genuine pairs rejected (FNMR below 34 % at 95 %: only 9 pairs).
 * {@link #STRICT_THRESHOLD} 0.9: 0 of 732 impostors, 0 of 9 genuine.
 */
public final class DisScores {
    /** Score at or above which two faces are called the same person (inspection booleans). */
    public static final double SAME_PERSON_THRESHOLD = MatchScores.IDLIVE_VALIDATION_THRESHOLD;
    /** A stricter point for clients that want one (search-like use). */
    public static final double STRICT_THRESHOLD = MatchScores.IDLIVE_SEARCH_THRESHOLD;

    private final ScoreCalibration calibration;

    /**
     * One comparison.
     *
     * @param score              DIS similarity score, 0..1 (calibrated probability, see the class comment)
     * @param cosine             the raw cosine of the two templates, -1..1
     * @param falseAcceptance    share of the measured impostor pairs at or above this cosine, a fraction,
     *                           never below the pairs' resolution (about 3 / N)
     * @param impostorsAtOrAbove how many measured impostor pairs score at or above this cosine
     * @param impostorPairs      how many impostor pairs stand behind the calibration
     */
    public record Match(double score, double cosine, double falseAcceptance, int impostorsAtOrAbove,
                        int impostorPairs) {
        /** {@code similarityWith.*} boolean: {@link #SAME_PERSON_THRESHOLD} or more. */
        public boolean samePerson() {
            return DisScores.samePerson(score);
        }
    }

    /**
     * What a threshold on the score stands for on the measured pairs.
     *
     * @param threshold          the score threshold
     * @param cosine             the cosine at which the score reaches it
     * @param impostorsAccepted  impostor pairs at or above that cosine
     * @param impostorPairs      all impostor pairs
     * @param farUpper95         upper end of the 95 % Clopper-Pearson interval of the FAR, a fraction
     * @param farResolution      the smallest FAR these pairs can measure (1 - 0.05^(1/N))
     */
    public record OperatingPoint(double threshold, double cosine, int impostorsAccepted, int impostorPairs,
                                 double farUpper95, double farResolution) {
    }

    public DisScores(ScoreCalibration calibration) {
        this.calibration = calibration;
    }

    /** The committed calibration (src/main/resources/.../embed/calibration.properties). */
    public static DisScores load() {
        return new DisScores(ScoreCalibration.load());
    }

    /** The DIS score of a cosine: in [e, 1 - e] within 0..1, non-decreasing in the cosine. */
    public double score(double cosine) {
        if (Double.isNaN(cosine)) {
            throw new IllegalArgumentException("cosine is NaN");
        }
        return calibration.probability(Math.max(-1.0, Math.min(1.0, cosine)));
    }

    public Match match(double cosine) {
        double c = Math.max(-1.0, Math.min(1.0, cosine));
        return new Match(score(c), cosine, calibration.falseAcceptance(c), calibration.impostorsAtOrAbove(c),
                calibration.impostorPairs());
    }

    /**
     * Two templates compared. Throws {@link io.openbio.inference.InferenceException} with
     * {@code TEMPLATE_VERSION_MISMATCH} when they come from different models or versions (decode a
     * client's template with {@code FaceAnalyzer.decodeTemplate} first: that maps a foreign version to
     * the same code and garbage to {@code INVALID_TEMPLATE}).
     */
    public Match match(Template probe, Template reference) {
        return match(probe.similarity(reference));
    }

    /** {@code similarityWith.*} boolean for one score. */
    public static boolean samePerson(double score) {
        return score >= SAME_PERSON_THRESHOLD;
    }

    /**
     * {@code similarityWith.livenessSelfies}: the disclose score is the minimum over the selfies
     * (the reference's rule), so the boolean is "every one is the same person":
     * {@code samePerson(minimum(scores))}. No scores: IllegalArgumentException (the caller answers NOT_ENOUGH_DATA or omits the field).
     */
    public static double minimum(double... scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no scores");
        }
        double m = Double.POSITIVE_INFINITY;
        for (double s : scores) {
            m = Math.min(m, s);
        }
        return m;
    }

    /** The cosine at which the score equals {@code threshold} (0 &lt; threshold &lt; 1). */
    public double cosineForScore(double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be inside (0, 1), got " + threshold);
        }
        return calibration.cosineForProbability(threshold);
    }

    /** What a score threshold accepts of the measured impostor pairs (see {@link OperatingPoint}). */
    public OperatingPoint operatingPoint(double threshold) {
        double c = cosineForScore(threshold);
        int k = calibration.impostorsAtOrAbove(c);
        int n = calibration.impostorPairs();
        return new OperatingPoint(threshold, c, k, n, Interval.clopperPearson(k, n)[1], calibration.farResolution());
    }

    public ScoreCalibration calibration() {
        return calibration;
    }
}
