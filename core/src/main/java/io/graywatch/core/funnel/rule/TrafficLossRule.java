package io.graywatch.core.funnel.rule;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.Describe;
import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.funnel.clean.MetricSeries.Reduce;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving released instances get no traffic at all for the last {@link RuleContext#samplesNeeded()} samples
 * after their warm-up, while the reference group still serves at least the minimum traffic per
 * instance: the new version has dropped out of the load balancer, or refuses every request.
 */
public final class TrafficLossRule implements Rule {
    @Override
    public List<Finding> apply(RuleContext ctx) {
        MetricSpec spec = MetricSeries.trafficMetric(ctx.input().metrics());
        if (spec == null) return List.of();
        MetricSeries ms = ctx.series().apply(spec);
        if (ms.released().isEmpty() || ms.reference().isEmpty()) return List.of();
        int need = ctx.samplesNeeded();
        double[] refSeen = new double[need];
        int n = 0;
        for (int b = ms.fleet().buckets() - 1; b >= 0 && n < need; b--) {
            double rel = ms.inBucket(Part.RELEASE_AFTER, Reduce.SUM, b);
            if (Double.isNaN(rel)) continue;
            double ref = ms.inBucket(Part.REFERENCE, Reduce.MEDIAN, b);
            if (rel > 0 || !(spec.requestsPerSecond(ref, ctx.input().stepSeconds()) >= ctx.input().config().minTrafficPerInstance())) return List.of();
            refSeen[n++] = ref;
        }
        if (n < need) return List.of();
        double refTraffic = Stats.medianInPlace(refSeen, n);
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("releaseTraffic", 0.0);
        evidence.put("referenceTraffic", refTraffic);
        evidence.put("samples", (double) n);
        String reason = Describe.name(spec) + " fell to zero on " + Describe.instances(ms.released().size(), "serving released")
                + " for the last " + Describe.plural(n, "sample") + " while " + Describe.instances(ms.reference().size(), "reference")
                + " still serve " + Describe.value(refTraffic, spec.unit()) + " each";
        return List.of(new Finding("rule:traffic-loss:" + spec.name(), Finding.Source.RULE, Verdict.FAIL, spec.name(), "rule",
                reason, evidence, ms.released().stream().map(Fleet.Member::id).toList()));
    }
}
