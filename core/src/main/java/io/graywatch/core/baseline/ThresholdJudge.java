package io.graywatch.core.baseline;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Baseline: static limits of the kind people write in Argo Rollouts analysis templates and
 * Flagger canary analyses, checked every round on the serving release group over the last
 * {@value #WINDOW_SECONDS} s (Argo's example queries use {@code [5m]}), new-version samples only.
 * Any breach fails the round at once.
 * <ul>
 *   <li>error rate (role ERROR_RATE, percent, or a share in [0, 1] by its unit) above {@value #MAX_ERROR_RATE}%, traffic-weighted;</li>
 *   <li>success rate (role SUCCESS_RATE, percent) below {@value #MIN_SUCCESS_RATE}% (Flagger's request-success-rate default);</li>
 *   <li>every other metric (latency, CPU, memory, traffic, business KPIs, error counts): more than
 *       {@value #MAX_RATIO}× the reference group's mean over the same minutes in its bad direction
 *       (for a metric that is bad when it decreases: below 1/{@value #MAX_RATIO} of it); with no
 *       reference data, the app's mean over the history before the release stands in.</li>
 * </ul>
 * It reads no logs (neither tool does) and keeps no memory between rounds.
 */
public final class ThresholdJudge extends BaselineJudge {
    public static final long WINDOW_SECONDS = 300;
    public static final double MAX_ERROR_RATE = 1.0;
    public static final double MIN_SUCCESS_RATE = 99.0;
    public static final double MAX_RATIO = 1.5;

    public ThresholdJudge() {
        super("threshold");
    }

    @Override
    RoundResult judge(GuardInput input, long now, GuardState next) {
        Set<String> release = input.release().servingReleaseGroup(now);
        if (release.isEmpty()) return new RoundResult(now, Verdict.INCONCLUSIVE, "no instance serves the new version yet", List.of(), next);
        long from = now - WINDOW_SECONDS;
        List<String> releaseIds = List.copyOf(release);
        int checked = 0;
        List<Finding> breaches = new ArrayList<>();
        for (MetricSpec metric : judged(input)) {
            double value = GroupSamples.mean(input, release, metric, from, now, true);
            if (Double.isNaN(value)) continue;
            Finding breach;
            // the limits are in percent, as people write them; a share in [0, 1] is read as one
            if (metric.role() == MetricRole.ERROR_RATE || metric.role() == MetricRole.SUCCESS_RATE) value = metric.inPercent(value);
            if (metric.role() == MetricRole.ERROR_RATE) {
                breach = value <= MAX_ERROR_RATE ? null : breach(metric, value, MAX_ERROR_RATE, Double.NaN, String.format(Locale.ROOT,
                        "%s %.3g%% on the release group over the last 5 min, above the %.0f%% limit", metric.name(), value, MAX_ERROR_RATE), releaseIds);
            } else if (metric.role() == MetricRole.SUCCESS_RATE) {
                breach = value >= MIN_SUCCESS_RATE ? null : breach(metric, value, MIN_SUCCESS_RATE, Double.NaN, String.format(Locale.ROOT,
                        "%s %.4g%% on the release group over the last 5 min, below the %.0f%% limit", metric.name(), value, MIN_SUCCESS_RATE), releaseIds);
            } else {
                String against = "the reference group";
                double[] paired = GroupSamples.alignedMeans(input, release, input.referenceGroup(), metric.name(), from, now);
                double baseline = paired[1];
                if (!Double.isNaN(baseline)) value = paired[0];
                else {
                    long start = input.release().start();
                    baseline = GroupSamples.mean(input, input.instances(), metric, start - input.config().historySeconds() - 1, start - 1, false);
                    against = "the app before the release";
                }
                if (Double.isNaN(baseline)) continue;
                breach = relative(metric, value, baseline, against, releaseIds);
            }
            checked++;
            if (breach != null) breaches.add(breach);
        }
        if (checked == 0) return new RoundResult(now, Verdict.INCONCLUSIVE, "no metric has data on the release group in the last 5 min", List.of(), next);
        if (breaches.isEmpty()) return new RoundResult(now, Verdict.PASS, checked + " metrics within their limits", List.of(), next);
        return new RoundResult(now, Verdict.FAIL, breaches.get(0).reason(), breaches, next);
    }

    private static Finding relative(MetricSpec metric, double value, double baseline, String against, List<String> release) {
        boolean high = metric.bad() != Bad.DECREASE && value > MAX_RATIO * baseline && value > baseline;
        boolean low = metric.bad() != Bad.INCREASE && value * MAX_RATIO < baseline && value < baseline;
        if (!high && !low) return null;
        String reason = String.format(Locale.ROOT, "%s %.4g on the release group over the last 5 min, %s than %.2f× %s (%.4g)", metric.name(), value,
                high ? "more" : "less", high ? MAX_RATIO : 1 / MAX_RATIO, against, baseline);
        return breach(metric, value, high ? MAX_RATIO * baseline : baseline / MAX_RATIO, baseline, reason, release);
    }

    private static Finding breach(MetricSpec metric, double value, double limit, double baseline, String reason, List<String> release) {
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("value", value);
        evidence.put("limit", limit);
        if (!Double.isNaN(baseline)) evidence.put("baseline", baseline);
        return new Finding("metric:" + metric.name(), Finding.Source.METRIC, Verdict.FAIL, metric.name(), "threshold", reason, evidence, release);
    }
}
