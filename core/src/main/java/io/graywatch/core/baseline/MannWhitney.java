package io.graywatch.core.baseline;

import org.hipparchus.distribution.continuous.NormalDistribution;

import io.graywatch.core.funnel.Stats;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mann-Whitney U test of experiment vs control with the Hodges–Lehmann shift estimate and its
 * distribution-free confidence interval (order statistics of the pairwise differences). Exact
 * null distribution for small samples without ties, normal approximation with tie correction
 * otherwise: the same choices as the rank test Kayenta runs.
 */
final class MannWhitney {
    private static final int EXACT_LIMIT = 50;
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
    /** Exact null CDFs by sample sizes; analysis windows repeat the same few sizes over and over. */
    private static final Map<Integer, double[]> EXACT_CDF = new ConcurrentHashMap<>();

    /**
     * @param estimate Hodges–Lehmann estimate of experiment minus control
     * @param lower    lower end of the interval (-infinity when the samples are too small to bound it)
     * @param upper    upper end (+infinity likewise)
     */
    record Result(double estimate, double lower, double upper, double pValue) {
    }

    private MannWhitney() {
    }

    static Result compare(double[] experiment, double[] control, double confidence) {
        int m = experiment.length, n = control.length;
        if (m == 0 || n == 0) throw new IllegalArgumentException("both samples need values");
        double[] diffs = new double[m * n];
        double u = 0;
        int k = 0;
        for (double x : experiment) {
            for (double y : control) {
                double d = x - y;
                diffs[k++] = d;
                u += d > 0 ? 1 : d == 0 ? 0.5 : 0;
            }
        }
        int mid = diffs.length / 2;
        double estimate = diffs.length % 2 == 1 ? select(diffs, mid) : (select(diffs, mid - 1) + select(diffs, mid)) / 2;
        double alpha = 1 - confidence;
        double tieTerm = tieTerm(experiment, control);
        int mn = m * n;
        int c;
        double p;
        if (m < EXACT_LIMIT && n < EXACT_LIMIT && tieTerm == 0) {
            double[] cdf = EXACT_CDF.computeIfAbsent(m * 1000 + n, key -> exactCdf(m, n));
            c = 0;
            while (c <= mn && cdf[c] <= alpha / 2) c++;
            int ui = (int) u;
            double below = cdf[ui], above = ui == 0 ? 1 : 1 - cdf[ui - 1];
            p = Math.min(1, 2 * Math.min(below, above));
        } else {
            int total = m + n;
            double variance = mn / 12.0 * ((total + 1) - tieTerm / ((double) total * (total - 1)));
            double sd = Math.sqrt(variance);
            double z = NORMAL.inverseCumulativeProbability(1 - alpha / 2);
            c = (int) Math.floor(mn / 2.0 - z * sd);
            double centred = u - mn / 2.0;
            double corrected = sd == 0 ? 0 : (Math.abs(centred) - 0.5) / sd;
            p = sd == 0 ? 1 : Math.min(1, 2 * (1 - NORMAL.cumulativeProbability(Math.max(0, corrected))));
        }
        c = Math.max(0, Math.min(c, mn / 2));
        double lower = c == 0 ? Double.NEGATIVE_INFINITY : select(diffs, c - 1);
        double upper = c == 0 ? Double.POSITIVE_INFINITY : select(diffs, mn - c);
        return new Result(estimate, lower, upper, p);
    }

    /** Σ(t³ − t) over groups of tied values in the pooled sample. */
    private static double tieTerm(double[] a, double[] b) {
        double[] pooled = new double[a.length + b.length];
        System.arraycopy(a, 0, pooled, 0, a.length);
        System.arraycopy(b, 0, pooled, a.length, b.length);
        Arrays.sort(pooled);
        double sum = 0;
        int i = 0;
        while (i < pooled.length) {
            int j = i;
            while (j + 1 < pooled.length && pooled[j + 1] == pooled[i]) j++;
            double t = j - i + 1;
            sum += t * t * t - t;
            i = j + 1;
        }
        return sum;
    }

    /**
     * P(U ≤ u) for u = 0..mn under the null. The largest of all m + n values is an experiment
     * value with probability m/(m+n), and then it beats every control value; this recursion only
     * adds probabilities, so it stays accurate in the tails where the interval is read.
     */
    private static double[] exactCdf(int m, int n) {
        double[][] prev = new double[n + 1][];
        for (int j = 0; j <= n; j++) prev[j] = new double[]{1};
        for (int i = 1; i <= m; i++) {
            double[][] cur = new double[n + 1][];
            cur[0] = new double[]{1};
            for (int j = 1; j <= n; j++) {
                double[] pmf = new double[i * j + 1];
                double px = (double) i / (i + j);
                double[] takeX = prev[j], takeY = cur[j - 1];
                for (int v = 0; v < takeX.length; v++) pmf[v + j] += px * takeX[v];
                for (int v = 0; v < takeY.length; v++) pmf[v] += (1 - px) * takeY[v];
                cur[j] = pmf;
            }
            prev = cur;
        }
        double[] pmf = prev[n];
        double[] cdf = new double[pmf.length];
        double acc = 0;
        for (int v = 0; v < pmf.length; v++) cdf[v] = acc += pmf[v];
        return cdf;
    }

    /** Only three order statistics of the m·n differences are needed, so sorting them all would be wasted work. */
    private static double select(double[] a, int k) {
        return Stats.select(a, 0, a.length - 1, k);
    }
}
