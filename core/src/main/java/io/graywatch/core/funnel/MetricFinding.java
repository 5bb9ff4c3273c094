package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.attribution.Attribution;
import io.graywatch.core.funnel.attribution.Attributor;
import io.graywatch.core.funnel.attribution.ClearStep;
import io.graywatch.core.funnel.attribution.CountStep;
import io.graywatch.core.funnel.attribution.FailedRequests;
import io.graywatch.core.funnel.attribution.OldVersionLastMinutes;
import io.graywatch.core.funnel.attribution.OnsetAfterLastSwitch;
import io.graywatch.core.funnel.attribution.StepAtLastSwitch;
import io.graywatch.core.funnel.attribution.Leak;
import io.graywatch.core.funnel.attribution.LoadAdjusted;
import io.graywatch.core.funnel.change.Change;
import io.graywatch.core.funnel.change.ChangeDetector;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.funnel.profile.NormalProfile;
import io.graywatch.core.funnel.vote.Vote.Strength;
import io.graywatch.core.funnel.vote.Vote.Suspicion;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.NormalRange;
import io.graywatch.core.guard.StageSettings;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stages 3 to 6 for one metric (change, attribution with direction and size, normal profile), and the sentence a person reads. */
final class MetricFinding {
    private final GuardConfig cfg;
    private final String loadName;
    private final ChangeDetector change;
    private final Attributor attributor;
    private final NormalProfile profile;

    /** @param loadName what told the load in a sentence: "traffic", or the business count standing in for it */
    MetricFinding(GuardConfig cfg, String loadName) {
        this.cfg = cfg;
        this.loadName = loadName;
        this.change = new ChangeDetector(cfg.minSamples());
        this.attributor = new Attributor(cfg.minSamples());
        this.profile = new NormalProfile(cfg.normalProfile());
    }

    /** What stages 3 to 6 made of one metric: whether there was enough data to judge it, and its suspicion if any. */
    record Result(boolean judged, Suspicion suspicion) {
        static final Result NOT_JUDGED = new Result(false, null);
        static final Result PASSED = new Result(true, null);
    }

    /**
     * A change of load this large (relative) in the release group itself confounds what follows load
     * when no reference group shares it, as does one at least as large as the metric's own change: see
     * {@link #judge(MetricSeries, double)}.
     */
    static final double LOAD_CONFOUNDS = 0.25;

    /** The words of a latency or traffic judged with too few requests a minute to be steady ({@link #fewRequests}). */
    private static final String FEW_REQUESTS = ", more than twice the minimum effect, as traffic this low needs";

    /** The words of a CPU judged at the load it served before ({@link LoadAdjusted}). */
    private static final String AT_THE_LOAD = ", at the load it served before: more CPU per request";

    Result judge(MetricSeries ms) {
        return judge(ms, 0, null);
    }

    /**
     * Whether the counts behind a metric agree with a change found in its values: business counts'
     * totals ({@link Attributor#countsAgree}), and the failed requests behind an error rate
     * ({@link FailedRequests}). Other metrics count nothing and always agree.
     */
    private boolean countsAgree(MetricSeries ms, MetricSeries traffic, StageSettings st) {
        if (ms.counts()) return attributor.countsAgree(ms, st.alpha());
        double p = FailedRequests.pValue(ms, traffic);
        return Double.isNaN(p) || p < st.alpha();
    }

