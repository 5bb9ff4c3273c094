package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.attribution.Attribution.Control;
import io.graywatch.core.funnel.change.RateTest;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.funnel.clean.MetricSeries.Reduce;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricRole;

/**
 * An error rate is a share of counted requests: 1.25% may be one failure in eighty. A rank test on
 * the percentages cannot know how many requests stand behind them; this test counts them. Per minute,
 * the failed requests of a group are its error share times its requests. The released instances'
 * failures since the warm-up are compared with what their requests would have met at the reference
 * group's failure rate over the same minutes, times the ratio of the two groups' failure rates before
 * the first batch, with a quasi-Poisson test whose dispersion is the released instances' over the
 * baseline (failures come in bursts). Half a failure of prior on each side keeps an error-free hour from
 * making the first failure infinitely surprising. Without a reference group, the released instances'
 * own rate before their switch is the control.
 */
public final class FailedRequests {
    /** Baseline minutes needed to know the ratio and the dispersion. */
    static final int MIN_BASELINE = 20;

    private FailedRequests() {
    }

    /**
     * How many times the metric's minimum effect a change at low traffic must be: failures counted here, and
     * latency or traffic judged with too few requests a minute for their values to be steady.
     */
    public static final double SIZE = 2;

    /**
     * The released instances' failed requests since the warm-up against those expected of their requests
     * (see {@link #count}), and how many minutes they were counted in.
     */
    public record Count(double failed, double expected, double requests, int minutes, double pValue, Control control) {
    }

    /**
     * The one-sided p-value of the released instances' failures in the error rate's bad direction, or NaN
     * when it cannot be counted: no traffic metric, no reference group, no baseline of the released
     * instances' own, or no requests.
     */
    public static double pValue(MetricSeries errors, MetricSeries traffic) {
        Count c = count(errors, traffic);
        return c == null || c.control() != Control.REFERENCE ? Double.NaN : c.pValue();
    }

    /**
     * The released instances' failures since the warm-up against what their requests would have met at the
     * reference group's rate (times the groups' ratio before the first batch) or, with no reference group,
     * at their own rate before it. Replacement pods, with no rate of their own before, are expected to fail
     * as often as the reference instances do in the same minutes. Null when it cannot be counted: no traffic
     * metric, not an error or success rate, no baseline at all, or no requests.
     */
    public static Count count(MetricSeries errors, MetricSeries traffic) {
        return count(errors, traffic, errors.firstAfterBucket(), errors.fleet().buckets() - 1);
    }

    /** {@link #count(MetricSeries, MetricSeries)} over the after buckets [from, to] only. */
    private static Count count(MetricSeries errors, MetricSeries traffic, int from, int to) {
        MetricRole role = errors.spec().role();
        if (traffic == null || (role != MetricRole.ERROR_RATE && role != MetricRole.SUCCESS_RATE)) return null;
        boolean peers = !errors.reference().isEmpty();
        double scale = 0.01 / errors.percentScale();
        boolean success = role == MetricRole.SUCCESS_RATE;
        int baseEnd = errors.fleet().baselineEnd(), last = Math.min(to, errors.fleet().buckets() - 1);
        // refAlone: the reference's baseline minutes whether or not the released instances served in them
        Tally relBase = new Tally(), refBase = new Tally(), rel = new Tally(), ref = new Tally(), refAlone = new Tally();
        for (int b = 0; b <= last; b++) {
            boolean base = b <= baseEnd;
            if (!base && b < Math.max(from, baseEnd + 1)) continue;
            double[] r = failed(errors, traffic, base ? Part.RELEASE_BEFORE : Part.RELEASE_AFTER, b, scale, success);
            double[] f = peers ? failed(errors, traffic, Part.REFERENCE, b, scale, success) : null;
            if (base && f != null) refAlone.add(f);
            if (r == null || (peers && f == null)) continue;
            (base ? relBase : rel).add(r);
            if (peers) (base ? refBase : ref).add(f);
        }
        boolean own = relBase.minutes >= MIN_BASELINE && relBase.requests > 0;
        if (rel.minutes == 0 || (!own && !peers)) return null;
        if (!own) refBase = refAlone;
        if (peers && (refBase.minutes < MIN_BASELINE || refBase.requests <= 0 || ref.requests <= 0)) return null;
        double rate = own ? (relBase.failed + 0.5) / relBase.requests : 1;
        if (peers) rate *= (ref.failed + 0.5) / ref.requests / (own ? (refBase.failed + 0.5) / refBase.requests : 1);
        double expected = rel.requests * rate;
        // how bursty failures are here: variance over mean of the failures a minute before the batch, the released
        // instances' own where they have a baseline
        Tally base = own ? relBase : refBase;
        double dispersion = Math.max(1, RateTest.dispersion(base.failed, base.failedSq, base.minutes));
        Control control = !peers ? Control.HISTORY : own ? Control.REFERENCE : Control.REFERENCE_ONLY;
        return new Count(rel.failed, expected, rel.requests, rel.minutes, RateTest.pValue(rel.failed, expected, dispersion, Bad.INCREASE), control);
    }

