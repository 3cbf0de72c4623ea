package io.openbio.inference.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Maps a cosine similarity onto calibrated scales. The parameters are DERIVED from labelled real
 * photos by the evaluation command ({@code mvn -B -pl inference -Pevaluate verify}), which rewrites
 * {@code src/main/resources/io/openbio/inference/embed/calibration.properties}; see EVALUATION.md.
 *
 * <ul>
 *   <li>FAR: a normal distribution fitted to the impostor (different-person) cosines,
 *       FAR(s) = P(impostor &gt;= s) = 0.5 erfc((s - mu_i) / (sigma_i sqrt 2)). Far tails (below
 *       about 1/N pairs) are an extrapolation of that fit.</li>
 *   <li>BioServer score = 1500 + 500 log10(1/FAR), which reproduces the product's published table.</li>
 *   <li>Probability: equal-prior, equal-variance two-Gaussian likelihood ratio of genuine versus
 *       impostor cosines, i.e. logistic((s - m) / t), m = (mu_g + mu_i)/2,
 *       t = sigma_pooled^2 / (mu_g - mu_i). Monotonic in s.</li>
 * </ul>
 */
public final class ScoreCalibration {
    public static final String RESOURCE = "/io/openbio/inference/embed/calibration.properties";
    static final double MIN_FAR = 1e-30;

    private final double impostorMean;
    private final double impostorSd;
    private final double genuineMean;
    private final double genuineSd;
    private final String provenance;

    public ScoreCalibration(double impostorMean, double impostorSd, double genuineMean, double genuineSd,
                            String provenance) {
        if (!(impostorSd > 0) || !(genuineSd > 0) || !(genuineMean > impostorMean)) {
            throw new IllegalArgumentException("calibration needs sd > 0 and genuine mean above impostor mean");
        }
        this.impostorMean = impostorMean;
        this.impostorSd = impostorSd;
        this.genuineMean = genuineMean;
        this.genuineSd = genuineSd;
        this.provenance = provenance;
    }

    public static ScoreCalibration load() {
        try (InputStream in = ScoreCalibration.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: run the evaluation to derive it");
            }
            Properties p = new Properties();
            p.load(in);
            return new ScoreCalibration(d(p, "impostor.mean"), d(p, "impostor.sd"), d(p, "genuine.mean"),
                    d(p, "genuine.sd"), p.getProperty("provenance", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double d(Properties p, String k) {
        String v = p.getProperty(k);
        if (v == null) {
            throw new IllegalStateException(RESOURCE + " lacks " + k);
        }
        return Double.parseDouble(v.trim());
    }

    public double impostorMean() {
        return impostorMean;
    }

    public double impostorSd() {
        return impostorSd;
    }

    public double genuineMean() {
        return genuineMean;
    }

    public double genuineSd() {
        return genuineSd;
    }

    public String provenance() {
        return provenance;
    }

    public double falseAcceptance(double cosine) {
        return Math.max(MIN_FAR, 0.5 * erfc((cosine - impostorMean) / (impostorSd * Math.sqrt(2))));
    }

    public static double bioServerScore(double far) {
        return 1500.0 + 500.0 * Math.log10(1.0 / Math.max(MIN_FAR, Math.min(1.0, far)));
    }

    /** Inverse of {@link #bioServerScore}: the FAR a BioServer threshold stands for. */
    public static double farForBioServerScore(double score) {
        return Math.pow(10, -(score - 1500.0) / 500.0);
    }

    /** The cosine at which the estimated FAR equals {@code far} (bisection on the monotonic FAR). */
    public double cosineForFar(double far) {
        double lo = -1;
        double hi = 1.5;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (falseAcceptance(mid) > far) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    public double probability(double cosine) {
        double pooledVar = (impostorSd * impostorSd + genuineSd * genuineSd) / 2;
        double m = (genuineMean + impostorMean) / 2;
        double t = pooledVar / (genuineMean - impostorMean);
        return 1.0 / (1.0 + Math.exp(-(cosine - m) / t));
    }

    public MatchScores scores(double cosine) {
        double far = falseAcceptance(cosine);
        double p = probability(cosine);
        return new MatchScores(cosine, p, far, bioServerScore(far), p);
    }

    /** Complementary error function (Numerical Recipes erfcc, fractional error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