    /**
     * @param loadShift how much the release group's own traffic moved across the switch (relative; 0 when
     *                  unknown): without a reference group, latency, CPU and business counts that follow
     *                  a surge or a dip of that size cannot be told from the release's doing
     * @param traffic   the release's traffic metric, or null: the requests behind error rates and business counts
     */
    Result judge(MetricSeries ms, double loadShift, MetricSeries traffic) {
        StageSettings st = cfg.stage(ms.spec().role());
        Change ch = change.detect(ms, st);
        Attribution att = ch != null && ch.changed() ? attributor.attribute(ms, ch, st) : null;
        // asked at most once a round: counting the failed requests or orders behind a metric is not free
        Boolean agree = att != null && att.attributed() ? countsAgree(ms, traffic, st) : null;
        Suspicion found = Boolean.TRUE.equals(agree) ? suspicion(ms, ch, att, loadShift, st) : null;
        if (found == null || found.strength() != Strength.STRONG) {
            // the rank test needs more samples and the vote more rounds than a clear step deserves
            Attribution step = st.test() == StageSettings.Test.RANK ? ClearStep.of(ms, cfg.minSamples(), traffic) : null;
            double stepLoad = loadShift;
            if (step == null && st.test() == StageSettings.Test.RANK) {
                step = ClearStep.againstHistory(ms, cfg.minSamples(), traffic);
                // the load explains a step across the switch only if it moved both across the switch, as the step is
                // measured, and against the hour: a surge that began a quarter hour before the release lifted latency
                // then, and a load back at its usual level explains no latency far beyond its usual one
                if (step != null) {
                    double across = ClearStep.loadAcrossSwitch(traffic, cfg.minSamples());
                    stepLoad = Math.signum(across) != Math.signum(loadShift) ? 0 : Math.abs(across) < Math.abs(loadShift) ? across : loadShift;
                }
            }
            if (step != null && (agree != null ? agree : countsAgree(ms, traffic, st)))
                return new Result(true, suspicion(ms, null, step, stepLoad, st,
                        step.control() == Attribution.Control.REFERENCE_ONLY && ms.peerDeviations() != null ? FastLane.CLEAR_STEP_APART : FastLane.CLEAR_STEP));
            Attribution atSwitch = st.test() == StageSettings.Test.RANK && step == null ? StepAtLastSwitch.of(ms, traffic, cfg.minSamples(), LOAD_CONFOUNDS) : null;
            if (atSwitch != null && (agree != null ? agree : countsAgree(ms, traffic, st)))
                return new Result(true, suspicion(ms, null, atSwitch, loadShift, st, FastLane.STEP_AT_LAST_SWITCH));
            // a total far beyond chance fails at once; one short of that, unless the other tests found something, goes
            // through the vote, as the total must keep saying so round after round
            CountStep.Counted drop = CountStep.of(ms, traffic, found == null ? MARGINAL * st.alpha() : cfg.strongAlpha());
            if (drop != null) {
                boolean overwhelming = drop.attribution().pValue() <= cfg.strongAlpha();
                FastLane lane = ms.reference().isEmpty() ? overwhelming ? FastLane.COUNT_PER_REQUEST : FastLane.COUNT_PER_REQUEST_VOTED
                        : overwhelming ? FastLane.COUNT_STEP : FastLane.COUNT_STEP_VOTED;
                return new Result(true, suspicion(ms, null, drop.attribution(), loadShift, st, lane, counted(drop) + lane.words));
            }
            // replacement pods' orders add up a minute at a time: short of overwhelming, the vote waits for the total to hold
            CountStep.Counted fewer = found == null ? CountStep.ofPeers(ms, MARGINAL * st.alpha()) : null;
            if (fewer != null) {
                FastLane lane = fewer.attribution().pValue() <= cfg.strongAlpha() ? FastLane.COUNT_VS_PEERS : FastLane.COUNT_VS_PEERS_VOTED;
                return new Result(true, suspicion(ms, null, fewer.attribution(), loadShift, st, lane, counted(fewer) + lane.words));
            }
        }
        // a suspicion that cannot block (what followed the load, what the old version shared) leaves the load-adjusted and leak tests their say
        if ((found == null || found.finding().severity() != Verdict.FAIL) && ch != null) {
            // without a reference group, CPU that followed the day's load is no evidence, CPU that rose at the same load is
            Attribution load = LoadAdjusted.of(ms, traffic, st, cfg.minSamples());
            if (load != null) return new Result(true, suspicion(ms, ch, load, 0, st, null, AT_THE_LOAD));
            // a leak grows with each instance's time on the new version, which the latest quarter hour of the group's mean hides
            Leak.Found leak = Leak.of(ms, st.alpha());
            if (leak != null) return new Result(true, suspicion(ms, ch, leak.attribution(), 0, st, null, leakWords(ms, leak)));
        }
        if (found != null) return new Result(true, found);
        return ch == null ? Result.NOT_JUDGED : Result.PASSED;
    }

