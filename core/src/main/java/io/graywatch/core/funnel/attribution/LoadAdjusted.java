package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.attribution.Attribution.Control;
import io.graywatch.core.funnel.change.ChangeDetector;
import io.graywatch.core.funnel.change.RankTest;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.funnel.clean.MetricSeries.Reduce;
import io.graywatch.core.guard.StageSettings;
import io.graywatch.core.metric.MetricRole;

import java.util.Arrays;

/**
 * A utilisation against its own history, with the load taken out. Without a reference group, CPU that
 * rose with the day's traffic is no evidence, and CPU that rose at the same traffic is: a release that
 * doubles the work per request. Over the hour before the switch, the released instances' CPU is fitted
 * to their traffic (an idle floor plus a share per request, by least squares); the fit's residuals before
 * and after the switch are then compared with the rank test, held to the own-history control's share of
 * alpha. The hour's own swings in traffic are what teach the fit its slope; a surge beyond them
 * saturates CPU, which the straight line over-predicts, so it leans towards no finding.
 */
public final class LoadAdjusted {
    /** The share of the hour's load cut off at either end: the range within which the fit is trusted. */
    static final double LOAD_RANGE = 0.05;

    /** The share of the after buckets whose load must lie within that range. */
    static final double IN_RANGE = 0.75;

    /** How far the after buckets' median load may sit from the hour's, relative. */
    static final double LOAD_MOVED = 0.25;

    /** Buckets with both CPU and traffic needed to fit the load. */
    static final int MIN_FIT = 20;

    private LoadAdjusted() {
    }

    /**
     * @param traffic the released instances' requests, or null
     * @return the attribution of CPU that moved the bad way at the same load, or null when there is none to tell
     */
    public static Attribution of(MetricSeries ms, MetricSeries traffic, StageSettings st, int minSamples) {
        if (traffic == null || !ms.reference().isEmpty() || ms.spec().role() != MetricRole.RESOURCE || !ms.spec().measuresUtilisation()
                || traffic.released().isEmpty()) return null;
        int buckets = ms.fleet().buckets(), end = ms.fleet().baselineEnd();
        double[] y = new double[buckets], q = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            Part part = b <= end ? Part.RELEASE_BEFORE : Part.RELEASE_AFTER;
            y[b] = ms.inBucket(part, Reduce.MEAN, b);
            q[b] = traffic.inBucket(part, Reduce.MEAN, b);
        }
        double[] fit = fit(y, q, end);
        if (fit == null) return null;
        // only where the load stayed within what the hour showed: a straight line says nothing beyond it
        double[] load = ChangeDetector.finite(q, 0, end);
        Arrays.sort(load);
        double lo = load[(int) (LOAD_RANGE * (load.length - 1))], hi = load[(int) ((1 - LOAD_RANGE) * (load.length - 1))];
        int afterBuckets = 0;
        for (int b = ms.firstAfterBucket(); b < buckets; b++) {
            if (Double.isNaN(q[b]) || Double.isNaN(y[b])) continue;
            afterBuckets++;
            if (q[b] < lo || q[b] > hi) q[b] = Double.NaN;
        }
        double[] before = residuals(y, q, fit, 0, end), after = residuals(y, q, fit, ms.firstAfterBucket(), buckets - 1);
        if (after.length < IN_RANGE * afterBuckets) return null;
        // and the load the after buckets served is about the hour's: a straight line fits CPU only near where it was fitted
        double[] served = ChangeDetector.finite(q, ms.firstAfterBucket(), buckets - 1);
        if (served.length == 0 || Math.abs(Stats.median(served) / Stats.median(load) - 1) >= LOAD_MOVED) return null;
        if (before.length < MIN_FIT || after.length < minSamples) return null;
        RankTest test = RankTest.of(before, after, Stats.lag1(before));
        double alpha = st.alpha() * Control.HISTORY.alphaShare;
        double p = test.pValue(ms.spec().bad());
        if (!(p < alpha)) return null;
        RankTest.Interval did = test.shift(alpha);
        double level = Stats.median(ChangeDetector.finite(y, 0, end));
        // a warm-up that outlasted its window comes down towards the fit: asked of every sample since the warm-up
        double[] since = new double[buckets];
        Arrays.fill(since, Double.NaN);
        for (int b = end + 1; b < buckets; b++) since[b] = ms.inBucket(Part.RELEASE_SINCE_WARMUP, Reduce.MEAN, b);
        double scale = Math.max(Math.abs(level), 1e-9);
        if (Attributor.fading(ms, residuals(since, q, fit, end + 1, buckets - 1), test.beforeMedian(), did.estimate(), x -> x / scale, x -> x))
            return null;
        // the latest samples must still show it, as for any change against history
        double recent = Stats.median(Arrays.copyOfRange(after, Math.max(0, after.length - minSamples), after.length)) - test.beforeMedian();
        double effect = did.estimate() / scale;
        if (!Attributor.bigEnough(ms, effect, did.estimate(), 1) || !Attributor.bigEnough(ms, recent / scale, recent, 0.5)) return null;
        return new Attribution(true, Control.HISTORY, Control.HISTORY.confidence, p, did.estimate(), did.low(), did.high(),
                effect, did.estimate(), recent / scale, true);
    }

    /** Intercept and slope of y on q over buckets [0, end] where both are known; the slope is never below zero (CPU does not fall as load rises). */
    static double[] fit(double[] y, double[] q, int end) {
        double sy = 0, sq = 0, n = 0;
        for (int b = 0; b <= end && b < y.length; b++) {
            if (Double.isNaN(y[b]) || Double.isNaN(q[b])) continue;
            sy += y[b];
            sq += q[b];
            n++;
        }
        if (n < MIN_FIT) return null;
        double my = sy / n, mq = sq / n, cov = 0, var = 0;
        for (int b = 0; b <= end && b < y.length; b++) {
            if (Double.isNaN(y[b]) || Double.isNaN(q[b])) continue;
            cov += (y[b] - my) * (q[b] - mq);
            var += (q[b] - mq) * (q[b] - mq);
        }
        double slope = var > 0 ? Math.max(0, cov / var) : 0;
        return new double[]{my - slope * mq, slope};
    }

    private static double[] residuals(double[] y, double[] q, double[] fit, int from, int to) {
        double[] r = new double[Math.max(0, to - from + 1)];
        int k = 0;
        for (int b = Math.max(0, from); b <= to && b < y.length; b++)
            if (!Double.isNaN(y[b]) && !Double.isNaN(q[b])) r[k++] = y[b] - (fit[0] + fit[1] * q[b]);
        return Arrays.copyOf(r, k);
    }
}
