package io.openbio.inference.embed;

/**
 * One comparison on the BioServer (seed 003) scale, from {@link ScoreCalibration#bioServer(double)}.
 *
 * @param cosine              raw cosine similarity of the two templates, -1..1
 * @param score               BioServer matching score, 1500 + 500 log10(1 / FAR), within
 *                            [{@value ScoreCalibration#MIN_BIOSERVER_SCORE}, {@value ScoreCalibration#MAX_BIOSERVER_SCORE}]:
 *                            FAR 1% = 2500, 0.1% = 3000, 0.01% = 3500, 0.001% = 4000, 0.0001% = 4500
 * @param falseAcceptanceRate the FAR in PERCENT, as BioServer's {@code falseAcceptanceRate} field:
 *                            10^(5 - score / 500), within [1e-15, 100] (100 = no evidence of a match)
 * @param extrapolated        true when the FAR lies beyond what the measured impostor pairs resolve
 *                            (above {@link ScoreCalibration#anchorCosine()}): it then comes from the
 *                            fitted exponential tail, not from counted pairs (see EVALUATION.md)
 * @param impostorPairs       how many measured impostor pairs stand behind the calibration
 */
public record BioServerMatch(double cosine, double score, double falseAcceptanceRate, boolean extrapolated,
                             int impostorPairs) {
    /** The FAR as a fraction (0..1). */
    public double falseAcceptance() {
        return falseAcceptanceRate / 100.0;
    }
}
