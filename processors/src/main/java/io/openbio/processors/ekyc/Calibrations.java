package io.openbio.processors.ekyc;

/**
 * The IDLive calibrations as a documented shift of the decision threshold. Every probability keeps
 * its API threshold of 0.5; a calibration moves where the underlying score crosses it:
 * SOFT at raw 0.3 (fewer false rejections), REGULAR at raw 0.5, HARD at raw 0.7 (fewer false
 * acceptances). The map is piecewise linear and monotonic: {@code raw <= t -> raw / (2t)},
 * {@code raw > t -> 0.5 + (raw - t) / (2 (1 - t))}, so 0 and 1 stay fixed and the order of
 * scores never changes.
 */
public final class Calibrations {
    private Calibrations() {
    }

    public static double threshold(String calibration) {
        return switch (calibration == null ? "REGULAR" : calibration) {
            case "SOFT" -> 0.3;
            case "HARD" -> 0.7;
            default -> 0.5;
        };
    }

    public static double apply(double raw, String calibration) {
        double t = threshold(calibration);
        double p = Math.max(0, Math.min(1, raw));
        return p <= t ? p / (2 * t) : 0.5 + (p - t) / (2 * (1 - t));
    }
}
