package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.attribution.Attribution.Control;
import io.graywatch.core.funnel.change.ChangeDetector;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.metric.MetricSpec;

/**
 * The fast lane of stages 3 to 5: a step so clear that two samples after the warm-up prove it, so
 * that an error-rate or latency step is intercepted as soon as it can be seen rather than after the
 * rank test has gathered enough samples and the vote its rounds. Clear means, in the release group's
 * difference from the reference group: every sample since the warm-up lies beyond anything the last
 * hour showed and at least {@link #STEP_Z} robust standard deviations away, the samples do not head
 * back (a warm-up tail does), and the effect is at least twice the metric's minimum. The p-value is
 * the exact chance, for exchangeable samples, that all m after samples exceed all n before:
 * 1 / C(n + m, m).
 */
public final class ClearStep {
    /** How many robust standard deviations (1.4826 MAD) of the baseline every after sample must clear. */
    static final double STEP_Z = 6;

    /** Baseline samples needed to know the noise. */
    static final int MIN_BASELINE = 20;

    private ClearStep() {
    }

    /**
     * Whether the reference group stayed within its own baseline's range over the latest buckets: when
     * it moved too (an upstream incident, a surge), a difference between the groups can come from how
     * differently they take the same blow, and the step must go through the vote like any other change.
     */
    private static boolean referenceSteady(MetricSeries ms, double[] ref) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int baseEnd = Math.min(ms.fleet().baselineEnd(), ref.length - 1);
        for (int b = 0; b <= baseEnd; b++) {
            if (Double.isNaN(ref[b])) continue;
            lo = Math.min(lo, ref[b]);
            hi = Math.max(hi, ref[b]);
        }
        if (lo > hi) return false;
        for (int b = Math.max(ms.firstAfterBucket(), baseEnd + 1); b < ref.length; b++) if (ref[b] < lo || ref[b] > hi) return false;
        return true;
    }

    /** The attribution of a clear step, or null when there is none (or no reference group to rule out a shared cause). */
    public static Attribution of(MetricSeries ms, int samples) {
        if (ms.reference().isEmpty()) return null;
        double[] ref = ms.aggregate(Part.REFERENCE);
        double[] before = Attributor.diff(ms.aggregate(Part.RELEASE_BEFORE), ref, 0);
        double[] after = Attributor.diff(ms.aggregate(Part.RELEASE_AFTER), ref, 0);
        if (before.length < MIN_BASELINE || after.length < 2) return null;
        MetricSpec spec = ms.spec();
        double centre = Stats.median(before);
        double[] dev = new double[before.length];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < before.length; i++) {
            dev[i] = Math.abs(before[i] - centre);
            lo = Math.min(lo, before[i]);
            hi = Math.max(hi, before[i]);
        }
        double sigma = 1.4826 * Stats.medianInPlace(dev, dev.length);
        if (!referenceSteady(ms, ref)) return null;
        int m = Math.min(after.length, samples);
        double[] x = ChangeDetector.finite(after, after.length - m, after.length - 1);
        double shift = Stats.median(x) - centre;
        double sign = Math.signum(shift);
        if (sign == 0 || !spec.bad().isBad(sign)) return null;
        double extreme = sign > 0 ? hi : lo;
        for (int i = 0; i < m; i++) {
            if (sign * (x[i] - extreme) <= 0 || sign * (x[i] - centre) < STEP_Z * sigma) return null;
            if (i > 0 && sign * (x[i] - x[i - 1]) < -Math.max(sigma, 1e-12)) return null; // heading back: a warm-up tail
        }
        double effect = ms.relative(shift), effectAbs = ms.absolute(shift);
        if (!Attributor.bigEnough(spec, effect, effectAbs, 2)) return null;
        double p = 1;
        for (int i = 1; i <= m; i++) p *= (double) i / (before.length + i);
        return new Attribution(true, Control.REFERENCE, Control.REFERENCE.confidence, p, shift, Double.NaN, Double.NaN, effect, effectAbs,
                effect, true);
    }
}
