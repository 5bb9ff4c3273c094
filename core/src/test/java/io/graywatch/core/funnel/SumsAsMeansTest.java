package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.clean.SumsAsMeans;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.graywatch.core.funnel.GraywatchJudgeTest.anyFail;
import static org.assertj.core.api.Assertions.assertThat;

/** A Prometheus summary kept raw, {@code _sum} and {@code _count} since each process started: judged as the mean it holds. */
class SumsAsMeansTest {
    static final MetricSpec SECONDS_SUM = MetricSpec.of("http_server_requests_seconds_sum", MetricKind.MIDDLEWARE, Bad.INCREASE, "", null);
    static final MetricSpec SECONDS_COUNT = MetricSpec.of("http_server_requests_seconds_count", MetricKind.MIDDLEWARE, Bad.DECREASE, "", null);

    /**
     * Two released instances of eight at about 50 requests a second and 80 ms a request, counted since each process
     * started (the released instances' new processes from zero); from the switch on their requests take {@code factor} times as long.
     */
    private static Scenario summarised(double factor) {
        Scenario s = new Scenario(60, 60, 20, 2, 6);
        Map<String, double[]> totals = new HashMap<>();
        Map<String, Double> sums = new HashMap<>();
        return s.metric(SECONDS_COUNT, (i, t, r) -> {
                    boolean released = s.isReleased(i, t);
                    double[] was = released && !s.isReleased(i, t - 60) ? new double[2] : totals.getOrDefault(i, new double[]{3_000_000, 240_000});
                    double requests = Scenario.poisson(r, 50 * 60);
                    double[] now = {was[0] + requests, was[1] + requests * Scenario.noisy(r, 0.08 * (released ? factor : 1), 0.05)};
                    totals.put(i, now);
                    sums.put(i + "@" + t, now[1]);
                    return now[0];
                })
                // the sum of the same scrape, kept when the count was taken
                .metric(SECONDS_SUM, (i, t, r) -> sums.get(i + "@" + t))
                .oneBatch();
    }

    @Test
    void aHealthyReleaseIsNotFailedByItsSummaryRestartingFromZero() {
        assertThat(anyFail(summarised(1).run(new GraywatchJudge(), 20))).isFalse();
    }

    @Test
    void requestsTakingTwiceAsLongFailAsTheSummarysMeanInSeconds() {
        List<RoundResult> rounds = summarised(2).run(new GraywatchJudge(), 20);
        RoundResult fail = rounds.stream().filter(r -> r.verdict() == Verdict.FAIL).findFirst().orElseThrow();
        Finding f = fail.findings().stream().filter(x -> x.severity() == Verdict.FAIL).findFirst().orElseThrow();
        assertThat(f.subject()).isEqualTo("http_server_requests_seconds");
        // what a dashboard plots, rate(sum) / rate(count): 0.16 s a request against 0.08
        assertThat(f.reason()).containsPattern("^http server requests seconds 0\\.1[5-7]\\d* s on the 2 released instances vs 0\\.08\\d* s");
    }

    @Test
    void theMeanIsTheSumsIncreaseOverTheCountsAndAFallIsANewProcess() {
        Series sum = Series.of(new long[]{0, 60, 120, 180, 240}, new double[]{10, 16, 22, 2, 5});
        Series count = Series.of(new long[]{0, 60, 120, 180, 240}, new double[]{100, 160, 160, 20, 50});
        Series mean = SumsAsMeans.meanPerEvent(sum, count);
        assertThat(mean.times()).containsExactly(60, 120, 180, 240);
        // no request in the second minute: no mean, not a zero
        assertThat(mean.values()).containsExactly(0.1, Double.NaN, 0.1, 0.1);
        MetricSpec latency = SumsAsMeans.meanOf(SECONDS_SUM, "http_server_requests_seconds");
        assertThat(latency.unit()).isEqualTo("s");
        assertThat(latency.role()).isEqualTo(MetricRole.LATENCY);
        assertThat(latency.bad()).isEqualTo(Bad.INCREASE);
    }
}
