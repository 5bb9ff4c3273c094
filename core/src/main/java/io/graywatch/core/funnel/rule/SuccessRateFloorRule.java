package io.graywatch.core.funnel.rule;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.Describe;
import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.funnel.clean.MetricSeries.Reduce;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The released instances' success rate stays below the floor (or their error rate above
 * 100 − floor) for the last {@link RuleContext#samplesNeeded()} samples after warm-up, while the reference group,
 * or without one the release group's own history, stays on the good side: an error-rate collapse
 * that no vote needs to confirm. Skipped when traffic is too low for a rate to mean anything.
 */
public final class SuccessRateFloorRule implements Rule {
    @Override
    public List<Finding> apply(RuleContext ctx) {
        if (ctx.lowTraffic()) return List.of();
        List<Finding> out = new ArrayList<>();
        for (MetricSpec spec : ctx.input().metrics().values()) {
            if (spec.role() != MetricRole.SUCCESS_RATE && spec.role() != MetricRole.ERROR_RATE) continue;
            Finding f = check(ctx, spec);
            if (f != null) out.add(f);
        }
        return out;
    }

    private static Finding check(RuleContext ctx, MetricSpec spec) {
        MetricSeries ms = ctx.series().apply(spec);
        if (ms.released().isEmpty()) return null;
        boolean success = spec.role() == MetricRole.SUCCESS_RATE;
        double floorPct = ctx.input().config().successRateFloor();
        double limit = (success ? floorPct : 100 - floorPct) * ms.percentScale();
        int need = ctx.samplesNeeded();
        double[] seen = new double[need], refSeen = new double[need];
        int n = 0, m = 0;
        for (int b = ms.fleet().buckets() - 1; b >= 0 && n < need; b--) {
            double rel = ms.inBucket(Part.RELEASE_AFTER, Reduce.MEAN, b);
            if (Double.isNaN(rel)) continue;
            if (success ? rel >= limit : rel <= limit) return null;
            seen[n++] = rel;
            double ref = ms.inBucket(Part.REFERENCE, Reduce.MEDIAN, b);
            if (!Double.isNaN(ref)) refSeen[m++] = ref;
        }
        if (n < need) return null;
        double level = Stats.medianInPlace(seen, n);
        double control;
        String against;
        if (!ms.reference().isEmpty()) {
            if (m == 0) return null;
            control = Stats.medianInPlace(refSeen, m);
            against = Describe.instances(ms.reference().size(), "reference") + " stay at " + Describe.value(control, spec.unit());
        } else {
            control = ms.rawMedian(Part.RELEASE_BEFORE, 0, ms.fleet().buckets() - 1);
            if (Double.isNaN(control)) return null;
            against = "it was " + Describe.value(control, spec.unit()) + " before the batch";
        }
        if (success ? control < limit : control > limit) return null; // everyone is failing: not the release's doing
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("release", level);
        evidence.put("control", control);
        evidence.put("limit", limit);
        evidence.put("samples", (double) n);
        String reason = Describe.name(spec) + " " + Describe.value(level, spec.unit()) + " on "
                + Describe.instances(ms.released().size(), "released") + ", " + (success ? "below" : "above") + " the limit of "
                + Describe.value(limit, spec.unit()) + " for the last " + Describe.plural(n, "sample") + ", while " + against;
        return new Finding("rule:" + (success ? "success-floor:" : "error-ceiling:") + spec.name(), Finding.Source.RULE,
                Verdict.FAIL, spec.name(), "rule", reason, evidence, ms.released().stream().map(Fleet.Member::id).toList());
    }
}
