package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.attribution.Attribution.Control;
import io.graywatch.core.funnel.change.Change;
import io.graywatch.core.funnel.change.ChangeDetector;
import io.graywatch.core.funnel.change.ChangeDetector.Rates;
import io.graywatch.core.funnel.change.RankTest;
import io.graywatch.core.funnel.change.RateTest;
import io.graywatch.core.funnel.change.Trend;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.guard.StageSettings;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Stages 4 and 5: is the change the release's doing, and is it big enough to matter?
 * <p>
 * Difference-in-differences: per time bucket, the release group's normalised value minus the
 * reference group's; the shift of that difference from before the switch to after it is the
 * release's effect. A traffic surge, an upstream incident or a daily peak moves both groups and
 * cancels out. For counts, the reference group's rate ratio (after / before) scales what the
 * release group is expected to show. Without a reference group, yesterday at the same time
 * stands in when the history reaches that far, else the release group's own before/after, each
 * with lower confidence; against history, what the old version itself moved by the time it last
 * served is no evidence. Only the bad direction counts, and only beyond the metric's minimum
 * relative and absolute effect.
 */
public final class Attributor {
    private static final long DAY = 86_400;
    private final int minSamples;

    public Attributor(int minSamples) {
        this.minSamples = minSamples;
    }

    public Attribution attribute(MetricSeries ms, Change change, StageSettings st) {
        return st.test() == StageSettings.Test.RATE ? rate(ms, st) : rank(ms, change, st);
    }

    private Attribution rank(MetricSeries ms, Change change, StageSettings st) {
        double[] before = ms.aggregate(Part.RELEASE_BEFORE), after = ms.aggregate(Part.RELEASE_AFTER);
        double[] ref = ms.aggregate(Part.REFERENCE);
        double[][] pair = null;
        Control control = null;
        if (!ms.reference().isEmpty()) {
            pair = new double[][]{diff(before, ref, 0), afterSide(ms, Control.REFERENCE, after, before, ref)};
            control = Control.REFERENCE;
            if (pair[0].length < minSamples) {
                // no history of its own: the reference over the same after buckets is the only comparison, while it still serves
                double[] refAfter = ChangeDetector.maskedBy(ref, after);
                pair = new double[][]{ChangeDetector.finite(refAfter, ms.firstAfterBucket(), Integer.MAX_VALUE),
                        afterSide(ms, Control.REFERENCE_ONLY, after, before, ref)};
                control = Control.REFERENCE_ONLY;
                if (!servesNow(refAfter, after, minSamples)) pair = null;
            }
        } else if (DAY % ms.fleet().step() == 0) {
            pair = new double[][]{diff(before, before, lag(ms)), afterSide(ms, Control.YESTERDAY, after, before, ref)};
            control = Control.YESTERDAY;
        }
        if (pair == null || pair[0].length < minSamples || pair[1].length < minSamples) {
            // the reference has no usable data for this metric, or there is none: own history only; replacement pods
            // have none of their own, and the old version's, before the release, stands in for it where instances of
            // one version agree (error rate and latency are the code's; CPU, memory and traffic share are the host's)
            if (change.fleetHistory() && !codeBound(ms.spec().role())) return null;
            double[] history = change.fleetHistory() ? ChangeDetector.finite(ref, 0, ms.fleet().baselineEnd()) : ChangeDetector.finite(before, 0, Integer.MAX_VALUE);
            pair = new double[][]{history, afterSide(ms, Control.HISTORY, after, before, ref)};
            control = Control.HISTORY;
            if (pair[0].length < minSamples || pair[1].length < minSamples) return null;
        }
        RankTest test = RankTest.of(pair[0], pair[1], Stats.lag1(pair[0]));
        double p = test.pValue(ms.spec().bad());
        double alpha = st.alpha() * control.alphaShare;
        // a leak accumulates with the time on the new version, whatever the day's load does: against its own history
        // alone, a growing resource that is not a utilisation still says so; a utilisation or a business count
        // follows the load, and its growth or fading is then no evidence
        boolean trendSays = control == Control.REFERENCE || (control == Control.HISTORY && !change.fleetHistory()
                && ms.spec().role() == MetricRole.RESOURCE && !ms.spec().measuresUtilisation());
        if (p >= alpha) return trendSays && Trend.grows(ms.spec().role()) ? trend(ms, control, pair, test, alpha) : notAttributed(control, p);
        RankTest.Interval did = test.shift(alpha);
        double[] x1 = pair[1];
        // asked of every sample since the warm-up: the settled level alone hides the decay of an instance still settling
        if (fading(ms, afterSide(ms, control, ms.aggregate(Part.RELEASE_SINCE_WARMUP), before, ref), test.beforeMedian(), did.estimate()))
            return notAttributed(control, p);
        // the latest half of the after window must still show it: a spike that outlasted the warm-up and faded is not a finding
        double[] latest = Arrays.copyOfRange(x1, Math.min(x1.length / 2, Math.max(0, x1.length - minSamples)), x1.length);
        double recent = Stats.median(latest) - test.beforeMedian();
        // a resource of the host follows load only in part (an idle floor, then a share per request): when load
        // moved everyone, instances of different sizes move by different ratios, and that much is no evidence
        if (ms.spec().role() == MetricRole.RESOURCE && control != Control.HISTORY && control != Control.YESTERDAY
                && !beyond(ms, did.estimate(), SHARED_MOVE * referenceMove(ms, ref, after))) return notAttributed(control, p);
        // against history, how far the old version itself moved by the time it last served does not count
        if (control == Control.HISTORY && !beyond(ms, did.estimate(), oldVersionDrift(ms, change.fleetHistory() ? ref : before,
                test.beforeMedian(), did.estimate()))) return notAttributed(control, p);
        // across instances, how far apart instances sit anyway does not count
        if (control == Control.REFERENCE_ONLY && !beyond(ms, did.estimate(), ms.acrossInstancesMargin())) return notAttributed(control, p);
        return conclude(ms, control, p, did.estimate(), did.low(), did.high(), ms.relative(did.estimate()),
                ms.absolute(did.estimate()), ms.relative(recent), ms.absolute(recent), alpha);
    }

