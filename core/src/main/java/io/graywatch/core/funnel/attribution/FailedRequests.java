package io.graywatch.core.funnel.attribution;

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
 * making the first failure infinitely surprising.
 */
public final class FailedRequests {
    /** Baseline minutes needed to know the ratio and the dispersion. */
    static final int MIN_BASELINE = 20;

    private FailedRequests() {
    }

    /**
     * The one-sided p-value of the released instances' failures in the error rate's bad direction, or NaN
     * when it cannot be counted: no traffic metric, no reference group, no baseline of the released
     * instances' own, or no requests.
     */
    public static double pValue(MetricSeries errors, MetricSeries traffic) {
        MetricRole role = errors.spec().role();
        if (traffic == null || errors.reference().isEmpty() || (role != MetricRole.ERROR_RATE && role != MetricRole.SUCCESS_RATE)) return Double.NaN;
        double scale = errors.percentScale() / 100;
        boolean success = role == MetricRole.SUCCESS_RATE;
        int baseEnd = errors.fleet().baselineEnd(), last = errors.fleet().buckets() - 1;
        Tally relBase = new Tally(), refBase = new Tally(), rel = new Tally(), ref = new Tally();
        for (int b = 0; b <= last; b++) {
            boolean base = b <= baseEnd;
            if (!base && b < errors.firstAfterBucket()) continue;
            double[] r = failed(errors, traffic, base ? Part.RELEASE_BEFORE : Part.RELEASE_AFTER, b, scale, success);
            double[] f = failed(errors, traffic, Part.REFERENCE, b, scale, success);
            if (r == null || f == null) continue;
            (base ? relBase : rel).add(r);
            (base ? refBase : ref).add(f);
        }
        if (relBase.minutes < MIN_BASELINE || rel.minutes == 0 || relBase.requests <= 0 || refBase.requests <= 0 || ref.requests <= 0) return Double.NaN;
        double ratio = ((relBase.failed + 0.5) / relBase.requests) / ((refBase.failed + 0.5) / refBase.requests);
        double refRate = (ref.failed + 0.5) / ref.requests;
        double expected = rel.requests * refRate * ratio;
        // how bursty failures are here: variance over mean of the released instances' failures a minute before the batch
        double dispersion = Math.max(1, RateTest.dispersion(relBase.failed, relBase.failedSq, relBase.minutes));
        return RateTest.pValue(rel.failed, expected, dispersion, Bad.INCREASE);
    }

    /** {failed, requests} of a part in bucket b, or null when either is unknown. */
    private static double[] failed(MetricSeries errors, MetricSeries traffic, Part part, int b, double scale, boolean success) {
        // traffic is requests per second (see MetricRole.TRAFFIC): a step's worth is what was counted
        double share = errors.inBucket(part, Reduce.MEAN, b), requests = traffic.inBucket(part, Reduce.SUM, b) * errors.fleet().step();
        if (Double.isNaN(share) || Double.isNaN(requests) || requests <= 0) return null;
        double failedShare = Math.min(1, Math.max(0, success ? 1 - share * scale : share * scale));
        return new double[]{failedShare * requests, requests};
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
