package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.rule.DangerousExceptionRule;
import io.graywatch.core.funnel.rule.Rule;
import io.graywatch.core.funnel.rule.RuleContext;
import io.graywatch.core.funnel.rule.SuccessRateFloorRule;
import io.graywatch.core.funnel.rule.TrafficLossRule;
import io.graywatch.core.funnel.vote.Vote;
import io.graywatch.core.funnel.vote.Vote.Strength;
import io.graywatch.core.funnel.vote.Vote.Suspicion;
import io.graywatch.core.guard.FindingDetector;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One round of the detection funnel: clean → rules → change → attribution (with direction and
 * size) → normal profile → vote → verdict. Each stage is its own class; this one only chains
 * them and words the verdict.
 */
public final class Funnel {
    private static final List<Rule> RULES = List.of(new DangerousExceptionRule(), new TrafficLossRule(), new SuccessRateFloorRule());

    private final List<FindingDetector> detectors;

    public Funnel(List<FindingDetector> detectors) {
        this.detectors = List.copyOf(detectors);
    }

    public RoundResult run(GuardInput input, GuardState state) {
        GuardConfig cfg = input.config();
        Vote vote = new Vote(cfg.voteK(), cfg.voteN());
        Fleet fleet = Fleet.of(input);
        if (fleet == null) {
            Vote.Outcome o = vote.apply(state, List.of());
            return new RoundResult(input.now(), Verdict.INCONCLUSIVE, "no batch has started yet, so there is nothing to judge",
                    o.findings(), o.state());
        }
        Map<String, MetricSeries> cache = new HashMap<>();
        Function<MetricSpec, MetricSeries> series = spec -> cache.computeIfAbsent(spec.name(),
                n -> MetricSeries.of(input, fleet, spec, cfg.stage(spec.role()).model()));
        Traffic traffic = Traffic.of(input, fleet, series);

        List<Finding> immediate = new ArrayList<>();
        RuleContext ctx = new RuleContext(input, fleet, series, traffic.low());
        for (Rule r : RULES) immediate.addAll(r.apply(ctx));
        List<Suspicion> suspicions = new ArrayList<>();
        for (FindingDetector d : detectors) {
            for (Finding f : d.detect(input)) {
                if (f.severity() == Verdict.FAIL && "rule".equals(f.stage())) immediate.add(f);
                else suspicions.add(new Suspicion(f, Strength.NORMAL));
            }
        }
        int judged = 0;
        MetricFinding metrics = new MetricFinding(cfg);
        for (MetricSpec spec : input.metrics().values()) {
            if (Fleet.isStartTime(spec.name())) continue;
            if (traffic.low() && MetricSeries.aboutRequests(spec.role())) continue;
            MetricSeries ms = series.apply(spec);
            if (ms.released().isEmpty() || !ms.hasLevels()) continue;
            MetricFinding.Result r = metrics.judge(ms);
            if (r.judged()) judged++;
            if (r.suspicion() != null) suspicions.add(r.suspicion());
        }
        Vote.Outcome voted = vote.apply(state, suspicions);
        List<Finding> findings = new ArrayList<>(immediate);
        findings.addAll(voted.findings());
        findings.sort(Comparator.comparing(Finding::severity).reversed());
        return new RoundResult(input.now(), Decision.verdict(findings, input, fleet, traffic, judged),
                Decision.reason(findings, input, fleet, traffic, judged), findings, voted.state());
    }
}
