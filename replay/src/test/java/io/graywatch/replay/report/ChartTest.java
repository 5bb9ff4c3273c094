package io.graywatch.replay.report;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.replay.harness.Cases;
import io.graywatch.replay.harness.FingerprintLogGrouping;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChartTest {
    private static final ReleaseCase SLOW = Cases.make("slow", (i, m, t) -> m.equals("latency_ms") && t > Cases.switchOf(i) ? 300 : Double.NaN,
            List.of(new LogEvent(Cases.BATCH1 + 30, "i1", "ERROR", null, "x", "java.lang.NoSuchMethodError: x\n\tat a.B(B.java:1)", 3)));

    private static Finding finding(String subject) {
        return new Finding("k", Finding.Source.METRIC, Verdict.FAIL, subject, "s", "r", Map.of(), List.of("i1"));
    }

    @Test
    void aCaseScoredRightGetsNoChart() {
        CaseOutcome caught = new CaseOutcome("slow", Verdict.FAIL, Cases.BATCH1 + 120, "r", List.of(finding("latency_ms")), 3, Cases.BATCH1);
        assertThat(Chart.forMistake(SLOW, caught, new Label("slow", true, Cases.BATCH1), FingerprintLogGrouping::new)).isNull();
        assertThat(Chart.forMistake(SLOW, caught, null, FingerprintLogGrouping::new)).isNull();
    }

    @Test
    void aFalseAlarmShowsTheMetricOfItsFirstFindingForBothGroups() {
        CaseOutcome alarm = new CaseOutcome("slow", Verdict.FAIL, Cases.BATCH1 + 120, "r", List.of(finding("error_rate")), 3, Cases.BATCH1);
        Chart c = Chart.forMistake(SLOW, alarm, new Label("slow", false, null), FingerprintLogGrouping::new);
        assertThat(c.subject()).isEqualTo("error_rate");
        assertThat(c.decidedAt()).isEqualTo(Cases.BATCH1 + 120);
        assertThat(c.batches()).hasSize(3);
        assertThat(c.times()[0]).isEqualTo(Cases.BATCH1 - 2700);
        assertThat(c.times()[c.times().length - 1]).isEqualTo(Cases.END);
        assertThat(Html.svg(c)).contains("<polyline").contains("error_rate (percent)");
    }

    @Test
    void aMissWithoutFindingsShowsTheMetricThatMovedMostTheBadWay() {
        CaseOutcome missed = new CaseOutcome("slow", Verdict.PASS, null, "fine", List.of(), 31, Cases.BATCH1);
        Chart c = Chart.forMistake(SLOW, missed, new Label("slow", true, Cases.BATCH1), FingerprintLogGrouping::new);
        assertThat(c.subject()).isEqualTo("latency_ms");
        int after = (int) ((Cases.BATCH1 + 300 - c.times()[0]) / 60);
        assertThat(c.release()[after]).isEqualTo(300);
        assertThat(c.reference()[after]).isBetween(100.0, 110.0);
    }

    @Test
    void aLogFindingShowsItsGroupsEventsPerStep() {
        String group = new FingerprintLogGrouping().groupOf(SLOW.logs().get(0)).id();
        CaseOutcome alarm = new CaseOutcome("slow", Verdict.FAIL, Cases.BATCH1 + 60, "r",
                List.of(new Finding("log", Finding.Source.LOG, Verdict.FAIL, group, "rule", "new", Map.of(), List.of("i1"))), 2, Cases.BATCH1);
        Chart c = Chart.forMistake(SLOW, alarm, new Label("slow", false, null), FingerprintLogGrouping::new);
        assertThat(c.subject()).isEqualTo("log: java.lang.NoSuchMethodError");
        assertThat(java.util.Arrays.stream(c.release()).sum()).isEqualTo(3);
        assertThat(java.util.Arrays.stream(c.reference()).sum()).isZero();
    }

    @Test
    void aRawCounterIsChartedAsTheRateTheGuardJudged() {
        // requests counted since each process started: 50 a second, the released instances' new processes from zero
        Map<String, MetricSpec> metrics = Map.of("http_requests_total", MetricSpec.of("http_requests_total", MetricKind.MIDDLEWARE, Bad.DECREASE, "", null));
        ReleaseCase counted = Cases.make("counted", metrics, (i, m, t) -> 50.0 * (t > Cases.switchOf(i) ? t - Cases.switchOf(i) : t - Cases.BATCH1 + 86_400), List.of());
        CaseOutcome alarm = new CaseOutcome("counted", Verdict.FAIL, Cases.BATCH1 + 120, "r", List.of(finding("http_requests_total")), 3, Cases.BATCH1);
        Chart c = Chart.forMistake(counted, alarm, new Label("counted", false, null), FingerprintLogGrouping::new);
        assertThat(c.subject()).isEqualTo("http_requests_total");
        assertThat(c.unit()).isEqualTo("/s");
        int after = (int) ((Cases.BATCH1 + 300 - c.times()[0]) / 60);
        assertThat(c.release()[after]).isEqualTo(50);
        assertThat(c.reference()[after]).isEqualTo(50);
    }
}