    /** The samples after the switch as compared with a control, in time order: an after aggregate less the control's same bucket, or as it is. */
    private static double[] afterSide(MetricSeries ms, Control control, double[] after, double[] before, double[] ref) {
        return switch (control) {
            case REFERENCE -> diff(after, ref, 0);
            case YESTERDAY -> diff(after, before, lag(ms));
            case REFERENCE_ONLY, HISTORY -> ChangeDetector.finite(after, 0, Integer.MAX_VALUE);
        };
    }

    /** A day in buckets. */
    private static int lag(MetricSeries ms) {
        return (int) (DAY / ms.fleet().step());
    }

    /**
     * Whether the release group's samples from bucket {@code from} on differ from the reference group's the bad
     * way by at least half the metric's minimum effect (their median), against how they differed before the
     * switch (or against no difference, for replacement pods with no history of their own); true when there is
     * no reference serving alongside them now or fewer than {@code samples} samples to tell.
     */
    public static boolean stillShows(MetricSeries ms, int from, int samples) {
        if (ms.reference().isEmpty()) return true;
        double[] ref = ms.aggregate(Part.REFERENCE), own = ms.aggregate(Part.RELEASE_AFTER);
        double[] before = diff(ms.aggregate(Part.RELEASE_BEFORE), ref, 0);
        double[] after = diff(Arrays.copyOfRange(own, Math.min(Math.max(0, from), own.length), own.length),
                Arrays.copyOfRange(ref, Math.min(Math.max(0, from), ref.length), ref.length), 0);
        if (after.length < samples || !servesNow(ref, own, samples)) return true;
        double shift = Stats.median(after) - (before.length < samples ? 0 : Stats.median(before));
        return bigEnough(ms, ms.relative(shift), ms.absolute(shift), 0.5);
    }

    /**
     * Whether the release group's difference from the reference group, bucket by bucket since the warm-up, is
     * still growing the bad way (Mann-Kendall below {@code alpha}): what tells a ramp from an instance that
     * merely sits apart from its peers.
     */
    public static boolean climbsAway(MetricSeries ms, double alpha) {
        double[] gap = diff(ms.aggregate(Part.RELEASE_AFTER), ms.aggregate(Part.REFERENCE), 0);
        if (gap.length < Trend.MIN_SAMPLES) return false;
        return Trend.of(gap, 0, gap.length).pValue(ms.spec().bad() == Bad.DECREASE ? -1 : 1) < alpha;
    }

