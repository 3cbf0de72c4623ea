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
 *   <li><b>BioServer FAR</b> ({@link #bioServer}): the BioServer product needs a score for every
 *       cosine, up to FAR 1e-15 %, far below what N impostor pairs measure. Up to the
 *       <i>anchor</i> (the highest cosine at which the observed impostor share is still at least
 *       {@link #farResolution()}) it is that observed share; above the anchor it is an EXPLICIT
 *       extrapolation, flagged {@link BioServerMatch#extrapolated()}: an exponential tail
 *       (a generalized Pareto tail with shape 0) fitted by maximum likelihood to the excesses of
 *       the highest {@value #TAIL_SHARE_PERCENT}% of the impostor cosines over their threshold
 *       (scale = mean excess), scaled so that it equals the observed share at the anchor:
 *       FAR(s) = FAR(anchor) exp(-(s - anchor) / scale). Continuous at the anchor and strictly
 *       decreasing above it. Why this tail, with its goodness of fit: EVALUATION.md.</li>
 * </ul>
 */
public final class ScoreCalibration {
    public static final String RESOURCE = "/io/openbio/inference/embed/calibration.properties";
    /** Share of the impostor cosines (the highest) to which the exponential tail is fitted. */
    public static final int TAIL_SHARE_PERCENT = 10;
    /** BioServer's FAR floor, 1e-15 %, as a fraction: the score never exceeds {@value #MAX_BIOSERVER_SCORE}. */
    public static final double BIOSERVER_FAR_FLOOR = 1e-17;
    public static final double MIN_BIOSERVER_SCORE = 1500;
    public static final double MAX_BIOSERVER_SCORE = 10000;

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
    private final Tail tail;
    private final double anchorCosine;
    private final double anchorFar;

    /**
     * The exponential tail of the impostor cosines: P(s > threshold + x | s > threshold) = exp(-x / scale).
     *
     * @param threshold   the cosine above which it is fitted (the impostor cosine just below the highest share)
     * @param scale       maximum-likelihood scale, the mean excess over {@code threshold}
     * @param exceedances how many impostor cosines lie above {@code threshold} (the fit's sample)
     */
    public record Tail(double threshold, double scale, int exceedances) {
        public Tail {
            if (!(scale > 0) || exceedances <= 0) {
                throw new IllegalArgumentException("tail needs a positive scale and exceedances, got " + scale + ", " + exceedances);
            }
        }

        /**
         * Fits the tail to the highest {@link #TAIL_SHARE_PERCENT}% of {@code impostorCosines}
         * (at least 2): threshold = the next lower cosine, scale = their mean excess over it.
         */
        public static Tail fit(double[] impostorCosines) {
            return fit(impostorCosines, TAIL_SHARE_PERCENT);
        }

        /** The same fit on the highest {@code sharePercent}% (for the evaluation's sensitivity check). */
        public static Tail fit(double[] impostorCosines, double sharePercent) {
            double[] s = impostorCosines.clone();
            Arrays.sort(s);
            int k = Math.max(2, (int) Math.ceil(s.length * sharePercent / 100.0));
            if (s.length < k + 1) {
                throw new IllegalArgumentException("need at least " + (k + 1) + " impostor pairs for a tail fit");
            }
            double u = s[s.length - k - 1];
            double sum = 0;
            for (int i = s.length - k; i < s.length; i++) {
                sum += s[i] - u;
            }
            return new Tail(u, sum / k, k);
        }
    }

    ScoreCalibration(double slope, double intercept, double[] impostorCosines, int genuinePairs, double genuineMean,
                     double genuineSd, String provenance) {
        this(slope, intercept, impostorCosines, genuinePairs, genuineMean, genuineSd, provenance, null);
    }

    ScoreCalibration(double slope, double intercept, double[] impostorCosines, int genuinePairs, double genuineMean,
                     double genuineSd, String provenance, Tail tail) {
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
        this.tail = tail != null ? tail : Tail.fit(impostors);
        // anchor: the highest cosine whose observed share is still at least the resolution
        int kAnchor = (int) Math.ceil(farResolution() * impostors.length - 1e-9);
        this.anchorCosine = impostors[impostors.length - Math.max(1, kAnchor)];
        this.anchorFar = observedShare(anchorCosine);
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
            Tail tail = p.getProperty("far.tail.scale") == null ? null
                    : new Tail(d(p, "far.tail.threshold"), d(p, "far.tail.scale"), (int) d(p, "far.tail.exceedances"));
            return new ScoreCalibration(d(p, "logistic.slope"), d(p, "logistic.intercept"), imp,
                    (int) d(p, "genuine.pairs"), d(p, "genuine.mean"), d(p, "genuine.sd"), p.getProperty("provenance", ""), tail);
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
        p.setProperty("far.tail.model", "exponential (generalized Pareto, shape 0), maximum likelihood on the highest "
                + TAIL_SHARE_PERCENT + "% of the impostor cosines; used above the anchor only");
        p.setProperty("far.tail.threshold", fmt(tail.threshold()));
        p.setProperty("far.tail.scale", fmt(tail.scale()));
        p.setProperty("far.tail.exceedances", String.valueOf(tail.exceedances()));
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
        return Math.max(farResolution(), observedShare(cosine));
    }

    /** Share of the impostor pairs at or above {@code cosine}, unfloored (0 above the highest). */
    public double observedShare(double cosine) {
        return (double) impostorsAtOrAbove(cosine) / impostors.length;
    }

    /** How many of the measured impostor pairs score at or above {@code cosine}. */
    public int impostorsAtOrAbove(double cosine) {
        return impostors.length - lowerBound(impostors, cosine);
    }

    /** The measured impostor cosines, ascending (a copy). */
    public double[] impostorCosines() {
        return impostors.clone();
    }

    public Tail tail() {
        return tail;
    }

    /** The highest cosine at which the BioServer FAR is still the observed share; above it, the tail. */
    public double anchorCosine() {
        return anchorCosine;
    }

    /** The observed impostor share at {@link #anchorCosine()} (at least {@link #farResolution()}). */
    public double anchorFar() {
        return anchorFar;
    }

    /**
     * The BioServer FAR (a fraction) for a cosine: the observed impostor share up to
     * {@link #anchorCosine()}, the anchored exponential tail above it, clamped to
     * [{@link #BIOSERVER_FAR_FLOOR}, 1]. Non-increasing in the cosine, continuous at the anchor.
     */
    public double bioServerFar(double cosine) {
        double far = cosine > anchorCosine
                ? anchorFar * Math.exp(-(cosine - anchorCosine) / tail.scale())
                : observedShare(cosine);
        return Math.min(1.0, Math.max(BIOSERVER_FAR_FLOOR, far));
    }

    /** One comparison on the BioServer (seed 003) scale; see {@link BioServerMatch}. */
    public BioServerMatch bioServer(double cosine) {
        double far = bioServerFar(cosine);
        return new BioServerMatch(cosine, bioServerScore(far), far * 100.0, cosine > anchorCosine, impostors.length);
    }

    /**
     * The lowest cosine whose {@link #bioServerFar} is at most {@code far} (a fraction): from the
     * measured impostor cosines while {@code far} is at least {@link #anchorFar()}, else from the
     * tail (the inverse of its formula). The cosine a BioServer threshold stands for.
     */
    public double cosineForBioServerFar(double far) {
        double target = Math.max(BIOSERVER_FAR_FLOOR, far);
        if (target >= anchorFar) {
            for (double c : impostors) {
                if (observedShare(c) <= target) {
                    return c;
                }
            }
            return anchorCosine;
        }
        return anchorCosine + tail.scale() * Math.log(anchorFar / target);
    }

    /** Whether the FAR that a BioServer score stands for lies beyond the measured impostor pairs (in the tail). */
    public boolean isExtrapolatedBioServerScore(double score) {
        return farForBioServerScore(score) < anchorFar;
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

    /**
     * 1500 + 500 log10(1 / FAR), FAR as a fraction, i.e. BioServer's FAR% = 10^(5 - score / 500):
     * FAR 1% = 2500, 0.1% = 3000, 0.01% = 3500, 0.001% = 4000, 0.0001% = 4500. The FAR is taken
     * within [1e-30, 1] here; {@link #bioServer} clamps it to BioServer's own [1e-15 %, 100 %].
     */
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
