package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;

import static io.graywatch.core.funnel.GraywatchJudgeTest.CPU;
import static io.graywatch.core.funnel.GraywatchJudgeTest.ERROR_RATE;
import static io.graywatch.core.funnel.GraywatchJudgeTest.LATENCY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.MEMORY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.anyFail;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static io.graywatch.core.funnel.TrapsTest.allFindings;
import static org.assertj.core.api.Assertions.assertThat;

/** How much evidence each kind of change needs: fading warm-ups, clear steps, leaks on the first batch, counts, weak controls. */
class EvidenceTest {
    static final MetricSpec ORDERS = MetricSpec.of("orders", MetricKind.BUSINESS, Bad.DECREASE, "per minute", MetricRole.OTHER);

    final GraywatchJudge judge = new GraywatchJudge();

    @Test
    void aWarmUpTailThatDecaysForMinutesIsNotAFinding() {
        Scenario s = new Scenario(60, 60, 30, 1, 6);
        // cold caches: latency four times higher at the switch, decaying with a time constant of 2.5 minutes
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, 120, 0.05)
                        * (s.isReleased(i, t) ? 1 + 3 * Math.exp(-(t - s.release) / 150.0) : 1))
                .metric(CPU, (i, t, r) -> Scenario.noisy(r, 30, 0.05) + (s.isReleased(i, t) ? 40 * Math.exp(-(t - s.release) / 150.0) : 0))
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 30);
        assertThat(anyFail(rounds)).isFalse();
        assertThat(rounds.get(30).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aClearStepIsNotTakenAtOnceWhenTheReferenceMovesToo() {
        Scenario s = GraywatchJudgeTest.service(60, 20);
        // an upstream incident lifts errors everywhere from the switch on; the new version takes it a little worse
        s.metric(ERROR_RATE, (i, t, r) -> Math.max(0, 0.3 + (t >= s.release ? 3 : 0) + (s.isReleased(i, t) ? 1.5 : 0) + 0.1 * r.nextGaussian()));
        List<RoundResult> rounds = s.run(judge, 20);
        int first = firstFail(rounds);
        assertThat(first == -1 || first > 3).isTrue();
        assertThat(allFindings(rounds)).noneMatch(f -> f.reason().contains("on every sample since the warm-up"));
    }

    @Test
    void aLeakOnTheFirstBatchIsFoundThoughFreshBatchesHideItInTheGroup() {
        Scenario s = new Scenario(60, 60, 50, 6, 6);
        long second = s.release + 12 * 60;
        // +1% a minute since its own switch; every switched process starts 30% low and refills in about 5 minutes
        s.metric(MEMORY, (i, t, r) -> {
            double base = Scenario.noisy(r, 800, 0.01);
            if (!s.isReleased(i, t)) return base;
            long since = t - (i.equals("app-r1") ? s.release : second);
            return base * (1 - 0.3 * Math.exp(-since / 300.0)) * (1 + 0.01 * since / 60.0);
        }).metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .batch(s.release, List.of("app-r1"), false)
                .batch(second, List.of("app-r2", "app-r3", "app-r4", "app-r5", "app-r6"), false);
        List<RoundResult> rounds = s.run(judge, 50);
        int first = firstFail(rounds);
        assertThat(first).isGreaterThan(12).isLessThan(25);
        Finding f = rounds.get(first).findings().get(0);
        assertThat(f.reason()).startsWith("memory mb").contains("on batch 1 (1 instance)");
    }

    /**
     * Memory in a GC sawtooth (7 to 25 minutes from 85% to 100% of each instance's level, period and phase its
     * own), eight instances released in four batches over 48 minutes, plus {@code referenceCount} that stay;
     * every switched process starts 30% low and refills in about five minutes. From the first batch on, released
     * instances grow by {@code leakPerMinute} of their level a minute, and every instance by {@code everyonePerMinute}.
     */
    private List<RoundResult> rollingSawtooth(double leakPerMinute, double everyonePerMinute, int referenceCount) {
        Scenario s = new Scenario(60, 60, 62, 8, referenceCount);
        long[] at = {s.release, s.release + 16 * 60, s.release + 33 * 60, s.release + 48 * 60};
        s.metric(MEMORY, (i, t, r) -> {
            double level = 800 * (1 + 0.05 * Math.abs(i.hashCode() % 3));
            double period = 7 + Math.abs(i.hashCode() % 19), phase = Math.abs((i.hashCode() / 7) % 19);
            double saw = level * (0.85 + 0.15 * (((t / 60.0 + phase) % period) / period)) * (1 + 0.01 * r.nextGaussian());
            double everyone = t < s.release ? 0 : level * everyonePerMinute * (t - s.release) / 60.0;
            if (!s.isReleased(i, t)) return saw + everyone;
            int k = Integer.parseInt(i.substring(5));
            long since = t - at[k == 1 ? 0 : k == 2 ? 1 : k <= 4 ? 2 : 3];
            return saw * (1 - 0.3 * Math.exp(-since / 300.0)) + everyone + level * leakPerMinute * (t - s.release) / 60.0;
        }).metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .batch(at[0], List.of("app-r1"), false).batch(at[1], List.of("app-r2"), false)
                .batch(at[2], List.of("app-r3", "app-r4"), false).batch(at[3], List.of("app-r5", "app-r6", "app-r7", "app-r8"), false);
        return s.run(judge, 62);
    }

    @Test
    void aSlowLeakUnderAGcSawtoothIsFoundOnceAnInstancePassesTheMostItReachedBefore() {
        // +0.3% a minute: the first instance leaves its sawtooth's peaks behind by 15% only near the end, once the
        // last batch has taken the reference away and fresh instances starting low hold the group's mean down
        List<RoundResult> rounds = rollingSawtooth(0.003, 0, 0);
        int first = firstFail(rounds);
        assertThat(first).isGreaterThan(40);
        assertThat(rounds.get(first).findings().get(0).reason()).startsWith("memory mb")
                .contains("app-r1 at").contains("above the most it reached in the hour before its switch").contains("growing over the");
    }

    @Test
    void aSawtoothThatRefillsAfterTheSwitchIsNoLeak() {
        assertThat(allFindings(rollingSawtooth(0, 0, 0))).isEmpty();
        assertThat(allFindings(rollingSawtooth(0, 0, 4))).isEmpty();
    }

    @Test
    void memoryGrowingOnEveryInstanceAlikeIsNoLeakOfTheRelease() {
        // a cache filling everywhere from the release on: the old version leaves its envelope as much as the new one
        assertThat(allFindings(rollingSawtooth(0, 0.004, 4))).noneMatch(f -> f.reason().contains("above the most"));
    }

    /** CPU of one instance in batch 1, five in batch 2 twelve minutes later, six reference ones; {@code extra} is added on app-r1 after its switch. */
    private List<RoundResult> firstBatchCpu(LongToDoubleFunction extra) {
        Scenario s = new Scenario(60, 60, 50, 6, 6);
        s.metric(CPU, (i, t, r) -> Scenario.noisy(r, 30, 0.03) + (i.equals("app-r1") && t >= s.release ? extra.applyAsDouble(t - s.release) : 0))
                .metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .batch(s.release, List.of("app-r1"), false)
                .batch(s.release + 12 * 60, List.of("app-r2", "app-r3", "app-r4", "app-r5", "app-r6"), false);
        return s.run(judge, 50);
    }

    @Test
    void aFirstBatchRunningAFewPointsHotterThanItsPeersIsNotARamp() {
        assertThat(allFindings(firstBatchCpu(since -> 7))).noneMatch(f -> f.reason().contains("on batch 1"));
    }

    @Test
    void aCpuRampOnTheFirstBatchIsFoundThoughTheFreshBatchHidesIt() {
        List<RoundResult> rounds = firstBatchCpu(since -> 0.5 * since / 60.0);
        assertThat(anyFail(rounds)).isTrue();
        assertThat(rounds.get(firstFail(rounds)).findings().get(0).reason()).startsWith("cpu percent").contains("on batch 1 (1 instance)");
    }

    /**
     * One instance and no reference group: a metric in a twenty-minute sawtooth (a GC cycle, a cache filling) between
     * {@code low} and {@code high}, growing by {@code perMinute} of itself after the switch.
     */
    private List<RoundResult> alone(MetricSpec spec, double low, double high, double perMinute) {
        Scenario s = new Scenario(60, 60, 50, 1, 0);
        s.metric(spec, (i, t, r) -> {
            double saw = low + (high - low) * ((t / 60) % 20) / 19.0 + 0.0025 * (high - low) * r.nextGaussian();
            return t < s.release ? saw : saw * (1 + perMinute * (t - s.release) / 60.0);
        }).metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08)).oneBatch();
        return s.run(judge, 50);
    }

    @Test
    void withoutAReferenceGroupALeakIsFoundAgainstItsOwnHistory() {
        List<RoundResult> rounds = alone(MEMORY, 1800, 2200, 0.005);
        assertThat(anyFail(rounds)).isTrue();
        assertThat(rounds.get(firstFail(rounds)).findings().get(0).reason()).startsWith("memory mb")
                .contains("with no reference group to compare with");
    }

    @Test
    void withoutAReferenceGroupAGcSawtoothIsNoLeak() {
        assertThat(allFindings(alone(MEMORY, 1800, 2200, 0))).isEmpty();
    }

    @Test
    void withoutAReferenceGroupCpuClimbingAsSlowlyIsTheLoadsNotALeak() {
        // a utilisation follows the day's load: alone, its growth is no evidence (with a reference group it would be)
        assertThat(allFindings(alone(CPU, 30, 36, 0.005))).isEmpty();
    }

    @Test
    void memoryRefillingAfterTheRestartIsNotALeak() {
        Scenario s = GraywatchJudgeTest.service(60, 40);
        s.metric(MEMORY, (i, t, r) -> Scenario.noisy(r, 800, 0.01) * (s.isReleased(i, t) ? 1 - 0.3 * Math.exp(-(t - s.release) / 400.0) : 1));
        assertThat(allFindings(s.run(judge, 40))).isEmpty();
    }

    @Test
    void aReplacementPodWithinHowFarApartInstancesSitIsNotAFinding() {
        // instances of the old version sit between 25% and 45% CPU; the new pod, with no history, at 40%
        assertThat(allFindings(replacementPod((s, i, t, r) -> i.equals("app-r1")
                ? Scenario.noisy(r, 40, 0.03) : Scenario.noisy(r, 25 + 20 * (i.hashCode() & 7) / 7.0, 0.03)))).isEmpty();
    }

    @Test
    void aReplacementPodAtTheLevelTheHourEndedOnIsNotAFinding() {
        // a batch job held the old instances at 62% CPU instead of 15% for the hour's last quarter, their level
        // when the new pod came: the hour as a whole sits far below it. From the switch on all are back at 15%,
        // the new pod (with no history) at 16%, as close to the others as instances of one version sit
        assertThat(allFindings(replacementPod((s, i, t, r) -> i.equals("app-r1") ? Scenario.noisy(r, 16, 0.01)
                : Scenario.noisy(r, t >= s.release - 16 * 60 && t < s.release ? 62 : 15, 0.01)))).isEmpty();
    }

    @Test
    void aReplacementPodFarAboveItsPeersFailsThoughTheWholeFleetSwings() {
        // the old instances' CPU swings with the hour between 14% and 26% and a surge lifts them all by 80% for six
        // minutes after the switch: the group's own ups and downs are wide, how far one instance strays from the
        // others is not. The new pod, with no history, runs at 2.5 times its peers from its first minute
        List<RoundResult> rounds = replacementPod((s, i, t, r) -> {
            double fleet = 20 * (1 + 0.3 * Math.sin(2 * Math.PI * (t - Scenario.T0) / 3600.0))
                    * (t >= s.release + 120 && t < s.release + 480 ? 1.8 : 1);
            return Scenario.noisy(r, i.equals("app-r1") ? 2.5 * fleet : fleet * (0.9 + 0.2 * (i.hashCode() & 7) / 7.0), 0.03);
        });
        int first = firstFail(rounds);
        // intercepted in the round the warm-up and two minutes after it allow: a clear step, not a vote
        assertThat(first).isBetween(0, 3);
        Finding f = rounds.get(first).findings().get(0);
        assertThat(f.key()).isEqualTo("metric:cpu_percent");
        assertThat(f.reason()).contains("the released instances have no history of their own")
                .contains("further from the reference than any old instance stood from the others in the hour before");
    }

    interface PodCpu {
        double at(Scenario s, String instance, long t, Random r);
    }

    /** 30 rounds of one new pod, app-r1, that reports only from its switch on, beside 8 old instances. */
    private List<RoundResult> replacementPod(PodCpu cpu) {
        Scenario s = new Scenario(60, 60, 30, 1, 8);
        s.metric(CPU, (i, t, r) -> i.equals("app-r1") && t < s.release ? Double.NaN : cpu.at(s, i, t, r))
                .metric(REQUESTS, (i, t, r) -> i.equals("app-r1") && t < s.release ? Double.NaN : Scenario.noisy(r, 50, 0.08))
                .oneBatch();
        return s.run(judge, 30);
    }

    @Test
    void onceTheLastOldPodsAreReplacedTheOldVersionsHistoryStandsInForTheReference() {
        Scenario s = new Scenario(60, 60, 30, 3, 3);
        long last = s.release + 600;
        // replacement pods: the new ones report from their switch on, the old ones until the last batch replaces them all
        java.util.function.BiPredicate<String, Long> present = (i, t) -> i.startsWith("app-r") ? s.isReleased(i, t) : t < last;
        s.metric(REQUESTS, (i, t, r) -> present.test(i, t) ? Scenario.noisy(r, 50, 0.08) : Double.NaN)
                .metric(ERROR_RATE, (i, t, r) -> present.test(i, t) ? Math.max(0, (t >= last + 300 ? 4 : 0.3) + 0.1 * r.nextGaussian()) : Double.NaN)
                .metric(CPU, (i, t, r) -> present.test(i, t) ? Scenario.noisy(r, t >= last + 300 ? 45 : 30, 0.05) : Double.NaN)
                .batch(s.release, List.of("app-r1"), false)
                .batch(last, List.of("app-r2", "app-r3"), false);
        List<RoundResult> rounds = s.run(judge, 30);
        int first = firstFail(rounds);
        assertThat(first).isGreaterThan(15);
        Finding f = rounds.get(first).findings().get(0);
        assertThat(f.key()).isEqualTo("metric:error_rate");
        assertThat(f.reason()).contains("with no reference group to compare with");
        // CPU is the host's (and the hour's) as much as the code's: new pods are not compared with the old ones' past
        assertThat(allFindings(rounds)).noneMatch(x -> x.key().equals("metric:cpu_percent"));
    }

    @Test
    void aFewOrdersAMinuteComeAndGoByChance() {
        Scenario s = GraywatchJudgeTest.service(60, 40);
        s.metric(ORDERS, (i, t, r) -> Scenario.poisson(r, 1));
        assertThat(allFindings(s.run(judge, 40))).isEmpty();
    }

    @Test
    void ordersFallingByHalfOnTheNewVersionFail() {
        Scenario s = GraywatchJudgeTest.service(60, 20);
        s.metric(ORDERS, (i, t, r) -> Scenario.poisson(r, s.isReleased(i, t) ? 15 : 30));
        List<RoundResult> rounds = s.run(judge, 20);
        assertThat(anyFail(rounds)).isTrue();
        assertThat(rounds.get(firstFail(rounds)).findings().get(0).key()).isEqualTo("metric:orders");
    }

    /** 50 rounds of one new pod, app-r1, with no history of its own, beside 8 old instances that count an order every other minute each. */
    private List<RoundResult> ordersOnAReplacementPod(double podOrdersPerMinute) {
        return ordersOnAReplacementPod(podOrdersPerMinute, t -> false);
    }

    /** As above, the old instances' scrapes all missing in the minutes {@code gap} says. */
    private List<RoundResult> ordersOnAReplacementPod(double podOrdersPerMinute, java.util.function.LongPredicate gap) {
        Scenario s = new Scenario(60, 60, 50, 1, 8);
        // the evening: every instance's orders fall from one a minute to under half of one over the hours shown
        LongToDoubleFunction evening = t -> 1 - 0.6 * Math.min(1, Math.max(0, (t - s.release + 3600) / 7200.0));
        s.metric(ORDERS, (i, t, r) -> i.equals("app-r1") ? t < s.release ? Double.NaN : Scenario.poisson(r, podOrdersPerMinute * evening.applyAsDouble(t))
                        : gap.test(t) ? Double.NaN : Scenario.poisson(r, evening.applyAsDouble(t)))
                .metric(REQUESTS, (i, t, r) -> i.equals("app-r1") && t < s.release ? Double.NaN : Scenario.noisy(r, 50, 0.08))
                .oneBatch();
        return s.run(judge, 50);
    }

    @Test
    void aReplacementPodTakingAFifthOfItsPeersOrdersFailsOnceItsTotalSaysSo() {
        // an order every other minute on each old instance, one in five minutes on the new pod: most minutes are 0 on
        // both, and no minute, nor the quarter hour judged, says anything; the total over the pod's life does
        List<RoundResult> rounds = ordersOnAReplacementPod(0.4);
        assertThat(anyFail(rounds)).isTrue();
        Finding f = rounds.get(firstFail(rounds)).findings().get(0);
        assertThat(f.key()).isEqualTo("metric:orders");
        assertThat(f.reason()).contains("the released instances have no history of their own")
                .contains("counted since the warm-up where").contains("were expected at what the reference instances counted in the same minutes");
        assertThat(f.evidence()).containsKey("votes");
    }

    @Test
    void aMinuteTheOldInstancesWereNotScrapedLeavesTheRestOfAPodsTotal() {
        // every old instance's orders missing ten minutes after the switch: that minute is left out, not the whole test
        long minute = Scenario.T0 + 60 * 60 + 10 * 60;
        List<RoundResult> rounds = ordersOnAReplacementPod(0.4, t -> t == minute);
        assertThat(anyFail(rounds)).isTrue();
        assertThat(rounds.get(firstFail(rounds)).findings().get(0).reason()).contains("were expected at what the reference instances counted in the same minutes");
    }

    @Test
    void aReplacementPodCountingWhatItsPeersCountIsNoFinding() {
        assertThat(allFindings(ordersOnAReplacementPod(1))).noneMatch(f -> f.key().equals("metric:orders"));
    }

    @Test
    void withoutAReferenceGroupWhatFollowsLoadIsNotBlamedWhenTrafficMovedToo() {
        Scenario s = new Scenario(60, 60, 30, 1, 0);
        // a surge arrives with the release: twice the requests, and the latency and CPU that come with them
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, t >= s.release ? 100 : 50, 0.05))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, t >= s.release ? 180 : 120, 0.05))
                .metric(CPU, (i, t, r) -> Scenario.noisy(r, t >= s.release ? 60 : 30, 0.05))
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 30);
        assertThat(anyFail(rounds)).isFalse();
        assertThat(allFindings(rounds)).anyMatch(f -> f.reason().contains("traffic moved +100% at the same time"));
    }

    @Test
    void withoutAReferenceGroupLessTrafficDoesNotExplainMoreLatency() {
        Scenario s = new Scenario(60, 60, 30, 1, 0);
        // a third of the requests gone at the release, and every one left takes half again as long: the drop explains no slowdown
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, t >= s.release ? 65 : 100, 0.05))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, t >= s.release ? 180 : 120, 0.05))
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 30);
        assertThat(anyFail(rounds)).isTrue();
        assertThat(rounds.get(firstFail(rounds)).findings().get(0).key()).isEqualTo("metric:latency_ms");
        assertThat(allFindings(rounds)).noneMatch(f -> f.reason().contains("which alone can explain it"));
    }

    @Test
    void withoutAReferenceGroupALeakIsFoundThoughTrafficDoubledAtTheSwitch() {
        // the doubled traffic may explain memory standing higher; it does not explain memory that keeps climbing
        Scenario s = new Scenario(60, 60, 45, 1, 0);
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, t >= s.release ? 100 : 50, 0.05))
                .metric(MEMORY, (i, t, r) -> Scenario.noisy(r, 800 + (t >= s.release ? 6 * (t - s.release) / 60.0 : 0), 0.02))
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(anyFail(rounds)).isTrue();
        Finding f = rounds.get(firstFail(rounds)).findings().get(0);
        assertThat(f.key()).isEqualTo("metric:memory_mb");
        assertThat(f.reason()).contains("growing over the");
    }

    /**
     * One instance and no reference group; its hour before the switch has a burst of three times the traffic
     * (and the CPU that goes with it), so that its CPU history spans far more than where it sits now.
     * From the switch on, {@code perRequest} times the CPU per request at the load it had.
     */
    private List<RoundResult> aloneAfterABurst(double perRequest, LongToDoubleFunction loadAfter) {
        Scenario s = new Scenario(60, 60, 30, 1, 0);
        LongToDoubleFunction load = t -> t >= s.release ? loadAfter.applyAsDouble(t)
                : t >= s.release - 40 * 60 && t < s.release - 20 * 60 ? 150 : 50;
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, load.applyAsDouble(t), 0.03))
                .metric(CPU, (i, t, r) -> 8 + 0.4 * load.applyAsDouble(t) * (t >= s.release ? perRequest : 1) + 1.5 * r.nextGaussian())
                .oneBatch();
        return s.run(judge, 30);
    }

    @Test
    void withoutAReferenceGroupCpuPerRequestDoublingAtTheSameLoadIsFound() {
        // 28% becomes 48% at the same 50 requests a second; the hour before reached 68% in its burst
        List<RoundResult> rounds = aloneAfterABurst(2, t -> 50);
        assertThat(anyFail(rounds)).isTrue();
        Finding f = rounds.get(firstFail(rounds)).findings().get(0);
        assertThat(f.key()).isEqualTo("metric:cpu_percent");
        assertThat(f.reason()).contains("with no reference group to compare with").endsWith("at the load it served before: more CPU per request");
    }

    @Test
    void withoutAReferenceGroupCpuFollowingTheLoadWithinTheHoursSwingsIsNoFinding() {
        // the same instance, the same code: its load swings between 50 and 130 requests a second after the switch
        assertThat(anyFail(aloneAfterABurst(1, t -> 50 + 80 * Math.max(0, Math.sin(t / 240.0))))).isFalse();
    }

    @Test
    void withoutAReferenceGroupCpuThatFollowsASurgeLateInTheReleaseIsNoFailure() {
        // a little more CPU since the switch, within what a release may cost; in its last three minutes the traffic
        // quadruples, beyond anything the hour served, and the CPU follows it
        Scenario s = new Scenario(60, 60, 45, 1, 0);
        LongToDoubleFunction load = t -> t > s.release + 40 * 60 ? 200 : 50;
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, load.applyAsDouble(t), 0.03))
                .metric(CPU, (i, t, r) -> 8 + 0.4 * load.applyAsDouble(t) + (t > s.release ? 4 : 0) + 1.5 * r.nextGaussian())
                .oneBatch();
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(anyFail(rounds)).isFalse();
        assertThat(rounds.get(rounds.size() - 1).findings()).filteredOn(f -> f.key().equals("metric:cpu_percent"))
                .allSatisfy(f -> assertThat(f.reason()).contains("traffic moved +", "at the same time, which alone can explain it"));
    }

    @Test
    void withoutAReferenceGroupCpuIsNotJudgedAtALoadTheHourNeverServed() {
        // twice the CPU at four times the load: beyond anything the hour served, a straight line says nothing
        assertThat(allFindings(aloneAfterABurst(1, t -> 200))).noneMatch(f -> f.reason().contains("more CPU per request"));
    }
}
