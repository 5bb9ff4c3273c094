package io.graywatch.core.baseline;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BaselineJudgesTest {
    private static final List<String> FLEET = List.of("a", "b", "c", "d", "e", "f");
    private static final List<String> CANARY = List.of("a", "b");

    private static RoundResult judge(Judge judge, GuardInput input) {
        return judge.judge(input, GuardState.initial());
    }

    private static GuardInput healthy(int minutes) {
        return Fleet.input(FLEET, CANARY, minutes, (i, m, t, rel) -> Fleet.normal(m, Fleet.noise(i, m, t)));
    }

    private static GuardInput slowRelease(int minutes, double factor) {
        return Fleet.input(FLEET, CANARY, minutes, (i, m, t, rel) -> Fleet.normal(m, Fleet.noise(i, m, t)) * (rel && m.equals("latency_ms") ? factor : 1));
    }

    private static GuardInput failingRelease(int minutes) {
        return Fleet.input(FLEET, CANARY, minutes, (i, m, t, rel) -> rel && m.equals("error_rate") ? 6.0 + Fleet.noise(i, m, t).nextGaussian() * 0.3
                : rel && m.equals("latency_ms") ? 260 * Math.exp(0.05 * Fleet.noise(i, m, t).nextGaussian()) : Fleet.normal(m, Fleet.noise(i, m, t)));
    }

    @Test
    void kayentaPassesAHealthyRelease() {
        RoundResult r = judge(new KayentaJudge(), healthy(15));
        assertThat(r.verdict()).isIn(Verdict.PASS, Verdict.WARN);
        assertThat(r.reason()).startsWith("canary score");
    }

    @Test
    void kayentaFailsWhenTwoMetricsOfFourAreClearlyWorse() {
        RoundResult r = judge(new KayentaJudge(), failingRelease(15));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.findings()).extracting(Finding::subject).containsExactlyInAnyOrder("error_rate", "latency_ms");
        Finding f = r.findings().get(0);
        assertThat(f.evidence()).containsKeys("estimate", "intervalLow", "intervalHigh", "meanRatio", "score");
        assertThat(f.evidence().get("score")).isEqualTo(50.0);
        assertThat(f.instances()).containsExactly("a", "b");
        assertThat(f.reason()).contains("higher on the release group than on the reference group");
    }

    @Test
    void kayentaAloneBadMetricOfFourOnlyWarnsBecauseTheScoreStaysAt75() {
        RoundResult r = judge(new KayentaJudge(), slowRelease(15, 2.0));
        assertThat(r.verdict()).isEqualTo(Verdict.WARN);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("latency_ms");
            assertThat(f.severity()).isEqualTo(Verdict.WARN);
        });
    }

    @Test
    void kayentaIgnoresAChangeInTheHarmlessDirection() {
        RoundResult r = judge(new KayentaJudge(), slowRelease(15, 0.5));
        assertThat(r.findings()).isEmpty();
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void kayentaComparesWithHistoryWhenThereIsNoReferenceGroup() {
        GuardInput in = Fleet.input(List.of("solo"), List.of("solo"), 15, (i, m, t, rel) -> rel && (m.equals("latency_ms") || m.equals("error_rate"))
                ? Fleet.normal(m, Fleet.noise(i, m, t)) * 3 : Fleet.normal(m, Fleet.noise(i, m, t)));
        RoundResult r = judge(new KayentaJudge(), in);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.findings()).allSatisfy(f -> assertThat(f.reason()).contains("the app before the release"));
    }

    @Test
    void kayentaRightAfterTheBatchHasNoDataAndSaysSo() {
        RoundResult r = judge(new KayentaJudge(), healthy(0));
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void thresholdPassesAHealthyRelease() {
        RoundResult r = judge(new ThresholdJudge(), healthy(10));
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void thresholdFailsOnAnErrorRateAboveOnePercentAndLatencyAboveOneAndAHalfTimesTheReference() {
        RoundResult r = judge(new ThresholdJudge(), failingRelease(10));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.findings()).extracting(Finding::subject).containsExactly("error_rate", "latency_ms");
        assertThat(r.findings().get(0).reason()).contains("above the 1% limit");
        assertThat(r.findings().get(0).evidence()).containsEntry("limit", 1.0);
        assertThat(r.findings().get(1).reason()).contains("1.50× the reference group");
    }

    @Test
    void thresholdReadsAnErrorRateExportedAsARatioAgainstItsPercentLimit() {
        Map<String, MetricSpec> metrics = new LinkedHashMap<>(Fleet.METRICS);
        metrics.put("error_rate", MetricSpec.of("error_rate", MetricKind.MIDDLEWARE, Bad.INCREASE, "ratio", null));
        GuardInput in = Fleet.input(FLEET, CANARY, 10, (i, m, t, rel) -> m.equals("error_rate") ? (rel ? 0.06 : 0.002)
                : Fleet.normal(m, Fleet.noise(i, m, t)), metrics);
        RoundResult r = judge(new ThresholdJudge(), in);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.findings().get(0).reason()).startsWith("error_rate 6.00%").contains("above the 1% limit");
    }

    @Test
    void thresholdToleratesLatencyJustUnderItsLimit() {
        assertThat(judge(new ThresholdJudge(), slowRelease(10, 1.3)).verdict()).isEqualTo(Verdict.PASS);
        assertThat(judge(new ThresholdJudge(), slowRelease(10, 1.8)).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void thresholdFailsOnTrafficLossAndUsesHistoryWithoutReference() {
        GuardInput in = Fleet.input(List.of("solo"), List.of("solo"), 10, (i, m, t, rel) -> rel && m.equals("qps") ? 10 : Fleet.normal(m, Fleet.noise(i, m, t)));
        RoundResult r = judge(new ThresholdJudge(), in);
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.reason()).contains("less than 0.67× the app before the release"));
    }

    @Test
    void thresholdReadsOnlyNewVersionSamplesSoTheOldVersionCannotMaskOrCauseABreach() {
        // before the batch the canaries had a 50% error rate; after it they are healthy
        GuardInput in = Fleet.input(FLEET, CANARY, 10, (i, m, t, rel) -> m.equals("error_rate") && CANARY.contains(i) && !rel ? 50 : Fleet.normal(m, Fleet.noise(i, m, t)));
        assertThat(judge(new ThresholdJudge(), in).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void neitherJudgeComparesProcessStartTimesWhichOnlySayTheNewVersionStartedLater() {
        Map<String, MetricSpec> metrics = new LinkedHashMap<>(Fleet.METRICS);
        metrics.put("process_start_time_seconds", MetricSpec.of("process_start_time_seconds", MetricKind.BASIC, Bad.EITHER));
        GuardInput in = Fleet.input(FLEET, CANARY, 10, (i, m, t, rel) -> !m.equals("process_start_time_seconds") ? Fleet.normal(m, Fleet.noise(i, m, t))
                : rel ? Fleet.START + 3600 : Fleet.START - 86_400, metrics);
        for (Judge judge : List.of(new KayentaJudge(), new ThresholdJudge())) {
            RoundResult r = judge(judge, in);
            assertThat(r.verdict()).as(judge.algorithm()).isEqualTo(Verdict.PASS);
            assertThat(r.findings()).as(judge.algorithm()).isEmpty();
        }
    }

    @Test
    void judgesAreDeterministic() {
        GuardInput in = failingRelease(12);
        assertThat(judge(new KayentaJudge(), in)).isEqualTo(judge(new KayentaJudge(), in));
        assertThat(judge(new ThresholdJudge(), in)).isEqualTo(judge(new ThresholdJudge(), in));
    }

    /** A healthy release whose requests are a raw counter: 50 a second since each process started, the released ones at the batch. */
    private static GuardInput healthyWithRawCounter() {
        Map<String, MetricSpec> metrics = new LinkedHashMap<>(Fleet.METRICS);
        metrics.remove("qps");
        metrics.put("http_requests_total", MetricSpec.of("http_requests_total", MetricKind.MIDDLEWARE, Bad.DECREASE, "", null));
        long batchAt = Fleet.START + 3600;
        return Fleet.input(FLEET, CANARY, 15, (i, m, t, rel) -> m.equals("http_requests_total")
                ? 50.0 * (rel ? t - batchAt : t - Fleet.START + 86_400) + Fleet.noise(i, m, t).nextInt(50)
                : Fleet.normal(m, Fleet.noise(i, m, t)), metrics);
    }

    @Test
    void baselinesJudgeARawCounterAsTheRateItCounts() {
        // as it is, the fresh pods' counter stands at a hundredth of the old ones' and "fell"; as a rate it did not move
        for (Judge judge : List.of(new KayentaJudge(), new ThresholdJudge())) {
            RoundResult r = judge(judge, healthyWithRawCounter());
            assertThat(r.verdict()).as(judge.algorithm()).isIn(Verdict.PASS, Verdict.WARN);
            assertThat(r.findings()).as(judge.algorithm()).noneMatch(f -> f.subject().equals("http_requests_total"));
        }
    }
}
