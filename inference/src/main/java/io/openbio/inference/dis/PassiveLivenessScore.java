package io.openbio.inference.dis;

import java.util.ArrayList;
import java.util.List;

/**
 * The DIS (seed 004) passive liveness score, 0..1, from the platform's combined passive liveness probability
 * ({@link io.openbio.inference.liveness.PassiveLiveness}: the mean of fr_liveness, hm_antispoof and hm_liveness).
 *
 * <p>A real DIS integrator rejects a liveness score below {@link #REJECT_BELOW} (0.875). The raw combined
 * probability is not calibrated for that: its bona fide median on the platform's real photos is 0.858, so 0.875
 * on the raw value would refuse most live people. The mapping is monotone and piecewise linear, anchored so that
 * 0.875 falls on the equal-error threshold {@link #ANCHOR_RAW} of the platform's measured distributions (the
 * labelled real faces against SYNTHETIC screen-replay and print recaptures of them, inference/EVALUATION.md,
 * "DIS liveness scores (seed 004)"; {@code DisPassiveCalibrationTest} measures them again and checks the anchor):
 * raw 0 maps to 0, the anchor to 0.875, raw 1 to 1, linear in between. So a score of 0.875 or more means: at
 * least the raw level at which, on those samples, the share of live faces refused equals the share of synthetic
 * attacks accepted. The order of faces is the models' own: the mapping adds no information, it only places the
 * integrators' threshold at a measured operating point.
 */
public final class PassiveLivenessScore {
    /** The threshold real DIS integrators apply to liveness scores. */
    public static final double REJECT_BELOW = 0.875;
    /** Raw combined probability at the equal-error point of the measured samples (see the class comment). */
    public static final double ANCHOR_RAW = 0.8296;

    private PassiveLivenessScore() {
    }

    /** The 0..1 score of a raw combined passive liveness probability. */
    public static double score(double raw) {
        double r = Math.max(0, Math.min(1, raw));
        if (r <= ANCHOR_RAW) {
            return REJECT_BELOW * r / ANCHOR_RAW;
        }
        return REJECT_BELOW + (1 - REJECT_BELOW) * (r - ANCHOR_RAW) / (1 - ANCHOR_RAW);
    }

    /** The raw probability whose score is {@code score} (the inverse of {@link #score}). */
    public static double rawAt(double score) {
        double s = Math.max(0, Math.min(1, score));
        if (s <= REJECT_BELOW) {
            return ANCHOR_RAW * s / REJECT_BELOW;
        }
        return ANCHOR_RAW + (1 - ANCHOR_RAW) * (s - REJECT_BELOW) / (1 - REJECT_BELOW);
    }

    /**
     * The equal-error threshold of two samples: among the midpoints between consecutive distinct pooled values,
     * the one where the share of {@code bonaFide} below it and the share of {@code attacks} at or above it differ
     * least (ties: the smaller larger error, then the lower threshold).
     */
    public static double equalErrorThreshold(List<Double> bonaFide, List<Double> attacks) {
        if (bonaFide.isEmpty() || attacks.isEmpty()) {
            throw new IllegalArgumentException("both samples are needed");
        }
        List<Double> pooled = new ArrayList<>(bonaFide);
        pooled.addAll(attacks);
        pooled.sort(Double::compare);
        double best = Double.NaN;
        double bestGap = Double.MAX_VALUE;
        double bestMax = Double.MAX_VALUE;
        for (int i = 1; i < pooled.size(); i++) {
            if (pooled.get(i).equals(pooled.get(i - 1))) {
                continue;
            }
            double t = (pooled.get(i) + pooled.get(i - 1)) / 2;
            double bpcer = bonaFide.stream().filter(v -> v < t).count() / (double) bonaFide.size();
            double apcer = attacks.stream().filter(v -> v >= t).count() / (double) attacks.size();
            double gap = Math.abs(bpcer - apcer);
            double max = Math.max(bpcer, apcer);
            if (gap < bestGap - 1e-12 || (Math.abs(gap - bestGap) <= 1e-12 && max < bestMax - 1e-12)) {
                best = t;
                bestGap = gap;
                bestMax = max;
            }
        }
        return best;
    }
}