    /** The share of the reference group's own move that a resource's difference-in-differences must exceed. */
    static final double SHARED_MOVE = 0.5;

    /** How far the reference group moved from its baseline to the after buckets, in model units (0 when unknown). */
    private static double referenceMove(MetricSeries ms, double[] ref, double[] after) {
        double[] base = ChangeDetector.finite(ref, 0, ms.fleet().baselineEnd());
        double[] now = ChangeDetector.finite(ChangeDetector.maskedBy(ref, after), ms.firstAfterBucket(), Integer.MAX_VALUE);
        return base.length == 0 || now.length == 0 ? 0 : Math.abs(Stats.median(now) - Stats.median(base));
    }

    /** The old version's last samples that tell where it stood when it last served. */
    static final int LAST_SERVED = 5;

    /**
     * How far the old version had moved, the same way as the shift, from the history a release group is
     * compared with to where it stood when it last served (its latest {@link #LAST_SERVED} samples after the
     * first batch): 0 when it did not serve after the first batch. By the last batch that history is an
     * hour old; the day's load moved everyone since, and the old version's own instances show how much.
     *
     * @param old the old version's aggregate: the reference group's (replacement pods), else the release group's before parts
     */
    private static double oldVersionDrift(MetricSeries ms, double[] old, double history, double shift) {
        double[] served = ChangeDetector.finite(old, ms.fleet().baselineEnd() + 1, Integer.MAX_VALUE);
        if (served.length < LAST_SERVED) return 0;
        double drift = Stats.median(Arrays.copyOfRange(served, served.length - LAST_SERVED, served.length)) - history;
        return Math.signum(drift) == Math.signum(shift) ? Math.abs(drift) : 0;
    }

    /** Whether a shift, less a margin that is no evidence, is still big enough to matter. */
    private static boolean beyond(MetricSeries ms, double shift, double margin) {
        double kept = Math.abs(shift) <= margin ? 0 : shift - Math.copySign(margin, shift);
        return bigEnough(ms, ms.relative(kept), ms.absolute(kept), 1);
    }

    private static boolean codeBound(MetricRole role) {
        return role == MetricRole.ERROR_RATE || role == MetricRole.SUCCESS_RATE || role == MetricRole.LATENCY;
    }

    /**
     * Whether the reference still has data in the latest {@code samples} after buckets: once the last old pods are
     * replaced, their final minutes are no control for the new pods' latest ones.
     */
    private static boolean servesNow(double[] refAfter, double[] after, int samples) {
        int seen = 0, both = 0;
        for (int b = after.length - 1; b >= 0 && seen < samples; b--) {
            if (Double.isNaN(after[b])) continue;
            seen++;
            if (!Double.isNaN(refAfter[b])) both++;
        }
        return both == seen;
    }

    /** How many of the latest samples are asked whether a change is still fading. */
    static final int FADE_SAMPLES = 6;

    /** How many steps ahead a fading change is projected. */
    static final int FADE_HORIZON = 3;

    /** Mann-Kendall z (about 16% one-sided) from which the latest samples count as heading back. */
    static final double FADE_Z = 1.0;

    /**
     * Whether the change is a transient on its way out: the latest samples head back towards the
     * control (Mann-Kendall) and, at their Theil-Sen slope, would be under the metric's minimum effect
     * within {@link #FADE_HORIZON} steps. A warm-up that outlasts the warm-up window (cold caches, JIT,
     * connection pools) decays like that; a fault stays, a ramp grows. Once a transient levels off,
     * whatever is left is judged.
     */
    private static boolean fading(MetricSeries ms, double[] after, double control, double shift) {
        return fading(ms, after, control, shift, ms::relative, ms::absolute);
    }

    /** As {@link #fading(MetricSeries, double[], double, double)}, for samples in other units than the metric's model: how a shift of them reads relative and in the metric's unit. */
    static boolean fading(MetricSeries ms, double[] after, double control, double shift, DoubleUnaryOperator relative, DoubleUnaryOperator absolute) {
        if (shift == 0) return false;
        Trend t = Trend.of(after, Math.max(0, after.length - FADE_SAMPLES), after.length);
        if (t == null || -Math.signum(shift) * t.z() < FADE_Z) return false;
        double projected = t.now() + t.slope() * FADE_HORIZON - control;
        return !bigEnough(ms, relative.applyAsDouble(projected), absolute.applyAsDouble(projected), 1);
    }

