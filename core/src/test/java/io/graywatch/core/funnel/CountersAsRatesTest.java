package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.funnel.clean.CountersAsRates;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.graywatch.core.funnel.GraywatchJudgeTest.LATENCY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.anyFail;
import static org.assertj.core.api.Assertions.assertThat;

/** A corpus or an export that kept Prometheus counters raw: the guard judges their rate, as {@code rate()} gives it. */
class CountersAsRatesTest {
    static final MetricSpec REQUESTS_TOTAL = MetricSpec.of("http_requests_total", MetricKind.MIDDLEWARE, Bad.DECREASE, "", null);

    /**
     * Two released instances of eight, serving about 50 requests a second each, counted since each process started:
     * millions on the old processes, from zero on a released instance's new one. From the switch on the released
     * instances get {@code share} of their requests.
     */
    private static Scenario counted(double share) {
        Scenario s = new Scenario(60, 60, 20, 2, 6);
        Map<String, Double> total = new HashMap<>();
        return s.metric(LATENCY, (i, t, r) -> Scenario.noisy(r, 80, 0.05))
                .metric(REQUESTS_TOTAL, (i, t, r) -> {
                    boolean released = s.isReleased(i, t);
                    // the new process starts counting from zero
                    double before = released && s.isReleased(i, t - 60) ? total.get(i) : released ? 0 : total.getOrDefault(i, 3_000_000.0);
                    double now = before + Scenario.poisson(r, 50 * 60 * (released ? share : 1));
                    total.put(i, now);
                    return now;
                })
                .oneBatch();
    }

    @Test
    void aHealthyReleaseIsNotFailedByItsCountersRestartingFromZero() {
        Scenario s = counted(1);
        List<RoundResult> rounds = s.run(new GraywatchJudge(), 20);
        assertThat(anyFail(rounds)).isFalse();
    }

    @Test
    void aReleaseThatLosesTrafficFailsOnTheCountersRate() {
        Scenario s = counted(0.1);
        List<RoundResult> rounds = s.run(new GraywatchJudge(), 20);
        assertThat(anyFail(rounds)).isTrue();
        RoundResult fail = rounds.stream().filter(r -> r.verdict() == Verdict.FAIL).findFirst().orElseThrow();
        Finding f = fail.findings().stream().filter(x -> x.severity() == Verdict.FAIL).findFirst().orElseThrow();
        assertThat(f.subject()).isEqualTo("http_requests_total");
        // the value a dashboard's rate() shows: five requests a second, not a count of millions
        assertThat(f.reason()).contains("http requests total 5");
    }

    @Test
    void aRateIsTheIncreasePerSecondAndAFallIsANewProcessCountingFromZero() {
        Series counter = Series.of(new long[]{0, 60, 120, 180, 240}, new double[]{100, 160, 220, 30, 90});
        Series rate = CountersAsRates.perSecond(counter, 60);
        assertThat(rate.times()).containsExactly(60, 120, 180, 240);
        assertThat(rate.values()).containsExactly(1.0, 1.0, 0.5, 1.0);
    }

    @Test
    void anOrdersCounterIsJudgedAsOrdersAStepWholeCountsAsTheCountLanesWeighThem() {
        // counted since the process started: 7 a minute, a restart (counting from zero again), a scrape lost
        Series counter = Series.of(new long[]{0, 60, 120, 180, 300, 360}, new double[]{200_000, 200_007, 200_012, 4, 15, 22});
        Series orders = CountersAsRates.increasePerStep(counter, 60);
        assertThat(orders.times()).containsExactly(60, 120, 180, 360);
        assertThat(orders.values()).containsExactly(7.0, 5.0, 4.0, 7.0);
        MetricSpec total = MetricSpec.of("orders_total", MetricKind.BUSINESS, Bad.DECREASE, "", null);
        Scenario s = new Scenario(60, 60, 5, 2, 6);
        Map<String, Double> count = new HashMap<>();
        s.metric(total, (i, t, r) -> count.merge(i, Scenario.poisson(r, 7), Double::sum)).oneBatch();
        var judged = CountersAsRates.of(s.input(s.release + 300));
        assertThat(judged.metrics().get("orders_total").unit()).isEqualTo("per minute");
        double[] perMinute = judged.observations().series("app-f1", "orders_total").values();
        assertThat(perMinute).isNotEmpty();
        assertThat(java.util.Arrays.stream(perMinute).allMatch(v -> v == Math.rint(v) && v < 30)).isTrue();
    }

    @Test
    void aGaugeThatClimbsAtEveryScrapeIsNoCounterWithoutACountersName() {
        // a heap filling after the fleet started: it rises at every scrape of the short history, and is memory
        MetricSpec heap = MetricSpec.of("memory_mb", MetricKind.BASIC, Bad.INCREASE, "MB", null);
        Scenario s = new Scenario(5, 25, 5, 3, 9).metric(heap, (i, t, r) -> 2 + (t - Scenario.T0) * 0.01 + 0.001 * r.nextDouble()).oneBatch();
        assertThat(CountersAsRates.of(s.input(s.release + 10)).observations().series("app-f1", "memory_mb").values())
                .isEqualTo(s.input(s.release + 10).observations().series("app-f1", "memory_mb").values());
    }

    @Test
    void aGaugeNamedLikeACounterStaysAGauge() {
        MetricSpec members = MetricSpec.of("room_member_count", MetricKind.BUSINESS, Bad.DECREASE, "", null);
        Scenario s = new Scenario(60, 60, 5, 2, 6).metric(members, (i, t, r) -> Scenario.noisy(r, 300, 0.1)).oneBatch();
        assertThat(CountersAsRates.of(s.input(s.release)).observations().series("app-f1", members.name()).size())
                .isEqualTo(s.input(s.release).observations().series("app-f1", members.name()).size());
    }
}