    /**
     * How far, in the metric's own units, counting alone swings the released instances' share from one sample to the
     * next at the level it stands at since the switch: a share p of n requests a step has a standard deviation of
     * sqrt(p(1 - p) / n), so 8% of 540 requests swings by 1.2 points where the hour's 0.3% swung by 0.2. 0 when it
     * cannot be counted (no traffic metric, not an error or success rate).
     *
     * @param c the released instances' failures ({@link #count}), or null
     */
    public static double samplingSd(MetricSeries errors, Count c) {
        if (c == null || c.minutes() == 0 || c.requests() <= 0) return 0;
        double p = c.failed() / c.requests(), perStep = c.requests() / c.minutes();
        return Math.sqrt(p * (1 - p) / perStep) * errors.percentScale() * 100;
    }

    /**
     * Failures counted ({@link #count}) beyond doubt, for when there are too few requests to judge an error rate minute by
     * minute (a percentage of five requests jumps by twenty points with each one), or null. A handful of
     * requests a minute still adds up: a third of them failing for ten minutes is beyond chance when none
     * failed in the hour before. Needs {@code strongAlpha}, {@link ClearStep#MIN_AFTER} minutes and
     * {@link #SIZE} times the metric's minimum effect, as the other fast lanes do.
     */
    public static Attribution beyondDoubt(MetricSeries errors, MetricSeries traffic, Count c, double strongAlpha, double alpha) {
        if (c == null || c.minutes() < ClearStep.MIN_AFTER || c.pValue() > strongAlpha) return null;
        if (c.control() == Control.HISTORY && !inEveryThird(errors, traffic, alpha)) return null;
        double observedShare = c.failed() / c.requests(), expectedShare = c.expected() / c.requests();
        double scale = 0.01 / errors.percentScale();
        boolean success = errors.spec().role() == MetricRole.SUCCESS_RATE;
        double effect = success ? (expectedShare - observedShare) / Math.max(1 - expectedShare, 1e-9) : observedShare / expectedShare - 1;
        double effectAbs = (success ? -1 : 1) * (observedShare - expectedShare) / scale;
        if (!Attributor.bigEnough(errors, effect, effectAbs, SIZE)) return null;
        Control control = c.control();
        return new Attribution(true, control, control.confidence, c.pValue(), effectAbs, Double.NaN, Double.NaN,
                effect, effectAbs, Double.NaN, true);
    }