    /**
     * A ramp or a leak the window's median does not show yet: the difference from the control trends the
     * bad way (Mann-Kendall) and, at its Theil-Sen fit, already stands beyond the minimum effect now.
     */
    private Attribution trend(MetricSeries ms, Control control, double[][] pair, RankTest test, double alpha) {
        double base = test.beforeMedian();
        double p = Trend.badTrend(pair[1], base, ms.spec().bad());
        if (p >= alpha) return notAttributed(control, p);
        Trend t = Trend.of(pair[1], 0, pair[1].length);
        double now = Trend.standing(pair[1], t, t.z()) - base;
        return conclude(ms, control, p, now, Double.NaN, Double.NaN, ms.relative(now), ms.absolute(now), Double.NaN, Double.NaN, alpha);
    }

    /**
     * For counts (orders a minute), whether the totals agree with a change the rank path found: the
     * released instances' total since the switch is implausibly low or high for a (quasi-)Poisson count
     * at the rate the reference group predicts minute by minute ({@link CountStep}), or, for replacement
     * pods with no baseline of their own, at the rate their group's history and the reference's move
     * predict. A few orders a minute come and go by chance; ranks of their ratios cannot know that, a
     * count test does.
     */
    public boolean countsAgree(MetricSeries ms, double alpha) {
        CountStep.Test t = CountStep.test(ms);
        if (t != null) return t.pValue() < alpha;
        Rates r = Rates.of(ms);
        if (r.after().n() == 0 || r.history().n() == 0) return false;
        return rate(ms, alpha).pValue() < alpha;
    }

    private Attribution rate(MetricSeries ms, StageSettings st) {
        return rate(ms, st.alpha());
    }

    private Attribution rate(MetricSeries ms, double stageAlpha) {
        Rates r = Rates.of(ms);
        double expected = r.expectedFromHistory();
        Control control = Control.HISTORY;
        if (r.referenceBefore().buckets() >= minSamples && r.referenceAfter().buckets() >= minSamples) {
            expected *= r.rate(r.referenceAfter()) / r.rate(r.referenceBefore());
            control = Control.REFERENCE;
        }
        double observed = r.after().sum();
        double p = RateTest.pValue(observed, expected, r.dispersion(), ms.spec().bad());
        double effect = observed / expected - 1;
        double effectAbs = (observed - expected) / r.after().n();
        return conclude(ms, control, p, effect, Double.NaN, Double.NaN, effect, effectAbs, Double.NaN, Double.NaN,
                stageAlpha * control.alphaShare);
    }

    private static Attribution notAttributed(Control control, double p) {
        return new Attribution(false, control, control.confidence, p, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, false);
    }

    private static Attribution conclude(MetricSeries ms, Control control, double p, double did, double low, double high,
                                        double effect, double effectAbs, double recent, double recentAbs, double alpha) {
        boolean sizeOk = bigEnough(ms, effect, effectAbs, 1) && (Double.isNaN(recent) || bigEnough(ms, recent, recentAbs, 0.5));
        boolean attributed = p < alpha && sizeOk;
        return new Attribution(attributed, control, control.confidence, p, did, low, high, effect, effectAbs, recent, sizeOk);
    }

    /**
     * Stage 5: in the bad direction, and at least the given share of the metric's minimum relative and
     * absolute effect (the whole of it for the effect, half of it for "still there" in the latest samples).
     */
    public static boolean bigEnough(MetricSeries ms, double effect, double effectAbs, double share) {
        MetricSpec spec = ms.spec();
        return spec.bad().isBad(effectAbs) && Math.abs(effect) >= share * spec.minRelativeEffect()
                && Math.abs(effectAbs) >= share * ms.minAbsoluteEffect();
    }

    /** Per bucket b, x[b] − control[b − lag] where both exist, in time order. */
    static double[] diff(double[] x, double[] c, int lag) {
        double[] out = new double[x.length];
        for (int b = 0; b < x.length; b++) out[b] = b - lag >= 0 ? x[b] - c[b - lag] : Double.NaN;
        return ChangeDetector.finite(out, 0, Integer.MAX_VALUE);
    }
}
