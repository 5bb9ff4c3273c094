package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.attribution.Attribution;
import io.graywatch.core.funnel.attribution.Attributor;
import io.graywatch.core.funnel.change.ChangeDetector;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.CountersAsRates;
import io.graywatch.core.funnel.clean.RoundGrid;
import io.graywatch.core.funnel.clean.DirectionFromRole;
import io.graywatch.core.funnel.clean.RequestMetricsFromData;
import io.graywatch.core.funnel.clean.UtilisationFromData;
import io.graywatch.core.funnel.clean.Succession;
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
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;

import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Leaks and ramps grow with the time on the new version: once later batches have joined, the
     * first batch alone is asked too, as their fresh processes (memory refilling after the restart)
     * would hide its growth in the group's aggregate.
     */
    private static MetricFinding.Result firstBatch(GuardInput input, MetricSeries ms, MetricFinding metrics) {
        List<Fleet.Member> rel = ms.released();
        if (rel.isEmpty() || rel.get(0).batch() == rel.get(rel.size() - 1).batch()) return MetricFinding.Result.PASSED;
        MetricSeries first = ms.ofBatch(input, rel.get(0).batch());
        // only against a reference still serving: alone, one batch's own history cannot tell its growth from the day's load
        if (!first.hasLevels() || !referenceServes(first, input.config().minSamples())) return MetricFinding.Result.PASSED;
        MetricFinding.Result r = metrics.judge(first);
        // a utilisation follows load and sits apart from instance to instance: one batch running a few points
        // hotter than its peers is how instances differ; only one still climbing away from them is a ramp
        if (r.suspicion() == null || !first.spec().measuresUtilisation()) return r;
        return Attributor.climbsAway(first, input.config().stage(ms.spec().role()).alpha()) ? r : MetricFinding.Result.PASSED;
    }

    /**
     * A fault that shows only once more instances serve the new version hits the earlier batches' instances at the
     * moment the latest batch joins (see {@link Fleet#joinedBy}): asked when the whole group's view found nothing.
     */
    private static MetricFinding.Result latestBatch(GuardInput input, MetricSpec spec, MetricFinding metrics, Function<MetricSpec, MetricSeries> joined,
                                                    double loadShift, MetricSeries traffic) {
        MetricSeries ms = joined.apply(spec);
        if (ms.released().size() < 2 || !ms.hasLevels() || !referenceServes(ms, input.config().minSamples())) return MetricFinding.Result.PASSED;
        MetricFinding.Result r = metrics.judge(ms, loadShift, traffic);
        // their own time before the batch joined is their history here, however short: only a difference from a
        // reference serving alongside them, before and after, tells what changed when it joined
        Double confidence = r.suspicion() == null ? null : r.suspicion().finding().evidence().get("confidence");
        return r.suspicion() == null || confidence != null && confidence == Attribution.Control.REFERENCE.confidence ? r : MetricFinding.Result.PASSED;
    }

    /** Whether the reference group has at least {@code samples} samples in the after buckets. */
    private static boolean referenceServes(MetricSeries ms, int samples) {
        return ChangeDetector.finite(ms.aggregate(MetricSeries.Part.REFERENCE), ms.firstAfterBucket(), Integer.MAX_VALUE).length >= samples;
    }

    /** How long a fresh instance may still be coming down from its deploy spike: JIT, cold caches and connection pools take minutes. */
    static final long SETTLING_SECONDS = 600;

    /**
     * Whether a finding on a release group that mixes instances still settling with ones past it shows on the
     * settled ones too. The new version's fault is on all of its instances, older ones included (a fault that
     * starts late hits them at the same moment); a deploy spike is on the fresh ones only. Once the fresh ones
     * have settled, the whole group is judged again as it is.
     */
    private static boolean settledShowIt(GuardInput input, MetricSeries ms) {
        long settled = input.now() - SETTLING_SECONDS;
        List<Fleet.Member> rel = ms.released();
        if (ms.batch() > 0 || rel.stream().noneMatch(m -> m.switchAt() >= settled) || rel.stream().noneMatch(m -> m.switchAt() < settled))
            return true;
        // since the first fresh one switched: a fault that was there by then is on the settled ones all along
        long fresh = rel.stream().mapToLong(Fleet.Member::switchAt).filter(t -> t >= settled).min().orElseThrow();
        MetricSeries old = ms.switchedBefore(input, settled);
        return !old.hasLevels() || Attributor.stillShows(old, ms.fleet().bucket(fresh), input.config().minSamples());
    }

    /**
     * How much the serving release group's traffic moved from before its switch to after it (relative), 0 when unknown:
     * over the after window, or over its latest samples when they moved further (a surge late in the window moves the
     * latest samples of what follows load, which a finding must still show).
     */
    private static double loadShift(GuardInput input, MetricSpec spec, Function<MetricSpec, MetricSeries> series) {
        if (spec == null) return 0;
        MetricSeries ms = series.apply(spec);
        if (ms.released().isEmpty() || !ms.hasLevels()) return 0;
        double[] before = ChangeDetector.finite(ms.aggregate(MetricSeries.Part.RELEASE_BEFORE), 0, Integer.MAX_VALUE);
        double[] after = ChangeDetector.finite(ms.aggregate(MetricSeries.Part.RELEASE_AFTER), 0, Integer.MAX_VALUE);
        if (before.length == 0 || after.length == 0) return 0;
        double centre = Stats.median(before);
        double whole = ms.relative(Stats.median(after) - centre);
        int latest = input.config().minSamples();
        if (after.length <= latest) return whole;
        double[] last = Arrays.copyOfRange(after, after.length - latest, after.length);
        // only a surge or a dip beyond anything the hour showed: a few requests a second swing that far from minute to minute
        double lo = Arrays.stream(before).min().orElseThrow(), hi = Arrays.stream(before).max().orElseThrow();
        boolean above = Arrays.stream(last).allMatch(x -> x > hi), below = Arrays.stream(last).allMatch(x -> x < lo);
        double recent = above || below ? ms.relative(Stats.median(last) - centre) : 0;
        return Math.abs(recent) > Math.abs(whole) ? recent : whole;
    }

    /**
     * What tells the load: the traffic metric, else a business count. Users, not the release, decide how many come,
     * and a surge brings more orders as it brings more requests; a release breaks how many of them order, which only
     * lowers the count, so a count that rose explains what follows the load and one that fell explains nothing.
     */
    static MetricSpec loadMetric(Map<String, MetricSpec> metrics) {
        MetricSpec traffic = MetricSeries.trafficMetric(metrics);
        if (traffic != null) return traffic;
        return metrics.values().stream().filter(m -> m.kind() == MetricKind.BUSINESS && m.bad() == Bad.DECREASE && !Fleet.isStartTime(m.name()))
                .findFirst().orElse(null);
    }

    public RoundResult run(GuardInput round, GuardState state) {
        // the stages count samples, set for one a round: see RoundGrid and GuardConfig.forStep
        // a pod that replaced an old one under a new name continues its past once the old version has gone
        GuardInput onGrid = RoundGrid.of(Succession.of(DirectionFromRole.of(UtilisationFromData.of(RequestMetricsFromData.of(CountersAsRates.ofRaw(round))))));
        GuardConfig atStep = onGrid.config().forStep(onGrid.stepSeconds());
        GuardInput input = atStep == onGrid.config() ? onGrid : onGrid.withConfig(atStep);
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
        MetricSpec trafficSpec = MetricSeries.trafficMetric(input.metrics()), loadSpec = loadMetric(input.metrics());
        MetricFinding metrics = new MetricFinding(cfg, loadSpec == null || loadSpec == trafficSpec ? "traffic" : Describe.name(loadSpec));
        double loadShift = loadShift(input, loadSpec, series);
        MetricSeries trafficSeries = trafficSpec == null ? null : series.apply(trafficSpec);
        Fleet joinedBy = fleet.joinedBy();
        Map<String, MetricSeries> joinedCache = new HashMap<>();
        Function<MetricSpec, MetricSeries> joined = spec -> joinedCache.computeIfAbsent(spec.name(), n -> series.apply(spec).joinedBy(input, joinedBy));
        double joinedLoadShift = Double.NaN;
        for (MetricSpec spec : input.metrics().values()) {
            if (Fleet.isStartTime(spec.name())) continue;
            MetricSeries ms = series.apply(spec);
            if (traffic.low() && MetricSeries.aboutRequests(spec.role())) {
                // too few requests to judge a rate or a latency minute by minute, but failures still add up and a large
                // change holds over the rounds: the round stays inconclusive unless one of them fails
                Suspicion few = ms.released().isEmpty() ? null : metrics.fewRequests(ms, trafficSeries, loadShift);
                if (few != null) suspicions.add(few);
                continue;
            }
            if (ms.released().isEmpty() || !ms.hasLevels()) continue;
            // a count standing in for the load is not explained by its own move
            MetricFinding.Result r = metrics.judge(ms, spec.equals(loadSpec) && spec != trafficSpec ? 0 : loadShift, trafficSeries);
            if (r.suspicion() != null && !settledShowIt(input, ms)) r = MetricFinding.Result.PASSED;
            if (r.judged()) judged++;
            if (r.suspicion() == null && spec.role() == MetricRole.RESOURCE) r = firstBatch(input, ms, metrics);
            if (r.suspicion() == null && joinedBy != null && spec.role() != MetricRole.RESOURCE) {
                if (Double.isNaN(joinedLoadShift)) joinedLoadShift = loadShift(input, loadSpec, joined);
                MetricFinding.Result late = latestBatch(input, spec, metrics, joined, joinedLoadShift, trafficSpec == null ? null : joined.apply(trafficSpec));
                if (late.suspicion() != null) r = late;
            }
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
