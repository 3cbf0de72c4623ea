package io.openbio.inference.embed;

import java.util.Locale;

/**
 * Exact (Clopper-Pearson) binomial confidence intervals for error rates measured as k errors in n
 * trials, and the smallest rate n trials can resolve. Used for every FAR / FRR figure this module
 * states, so that a rate is never quoted finer than the number of pairs behind it supports.
 */
public final class Interval {
    private Interval() {
    }

    /** Two-sided 95% Clopper-Pearson interval {lower, upper} for k successes in n trials. */
    public static double[] clopperPearson(long k, long n) {
        if (n <= 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, n > 0; got k=" + k + ", n=" + n);
        }
        double alpha = 0.05;
        double lower = k == 0 ? 0 : solve(p -> upperTail(k, n, p) - alpha / 2, true);
        double upper = k == n ? 1 : solve(p -> cdf(k, n, p) - alpha / 2, false);
        return new double[] {lower, upper};
    }

    /**
     * The one-sided 95% upper bound when none of n trials erred, 1 - 0.05^(1/n) (about 3/n, the
     * "rule of three"): below this a rate is not measurable with n trials.
     */
    public static double resolution(long n) {
        if (n <= 0) {
            return 1.0;
        }
        return 1 - Math.pow(0.05, 1.0 / n);
    }

    /** "0.0340 (5/140, 95% CI 0.0117-0.0814)". */
    public static String describe(long k, long n) {
        if (n == 0) {
            return "- (0 pairs)";
        }
        double[] ci = clopperPearson(k, n);
        return String.format(Locale.ROOT, "%.4f (%d/%d, CI %.4f-%.4f)", (double) k / n, k, n, ci[0], ci[1]);
    }

    private interface Fn {
        double at(double p);
    }

    /** Bisection of a monotone function of p on [0, 1]; increasing = f rises with p. */
    private static double solve(Fn f, boolean increasing) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            double v = f.at(mid);
            if ((v < 0) == increasing) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** P(X <= k) for X ~ Binomial(n, p), summed in log space. */
    static double cdf(long k, long n, double p) {
        if (p <= 0) {
            return 1;
        }
        if (p >= 1) {
            return k >= n ? 1 : 0;
        }
        double s = 0;
        for (long i = 0; i <= k; i++) {
            s += Math.exp(logPmf(i, n, p));
        }
        return Math.min(1, s);
    }

    /** P(X >= k). */
    static double upperTail(long k, long n, double p) {
        return k == 0 ? 1 : 1 - cdf(k - 1, n, p);
    }

    private static double logPmf(long i, long n, double p) {
        return logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p);
    }

    private static double logChoose(long n, long k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    private static double logFactorial(long n) {
        double s = 0;
        for (long i = 2; i <= n; i++) {
            s += Math.log(i);
        }
        return s;
    }
}
