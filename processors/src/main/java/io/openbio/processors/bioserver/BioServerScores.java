package io.openbio.processors.bioserver;

import io.openbio.inference.embed.BioServerMatch;

/**
 * A template similarity on the BioServer's scale (seed 003): {@code falseAcceptanceRate} in PERCENT and
 * {@code score = 500 (5 - log10(FAR%))}, which reproduces the seed's table (FAR 1% = 2500 ... 0.0001% =
 * 4500) and its examples, floored at 1e-15 % and capped at 100 %. The FAR is the share of the measured
 * impostor pairs where they resolve it, and beyond that an exponential tail fitted to them
 * ({@link io.openbio.inference.embed.ScoreCalibration#bioServer}; inference/EVALUATION.md says how many
 * pairs stand behind each point and which thresholds are extrapolated).
 *
 * @param score               the matching score
 * @param falseAcceptanceRate the FAR, percent
 * @param extrapolated        whether the FAR is beyond what the measured impostor pairs resolve (not in the
 *                            seed's answer; kept for the audit record)
 */
record BioServerScores(double score, double falseAcceptanceRate, boolean extrapolated) {
    static BioServerScores of(BioServerMatch match) {
        return new BioServerScores(match.score(), match.falseAcceptanceRate(), match.extrapolated());
    }
}
