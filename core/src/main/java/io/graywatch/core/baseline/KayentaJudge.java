package io.graywatch.core.baseline;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Baseline: Kayenta's canary judge (Netflix ACA) with its published defaults, so Graywatch is
 * measured against what people run today. Per metric, a Mann-Whitney U test of the release
 * group's per-step means against the reference group's over the current batch's window; the
 * metric fails when the 98% Hodges–Lehmann interval lies beyond ±25% of the estimate in the bad
 * direction (so it excludes zero) and the mean ratio points the bad way too (Kayenta's default
 * allowed effect, 1.0). The score is the share of passing metrics; below 75 the round fails.
 * With no reference data for a metric (all released, a single instance, replaced instances) it
 * compares with the app's history before the release instead. Like Kayenta it reads no logs and
 * keeps no memory between rounds.
 */
public final class KayentaJudge extends BaselineJudge {
    public static final double CONFIDENCE = 0.98;
    public static final double TOLERANCE = 0.25;
    public static final double ALLOWED_EFFECT = 1.0;
    public static final double PASS_SCORE = 75;

    public KayentaJudge() {
        super("kayenta");
    }

    @Override
    RoundResult judge(GuardInput input, long now, GuardState next) {
        Batch batch = input.release().currentBatch(now);
        if (batch == null) return new RoundResult(now, Verdict.INCONCLUSIVE, "no batch has started yet", List.of(), next);
        Set<String> release = input.release().servingReleaseGroup(now);
        Set<String> reference = input.referenceGroup();
        List<String> releaseIds = List.copyOf(release);
        int passed = 0, failed = 0;
        List<Finding> failures = new ArrayList<>();
        for (MetricSpec metric : judged(input)) {
            double[] experiment = GroupSamples.meansByStep(input, release, metric.name(), batch.at(), now, true);
            double[] control = GroupSamples.meansByStep(input, reference, metric.name(), batch.at(), now, true);
            String against = "the reference group";
            if (control.length == 0) {
                long start = input.release().start();
                control = GroupSamples.meansByStep(input, input.instances(), metric.name(), start - input.config().historySeconds() - 1, start - 1, false);
                against = "the app before the release";
            }
            if (experiment.length == 0 || control.length == 0) continue;
            Finding finding = classify(metric, experiment, control, against, releaseIds);
            if (finding == null) passed++;
            else {
                failed++;
                failures.add(finding);
            }
        }
        if (passed + failed == 0) return new RoundResult(now, Verdict.INCONCLUSIVE, "no metric has data in this batch's window yet", List.of(), next);
        double score = 100.0 * passed / (passed + failed);
        Verdict verdict = score < PASS_SCORE ? Verdict.FAIL : failures.isEmpty() ? Verdict.PASS : Verdict.WARN;
        List<Finding> findings = new ArrayList<>();
        for (Finding f : failures) {
            Map<String, Double> evidence = new LinkedHashMap<>(f.evidence());
            evidence.put("score", score);
            findings.add(new Finding(f.key(), f.source(), verdict == Verdict.FAIL ? Verdict.FAIL : Verdict.WARN, f.subject(), f.stage(),
                    f.reason(), evidence, f.instances()));
        }
        String reason = String.format(Locale.ROOT, "canary score %.0f (%d of %d metrics pass; pass at %.0f)%s", score, passed,
                passed + failed, PASS_SCORE, failures.isEmpty() ? "" : ": " + failures.get(0).reason());
        return new RoundResult(now, verdict, reason, findings, next);
    }

    /** Null when the metric passes. */
    private static Finding classify(MetricSpec metric, double[] experiment, double[] control, String against, List<String> release) {
        if (sameValues(experiment, control)) return null;
        MannWhitney.Result r = MannWhitney.compare(experiment, control, CONFIDENCE);
        double ratio = mean(experiment) / mean(control);
        double bound = TOLERANCE * Math.abs(r.estimate());
        boolean high = metric.bad() != Bad.DECREASE && r.lower() > bound && !(ratio < ALLOWED_EFFECT);
        boolean low = metric.bad() != Bad.INCREASE && r.upper() < -bound && !(ratio > ALLOWED_EFFECT);
        if (!high && !low) return null;
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("estimate", r.estimate());
        evidence.put("intervalLow", r.lower());
        evidence.put("intervalHigh", r.upper());
        evidence.put("pValue", r.pValue());
        evidence.put("meanRatio", ratio);
        String reason = String.format(Locale.ROOT, "%s is %s on the release group than on %s (shift %+.4g, 98%% interval [%.4g, %.4g], mean ratio %.3f)",
                metric.name(), high ? "higher" : "lower", against, r.estimate(), r.lower(), r.upper(), ratio);
        return new Finding("metric:" + metric.name(), Finding.Source.METRIC, Verdict.FAIL, metric.name(), "kayenta", reason, evidence, release);
    }

    /** Kayenta passes identical samples, and samples that are all one value, without testing. */
    private static boolean sameValues(double[] a, double[] b) {
        double[] x = a.clone(), y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y) || (x[0] == x[x.length - 1] && y[0] == y[y.length - 1] && x[0] == y[0]);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