    /**
     * Whether the failures stand out (below alpha) in each third of the minutes since the warm-up alike.
     * Against its own history alone, an upstream incident's burst of failures cannot be told from the
     * release's by counts; it can by time: a burst fills a few minutes, a broken release fails from its
     * switch on, in the first minutes as in the latest.
     */
    private static boolean inEveryThird(MetricSeries errors, MetricSeries traffic, double alpha) {
        int first = Math.max(errors.firstAfterBucket(), errors.fleet().baselineEnd() + 1), last = errors.fleet().buckets() - 1;
        int n = last - first + 1;
        if (n < 3) return false;
        for (int k = 0; k < 3; k++) {
            Count c = count(errors, traffic, first + k * n / 3, first + (k + 1) * n / 3 - 1);
            if (c == null || c.pValue() >= alpha) return false;
        }
        return true;
    }

    /** {failed, requests} of a part in bucket b, or null when either is unknown. */
    private static double[] failed(MetricSeries errors, MetricSeries traffic, Part part, int b, double scale, boolean success) {
        return failed(errors, traffic, errors.inBucket(part, Reduce.MEAN, b), traffic.inBucket(part, Reduce.SUM, b), scale, success);
    }

    /** {failed, requests} of an error share and the traffic value that goes with it, or null when either is unknown. */
    private static double[] failed(MetricSeries errors, MetricSeries traffic, double share, double trafficValue, double scale, boolean success) {
        // a step's worth of requests is what was counted
        long step = errors.fleet().step();
        double requests = traffic.spec().requestsPerSecond(trafficValue, step) * step;
        if (Double.isNaN(share) || Double.isNaN(requests) || requests <= 0) return null;
        double failedShare = Math.min(1, Math.max(0, success ? 1 - share * scale : share * scale));
        return new double[]{failedShare * requests, requests};
    }

    /**
     * How far the failed requests the released instances counted in their first minute since the warm-up stand above
     * {@code keeps} of those in the last warm-up minute, in standard deviations of the two counts (quasi-Poisson, with
     * the dispersion of the failures a minute before the batch); NaN when they cannot be counted. A percentage of a
     * few failures swings by half from one minute to the next: only the count knows how far it may swing.
     */
    public static double heldSinceWarmup(MetricSeries errors, MetricSeries traffic, double keeps) {
        MetricRole role = errors.spec().role();
        if (traffic == null || (role != MetricRole.ERROR_RATE && role != MetricRole.SUCCESS_RATE)) return Double.NaN;
        double[] shares = errors.warmupTailRaw(), requests = traffic.warmupTailRaw();
        int b = errors.firstBucket(Part.RELEASE_SINCE_WARMUP);
        int n = errors.released().size();
        if (shares == null || requests == null || b >= errors.fleet().buckets() || traffic.released().size() != n) return Double.NaN;
        double scale = 0.01 / errors.percentScale();
        boolean success = role == MetricRole.SUCCESS_RATE;
        double warm = 0, first = 0;
        for (int i = 0; i < n; i++) {
            double[] w = failed(errors, traffic, shares[i], requests[i], scale, success), f = failed(errors, traffic, errors.row(i)[b], traffic.row(i)[b], scale, success);
            if (w == null || f == null) return Double.NaN;
            warm += w[0];
            first += f[0];
        }
        Tally base = new Tally();
        Part before = errors.reference().isEmpty() || errors.firstBucket(Part.RELEASE_BEFORE) <= errors.fleet().baselineEnd() ? Part.RELEASE_BEFORE : Part.REFERENCE;
        for (int t = 0; t <= errors.fleet().baselineEnd(); t++) {
            double[] r = failed(errors, traffic, before, t, scale, success);
            if (r != null) base.add(r);
        }
        double dispersion = Math.max(1, RateTest.dispersion(base.failed, base.failedSq, base.minutes));
        return (first - keeps * warm) / Math.sqrt(dispersion * Math.max(1, first + keeps * keeps * warm));
    }

    private static final class Tally {
        double failed, failedSq, requests;
        int minutes;

        void add(double[] fr) {
            failed += fr[0];
            failedSq += fr[0] * fr[0];
            requests += fr[1];
            minutes++;
        }
    }
}
