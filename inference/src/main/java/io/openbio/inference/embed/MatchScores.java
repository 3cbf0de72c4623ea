package io.openbio.inference.embed;

/**
 * One comparison expressed on every scale the platform's products use.
 *
 * @param cosine          raw cosine similarity of the two L2-normalised embeddings, -1..1
 * @param probability     calibrated probability that both faces are the same person (IDLive style:
 *                        threshold 0.5 for selfie-vs-document validation, 0.9 for search); a Platt
 *                        fit with equal priors, strictly inside (0, 1): never more extreme than
 *                        {@link ScoreCalibration#epsilon()} from either end
 * @param falseAcceptance false-acceptance rate at this score as a fraction (0..1): the share of the
 *                        measured impostor pairs at or above it, never below
 *                        {@link ScoreCalibration#farResolution()} (about 3 / N pairs), since a
 *                        finer FAR is not measurable with the pairs behind the calibration
 * @param bioServerScore  BioServer matching score: 1500 + 500 * log10(1 / FAR), so FAR 1% = 2500,
 *                        0.1% = 3000, 0.01% = 3500, 0.001% = 4000, 0.0001% = 4500; with the FAR
 *                        floor it tops out at {@link ScoreCalibration#maxBioServerScore()}. The BioServer
 *                        product answers with {@link ScoreCalibration#bioServer(double)} instead
 *                        ({@link BioServerMatch}: the same share up to the resolution, a fitted and
 *                        flagged tail beyond it)
 * @param disScore        Digital Identity Service face-match score, 0..1 (same calibrated probability)
 */
public record MatchScores(double cosine, double probability, double falseAcceptance, double bioServerScore,
                          double disScore) {
    public static final double IDLIVE_VALIDATION_THRESHOLD = 0.5;
    public static final double IDLIVE_SEARCH_THRESHOLD = 0.9;

    /** FAR in percent, as BioServer's {@code falseAcceptanceRate} field reports it (100 = no evidence). */
    public double falseAcceptanceRatePercent() {
        return falseAcceptance * 100.0;
    }

    public boolean matchesForValidation() {
        return probability >= IDLIVE_VALIDATION_THRESHOLD;
    }

    public boolean matchesForSearch() {
        return probability >= IDLIVE_SEARCH_THRESHOLD;
    }
}
