package io.graywatch.scraper;

import io.graywatch.core.metric.Series;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** One instance's derived metrics, scrape by scrape, for a bounded time. Thread-safe. */
final class InstanceHistory {
    private record Point(long millis, double[] values) {
    }

    private final long retentionMillis;
    private final Deque<Point> points = new ArrayDeque<>();

    InstanceHistory(long retentionMillis) {
        this.retentionMillis = retentionMillis;
    }

    synchronized void add(long millis, double[] values) {
        points.addLast(new Point(millis, values.clone()));
        while (!points.isEmpty() && points.peekFirst().millis < millis - retentionMillis) points.removeFirst();
    }

    synchronized int size() {
        return points.size();
    }

    /**
     * The metric's samples with {@code from <= t <= to} (Unix seconds). With a step above one
     * second, samples in the same step are averaged and stamped with the last one's time, so no
     * value appears before it was scraped; the start time keeps its last value instead.
     */
    synchronized Series series(int metric, long from, long to, long step, boolean last) {
        long[] t = new long[points.size()];
        double[] v = new double[points.size()];
        int n = 0, inBucket = 0;
        long bucket = Long.MIN_VALUE;
        for (Point p : points) {
            long s = Math.floorDiv(p.millis, 1000);
            double x = p.values[metric];
            if (s < from || s > to || Double.isNaN(x)) continue;
            long b = step > 1 ? Math.floorDiv(s, step) : s;
            if (n > 0 && b == bucket) {
                inBucket++;
                v[n - 1] = last ? x : v[n - 1] + (x - v[n - 1]) / inBucket;
                t[n - 1] = s;
            } else {
                bucket = b;
                inBucket = 1;
                t[n] = s;
                v[n] = x;
                n++;
            }
        }
        return Series.of(Arrays.copyOf(t, n), Arrays.copyOf(v, n));
    }
}
