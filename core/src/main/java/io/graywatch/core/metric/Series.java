package io.graywatch.core.metric;

import java.util.Arrays;

/**
 * Samples of one metric on one instance, sorted by time (Unix seconds). A missing sample is
 * either absent or NaN; nothing here fills gaps, so no stage can judge data that was never seen.
 */
public final class Series {
    private static final Series EMPTY = new Series(new long[0], new double[0]);

    private final long[] times;
    private final double[] values;

    private Series(long[] times, double[] values) {
        this.times = times;
        this.values = values;
    }

    public static Series empty() { return EMPTY; }

    /** Builds a series from parallel arrays, sorting by time; a repeated timestamp keeps its last value. */
    public static Series of(long[] times, double[] values) {
        if (times.length != values.length) throw new IllegalArgumentException("times and values differ in length");
        int n = times.length;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = times[i - 1] < times[i];
        if (sorted) return new Series(times.clone(), values.clone());
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> times[a] != times[b] ? Long.compare(times[a], times[b]) : Integer.compare(a, b));
        long[] t = new long[n];
        double[] v = new double[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = idx[k];
            if (m > 0 && t[m - 1] == times[i]) {
                v[m - 1] = values[i];
            } else {
                t[m] = times[i];
                v[m] = values[i];
                m++;
            }
        }
        return new Series(Arrays.copyOf(t, m), Arrays.copyOf(v, m));
    }

    public int size() { return times.length; }

    public boolean isEmpty() { return times.length == 0; }

    public long time(int i) { return times[i]; }

    public double value(int i) { return values[i]; }

    public long[] times() { return times.clone(); }

    public double[] values() { return values.clone(); }

    /** Samples with {@code from <= time < to}. */
    public Series between(long from, long to) {
        int a = lowerBound(from), b = lowerBound(to);
        if (a == 0 && b == times.length) return this;
        if (a >= b) return EMPTY;
        return new Series(Arrays.copyOfRange(times, a, b), Arrays.copyOfRange(values, a, b));
    }

    /** Samples with {@code time <= t}: what could be known at moment t. */
    public Series upTo(long t) {
        return between(Long.MIN_VALUE, t == Long.MAX_VALUE ? t : t + 1);
    }

    /** The finite values, in time order. */
    public double[] finiteValues() {
        int n = 0;
        for (double v : values) if (Double.isFinite(v)) n++;
        double[] out = new double[n];
        int k = 0;
        for (double v : values) if (Double.isFinite(v)) out[k++] = v;
        return out;
    }

    private int lowerBound(long t) {
        int lo = 0, hi = times.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && Arrays.equals(times, s.times) && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(times) + Arrays.hashCode(values); }

    @Override
    public String toString() { return "Series[" + times.length + " samples]"; }
}
