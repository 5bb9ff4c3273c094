package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.attribution.Attribution.Control;
import io.graywatch.core.funnel.change.RateTest;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.funnel.clean.MetricSeries.Reduce;

/**
 * The fast lane for business counts (orders, checkouts a minute): a few events a minute per instance
 * are too noisy for a {@link ClearStep}, yet their total over two minutes can already prove a
 * collapse. Minute by minute, each released instance is expected to count what a reference instance
 * counts in the same minute, times the ratio the two groups kept before the first batch: a surge, a
 * dip or the hour of the day moves both and cancels out. The released instances' total since the
 * warm-up is then tested against the expected total with a quasi-Poisson test whose dispersion is
 * the same comparison's, minute by minute, over the baseline.
 */
public final class CountStep {
    /** Baseline minutes needed to know the ratio and the dispersion. */
    static final int MIN_BASELINE = 20;

    /** How many times the metric's minimum effect a count step must be. */
    static final double SIZE = 2;

    private CountStep() {
    }

    /** The released instances' total since the warm-up against what the reference predicts: the test both uses of it share. */
    record Test(double observed, double expected, int samples, int minutes, double pValue) {
        double effect() { return observed / expected - 1; }

        double effectAbs() { return (observed - expected) / samples; }
    }

    /**
     * The test, or null when it cannot be made: the metric counts nothing, there is no reference group,
     * the released instances have no baseline of their own (replacement pods), or the reference stopped
     * counting the minutes they are judged on. A released instance is exposed, each minute, to what a
     * reference instance counted in it.
     */
    static Test test(MetricSeries ms) {
        if (!ms.counts() || ms.reference().isEmpty()) return null;
        return compare(ms, (part, b) -> ms.inBucket(part, Reduce.COUNT, b) * ms.inBucket(Part.REFERENCE, Reduce.MEAN, b));
    }

    /**
     * Without a reference group, the released instances' own requests are the control: each minute is
     * expected to convert its requests into counts at the rate the same instances converted them
     * before their switch. Users, not the release, decide how many come; how many of them order is
     * what a release can break. Null without a traffic metric or a baseline of their own.
     */
    static Test perRequest(MetricSeries ms, MetricSeries traffic) {
        if (!ms.counts() || traffic == null) return null;
        return compare(ms, (part, b) -> traffic.inBucket(part, Reduce.SUM, b));
    }

    /** What the released instances' counts in a bucket of a part are proportional to if nothing changed; NaN when unknown. */
    private interface Exposure {
        double at(Part part, int b);
    }

    /**
     * The released instances' counts since the warm-up against their exposure times the rate they counted
     * per unit of exposure before the first batch, quasi-Poisson with the dispersion of that same
     * comparison over the baseline. Null without a baseline, or when the exposure is unknown in a
     * minute they are judged on.
     */
    private static Test compare(MetricSeries ms, Exposure exposure) {
        int baseEnd = ms.fleet().baselineEnd(), last = ms.fleet().buckets() - 1;
        double counted = 0, exposed = 0;
        int minutes = 0;
        for (int b = 0; b <= baseEnd; b++) {
            double c = ms.inBucket(Part.RELEASE_BEFORE, Reduce.SUM, b), x = exposure.at(Part.RELEASE_BEFORE, b);
            if (Double.isNaN(c) || !(x > 0)) continue;
            counted += c;
            exposed += x;
            minutes++;
        }
        if (minutes < MIN_BASELINE || counted <= 0) return null;
        double rate = counted / exposed, chi2 = 0;
        for (int b = 0; b <= baseEnd; b++) {
            double c = ms.inBucket(Part.RELEASE_BEFORE, Reduce.SUM, b), x = exposure.at(Part.RELEASE_BEFORE, b);
            if (Double.isNaN(c) || !(x > 0)) continue;
            chi2 += (c - x * rate) * (c - x * rate) / (x * rate);
        }
        double dispersion = Math.max(1, Math.min(100, chi2 / Math.max(1, minutes - 1)));
        double observed = 0, expected = 0;
        int after = 0, samples = 0;
        for (int b = ms.firstAfterBucket(); b <= last; b++) {
            double n = ms.inBucket(Part.RELEASE_AFTER, Reduce.COUNT, b);
            if (n == 0) continue;
            double x = exposure.at(Part.RELEASE_AFTER, b);
            // the control must cover the same minutes: once the old instances are gone there is nothing to compare with
            if (Double.isNaN(x)) return null;
            observed += ms.inBucket(Part.RELEASE_AFTER, Reduce.SUM, b);
            expected += x * rate;
            samples += (int) n;
            after++;
        }
        if (after == 0 || expected <= 0) return null;
        return new Test(observed, expected, samples, after, RateTest.pValue(observed, expected, dispersion, ms.spec().bad()));
    }

    /** The attribution of a count step, or null when there is none (see {@link #test} and, without a reference group, {@link #perRequest}). */
    public static Attribution of(MetricSeries ms, MetricSeries traffic, double strongAlpha) {
        Test t = ms.reference().isEmpty() ? perRequest(ms, traffic) : test(ms);
        if (t == null || t.minutes() < ClearStep.MIN_AFTER || t.pValue() > strongAlpha
                || !Attributor.bigEnough(ms, t.effect(), t.effectAbs(), SIZE)) return null;
        Control control = ms.reference().isEmpty() ? Control.HISTORY : Control.REFERENCE;
        return new Attribution(true, control, control.confidence, t.pValue(), t.effect(), Double.NaN, Double.NaN,
                t.effect(), t.effectAbs(), Double.NaN, true);
    }
}
