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
        return compare(ms, (part, b) -> ms.inBucket(part, Reduce.COUNT, b) * ms.inBucket(Part.REFERENCE, Reduce.MEAN, b),
                (i, b) -> ms.inBucket(Part.REFERENCE, Reduce.MEAN, b));
    }

    /**
     * Without a reference group, the released instances' own requests are the control: each minute is
     * expected to convert its requests into counts at the rate the same instances converted them
     * before their switch. Users, not the release, decide how many come; how many of them order is
     * what a release can break. Null without a traffic metric or a baseline of their own.
     */
    static Test perRequest(MetricSeries ms, MetricSeries traffic) {
        if (!ms.counts() || traffic == null || !traffic.released().equals(ms.released())) return null;
        return compare(ms, (part, b) -> traffic.inBucket(part, Reduce.SUM, b), (i, b) -> traffic.row(i)[b]);
    }

    /**
     * Replacement pods have no baseline of their own to give the groups' ratio: a pod of the same deployment
     * behind the same balancer is expected to count, minute by minute, what the reference instances count on
     * average in that minute. How far single instances stray from their group's mean (the balancer's
     * unevenness on top of chance) is the dispersion, measured on the reference instances over every minute
     * they all share. Null unless every released instance is such a pod and there is a reference group.
     */
    static Test peers(MetricSeries ms) {
        if (!ms.counts() || ms.reference().isEmpty() || hasBaseline(ms)) return null;
        int nRel = ms.released().size(), nRef = ms.reference().size(), last = ms.fleet().buckets() - 1;
        double[] refMean = new double[last + 1];
        double chi2 = 0;
        int cells = 0, minutes = 0;
        for (int b = 0; b <= last; b++) {
            double sum = 0;
            int n = 0;
            for (int j = nRel; j < nRel + nRef; j++) {
                double v = ms.row(j)[b];
                if (Double.isNaN(v)) continue;
                sum += v;
                n++;
            }
            refMean[b] = n == 0 ? Double.NaN : sum / n;
            if (n < 2 || sum <= 0) continue;
            double mean = sum / n;
            for (int j = nRel; j < nRel + nRef; j++) {
                double v = ms.row(j)[b];
                if (!Double.isNaN(v)) chi2 += (v - mean) * (v - mean) / mean;
            }
            cells += n;
            minutes++;
        }
        if (minutes < MIN_BASELINE) return null;
        double dispersion = Math.max(1, Math.min(100, chi2 / Math.max(1, cells - minutes)));
        // every minute of each pod's life since its warm-up: a count is a total, which the judged window's quarter hour would cut short
        int warm = (int) Math.ceil(ms.fleet().warmup() / (double) ms.fleet().step());
        double observed = 0, expected = 0;
        int samples = 0, first = Integer.MAX_VALUE, lastSeen = -1;
        for (int i = 0; i < nRel; i++) {
            double[] row = ms.row(i);
            for (int b = ms.lastOnOldVersion(i) + 1 + warm; b <= last; b++) {
                // only the minutes the old instances counted too: a gap in their scrapes, or their being gone, leaves nothing to compare with
                if (Double.isNaN(row[b]) || Double.isNaN(refMean[b])) continue;
                observed += row[b];
                expected += refMean[b];
                samples++;
                first = Math.min(first, b);
                lastSeen = Math.max(lastSeen, b);
            }
        }
        if (samples == 0 || expected <= 0) return null;
        return new Test(observed, expected, samples, lastSeen - first + 1, RateTest.pValue(observed, expected, dispersion, ms.spec().bad()));
    }

    private static boolean hasBaseline(MetricSeries ms) {
        for (int i = 0; i < ms.released().size(); i++) {
            double[] row = ms.row(i);
            for (int b = 0, end = Math.min(ms.fleet().baselineEnd(), ms.lastOnOldVersion(i)); b <= end; b++) if (!Double.isNaN(row[b])) return true;
        }
        return false;
    }

    /** What the released instances' counts in a bucket of a part are proportional to if nothing changed; NaN when unknown. */
    private interface Exposure {
        double at(Part part, int b);
    }

    /** What released instance i's count in bucket b is proportional to if nothing changed; NaN when unknown. */
    private interface InstanceExposure {
        double at(int i, int b);
    }

    /**
     * The released instances' counts since the warm-up against their exposure times the rate they counted
     * per unit of exposure before the first batch, quasi-Poisson with the dispersion of that same
     * comparison over the baseline. Every minute of each instance's life on the new version counts, as in
     * {@link #peers}: a count is a total, and a few orders an hour add up to proof only over the hour, which
     * the judged window's quarter hour would cut short. Minutes whose exposure is unknown (the old instances
     * gone) are left out. Null without a baseline.
     */
    private static Test compare(MetricSeries ms, Exposure exposure, InstanceExposure life) {
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
        int samples = 0, first = Integer.MAX_VALUE, lastSeen = -1;
        for (int i = 0; i < ms.released().size(); i++) {
            double[] row = ms.row(i);
            // the warm-up's samples are not in the row
            for (int b = ms.lastOnOldVersion(i) + 1; b <= last; b++) {
                double x = life.at(i, b);
                if (Double.isNaN(row[b]) || !(x >= 0)) continue;
                observed += row[b];
                expected += x * rate;
                samples++;
                first = Math.min(first, b);
                lastSeen = Math.max(lastSeen, b);
            }
        }
        int after = lastSeen - first + 1;
        if (samples == 0 || expected <= 0) return null;
        return new Test(observed, expected, samples, after, RateTest.pValue(observed, expected, dispersion, ms.spec().bad()));
    }

    /**
     * The attribution of a count step whose p-value is {@code alpha} or less, or null when there is none (see {@link #test}
     * and, without a reference group, {@link #perRequest}; replacement pods: {@link #ofPeers}).
     */
    public static Counted of(MetricSeries ms, MetricSeries traffic, double alpha) {
        Test t = ms.reference().isEmpty() ? perRequest(ms, traffic) : test(ms);
        Control control = ms.reference().isEmpty() ? Control.HISTORY : Control.REFERENCE;
        if (t == null || t.minutes() < ClearStep.MIN_AFTER || t.pValue() > alpha
                || !Attributor.bigEnough(ms, t.effect(), t.effectAbs(), SIZE)) return null;
        return new Counted(new Attribution(true, control, control.confidence, t.pValue(), t.effect(), Double.NaN, Double.NaN,
                t.effect(), t.effectAbs(), Double.NaN, true), t.observed(), t.expected());
    }

    /** A count step: its attribution and the totals behind it, which say more than a few orders a minute do. */
    public record Counted(Attribution attribution, double observed, double expected) {
    }

    /**
     * Replacement pods counting far less than their peers ({@link #peers}): with {@code alpha} short of the strong
     * alpha, a finding that must persist through the vote, as the total grows surer each minute. Null otherwise.
     */
    public static Counted ofPeers(MetricSeries ms, double alpha) {
        Test t = peers(ms);
        if (t == null || t.minutes() < ClearStep.MIN_AFTER || t.pValue() > alpha
                || !Attributor.bigEnough(ms, t.effect(), t.effectAbs(), SIZE)) return null;
        return new Counted(new Attribution(true, Control.REFERENCE_ONLY, Control.REFERENCE_ONLY.confidence, t.pValue(), t.effect(), Double.NaN, Double.NaN,
                t.effect(), t.effectAbs(), Double.NaN, true), t.observed(), t.expected());
    }
}