    /** ", 2 counted since the warm-up where 19.5 were expected". */
    private static String counted(CountStep.Counted c) {
        return ", " + Describe.number(c.observed()) + " counted since the warm-up where " + Describe.number(c.expected()) + " were expected";
    }

    /** "; inventory-a-01 at 1071 MB, 29% above the most it reached in the hour before its switch (833 MB), growing over the 58 minutes since its warm-up". */
    private static String leakWords(MetricSeries ms, Leak.Found leak) {
        String unit = ms.spec().unit();
        return "; " + leak.instance() + " at " + Describe.value(leak.now(), unit) + ", " + Describe.percent(leak.now() / leak.envelope() - 1).replace("+", "")
                + " above the most " + (leak.ownHistory() ? "it" : "the old version") + " reached in the hour before " + (leak.ownHistory() ? "its switch" : "the release")
                + " (" + Describe.value(leak.envelope(), unit) + "), growing over the " + leak.minutes() + " minutes since its warm-up"
                + (leak.leaking() > 1 ? " (" + leak.leaking() + " released instances grow so)" : "");
    }

    /**
     * With too little traffic to judge request metrics minute by minute. An error or success rate only when its
     * failed requests add up beyond doubt ({@link FailedRequests#beyondDoubt}). Latency and traffic on the change
     * and attribution tests and the vote, without the fast lanes (the p99 of a minute of three requests is its
     * slowest one: one minute is no step), and only when the change is {@link FailedRequests#SIZE} times the
     * minimum effect: their history holds the same noise, but a few requests a minute swing further than it
     * showed in an hour. Null otherwise.
     */
    Suspicion fewRequests(MetricSeries ms, MetricSeries traffic, double loadShift) {
        MetricRole role = ms.spec().role();
        if (role == MetricRole.LATENCY || role == MetricRole.TRAFFIC) {
            if (!ms.hasLevels()) return null;
            StageSettings st = cfg.stage(role);
            Change ch = change.detect(ms, st);
            Attribution att = ch != null && ch.changed() ? attributor.attribute(ms, ch, st) : null;
            if (att == null || !att.attributed() || !Attributor.bigEnough(ms, att.effect(), att.effectAbs(), FailedRequests.SIZE)) return null;
            return suspicion(ms, ch, att, loadShift, st, null, FEW_REQUESTS);
        }
        FailedRequests.Count c = FailedRequests.count(ms, traffic);
        StageSettings st = cfg.stage(ms.spec().role());
        Attribution att = FailedRequests.beyondDoubt(ms, traffic, c, cfg.strongAlpha(), st.alpha() * Attribution.Control.HISTORY.alphaShare);
        if (att == null) return null;
        String words = ", " + Describe.number(c.failed()) + " of " + Describe.number(c.requests()) + " requests failing since the warm-up where "
                + Describe.number(c.expected()) + " were expected" + (c.control() == Attribution.Control.HISTORY ? " at the rate before the batch" : " at the reference's rate");
        return suspicion(ms, null, att, 0, st, FastLane.FAILED_REQUESTS, words);
    }

    /** Evidence of its own that skips the change test, and when overwhelming the vote too: its evidence key and its words. */
    enum FastLane {
        CLEAR_STEP("clearStep.pValue", ", on every sample since the warm-up, beyond anything the hour before held"),
        /** A clear step of instances with no history of their own, told from how far apart the old ones stood: see {@link MetricSeries#peerDeviations}. */
        CLEAR_STEP_APART("clearStep.pValue", ", on every sample since the warm-up, further from the reference than any old instance stood from the others in the hour before"),
        STEP_AT_LAST_SWITCH("stepAtLastSwitch.pValue", ", from the minute the last batch switched on, on the instances already on the new version too, "
                + "every sample beyond anything they showed before"),
        COUNT_STEP("countStep.pValue", " at the reference's rate, far beyond chance"),
        COUNT_PER_REQUEST("countStep.pValue", " for their requests at the rate before the batch, far beyond chance"),
        COUNT_VS_PEERS("countStep.pValue", " at what the reference instances counted in the same minutes, far beyond chance"),
        /** Not overwhelming: these go through the vote. */
        COUNT_STEP_VOTED("countStep.pValue", " at the reference's rate, beyond chance", false),
        COUNT_PER_REQUEST_VOTED("countStep.pValue", " for their requests at the rate before the batch, beyond chance", false),
        COUNT_VS_PEERS_VOTED("countStep.pValue", " at what the reference instances counted in the same minutes, beyond chance", false),
        /** Its words are the counts: see {@link #fewRequests}. */
        FAILED_REQUESTS("failedRequests.pValue", "");

