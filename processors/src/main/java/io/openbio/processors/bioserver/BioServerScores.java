package io.openbio.processors.bioserver;

import io.openbio.inference.embed.ScoreCalibration;

/**
 * A template similarity on the BioServer's scale (seed 003): {@code falseAcceptanceRate} in PERCENT and
 * {@code score = 500 (5 - log10(FAR%))}, which reproduces the seed's table (FAR 1% = 2500 ... 0.0001% =
 * 4500) and its examples; the FAR is floored at 1e-15 % and capped at 100 % (score 1500 .. 10000).
 * The FAR comes from the calibration measured on impostor pairs ({@link ScoreCalibration}); see
 * inference/EVALUATION.md for how many pairs stand behind each point.
 *
 * @param score               the matching score
 * @param falseAcceptanceRate the FAR, percent
 */
record BioServerScores(double score, double falseAcceptanceRate) {
    static final double FAR_FLOOR_PERCENT = 1e-15;
    static final double FAR_CAP_PERCENT = 100;

    static BioServerScores of(ScoreCalibration calibration, double cosine) {
        double percent = Math.min(FAR_CAP_PERCENT, Math.max(FAR_FLOOR_PERCENT, 100.0 * calibration.falseAcceptance(cosine)));
        return new BioServerScores(scoreOf(percent), percent);
    }

    /** The seed's score of a FAR in percent. */
    static double scoreOf(double farPercent) {
        return 500.0 * (5.0 - Math.log10(farPercent));
    }
}
