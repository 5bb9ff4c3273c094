package io.graywatch.core.funnel;

import org.hipparchus.special.Erf;

import java.util.Arrays;

/** Small robust statistics shared by the stages. Arrays hold finite values only unless said otherwise. */
public final class Stats {
    private Stats() {
    }

    /** Median of the first n values; reorders them. NaN when n is 0. */
    public static double medianInPlace(double[] a, int n) {
        if (n == 0) return Double.NaN;
        if (n <= 12) {
            insertionSort(a, 0, n - 1);
            return (n & 1) == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
        }
        double hi = select(a, 0, n - 1, n / 2);
        if ((n & 1) == 1) return hi;
        double lo = a[0];
        for (int i = 1; i < n / 2; i++) lo = Math.max(lo, a[i]);
        return 0.5 * (lo + hi);
    }

    /**
     * Mean of the first n values without the highest and the lowest when there are three or more
     * (for three, the median): one odd value cannot move it, and it costs one pass.
     */
    public static double trimmedMean(double[] a, int n) {
        if (n == 0) return Double.NaN;
        double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            sum += a[i];
            min = Math.min(min, a[i]);
            max = Math.max(max, a[i]);
        }
        return trimmedMean(sum, min, max, n);
    }

    /** {@link #trimmedMean(double[], int)} of n values from their sum (added in order), lowest and highest. */
    public static double trimmedMean(double sum, double min, double max, int n) {
        if (n == 0) return Double.NaN;
        return n < 3 ? sum / n : (sum - min - max) / (n - 2);
    }

    /** 1.4826 times the median absolute deviation from centre: the standard deviation of normal noise, robust to outliers. Overwrites a. */
    public static double robustSigmaInPlace(double[] a, double centre) {
        for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i] - centre);
        return 1.4826 * medianInPlace(a, a.length);
    }

    /** The sample-to-sample noise of x, in time order: a robust standard deviation of its first differences, over the square root of two. */
    public static double stepNoise(double[] x) {
        double[] d = new double[Math.max(0, x.length - 1)];
        for (int i = 1; i < x.length; i++) d[i - 1] = x[i] - x[i - 1];
        return robustSigmaInPlace(d, median(d)) / Math.sqrt(2);
    }

    public static double median(double[] a) {
        return medianInPlace(a.clone(), a.length);
    }

    /** {@link #median(double[])} of values already sorted. */
    public static double medianOfSorted(double[] sorted) {
        int n = sorted.length;
        if (n == 0) return Double.NaN;
        return (n & 1) == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /**
     * The k-th smallest (0-based) of a[from..to]; partitions the range around it. The partitions move
     * every value whether it goes left or not and only count the ones that do, so that no branch
     * depends on the data: random samples mispredict half of such branches, which cost more than the
     * moves.
     */
    public static double select(double[] a, int from, int to, int k) {
        int lo = from, hi = to;
        while (hi - lo >= SELECT_SMALL) {
            double pivot = medianOfThree(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int less = partition(a, lo, hi, pivot, false);
            if (k < less) {
                hi = less - 1; // the pivot itself is right of it, so the range shrinks
            } else if (less > lo) {
                lo = less;
            } else {
                // the pivot is the range's lowest value: its copies go left, at least one
                int same = partition(a, lo, hi, pivot, true);
                // no value is at or below a NaN pivot: sorting, which puts NaN last, is the only way on
                if (same == lo) {
                    Arrays.sort(a, lo, hi + 1);
                    return a[k];
                }
                if (k < same) return pivot;
                lo = same;
            }
        }
        insertionSort(a, lo, hi);
        return a[k];
    }

    /** Ranges this short are sorted by insertion rather than partitioned. */
    private static final int SELECT_SMALL = 8;

    /**
     * Moves the values of a[lo..hi] below the pivot (or not above it, with {@code orEqual}) to the front;
     * returns where the others start.
     */
    private static int partition(double[] a, int lo, int hi, double pivot, boolean orEqual) {
        int store = lo;
        if (orEqual) {
            for (int i = lo; i <= hi; i++) {
                double v = a[i];
                a[i] = a[store];
                a[store] = v;
                store += v <= pivot ? 1 : 0;
            }
        } else {
            for (int i = lo; i <= hi; i++) {
                double v = a[i];
                a[i] = a[store];
                a[store] = v;
                store += v < pivot ? 1 : 0;
            }
        }
        return store;
    }

    /** The q-quantile of sorted values by linear interpolation. */
    public static double quantileSorted(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) return sorted[sorted.length - 1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }

    /**
     * Lag-1 autocorrelation of values in time order, clipped to [0, 0.9]: monitoring series are
     * positively autocorrelated, which makes n samples worth fewer independent ones.
     */
    public static double lag1(double[] x) {
        int n = x.length;
        if (n < 4) return 0;
        double mean = 0;
        for (double v : x) mean += v;
        mean /= n;
        double num = 0, den = 0;
        for (int i = 0; i < n; i++) {
            double d = x[i] - mean;
            den += d * d;
            if (i > 0) num += d * (x[i - 1] - mean);
        }
        if (den == 0) return 0;
        return Math.max(0, Math.min(0.9, num / den));
    }

    /**
     * Mann-Kendall trend statistic of values in time order, standardised (with continuity correction and
     * the tie correction of the variance): positive when they rise. Distribution-free, so a GC sawtooth or
     * a skewed latency does not fake a trend the way a least-squares slope can be pulled by one outlier.
     */
    public static double mannKendallZ(double[] x, int from, int to) {
        int n = to - from;
        if (n < 3) return 0;
        long s = 0;
        for (int i = from; i < to; i++) {
            double xi = x[i];
            for (int j = i + 1; j < to; j++) s += Double.compare(x[j], xi) > 0 ? 1 : x[j] < xi ? -1 : 0;
        }
        double var = n * (n - 1.0) * (2 * n + 5) / 18;
        double[] sorted = Arrays.copyOfRange(x, from, to);
        Arrays.sort(sorted);
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) j++;
            int t = j - i;
            if (t > 1) var -= t * (t - 1.0) * (2 * t + 5) / 18;
            i = j;
        }
        if (var <= 0 || s == 0) return 0;
        return (s - Math.signum(s)) / Math.sqrt(var);
    }

    /** P(Z >= z) for a standard normal Z. */
    public static double upperTail(double z) {
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }

    /** The z with P(Z >= z) = p. */
    public static double upperQuantile(double p) {
        if (p <= 0) return Double.POSITIVE_INFINITY;
        if (p >= 1) return Double.NEGATIVE_INFINITY;
        return -Erf.erfInv(2 * p - 1) * Math.sqrt(2);
    }

    public static double[] sortedCopy(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    private static void insertionSort(double[] a, int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            double v = a[i];
            int j = i - 1;
            while (j >= lo && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    private static double medianOfThree(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