        final String key;
        final String words;
        /** Whether its evidence skips the vote. */
        final boolean overwhelming;

        FastLane(String key, String words) {
            this(key, words, true);
        }

        FastLane(String key, String words, boolean overwhelming) {
            this.key = key;
            this.words = words;
            this.overwhelming = overwhelming;
        }
    }

    private Suspicion suspicion(MetricSeries ms, Change ch, Attribution att, double loadShift, StageSettings st) {
        return suspicion(ms, ch, att, loadShift, st, null);
    }

    /**
     * @param ch   null for a fast lane ({@link ClearStep}, {@link CountStep}), whose evidence stands on its own: the
     *             change and attribution tests it skipped are not in its evidence, and it fails at once when overwhelming
     * @param lane the fast lane, or null for the change and attribution path
     */
    private Suspicion suspicion(MetricSeries ms, Change ch, Attribution att, double loadShift, StageSettings st, FastLane lane) {
        return suspicion(ms, ch, att, loadShift, st, lane, lane == null ? "" : lane.words);
    }

    private Suspicion suspicion(MetricSeries ms, Change ch, Attribution att, double loadShift, StageSettings st, FastLane lane,
                                String laneWords) {
        MetricSpec spec = ms.spec();
        Map<String, Double> evidence = new LinkedHashMap<>();
        if (ch != null) ch.addTo(evidence); else evidence.put(lane.key, att.pValue());
        att.addTo(evidence);
        NormalRange normal = profile.covering(spec.name(), att.effect());
        String reason = sentence(ms, att, cfg.minSamples());
        reason += laneWords;
        if (normal != null) {
            evidence.put("profile.low", normal.low());
            evidence.put("profile.high", normal.high());
            reason += ", within what this app shows in normal releases (" + Describe.percent(normal.low()) + " to "
                    + Describe.percent(normal.high()) + ")";
        }
        // users, not instances, decide how much traffic there is: without peers a drop is most likely the hour of the day
        boolean weakControl = att.control() == Attribution.Control.HISTORY || att.control() == Attribution.Control.YESTERDAY;
        // a drop in the very minute the last batch switched, on instances that had served the new version before it, is not the hour
        boolean exogenous = spec.role() == MetricRole.TRAFFIC && att.control() == Attribution.Control.HISTORY && lane != FastLane.STEP_AT_LAST_SWITCH;
        if (exogenous) reason += "; traffic alone cannot blame the release without a reference group";
        boolean followsLoad = spec.role().followsLoad();
        // counts per request already took the load out
        // what follows load moves with it: less traffic does not explain more latency or more CPU. A load that moved a
        // quarter, or at least as far as the metric did, explains it (bytes sent 18% up while the requests rose 24%)
        boolean confounded = !exogenous && weakControl && followsLoad && lane != FastLane.COUNT_PER_REQUEST
                && (Math.abs(loadShift) >= LOAD_CONFOUNDS || Math.abs(loadShift) >= Math.abs(att.effect()))
                && Math.signum(loadShift) == Math.signum(att.effect());
        if (confounded) {
            evidence.put("loadShift", loadShift);
            reason += "; " + loadName + " moved " + Describe.percent(loadShift) + " at the same time, which alone can explain it";
        }
        // judged against history alone once no old instance serves: did the old version, in its last minutes, move too?
        // CPU per request took the load out already: the old version's CPU, load and all, is no measure of it
        boolean historyAlone = att.control() == Attribution.Control.HISTORY && !exogenous && !confounded && !AT_THE_LOAD.equals(laneWords);
        double shared = historyAlone ? OldVersionLastMinutes.sharedMove(ms, att) : Double.NaN;
        if (!Double.isNaN(shared)) {
            evidence.put("oldVersionMove", shared);
            reason += "; the old version moved " + (ms.model() == StageSettings.Model.RATIO ? Describe.percent(Math.expm1(shared))
                    : Describe.change(shared, spec.unit())) + " the same way in its last minutes, a cause both versions share";
        }
        // nor a move that began minutes after the last switch, at once on instances the new version had served unchanged through it
        int later = historyAlone && Double.isNaN(shared) && lane != FastLane.STEP_AT_LAST_SWITCH ? OnsetAfterLastSwitch.minutesAfter(ms, att) : -1;
        if (later >= 0) {
            evidence.put("minutesAfterLastSwitch", (double) later);
            reason += "; it began " + Describe.plural(later, "minute") + " after the last batch switched, at once on the instances that had "
                    + "served the new version unchanged through the switch, a cause outside the release";
        }
        boolean blocks = normal == null && !exogenous && !confounded && Double.isNaN(shared) && later < 0;
        Finding f = new Finding("metric:" + spec.name(), Finding.Source.METRIC, blocks ? Verdict.FAIL : Verdict.WARN,
                spec.name(), normal == null ? "attribution" : "profile", reason, evidence,
                ms.released().stream().map(Fleet.Member::id).toList());
        return new Suspicion(f, ch != null ? strength(ms, ch, att, st) : lane.overwhelming ? Strength.STRONG : Strength.NORMAL);
    }

