package io.graywatch.core.funnel.clean;

import io.graywatch.core.metric.Series;

import java.util.Arrays;

/**
 * Where the samples of one instance's series fall on the fleet's grid: per sample in the window, its
 * bucket, or none when it is dropped. Which samples are dropped depends only on their times and on
 * which of them are missing, so the series of one instance, scraped together, share a layout: it is
 * worked out once per instance and round (see {@link Fleet#layout}), and only a series with other
 * times or with missing samples needs one of its own.
 */
final class Layout {
    /** Index in the series of the first sample in the window. */
    private final int first;
    /** Times of the samples in the window. */
    private final long[] times;
    /** Per sample in the window, its bucket; -1 when it is dropped. */
    private final int[] bucket;
    /** Whether no sample in the window is missing: only then does the layout hold for another series with the same times. */
    private final boolean complete;
    /** The series it was worked out for: one sharing its times is known to line up without comparing them. */
    private final Series source;
    /**
     * Per run of kept samples in consecutive buckets, one each: where it starts in the window, its first
     * bucket and its length (three ints a run); null when some bucket keeps two samples. A scrape at the
     * step makes a few such runs (the before part, the after part), and a run's means are its samples.
     */
    private final int[] runs;

    private Layout(int first, long[] times, int[] bucket, boolean complete, Series source) {
        this.first = first;
        this.times = times;
        this.bucket = bucket;
        this.complete = complete;
        this.source = source;
        this.runs = runs(bucket);
    }

    private static int[] runs(int[] bucket) {
        int[] out = new int[12];
        int k = 0, lastKept = -1;
        for (int j = 0; j < bucket.length; j++) {
            int b = bucket[j];
            if (b < 0) continue;
            if (b == lastKept) return null;
            if (k > 0 && out[k - 3] + out[k - 1] == j && out[k - 2] + out[k - 1] == b) {
                out[k - 1]++;
            } else {
                if (k == out.length) out = Arrays.copyOf(out, 2 * k);
                out[k++] = j;
                out[k++] = b;
                out[k++] = 1;
            }
            lastKept = b;
        }
        return Arrays.copyOf(out, k);
    }

    /**
     * The layout of s on the grid. After the switch, the warm-up is dropped: it runs from when the
     * instance started serving the new version (the executor's readiness time, else its first sample
     * after the switch, since a replaced or restarted process reports nothing while it boots: see
     * {@link Series#firstAfterRestart}), and again after any boot gap ({@link Series#restartGap}), as a
     * process that went silent that long restarted cold. An after sample sharing a bucket with a before
     * one is dropped too.
     *
     * @param switchAt   when the instance switched version, {@link Long#MAX_VALUE} if it did not
     * @param lastBefore the last bucket of its before part
     */
    static Layout of(Series s, Fleet fleet, long switchAt, Long servingSince, int lastBefore) {
        long step = fleet.step(), bucketStart = fleet.from(), warmup = fleet.warmup();
        int first = firstAtOrAfter(s, bucketStart), end = first;
        while (end < s.size() && s.time(end) <= fleet.now()) end++;
        long[] times = new long[end - first];
        int[] bucket = new int[end - first];
        boolean complete = true;
        long warmEnd = servingSince == null ? Long.MAX_VALUE : servingSince + warmup;
        // the first sample of the process on the new version, not the old one's last scrape after the switch
        int up = servingSince == null && switchAt != Long.MAX_VALUE ? s.firstAfterRestart(switchAt, step, fleet.now()) : -1;
        // an instance that reported up to its switch came up at it: its warm-up is over a step after that at the soonest,
        // as a sample covers the step before its stamp and one stamped within a step of the switch still holds some of it
        long upSample = up < 0 ? Long.MAX_VALUE : s.reportingAt(switchAt, step) ? Math.max(s.time(up), switchAt + step) : s.time(up);
        long prevT = Long.MIN_VALUE;
        int b = 0;
        for (int k = first; k < end; k++) {
            long t = s.time(k);
            times[k - first] = t;
            bucket[k - first] = -1;
            if (!Double.isFinite(s.value(k))) {
                // a booting process may be scraped as NaN: only real values tell it serves
                complete = false;
                continue;
            }
            long gap = t - prevT;
            prevT = t;
            if (k == up) warmEnd = upSample + warmup;
            else if (t > switchAt && warmEnd != Long.MAX_VALUE && Series.restartGap(gap, step) && t >= warmEnd) warmEnd = t + warmup;
            // times are sorted: the bucket only moves forward, usually by one
            while (t >= bucketStart + step) {
                bucketStart += step;
                b++;
            }
            if (t < switchAt || (t >= warmEnd && b > lastBefore)) bucket[k - first] = b;
        }
        return new Layout(first, times, bucket, complete, s);
    }

    private static int firstAtOrAfter(Series s, long t) {
        if (s.isEmpty() || s.time(0) >= t) return 0; // the usual case, without a search's scattered reads
        int lo = 0, hi = s.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.time(mid) < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** Whether the layout can stand for others of the instance's series. */
    boolean complete() { return complete; }

    /** Per bucket, the mean of s's samples in it, NaN where none is kept (gaps are never filled). s must be the series the layout was worked out for, or one it {@link #fits}. */
    double[] means(Series s, int buckets) {
        double[] mean = new double[buckets];
        if (runs != null) {
            // the gaps between runs are filled, not the whole row first: every round writes every row of every metric
            int gap = 0;
            for (int r = 0; r < runs.length; r += 3) {
                Arrays.fill(mean, gap, runs[r + 1], Double.NaN);
                s.copyValues(first + runs[r], mean, runs[r + 1], runs[r + 2]);
                gap = runs[r + 1] + runs[r + 2];
            }
            Arrays.fill(mean, gap, buckets, Double.NaN);
            return mean;
        }
        Arrays.fill(mean, Double.NaN);
        int last = -1, count = 0;
        for (int j = 0; j < bucket.length; j++) {
            int b = bucket[j];
            if (b < 0) continue;
            double v = s.value(first + j);
            // a bucket rarely gets a second sample from a scrape at the step; its samples follow one another
            if (b != last) {
                mean[b] = v;
                last = b;
                count = 1;
            } else {
                mean[b] = (mean[b] * count + v) / (count + 1);
                count++;
            }
        }
        return mean;
    }

    /** Whether the layout, worked out for another series of the instance, holds for s: the same times in the window, none missing. */
    boolean fits(Series s, Fleet fleet) {
        int end = first + times.length;
        if (!complete) return false;
        // the usual case: scraped together, the series share their times (see Observations), so only missing values can differ
        if (s.sameTimes(source)) return s.finiteBetween(first, end);
        if (s.size() < end) return false;
        if (first > 0 && s.time(first - 1) >= fleet.from()) return false;
        if (end < s.size() && s.time(end) <= fleet.now()) return false;
        for (int j = 0; j < times.length; j++) if (s.time(first + j) != times[j] || !Double.isFinite(s.value(first + j))) return false;
        return true;
    }
}
