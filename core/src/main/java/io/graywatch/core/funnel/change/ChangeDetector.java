package io.graywatch.core.funnel.change;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.funnel.clean.MetricSeries.Totals;
import io.graywatch.core.guard.StageSettings;
import io.graywatch.core.metric.Bad;

import java.util.Arrays;

/**
 * Stage 3: has the release group's metric changed since its switch, compared with its own
 * history? A rank test for continuous values (and SST for shape changes where enabled), a
 * quasi-Poisson rate test for counts. Returns null when there is too little data to judge.
 */
public final class ChangeDetector {
    private final int minSamples;

    public ChangeDetector(int minSamples) {
        this.minSamples = minSamples;
    }

    public Change detect(MetricSeries ms, StageSettings st) {
        return st.test() == StageSettings.Test.RATE ? rate(ms, st) : rank(ms, st);
    }

    private Change rank(MetricSeries ms, StageSettings st) {
        Bad bad = ms.spec().bad();
        double[] afterAgg = ms.aggregate(Part.RELEASE_AFTER);
        double[] after = finite(afterAgg, 0, Integer.MAX_VALUE);
        double[] before = finite(ms.aggregate(Part.RELEASE_BEFORE), 0, Integer.MAX_VALUE);
        boolean fleet = before.length < minSamples;
        if (fleet) before = finite(ms.aggregate(Part.REFERENCE), 0, ms.fleet().baselineEnd());
        if (after.length < minSamples || before.length < minSamples) return null;
        RankTest test = RankTest.of(before, after, Stats.lag1(before));
        double p = test.pValue(bad);
        double sst = st.sst() && !fleet ? sst(ms) : Double.NaN;
        boolean worse = bad.isBad(test.afterMedian() - test.beforeMedian());
        boolean changed = p < st.alpha() || (sst >= st.sstThreshold() && worse)
                || (!fleet && Trend.grows(ms.spec().role()) && Trend.badTrend(after, test.beforeMedian(), bad) < st.alpha());
        double steady = changed ? Double.NaN : referenceSteadiness(ms, afterAgg, bad, worse);
        return new Change(changed || steady >= STEADY_ALPHA, p, test, st.alpha(), Double.NaN, sst, steady, fleet, before.length, after.length);
    }

    /**
     * A reference group can stand in for a history too volatile to show the change: a bad
     * difference-in-differences against it is the release's doing, provided the reference's own
     * move is trustworthy. The trimmed mean of three or more reference instances is (one odd instance
     * cannot move it); one or two are trusted only if the release group itself moved the bad way
     * and they did not move the opposite way, even at 10%. Returns 1 for a trusted reference, else
     * that p-value (NaN when there is no usable reference or the release group did not get worse).
     */
    private double referenceSteadiness(MetricSeries ms, double[] afterAgg, Bad bad, boolean worse) {
        if (ms.reference().isEmpty()) return Double.NaN;
        double[] ref = ms.aggregate(Part.REFERENCE);
        double[] refBefore = finite(ref, 0, ms.fleet().baselineEnd());
        double[] refAfter = finite(maskedBy(ref, afterAgg), ms.firstAfterBucket(), Integer.MAX_VALUE);
        if (refBefore.length < minSamples || refAfter.length < minSamples) return Double.NaN;
        if (ms.reference().size() >= TRUSTED_REFERENCE) return 1;
        if (!worse) return Double.NaN;
        Bad opposite = switch (bad) {
            case INCREASE -> Bad.DECREASE;
            case DECREASE -> Bad.INCREASE;
            case EITHER -> Bad.EITHER;
        };
        return RankTest.of(refBefore, refAfter, Stats.lag1(refBefore)).pValue(opposite);
    }

    static final int TRUSTED_REFERENCE = 3;

    /** See {@link #referenceSteadiness}. */
    static final double STEADY_ALPHA = 0.1;

    /** SST at the switch, over the release group's aggregate without gaps: before samples, then after ones. */
    private static double sst(MetricSeries ms) {
        int cut = ms.firstAfterBucket();
        double[] before = finite(ms.aggregate(Part.RELEASE_BEFORE), 0, cut - 1);
        double[] after = finite(ms.aggregate(Part.RELEASE_AFTER), cut, Integer.MAX_VALUE);
        int keep = Math.min(before.length, Sst.needBefore());
        double[] x = new double[keep + after.length];
        System.arraycopy(before, before.length - keep, x, 0, keep);
        System.arraycopy(after, 0, x, keep, after.length);
        return Sst.score(x, keep);
    }

    private Change rate(MetricSeries ms, StageSettings st) {
        Rates r = Rates.of(ms);
        if (r.after().buckets() < minSamples || r.history().buckets() < minSamples) return null;
        double expected = r.expectedFromHistory();
        double p = RateTest.pValue(r.after().sum(), expected, r.dispersion(), ms.spec().bad());
        return new Change(p < st.alpha(), p, null, st.alpha(), r.after().sum() / expected - 1, Double.NaN, Double.NaN,
                r.fleetHistory(), r.history().buckets(), r.after().buckets());
    }

    /** The finite values of a[from..to] in time order. */
    public static double[] finite(double[] a, int from, int to) {
        int hi = Math.min(to, a.length - 1);
        double[] out = new double[Math.max(0, hi - from + 1)];
        int n = 0;
        for (int i = Math.max(0, from); i <= hi; i++) if (!Double.isNaN(a[i])) out[n++] = a[i];
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The values where the mask has data, NaN elsewhere. */
    public static double[] maskedBy(double[] values, double[] mask) {
        double[] out = values.clone();
        for (int b = 0; b < out.length; b++) if (Double.isNaN(mask[b])) out[b] = Double.NaN;
        return out;
    }

    /**
     * The totals a rate test compares: the release group after its switch, its history (or the
     * fleet's when it has none), and the reference group in the baseline and over the same after
     * buckets. Counts are compared per instance-sample, with half a count of prior so that a
     * baseline without any error still gives a positive expectation.
     */
    public record Rates(Totals after, Totals history, boolean fleetHistory, Totals referenceBefore,
                        Totals referenceAfter, double dispersion) {
        public static Rates of(MetricSeries ms) {
            int last = ms.fleet().buckets() - 1, baseEnd = ms.fleet().baselineEnd();
            Totals after = ms.totals(Part.RELEASE_AFTER, 0, last);
            Totals before = ms.totals(Part.RELEASE_BEFORE, 0, last);
            Totals refBefore = ms.totals(Part.REFERENCE, 0, baseEnd);
            Totals refAfter = ms.totals(Part.REFERENCE, ms.firstAfterBucket(), last);
            Totals baseline = before.plus(refBefore);
            double dispersion = RateTest.dispersion(baseline.sum(), baseline.sumSq(), baseline.n());
            boolean fleet = before.n() == 0;
            return new Rates(after, fleet ? refBefore : before, fleet, refBefore, refAfter, dispersion);
        }

        /** Expected total after the switch if the release group kept its historical rate. */
        public double expectedFromHistory() {
            return rate(history) * after.n();
        }

        /** Rate per sample with half a (dispersion-scaled) count of prior. */
        public double rate(Totals t) {
            return (t.sum() + 0.5 * dispersion) / t.n();
        }
    }
}