    /**
     * A p-value within this share of the level it had to pass is weak evidence: it must persist one
     * round longer, as a marginal p-value comes back in the next round by chance more often than not
     * (the windows overlap).
     */
    static final double MARGINAL = 0.2;

    private Strength strength(MetricSeries ms, Change ch, Attribution att, StageSettings st) {
        if (att.control() != Attribution.Control.REFERENCE) return Strength.WEAK;
        if (att.pValue() > MARGINAL * st.alpha() * att.control().alphaShare) return Strength.WEAK;
        boolean overwhelming = ch.pValue() <= cfg.strongAlpha() && att.pValue() <= cfg.strongAlpha()
                && Math.abs(att.effect()) >= 2 * ms.spec().minRelativeEffect() && Math.abs(att.effectAbs()) >= 2 * ms.minAbsoluteEffect();
        return overwhelming ? Strength.STRONG : Strength.NORMAL;
    }

    /** "error rate 4.1% on the 2 released instances vs 0.3% on the 6 reference ones, up from 0.2% before the batch". */
    private static String sentence(MetricSeries ms, Attribution att, int latest) {
        MetricSpec spec = ms.spec();
        int last = ms.fleet().buckets() - 1, first = ms.firstAfterBucket();
        boolean counts = spec.role() == MetricRole.ERROR_COUNT;
        String unit = counts ? "per " + ms.fleet().step() + " s" : spec.unit();
        // the values as a dashboard shows them now: the latest samples, both groups in the same minutes, and the half hour
        // before the switch. Over the whole judged window and the hour of history, a fault that began late and traffic
        // that swung with the day read "538 rps vs 544 rps, up from 302 rps (-76%)". Business counts take three times
        // as many samples (a few orders a minute are mostly zeros over three minutes); error counts stay whole
        int from = counts ? first : Math.max(first, last - (ms.counts() ? 3 * latest : latest) + 1);
        int baseFrom = counts ? 0 : Math.max(0, ms.fleet().baselineEnd() - MetricSeries.LEVEL_SAMPLES + 1);
        double after = level(ms, Part.RELEASE_AFTER, from, last, counts);
        // a scrape gap over the latest minutes: the window judged says where they stand
        if (Double.isNaN(after)) after = level(ms, Part.RELEASE_AFTER, first, last, counts);
        double before = level(ms, Part.RELEASE_BEFORE, baseFrom, last, counts);
        boolean referenced = att.control() == Attribution.Control.REFERENCE || att.control() == Attribution.Control.REFERENCE_ONLY;
        double refNow = referenced ? level(ms, Part.REFERENCE, from, last, counts) : Double.NaN;
        // the old instances stopped reporting (replaced, or a scrape gap): where they stood when they last did
        boolean refEarlier = referenced && Double.isNaN(refNow);
        if (refEarlier) refNow = level(ms, Part.REFERENCE, first, last, counts);
        double res = Math.abs(att.effectAbs());
        int joined = ms.fleet().joinedBatch();
        // no sample left in the window (a fresh instance's still settling, a gap): the counts a lane adds say the rest
        StringBuilder s = new StringBuilder(Describe.name(spec)).append(Double.isNaN(after) ? "" : " " + Describe.value(after, unit, res))
                .append(" on ").append(ms.batch() > 0 ? "batch " + ms.batch() + " (" + Describe.plural(ms.released().size(), "instance") + ")"
                        : joined > 0 ? Describe.instances(ms.released().size(), "earlier") + " since batch " + joined + " joined"
                        : Describe.instances(ms.released().size(), "released"));
        switch (att.control()) {
            case REFERENCE, REFERENCE_ONLY -> {
                String ref = ms.reference().size() == 1 ? "the reference one" : "the " + ms.reference().size() + " reference ones";
                if (Double.isNaN(refNow)) s.append(" vs ").append(ref).append(" (no data from them in the minutes judged)");
                else s.append(" vs ").append(Describe.value(refNow, unit, res)).append(" on ").append(ref).append(refEarlier ? " when they last reported" : "");
            }
            case YESTERDAY -> {
                int lag = (int) (86_400 / ms.fleet().step());
                s.append(" vs ").append(Describe.value(level(ms, Part.RELEASE_BEFORE, from - lag, last - lag, counts), unit, res))
                        .append(" at the same time yesterday");
            }
            case HISTORY -> {
            }
        }
        if (att.control() == Attribution.Control.REFERENCE_ONLY) {
            s.append(" (the released instances have no history of their own)");
        } else if (!Double.isNaN(before)) {
            // a few orders a minute can read the same on both sides of a collapse: the totals the lane adds say it then
            String was = Describe.value(before, unit, res);
            boolean up = Double.isNaN(after) ? att.effectAbs() > 0 : after > before;
            s.append(", ").append(was.equals(Describe.value(after, unit, res)) ? "as" : up ? "up from" : "down from").append(' ').append(was)
                    .append(joined > 0 ? " before it" : " before the batch");
            // a change against the reference that reads the other way on the release's own values: the reference moved more
            if (att.control() == Attribution.Control.REFERENCE && !Double.isNaN(refNow) && !Double.isNaN(after) && Math.signum(after - before) != Math.signum(att.effectAbs())) {
                double refBefore = level(ms, Part.REFERENCE, baseFrom, ms.fleet().baselineEnd(), counts);
                if (!Double.isNaN(refBefore)) s.append(", while the reference ones ").append(refNow >= refBefore ? "rose" : "fell").append(" from ")
                        .append(Describe.value(refBefore, unit, res));
            }
        }
        if (att.control() == Attribution.Control.HISTORY) s.append(", with no reference group to compare with");
        String effect = ms.model() == StageSettings.Model.DIFFERENCE && !counts ? Describe.change(att.effectAbs(), spec.unit())
                : Describe.percent(att.effect());
        s.append(" (").append(effect).append(" attributable to the release)");
        return s.toString();
    }

    private static double level(MetricSeries ms, Part part, int a, int b, boolean counts) {
        // a few orders a minute have medians of whole numbers: "7 per minute vs 7 per minute, as 7 per minute before
        // (-27%)" says nothing, their means say how many fewer
        return counts || ms.counts() ? ms.totals(part, a, b).mean() : ms.rawMedian(part, a, b);
    }
}
