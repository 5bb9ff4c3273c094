package io.graywatch.core.metric;

import java.util.Arrays;

/**
 * Samples of one metric on one instance, sorted by time (Unix seconds). A missing sample is
 * either absent or NaN; nothing here fills gaps, so no stage can judge data that was never seen.
 * <p>
 * A series is a window [offset, offset + size) on arrays it never changes: a guard cuts every series
 * at every round ({@link #between}, {@link #upTo}), and a window costs nothing to cut. The times may
 * be shared with the instance's other series scraped at the same moments ({@link #sharingTimes}):
 * a stage can then tell from one comparison that two series line up sample for sample.
 */
public final class Series {
    private static final Series EMPTY = new Series(new long[0], new double[0], null, 0, 0);

    private final long[] times;
    private final double[] values;
    /**
     * Per index into the arrays, how many values before it are NaN or infinite (one entry more than the
     * arrays); null when all are finite, as nearly always: whether a window is whole is then two reads.
     */
    private final int[] missingBefore;
    private final int offset;
    private final int size;

    private Series(long[] times, double[] values, int[] missingBefore, int offset, int size) {
        this.times = times;
        this.values = values;
        this.missingBefore = missingBefore;
        this.offset = offset;
        this.size = size;
    }

    private static Series whole(long[] times, double[] values) {
        int[] missing = null;
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) continue;
            missing = new int[values.length + 1];
            for (int k = i; k < values.length; k++) missing[k + 1] = missing[k] + (Double.isFinite(values[k]) ? 0 : 1);
            break;
        }
        return new Series(times, values, missing, 0, times.length);
    }

    public static Series empty() { return EMPTY; }

    /**
     * Whether a silence of {@code gap} seconds between two samples of a series scraped every {@code step} seconds
     * is a restart rather than a lost scrape: two scrapes missed in a row. Half a step of room is left either way,
     * as scrapes are not stamped on the dot (a target's scrape offset, a slow exporter).
     */
    public static boolean restartGap(long gap, long step) {
        return 2 * gap >= 5 * step;
    }

    /**
     * Whether a silence of {@code gap} seconds misses a scrape at {@code step}, with half a step of room. Right after an
     * instance switches version in place it is the restart: the old process scraped a last time (a switch seldom falls
     * on a scrape) and the new one booted within the step.
     */
    public static boolean missedScrape(long gap, long step) {
        return 2 * gap >= 3 * step;
    }

    /**
     * The index of the first sample that the process serving the new version reported after {@code switchAt}, or -1
     * when none has yet at {@code now}. A sample covers the step before its stamp, so one stamped less than half a step
     * after the switch holds mostly the minute before it when the instance reported then (switched in place, scraped at
     * its own offset into the minute): the next one is the first. Otherwise it is the first finite sample after the
     * switch unless a scrape was missed after it ({@link #missedScrape}): then it was the old process's last scrape, and
     * the first after the silence is the new one's; while its next scrape is over a fifth of a step late at {@code now},
     * it may be either, so none is taken until the next one tells.
     */
    public int firstAfterRestart(long switchAt, long step, long now) {
        int first = -1;
        boolean mostlyOld = false;
        for (int i = lowerBound(switchAt + 1); i < size; i++) {
            if (!Double.isFinite(value(i))) continue;
            if (time(i) > now) break;
            if (first >= 0) return mostlyOld || missedScrape(time(i) - time(first), step) ? i : first;
            if (time(i) - switchAt >= step) return i;
            first = i;
            mostlyOld = 2 * (time(i) - switchAt) < step && reportingAt(switchAt, step);
        }
        return first < 0 || mostlyOld || now - time(first) > step + step / 5 ? -1 : first;
    }

    /** Whether the series reported up to {@code t}: its last finite sample by then missed no scrape ({@link #missedScrape}). */
    public boolean reportingAt(long t, long step) {
        for (int i = lowerBound(t + 1) - 1; i >= 0; i--) if (Double.isFinite(value(i))) return !missedScrape(t - time(i), step);
        return false;
    }

    /** Builds a series from parallel arrays, sorting by time; a repeated timestamp keeps its last value. */
    public static Series of(long[] times, double[] values) {
        if (times.length != values.length) throw new IllegalArgumentException("times and values differ in length");
        int n = times.length;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = times[i - 1] < times[i];
        if (sorted) return whole(times.clone(), values.clone());
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
        return whole(Arrays.copyOf(t, m), Arrays.copyOf(v, m));
    }

    /**
     * This series with the very array of times of {@code other} when both are whole series (not windows
     * of longer ones) with the same times, else this series itself: series scraped together then share
     * their times, and {@link #sameTimes} sees it without looking at them.
     */
    public Series sharingTimes(Series other) {
        boolean wholes = offset == 0 && size == times.length && other.offset == 0 && other.size == other.times.length;
        if (!wholes || other.times == times || !Arrays.equals(times, other.times)) return this;
        return new Series(other.times, values, missingBefore, 0, size);
    }

    /**
     * Whether s has the very samples times of this series, found without looking at them: true only when
     * both are the same window on one shared array (see {@link #sharingTimes}); false says nothing.
     */
    public boolean sameTimes(Series s) {
        return s.times == times && s.offset == offset && s.size == size;
    }

    /** Whether the values at indices [from, to) are all finite. */
    public boolean finiteBetween(int from, int to) {
        if (missingBefore == null) return true;
        return missingBefore[offset + to] - missingBefore[offset + from] == 0;
    }

    public int size() { return size; }

    public boolean isEmpty() { return size == 0; }

    public long time(int i) { return times[offset + checked(i)]; }

    public double value(int i) { return values[offset + checked(i)]; }

    /** i itself; throws as an array would when it lies outside the window, which the arrays themselves may not. */
    private int checked(int i) {
        if (i < 0 || i >= size) throw new ArrayIndexOutOfBoundsException("Index " + i + " out of bounds for length " + size);
        return i;
    }

    /** Copies the n values from index {@code from} on into dst at {@code at}, as {@link System#arraycopy} does. */
    public void copyValues(int from, double[] dst, int at, int n) {
        if (from < 0 || n < 0 || from + n > size) throw new ArrayIndexOutOfBoundsException("Range [" + from + ", " + (from + n) + ") out of bounds for length " + size);
        System.arraycopy(values, offset + from, dst, at, n);
    }

    public long[] times() { return Arrays.copyOfRange(times, offset, offset + size); }

    public double[] values() { return Arrays.copyOfRange(values, offset, offset + size); }

    /** Samples with {@code from <= time < to}. */
    public Series between(long from, long to) {
        int a = lowerBound(from), b = lowerBound(to);
        if (a == 0 && b == size) return this;
        if (a >= b) return EMPTY;
        return new Series(times, values, missingBefore, offset + a, b - a);
    }

    /** Samples with {@code time <= t}: what could be known at moment t. */
    public Series upTo(long t) {
        return between(Long.MIN_VALUE, t == Long.MAX_VALUE ? t : t + 1);
    }

    /** The finite values, in time order. */
    public double[] finiteValues() {
        int n = 0;
        for (int i = offset; i < offset + size; i++) if (Double.isFinite(values[i])) n++;
        double[] out = new double[n];
        int k = 0;
        for (int i = offset; i < offset + size; i++) if (Double.isFinite(values[i])) out[k++] = values[i];
        return out;
    }

    private int lowerBound(long t) {
        int lo = 0, hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[offset + mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && size == s.size
                && Arrays.equals(times, offset, offset + size, s.times, s.offset, s.offset + size)
                && Arrays.equals(values, offset, offset + size, s.values, s.offset, s.offset + size);
    }

    @Override
    public int hashCode() { return 31 * Arrays.hashCode(times()) + Arrays.hashCode(values()); }

    @Override
    public String toString() { return "Series[" + size + " samples]"; }
}
