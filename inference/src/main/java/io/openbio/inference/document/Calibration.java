package io.openbio.inference.document;

/**
 * IDLive calibration of a check: a documented shift of the decision threshold, applied as a shift of
 * the probability's log-odds so that the API threshold stays 0.5.
 *
 * <pre>
 *   calibrated = 1 / (1 + exp(-(logit(raw) + shift)))
 *   REGULAR shift 0       : calibrated 0.5 at raw 0.50
 *   SOFT    shift +ln 3   : calibrated 0.5 at raw 0.25 (fewer genuine documents rejected, more attacks accepted)
 *   HARD    shift -ln 3   : calibrated 0.5 at raw 0.75 (more attacks rejected, more genuine documents rejected)
 * </pre>
 * The transform is strictly monotone, so for every raw probability HARD &lt; REGULAR &lt; SOFT
 * (except at exactly 0 and 1, which stay put); an attack rejected under SOFT is rejected under every
 * calibration, and a document accepted under HARD is accepted under every calibration.
 */
public enum Calibration {
    REGULAR(0.0),
    SOFT(Math.log(3)),
    HARD(-Math.log(3));

    private final double shift;

    Calibration(double shift) {
        this.shift = shift;
    }

    /** Log-odds shift added to the raw probability. */
    public double shift() {
        return shift;
    }

    /** Raw probability at which the calibrated probability is 0.5 (0.5 / 0.25 / 0.75). */
    public double rawThreshold() {
        return 1 / (1 + Math.exp(shift));
    }

    public double apply(double raw) {
        if (Double.isNaN(raw) || raw <= 0 || raw >= 1 || shift == 0) {
            return raw;
        }
        double logit = Math.log(raw / (1 - raw)) + shift;
        return 1 / (1 + Math.exp(-logit));
    }

    /** The API's value, or REGULAR for null / blank (the API default). Unknown names throw IllegalArgumentException. */
    public static Calibration of(String name) {
        return name == null || name.isBlank() ? REGULAR : valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
