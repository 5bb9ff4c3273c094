package io.graywatch.core.funnel.change;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.metric.Bad;

/**
 * Mann-Whitney U test of a shift between two samples, with the Hodges–Lehmann estimate of the
 * shift and its distribution-free confidence interval, as Kayenta judges canaries. Monitoring
 * samples are autocorrelated, so the variance of U is inflated by (1+ρ)/(1−ρ) for the lag-1
 * autocorrelation ρ of the baseline: n correlated samples carry less evidence than n independent ones.
 */
public final class RankTest {
    private final double[] before;
    private final double[] after;
    private final double z;
    private final double sdU;
    private final double inflation;

    private RankTest(double[] before, double[] after, double z, double sdU, double inflation) {
        this.before = before;
        this.after = after;
        this.z = z;
        this.sdU = sdU;
        this.inflation = inflation;
    }

    /** @param rho lag-1 autocorrelation of the baseline in [0, 0.9] */
    public static RankTest of(double[] before, double[] after, double rho) {
        double[] x = Stats.sortedCopy(before), y = Stats.sortedCopy(after);
        int n = x.length, m = y.length;
        if (n == 0 || m == 0) throw new IllegalArgumentException("both samples need values");
        double u = 0;
        int lo = 0, hi = 0;
        for (double v : y) {
            while (lo < n && x[lo] < v) lo++;
            if (hi < lo) hi = lo;
            while (hi < n && x[hi] <= v) hi++;
            u += lo + 0.5 * (hi - lo);
        }
        double big = n + m;
        double var = (double) n * m / 12.0 * ((big + 1) - tieTerm(x, y) / (big * (big - 1)));
        double inflation = Math.sqrt((1 + rho) / (1 - rho));
        double sd = Math.sqrt(Math.max(var, 0));
        double centred = u - n * (double) m / 2;
        // continuity correction towards zero
        double corrected = Math.signum(centred) * Math.max(0, Math.abs(centred) - 0.5);
        double z = sd == 0 ? 0 : corrected / (sd * inflation);
        return new RankTest(x, y, z, sd, inflation);
    }

    private static double tieTerm(double[] x, double[] y) {
        double t = 0;
        int i = 0, j = 0;
        while (i < x.length || j < y.length) {
            double v = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
            int c = 0;
            while (i < x.length && x[i] == v) { i++; c++; }
            while (j < y.length && y[j] == v) { j++; c++; }
            t += (double) c * c * c - c;
        }
        return t;
    }

    /** Standardised U, positive when the after sample is higher. */
    public double z() { return z; }

    /**
     * One-sided p-value in the bad direction (two-sided for {@code either}), never below the exact
     * chance that the after samples all rank beyond the before ones, 1 / C(n + m, m): no permutation
     * test can say more. The normal approximation can, when most values tie (a success rate at 100%
     * for an hour): its variance shrinks with the ties, and three samples below a flat line would
     * otherwise read as overwhelming evidence.
     */
    public double pValue(Bad bad) {
        double floor = Math.exp(-logChoose(before.length + after.length, after.length));
        return switch (bad) {
            case INCREASE -> Math.max(floor, Stats.upperTail(z));
            case DECREASE -> Math.max(floor, Stats.upperTail(-z));
            case EITHER -> Math.min(1, 2 * Math.max(floor, Stats.upperTail(Math.abs(z))));
        };
    }

    private static double logChoose(int n, int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.log((double) (n - k + i) / i);
        return s;
    }

    /** Hodges–Lehmann shift (median of after − before over all pairs) with its 1 − 2α interval. */
    public Interval shift(double alpha) {
        int n = before.length, m = after.length;
        long pairs = (long) n * m;
        if (pairs > 5_000_000) throw new IllegalStateException("too many pairs for a Hodges–Lehmann estimate: " + pairs);
        double[] d = new double[(int) pairs];
        int k = 0;
        for (double a : after) for (double b : before) d[k++] = a - b;
        int last = d.length - 1, mid = d.length / 2;
        double upper = Stats.select(d, 0, last, mid);
        // d[mid] is in place now: the lower middle is the largest value left of it, and the interval's
        // ends are looked for on their side of it only
        double est = (d.length & 1) == 1 ? upper : 0.5 * (largest(d, 0, mid - 1) + upper);
        long c = (long) Math.floor(pairs / 2.0 - Stats.upperQuantile(alpha) * sdU * inflation);
        c = Math.max(0, Math.min(c, last));
        double low = selectBeside(d, mid, (int) c);
        double high = selectBeside(d, mid, (int) (last - c));
        return new Interval(est, Math.min(low, est), Math.max(high, est));
    }

    /** The k-th smallest of d, whose element p is already in its sorted place (all before it no larger, all after no smaller). */
    private static double selectBeside(double[] d, int p, int k) {
        if (k == p) return d[p];
        return k < p ? Stats.select(d, 0, p - 1, k) : Stats.select(d, p + 1, d.length - 1, k);
    }

    private static double largest(double[] d, int from, int to) {
        double max = d[from];
        for (int i = from + 1; i <= to; i++) max = Math.max(max, d[i]);
        return max;
    }

    /** Median of the before sample (it is kept sorted). */
    public double beforeMedian() { return Stats.medianOfSorted(before); }

    /** Median of the after sample. */
    public double afterMedian() { return Stats.medianOfSorted(after); }

    public int beforeSize() { return before.length; }

    public int afterSize() { return after.length; }

    /** A point estimate with a confidence interval. */
    public record Interval(double estimate, double low, double high) {
    }
}
