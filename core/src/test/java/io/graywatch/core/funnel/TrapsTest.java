package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.graywatch.core.funnel.GraywatchJudgeTest.CPU;
import static io.graywatch.core.funnel.GraywatchJudgeTest.ERROR_RATE;
import static io.graywatch.core.funnel.GraywatchJudgeTest.LATENCY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.MEMORY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.anyFail;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static io.graywatch.core.funnel.GraywatchJudgeTest.service;
import static org.assertj.core.api.Assertions.assertThat;

/** The traps of the funnel issue: what must not raise a finding, and what must. */
class TrapsTest {
    final GraywatchJudge judge = new GraywatchJudge();

    static List<Finding> allFindings(List<RoundResult> rounds) {
        return rounds.stream().flatMap(r -> r.findings().stream()).toList();
    }

    @Test
    void surgeHittingBothGroupsAtReleaseTimeIsNotAFinding() {
        Scenario s = service(60, 30);
        // from the release on, load doubles everywhere: more requests, slower, more errors, busier
        java.util.function.LongPredicate surge = t -> t >= s.release && t < s.release + 20 * 60;
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, surge.test(t) ? 100 : 50, 0.08))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, surge.test(t) ? 180 : 120, 0.1))
                .metric(ERROR_RATE, (i, t, r) -> Math.max(0, (surge.test(t) ? 1.5 : 0.3) + 0.1 * r.nextGaussian()))
                .metric(CPU, (i, t, r) -> Scenario.noisy(r, surge.test(t) ? 60 : 35, 0.08));
        List<RoundResult> rounds = s.run(judge, 30);
        assertThat(allFindings(rounds)).isEmpty();
        assertThat(rounds.get(rounds.size() - 1).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aSmallReferenceGroupThatMovedItselfIsNotTakenAsTheControl() {
        Scenario s = new Scenario(60, 60, 20, 2, 2);
        // the two old instances start getting twice the traffic; the new ones keep theirs
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, !s.isReleased(i, t) && t >= s.release ? 100 : 50, 0.08)).oneBatch();
        List<RoundResult> rounds = s.run(judge, 20);
        assertThat(allFindings(rounds)).isEmpty();
    }

    /**
     * Four replacement pods in three batches, the last two together, each taking over from an old pod that
     * stops reporting at its switch: once the last old pod is gone, history is all that is left.
     */
    private static Scenario lastBatchLeavesHistoryOnly(Scenario.Values latency) {
        return lastBatchLeavesHistoryOnly((i, t, r) -> Scenario.noisy(r, 50, 0.08), latency);
    }

    private static Scenario lastBatchLeavesHistoryOnly(Scenario.Values requests, Scenario.Values latency) {
        Scenario s = new Scenario(60, 60, 45, 4, 4);
        long[] switchAt = {s.release, s.release + 15 * 60, s.release + 30 * 60, s.release + 30 * 60};
        // each pod reports while it serves: new ones from their switch, old ones until their successor's
        java.util.function.BiPredicate<String, Long> serves = (i, t) -> {
            long at = switchAt[Integer.parseInt(i.substring(5)) - 1];
            return i.startsWith("app-r") ? t >= at : t < at;
        };
        s.metric(REQUESTS, (i, t, r) -> serves.test(i, t) ? requests.at(i, t, r) : Double.NaN)
                .metric(LATENCY, (i, t, r) -> serves.test(i, t) ? latency.at(i, t, r) : Double.NaN)
                .batch(switchAt[0], List.of("app-r1"), false)
                .batch(switchAt[1], List.of("app-r2"), false)
                .batch(switchAt[2], List.of("app-r3", "app-r4"), false);
        return s;
    }

    /** {@link #lastBatchLeavesHistoryOnly} to its end, requests and latency each stepping to a new level once the last batch switched. */
    private List<RoundResult> stepsAtTheLastSwitch(double requests, double requestsAfter, double requestsNoise,
                                                   double latency, double latencyAfter, double latencyNoise) {
        long last = Scenario.T0 + 60 * 60 + 30 * 60;
        return lastBatchLeavesHistoryOnly((i, t, r) -> Scenario.noisy(r, t > last ? requestsAfter : requests, requestsNoise),
                (i, t, r) -> Scenario.noisy(r, t > last ? latencyAfter : latency, latencyNoise)).run(judge, 45);
    }

    @Test
    void latencyClimbingWithTheDayIsNoFindingOnceTheLastOldPodIsGone() {
        // the day's load lifts everyone's latency by a third over the release, old and new version alike
        long start = Scenario.T0 + 60 * 60;
        Scenario s = lastBatchLeavesHistoryOnly((i, t, r) -> Scenario.noisy(r, 120 * (1 + 0.45 * Math.max(0, t - start) / 3600.0), 0.05));
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    @Test
    void aStepOnEveryPodAsTheLastOldOnesGoStillFails() {
        // the old version had not moved by the time it last served: history still tells where it stood
        long last = Scenario.T0 + 60 * 60 + 30 * 60;
        // from the samples after the switch: each is stamped at the end of the minute it covers
        Scenario s = lastBatchLeavesHistoryOnly((i, t, r) -> Scenario.noisy(r, t > last ? 220 : 120, 0.05));
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(rounds.subList(0, 30)).noneMatch(r -> r.verdict() == Verdict.FAIL);
        // in the minute the last batch switched, on the pods already on the new version too: three samples of it are enough
        int first = firstFail(rounds);
        assertThat(first).isBetween(31, 33);
        assertThat(rounds.get(first).reason()).contains("from the minute the last batch switched on, on the instances already on the new version too");
        assertThat(rounds.get(first).findings().get(0).evidence()).containsKey("stepAtLastSwitch.pValue");
    }

    @Test
    void aStepAtTheLastSwitchIsFoundWhereScrapesComeSecondsIntoTheMinute() {
        // scraped 20 s into every minute: the round's own minute has no sample yet, and it is no sign the step ended
        long last = Scenario.T0 + 60 * 60 + 30 * 60;
        Scenario s = lastBatchLeavesHistoryOnly((i, t, r) -> Scenario.noisy(r, t > last ? 220 : 120, 0.05)).scrapedAt(20);
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(rounds.subList(0, 30)).noneMatch(r -> r.verdict() == Verdict.FAIL);
        int first = firstFail(rounds);
        assertThat(first).isBetween(31, 34);
        assertThat(rounds.get(first).findings().get(0).evidence()).containsKey("stepAtLastSwitch.pValue");
    }

    @Test
    void aStepAtTheLastSwitchFarBeyondWhatTheLoadItBroughtExplainsStillFails() {
        // the last old pods go with fewer successors: each new pod takes half again the requests, and its latency
        // more than doubles, more than half again the load can explain
        List<RoundResult> rounds = stepsAtTheLastSwitch(50, 75, 0.03, 120, 300, 0.05);
        int first = firstFail(rounds);
        assertThat(first).isBetween(31, 33);
        assertThat(rounds.get(first).findings().get(0).evidence()).containsKey("stepAtLastSwitch.pValue");
    }

    @Test
    void aStepAtTheLastSwitchNoLargerThanTheLoadItBroughtIsNotTakenAsItsDoing() {
        // the same half again the requests a pod, and latency up by a quarter: the load alone can do that
        assertThat(allFindings(stepsAtTheLastSwitch(50, 75, 0.03, 120, 150, 0.02))).noneMatch(f -> f.evidence().containsKey("stepAtLastSwitch.pValue"));
    }

    @Test
    void trafficLostInTheMinuteTheLastBatchSwitchedFailsThoughNoOldPodIsLeft() {
        // against history alone traffic is the hour's doing, but not when it falls in that very minute on pods that
        // had served the new version for a quarter of an hour and more
        List<RoundResult> rounds = stepsAtTheLastSwitch(50, 10, 0.08, 120, 120, 0.05);
        int first = firstFail(rounds);
        assertThat(first).isBetween(31, 33);
        assertThat(rounds.get(first).findings().get(0).key()).isEqualTo("metric:requests");
    }

    @Test
    void aSlideThroughTheLastSwitchIsNotAStepAtIt() {
        // latency climbing steadily from ten minutes before the last switch to ten after: no minute of it is the switch's
        long last = Scenario.T0 + 60 * 60 + 30 * 60;
        Scenario s = lastBatchLeavesHistoryOnly((i, t, r) -> Scenario.noisy(r, 120 * (1 + 1.5 * Math.min(1, Math.max(0, (t - last + 600) / 1200.0))), 0.02));
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(allFindings(rounds)).noneMatch(f -> f.evidence().containsKey("stepAtLastSwitch.pValue"));
    }

    @Test
    void aStepThatBeganMinutesAfterTheLastBatchSwitchedIsNotTakenAsItsDoing() {
        // an upstream slowdown three minutes after the last old pods went: the pods that had served the new version
        // for half an hour were as before in the minutes after the switch
        long last = Scenario.T0 + 60 * 60 + 30 * 60;
        Scenario s = lastBatchLeavesHistoryOnly((i, t, r) -> Scenario.noisy(r, t > last + 180 ? 220 : 120, 0.05));
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(allFindings(rounds)).noneMatch(f -> f.evidence().containsKey("stepAtLastSwitch.pValue"));
        // nor, a quarter of an hour on, against history: it began three minutes after the switch, on all of them at once
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
        Finding warn = allFindings(rounds).stream().filter(f -> f.key().equals("metric:latency_ms")).reduce((a, b) -> b).orElseThrow();
        assertThat(warn.severity()).isEqualTo(Verdict.WARN);
        assertThat(warn.reason()).contains("it began 3 minutes after the last batch switched, at once on the instances that had served the new version unchanged through the switch, a cause outside the release");
        assertThat(warn.evidence()).containsEntry("minutesAfterLastSwitch", 3.0);
    }

    @Test
    void atFiveMinutePointsAnIncidentMinutesAfterTheLastSwitchIsNotTakenAsAStepAtIt() {
        // upgraded in place at five-minute points, the last old pods gone with the last batch; an incident two minutes
        // later lands in the same point as the switch, so the point cannot tell when it began
        Scenario s = new Scenario(300, 36, 9, 4, 4);
        long last = s.release + 30 * 60;
        s.metric(REQUESTS, (i, t, r) -> i.startsWith("app-f") && t >= last ? Double.NaN : Scenario.noisy(r, 50, 0.08))
                .metric(LATENCY, (i, t, r) -> i.startsWith("app-f") && t >= last ? Double.NaN : Scenario.noisy(r, t > last + 120 ? 220 : 120, 0.05))
                .batch(s.release, List.of("app-r1", "app-r2"), false)
                .batch(last, List.of("app-r3", "app-r4"), false);
        List<RoundResult> rounds = s.run(judge, 9);
        assertThat(allFindings(rounds)).noneMatch(f -> f.evidence().containsKey("stepAtLastSwitch.pValue"));
    }

    @Test
    void anIncidentTheLastOldPodsShowedBeforeTheyWentIsNotBlamedOnTheRelease() {
        // the same step as above, but from two minutes before the last old pods go, on them too: upstream
        long last = Scenario.T0 + 60 * 60 + 30 * 60;
        Scenario s = lastBatchLeavesHistoryOnly((i, t, r) -> Scenario.noisy(r, t >= last - 120 ? 220 : 120, 0.05));
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
        Finding warn = allFindings(rounds).stream().filter(f -> f.key().equals("metric:latency_ms")).reduce((a, b) -> b).orElseThrow();
        assertThat(warn.severity()).isEqualTo(Verdict.WARN);
        assertThat(warn.reason()).contains("the old version moved +8", "the same way in its last minutes, a cause both versions share");
        assertThat(warn.evidence()).containsKey("oldVersionMove");
    }

    @Test
    void deployWarmUpSpikeIsNotAFinding() {
        Scenario s = new Scenario(15, 240, 80, 2, 6);
        // the first 50 s after the switch: cold caches, JIT, connection pools
        java.util.function.BiPredicate<String, Long> warming = (i, t) -> s.isReleased(i, t) && t < s.release + 50;
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, warming.test(i, t) ? 600 : 120, 0.1))
                .metric(ERROR_RATE, (i, t, r) -> Math.max(0, (warming.test(i, t) ? 8 : 0.3) + 0.1 * r.nextGaussian()))
                .metric(CPU, (i, t, r) -> Scenario.noisy(r, warming.test(i, t) ? 95 : 35, 0.08))
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 80);
        assertThat(allFindings(rounds)).isEmpty();
        assertThat(rounds.get(rounds.size() - 1).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aWarmUpSpikeScrapedSecondsIntoTheMinuteIsNotAFinding() {
        // scraped 27 s into every minute: the sample after an in-place switch holds 33 s of the old version and 27 s of
        // the cold minute, the next one the rest of it, so the spike peaks on the second sample, not the first
        Scenario s = new Scenario(60, 240, 30, 2, 6).scrapedAt(27);
        java.util.function.BiFunction<String, Long, Double> cold = (i, t) -> !s.isReleased(i, t) ? 0 : t == s.release ? 27 / 60.0 : t == s.release + 60 ? 33 / 60.0 : 0;
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, 120 + 480 * cold.apply(i, t), 0.1))
                .metric(ERROR_RATE, (i, t, r) -> Math.max(0, 0.3 + 7.7 * cold.apply(i, t) + 0.1 * r.nextGaussian()))
                .metric(CPU, (i, t, r) -> Scenario.noisy(r, 35 + 60 * cold.apply(i, t), 0.08))
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 30);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
        assertThat(rounds.get(rounds.size() - 1).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void warmUpSpikeWithinTheWarmUpWindowFadesWithoutFailing() {
        // three minutes of slow, failing requests after the switch, held flat: a plateau that outlasts the warm-up
        // window looks like a step from its second minute on, so the app's warm-up window is set to cover it
        Scenario s = service(60, 20).config(GuardConfig.defaults().withWarmupSeconds(180));
        java.util.function.BiPredicate<String, Long> warming = (i, t) -> s.isReleased(i, t) && t < s.release + 180;
        s.metric(LATENCY, (i, t, r) -> Scenario.noisy(r, warming.test(i, t) ? 400 : 120, 0.1))
                .metric(ERROR_RATE, (i, t, r) -> Math.max(0, (warming.test(i, t) ? 6 : 0.3) + 0.1 * r.nextGaussian()));
        List<RoundResult> rounds = s.run(judge, 20);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
        assertThat(rounds.get(20).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void deploySpikeDecayingForMinutesIsNotBlamedOnceItHasSettled() {
        Scenario s = new Scenario(60, 60, 25, 1, 6);
        // busy for minutes after the switch (JIT, cold caches): two and a half times its level at first, its excess
        // down by a quarter every minute; the after window's median stays up long after the instance has settled
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(CPU, (i, t, r) -> {
                    double since = (t - s.release) / 60.0;
                    return Scenario.noisy(r, 35 * (1 + (s.isReleased(i, t) ? 1.5 * Math.exp(-since / 3) : 0)), 0.08);
                })
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 25);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    /**
     * One instance on the new version for 15 minutes, then three more: cold, those three run at twice their
     * latency for four minutes and take two more to come down; {@code step} times their level on every
     * new-version instance from then on.
     */
    private static Scenario secondBatchJoins(double step) {
        Scenario s = new Scenario(60, 60, 30, 4, 4);
        long second = s.release + 15 * 60;
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(LATENCY, (i, t, r) -> {
                    if (!s.isReleased(i, t)) return Scenario.noisy(r, 120, 0.08);
                    long since = t - second;
                    double cold = i.equals("app-r1") ? 1 : since < 240 ? 2 : 1 + Math.exp(-(since - 240) / 120.0);
                    return Scenario.noisy(r, 120 * cold * (t >= second ? step : 1), 0.08);
                })
                .batch(s.release, List.of("app-r1"), false)
                .batch(second, List.of("app-r2", "app-r3", "app-r4"), false);
        return s;
    }

    @Test
    void freshInstancesStillColdAreNotBlamedWhileTheSettledOneShowsNothing() {
        assertThat(secondBatchJoins(1).run(judge, 30)).noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    @Test
    void aStepThatStartsWithTheSecondBatchShowsOnTheSettledOneTooAndFails() {
        assertThat(firstFail(secondBatchJoins(1.6).run(judge, 30))).isBetween(16, 18);
    }

    @Test
    void aSpikeFadingInCpuGivesAwayTheWarmUpOfALatencyThatHoldsForAMinute() {
        Scenario s = service(60, 20);
        // JIT and cold caches: CPU comes down from the switch on; latency holds for a minute, then fades too
        double[] latency = {500, 500, 500, 300, 180, 130};
        double[] cpu = {90, 90, 55, 42, 37, 35};
        s.metric(LATENCY, (i, t, r) -> {
            int since = (int) ((t - s.release) / 60);
            return Scenario.noisy(r, s.isReleased(i, t) && since < latency.length ? latency[since] : 120, 0.03);
        }).metric(CPU, (i, t, r) -> {
            int since = (int) ((t - s.release) / 60);
            return Scenario.noisy(r, s.isReleased(i, t) && since < cpu.length ? cpu[since] : 35, 0.03);
        });
        List<RoundResult> rounds = s.run(judge, 20);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    @Test
    void aStrongWarmUpIsWaitedOutByItsOwnDecay() {
        // cold caches: four times the latency in the warm-up minute, half of the excess gone a minute later, and a
        // tail the after window's median holds on to; noisy enough that the samples never fall in a neat line. The
        // decay the first two minutes show says how long to wait (without it, two of these sixty runs failed)
        for (int seed = 0; seed < 60; seed++) {
            final int sd = seed;
            Scenario s = new Scenario(60, 60, 20, 1, 5);
            s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.05))
                    .metric(LATENCY, (i, t, r) -> {
                        double since = (t - s.release) / 60.0;
                        double level = 250 * (s.isReleased(i, t) ? 1 + 3 * Math.exp(-since / 1.5) : 1);
                        return Scenario.noisy(new java.util.Random(sd * 1_000_003L + t * 31 + i.hashCode()), level, 0.12);
                    }).oneBatch();
            assertThat(s.run(judge, 20)).as("seed %d", seed).noneMatch(r -> r.verdict() == Verdict.FAIL);
        }
    }

    @Test
    void aDeploySpikeOnMetricsBadEitherWayIsWaitedOutToo() {
        // a corpus that does not say which way is bad: the spike is waited out from whichever side it stood on
        MetricSpec latency = MetricSpec.of("latency_ms", MetricKind.MIDDLEWARE, Bad.EITHER, "ms", MetricRole.LATENCY);
        MetricSpec cpu = MetricSpec.of("cpu_percent", MetricKind.BASIC, Bad.EITHER, "percent", MetricRole.RESOURCE);
        for (int seed = 0; seed < 20; seed++) {
            final int sd = seed;
            Scenario s = new Scenario(60, 60, 20, 1, 5);
            s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.05))
                    .metric(cpu, (i, t, r) -> Scenario.noisy(r, 30, 0.04) + (s.isReleased(i, t) ? 30 * Math.exp(-(t - s.release) / 60.0 / 1.5) : 0))
                    .metric(latency, (i, t, r) -> {
                        double since = (t - s.release) / 60.0;
                        double level = 250 * (s.isReleased(i, t) ? 1 + 3 * Math.exp(-since / 1.5) : 1);
                        return Scenario.noisy(new java.util.Random(sd * 1_000_003L + t * 31 + i.hashCode()), level, 0.12);
                    }).oneBatch();
            assertThat(s.run(judge, 20)).as("seed %d", seed).noneMatch(r -> r.verdict() == Verdict.FAIL);
        }
    }

    /**
     * One instance released, {@code references} staying: latency four times its level in the warm-up minute, decaying
     * with a time constant of {@code tau} minutes under 12% noise, CPU fading along with it. How many of 100 runs fail.
     */
    private int slowWarmUpFailures(int references, double tau) {
        int fails = 0;
        for (int seed = 0; seed < 100; seed++) {
            final int sd = seed;
            Scenario s = new Scenario(60, 60, 25, 1, references);
            s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.05))
                    .metric(CPU, (i, t, r) -> Scenario.noisy(r, 30, 0.04) + (s.isReleased(i, t) ? 40 * Math.exp(-(t - s.release) / 60.0 / tau) : 0))
                    .metric(LATENCY, (i, t, r) -> {
                        double level = 250 * (s.isReleased(i, t) ? 1 + 3 * Math.exp(-(t - s.release) / 60.0 / tau) : 1);
                        return Scenario.noisy(new java.util.Random(sd * 1_000_003L + t * 31 + i.hashCode()), level, 0.12);
                    }).oneBatch();
            if (s.run(judge, 25).stream().anyMatch(r -> r.verdict() == Verdict.FAIL)) fails++;
        }
        return fails;
    }

    @Test
    void aSlowWarmUpIsWaitedOutByTheDecayItsMinutesShowTogether() {
        // the first two minutes of a slow, noisy decay often look level; every minute since the switch does not.
        // Without the fit over them, 34 of these runs failed alone and 13 with a reference group at 2.5 minutes
        assertThat(slowWarmUpFailures(0, 4)).isZero();
        assertThat(slowWarmUpFailures(5, 2.5)).isLessThanOrEqualTo(2);
    }

    @Test
    void warmUpThatLevelsOffForTwoSamplesIsNotTakenForAStep() {
        Scenario s = service(60, 20);
        // a deploy spike coming down in steps: the two samples after the one-minute warm-up are level with each
        // other and far out, but lower than the warm-up's own; then it fades
        double[] byMinute = {480, 480, 300, 300, 200, 150};
        s.metric(LATENCY, (i, t, r) -> {
            int since = (int) ((t - s.release) / 60);
            double level = s.isReleased(i, t) && since < byMinute.length ? byMinute[since] : 120;
            return Scenario.noisy(r, level, 0.03);
        });
        List<RoundResult> rounds = s.run(judge, 20);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    @Test
    void cpuOfInstancesWithDifferentIdleFloorsInADipIsNotAFinding() {
        Scenario s = new Scenario(60, 60, 30, 1, 6);
        // load falls to 40% at the release on every instance; CPU is an idle floor plus a share per request,
        // and the released instance happens to idle higher, so it loses a smaller share of its CPU
        java.util.function.LongToDoubleFunction load = t -> t < s.release + 120 ? 1 : 0.4;
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50 * load.applyAsDouble(t), 0.03))
                .metric(CPU, (i, t, r) -> (i.startsWith("app-r") ? 12 : 4) + Scenario.noisy(r, 30 * load.applyAsDouble(t), 0.02))
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 30);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    @Test
    void flakyExceptionAlreadyPresentBeforeIsNotAFinding() {
        MetricSpec exceptions = MetricSpec.of("exception_count", MetricKind.LOG, Bad.INCREASE, "", MetricRole.ERROR_COUNT);
        Scenario s = service(60, 30);
        // a flaky downstream: bursts of errors now and then, on every instance, before and after
        s.metric(exceptions, (i, t, r) -> r.nextDouble() < 0.1 ? 5 + r.nextInt(20) : r.nextInt(2));
        s.exception("g-ncdf", "java.lang.NoClassDefFoundError");
        for (int k = 0; k < 90; k += 7) {
            String inst = s.all().get(k % s.all().size());
            s.log(inst, s.release - 60L * 60 + k * 60L, "g-ncdf", 1);
        }
        List<RoundResult> rounds = s.run(judge, 30);
        assertThat(allFindings(rounds)).isEmpty();
    }

    @Test
    void lowTrafficIsInconclusiveNotPass() {
        Scenario s = service(60, 20);
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 0.05, 0.5));
        List<RoundResult> rounds = s.run(judge, 20);
        RoundResult last = rounds.get(rounds.size() - 1);
        assertThat(last.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(last.reason()).contains("traffic is 0.0").contains("below the 0.2");
        assertThat(anyFail(rounds)).isFalse();
    }

    @Test
    void lowTrafficCountedPerMinuteIsLowToo() {
        Scenario s = service(60, 20);
        // three requests a minute, exported as a per-minute count: as little as 0.05 a second
        s.metric(MetricSpec.of("requests", MetricKind.MIDDLEWARE, Bad.DECREASE, "rpm", MetricRole.TRAFFIC),
                (i, t, r) -> Scenario.poisson(r, 3));
        RoundResult last = s.run(judge, 20).get(20);
        assertThat(last.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(last.reason()).contains("traffic is 0.0").contains("requests per second per released instance, below the 0.2");
    }

    @Test
    void slowMemoryLeakIsFoundInLaterRounds() {
        Scenario s = service(60, 60);
        // +0.5% of the heap per minute on the new version
        s.metric(MEMORY, (i, t, r) -> Scenario.noisy(r, 800, 0.02) * (s.isReleased(i, t) ? 1 + 0.005 * (t - s.release) / 60.0 : 1));
        List<RoundResult> rounds = s.run(judge, 60);
        int first = firstFail(rounds);
        assertThat(first).as("not at the start, when the leak is still within noise").isGreaterThan(10);
        assertThat(first).as("but before the hour is out").isLessThan(60);
        Finding f = rounds.get(first).findings().get(0);
        assertThat(f.key()).isEqualTo("metric:memory_mb");
        assertThat(f.reason()).startsWith("memory mb").contains("MB on the 2 released instances vs 8");
    }

    @Test
    void newNoSuchMethodErrorFailsAtOnce() {
        Scenario s = service(60, 10);
        s.exception("g-nsme", "java.lang.NoSuchMethodError");
        s.log("app-r1", s.release + 60, "g-nsme", 3); // in the minute bucket that has ended by the round at release + 120
        List<RoundResult> rounds = s.run(judge, 10);
        assertThat(rounds.get(1).verdict()).isNotEqualTo(Verdict.FAIL);
        RoundResult r = rounds.get(2);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        Finding f = r.findings().get(0);
        assertThat(f.stage()).isEqualTo("rule");
        assertThat(f.instances()).containsExactly("app-r1");
        assertThat(r.reason()).isEqualTo("NoSuchMethodError logged 3 times on the released instance since the switch, "
                + "never on the 6 reference instances nor before the release");
    }
}
