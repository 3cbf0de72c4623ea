package io.openbio.inference.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Maps a cosine similarity onto calibrated scales. The parameters are FITTED on labelled real
 * photos by the evaluation command ({@code mvn -B -pl inference -am -Pevaluate verify}), which rewrites
 * {@code src/main/resources/io/openbio/inference/embed/calibration.properties}; see EVALUATION.md.
 *
 * <ul>
 *   <li><b>Probability</b> (IDLive, DIS): Platt scaling, p(s) = 1 / (1 + exp(-(a s + b))), fitted by
 *       maximum likelihood on the genuine and impostor pairs with equal class priors (each class
 *       weighs half, whatever its count: the probability answers "same person?" with no prior on
 *       how often that is true) and soft targets 1 - e / e, e = 1 / (N_impostor + 2). Why soft
 *       targets: the pairs are separable (every genuine cosine is above every impostor one), so a
 *       fit on hard 0/1 labels has no finite optimum and ends at 1.0 / 1e-30 (what the former
 *       equal-variance two-Gaussian ratio gave). e is Platt's own prior-corrected target for a
 *       class of N_impostor pairs: it caps the odds the fit can express at about N_impostor : 1,
 *       the finest ratio the larger sample resolves (Platt uses each class's own count; with few
 *       genuine pairs that would cap every genuine probability near N/(N+1) and push the 0.5 point
 *       above the lowest genuine scores seen by third parties, so both classes use e). Outputs are
 *       clamped to [e, 1 - e]: never more extreme than the fit's own targets. Monotonic in s.</li>
 *   <li><b>FAR</b>: the share of the measured impostor pairs at or above s, never below
 *       {@link #farResolution()} = 1 - 0.05^(1/N) (about 3/N, the one-sided 95% bound when none of N
 *       pairs is accepted). A FAR below that is not measurable with N pairs, and none is reported:
 *       {@link #falseAcceptance} floors at it and {@link #cosineForFar} answers a finer request with
 *       the cosine at which the floor is reached ({@link #isMeasurableFar} tells which).</li>
 *   <li>BioServer score = 1500 + 500 log10(1/FAR), which reproduces the product's published table;
 *       with the floor it cannot exceed {@link #maxBioServerScore()}.</li>
 * </ul>
 */
public final class ScoreCalibration {
    public static final String RESOURCE = "/io/openbio/inference/embed/calibration.properties";

    private final double slope;
    private final double intercept;
    private final double epsilon;
    private final double[] impostors;
    private final int genuinePairs;
    private final double genuineMean;
    private final double genuineSd;
    private final double impostorMean;
    private final double impostorSd;
    private final String provenance;

    ScoreCalibration(double slope, double intercept, double[] impostorCosines, int genuinePairs, double genuineMean,
                     double genuineSd, String provenance) {
        if (!(slope > 0) || impostorCosines.length == 0 || genuinePairs <= 0) {
            throw new IllegalArgumentException("calibration needs a positive slope, impostor pairs and genuine pairs");
        }
        this.slope = slope;
        this.intercept = intercept;
        this.impostors = impostorCosines.clone();
        Arrays.sort(this.impostors);
        this.epsilon = 1.0 / (impostors.length + 2);
        this.genuinePairs = genuinePairs;
        this.genuineMean = genuineMean;
        this.genuineSd = genuineSd;
        this.impostorMean = Arrays.stream(impostors).average().orElse(Double.NaN);
        this.impostorSd = sd(impostors, impostorMean);
        this.provenance = provenance;
    }

    /**
     * Fits the calibration on measured pair cosines (see the class comment): Newton's method on the
     * class-balanced cross-entropy with targets 1 - e (genuine) and e (impostor), strictly convex
     * because the targets are inside (0, 1).
     */
    public static ScoreCalibration fit(double[] genuine, double[] impostor, String provenance) {
        if (genuine.length == 0 || impostor.length == 0) {
            throw new IllegalArgumentException("need genuine and impostor pairs");
        }
        double e = 1.0 / (impostor.length + 2);
        double wg = 0.5 / genuine.length;
        double wi = 0.5 / impostor.length;
        double a = 0;
        double b = 0;
        for (int iter = 0; iter < 100; iter++) {
            double ga = 0;
            double gb = 0;
            double haa = 0;
            double hab = 0;
            double hbb = 0;
            for (int k = 0; k < genuine.length + impostor.length; k++) {
                boolean gen = k < genuine.length;
                double x = gen ? genuine[k] : impostor[k - genuine.length];
                double w = gen ? wg : wi;
                double t = gen ? 1 - e : e;
                double p = sigmoid(a * x + b);
                ga += w * (p - t) * x;
                gb += w * (p - t);
                double h = w * p * (1 - p);
                haa += h * x * x;
                hab += h * x;
                hbb += h;
            }
            double det = haa * hbb - hab * hab;
            if (!(det > 0)) {
                break;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.abs(da) + Math.abs(db) < 1e-12) {
                break;
            }
        }
        double gm = Arrays.stream(genuine).average().orElse(Double.NaN);
        return new ScoreCalibration(a, b, impostor, genuine.length, gm, sd(genuine, gm), provenance);
    }

    public static ScoreCalibration load() {
        try (InputStream in = ScoreCalibration.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: run the evaluation to derive it");
            }
            Properties p = new Properties();
            p.load(in);
            double[] imp = Arrays.stream(p.getProperty("impostor.cosines", "").split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
            return new ScoreCalibration(d(p, "logistic.slope"), d(p, "logistic.intercept"), imp,
                    (int) d(p, "genuine.pairs"), d(p, "genuine.mean"), d(p, "genuine.sd"), p.getProperty("provenance", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the form {@link #load()} reads. */
    public void store(Writer w, String comment) throws IOException {
        Properties p = new Properties();
        p.setProperty("logistic.slope", fmt(slope));
        p.setProperty("logistic.intercept", fmt(intercept));
        p.setProperty("genuine.pairs", String.valueOf(genuinePairs));
        p.setProperty("genuine.mean", fmt(genuineMean));
        p.setProperty("genuine.sd", fmt(genuineSd));
        p.setProperty("impostor.pairs", String.valueOf(impostors.length));
        p.setProperty("impostor.cosines", Arrays.stream(impostors)
                .mapToObj(v -> String.format(Locale.ROOT, "%.5f", v)).collect(Collectors.joining(",")));
        p.setProperty("provenance", provenance);
        p.store(w, comment);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.8f", v);
    }

    private static double d(Properties p, String k) {
        String v = p.getProperty(k);
        if (v == null) {
            throw new IllegalStateException(RESOURCE + " lacks " + k);
        }
        return Double.parseDouble(v.trim());
    }

    private static double sd(double[] v, double m) {
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / Math.max(1, v.length - 1));
    }

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    public double slope() {
        return slope;
    }

    public double intercept() {
        return intercept;
    }

    /** The clamp of the probability: outputs lie in [epsilon, 1 - epsilon]. */
    public double epsilon() {
        return epsilon;
    }

    public int genuinePairs() {
        return genuinePairs;
    }

    public int impostorPairs() {
        return impostors.length;
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

    /** The smallest FAR the impostor pairs behind this calibration can measure (about 3 / N). */
    public double farResolution() {
        return Interval.resolution(impostors.length);
    }

    /** Whether a FAR (e.g. a BioServer threshold's) is coarse enough to be measured with these pairs. */
    public boolean isMeasurableFar(double far) {
        return far >= farResolution();
    }

    /** Share of the impostor pairs at or above {@code cosine}, floored at {@link #farResolution()}. */
    public double falseAcceptance(double cosine) {
        int firstAtOrAbove = lowerBound(impostors, cosine);
        double observed = (double) (impostors.length - firstAtOrAbove) / impostors.length;
        return Math.max(farResolution(), observed);
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public static double bioServerScore(double far) {
        return 1500.0 + 500.0 * Math.log10(1.0 / Math.max(1e-30, Math.min(1.0, far)));
    }

    /** The highest BioServer score these pairs support: the score of {@link #farResolution()}. */
    public double maxBioServerScore() {
        return bioServerScore(farResolution());
    }

    /** Inverse of {@link #bioServerScore}: the FAR a BioServer threshold stands for. */
    public static double farForBioServerScore(double score) {
        return Math.pow(10, -(score - 1500.0) / 500.0);
    }

    /**
     * The lowest cosine at which the FAR is at most {@code far}; a FAR finer than
     * {@link #farResolution()} is answered with the cosine where the floor is reached (above every
     * impostor pair but the few that the floor covers), since no finer threshold is measurable.
     */
    public double cosineForFar(double far) {
        double target = Math.max(far, farResolution());
        // the FAR only changes at impostor cosines: the answer is one of them (or the lowest one)
        for (int k = 0; k < impostors.length; k++) {
            if (falseAcceptance(impostors[k]) <= target) {
                return impostors[k];
            }
        }
        return Math.nextUp(impostors[impostors.length - 1]);
    }

    public double probability(double cosine) {
        double p = sigmoid(slope * cosine + intercept);
        return Math.min(1 - epsilon, Math.max(epsilon, p));
    }

    /** The cosine at which the (unclamped) probability equals {@code p}, 0 &lt; p &lt; 1. */
    public double cosineForProbability(double p) {
        return (Math.log(p / (1 - p)) - intercept) / slope;
    }

    public MatchScores scores(double cosine) {
        double far = falseAcceptance(cosine);
        double p = probability(cosine);
        return new MatchScores(cosine, p, far, bioServerScore(far), p);
    }
}
