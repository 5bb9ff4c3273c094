package io.graywatch.core.funnel;

import io.graywatch.core.funnel.clean.RequestMetricsFromData;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static org.assertj.core.api.Assertions.assertThat;

class RequestMetricsFromDataTest {
    final GraywatchJudge judge = new GraywatchJudge();

    /** A request metric named and measured in nothing the guard knows: only its kind and which way is bad. */
    private static MetricSpec opaque(String name, Bad bad) {
        return MetricSpec.of(name, MetricKind.MIDDLEWARE, bad);
    }

    /** Two released instances, six staying; {@code kpi} on the released ones {@code after} from the switch on. */
    private static Scenario with(MetricSpec kpi, Scenario.Values before, Scenario.Values after) {
        Scenario s = new Scenario(60, 60, 15, 2, 6);
        return s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(kpi, (i, t, r) -> s.isReleased(i, t) ? after.at(i, t, r) : before.at(i, t, r))
                .oneBatch();
    }

    @Test
    void anUnnamedShareNearAHundredThatIsBadFallingIsJudgedAsASuccessRate() {
        MetricSpec kpi = opaque("kpi_7", Bad.DECREASE);
        assertThat(kpi.role()).isEqualTo(MetricRole.OTHER);
        Scenario.Values ok = (i, t, r) -> Math.min(100, 99.7 + 0.2 * r.nextGaussian());
        Scenario s = with(kpi, ok, (i, t, r) -> Math.min(100, 91 + 0.5 * r.nextGaussian()));
        assertThat(RequestMetricsFromData.of(s.input(s.release)).metrics().get("kpi_7").role()).isEqualTo(MetricRole.SUCCESS_RATE);
        List<RoundResult> rounds = s.run(judge, 15);
        assertThat(firstFail(rounds)).isBetween(1, 5);
        assertThat(rounds.get(firstFail(rounds)).reason()).contains("kpi 7 9", "%");

        // the same series, healthy, passes
        Scenario good = with(kpi, ok, ok);
        assertThat(good.run(judge, 15)).noneMatch(r -> r.verdict() == Verdict.FAIL);
    }

    @Test
    void anUnnamedShareNearZeroAndOftenZeroThatIsBadRisingIsJudgedAsAnErrorRate() {
        MetricSpec kpi = opaque("kpi_3", Bad.INCREASE);
        Scenario s = with(kpi, (i, t, r) -> Math.max(0, 0.2 * r.nextGaussian()), (i, t, r) -> Math.max(0, 3 + 0.3 * r.nextGaussian()));
        assertThat(RequestMetricsFromData.of(s.input(s.release)).metrics().get("kpi_3").role()).isEqualTo(MetricRole.ERROR_RATE);
        assertThat(firstFail(s.run(judge, 15))).isBetween(1, 5);
    }

    @Test
    void latenciesAndRequestRatesKeepTheirRole() {
        // never 0, and a rate that swings past 100
        Scenario latency = with(opaque("kpi_1", Bad.INCREASE), (i, t, r) -> Scenario.noisy(r, 4, 0.1), (i, t, r) -> Scenario.noisy(r, 4, 0.1));
        assertThat(RequestMetricsFromData.of(latency.input(latency.release)).metrics().get("kpi_1").role()).isEqualTo(MetricRole.OTHER);
        Scenario rate = with(opaque("kpi_2", Bad.DECREASE), (i, t, r) -> Scenario.noisy(r, 97, 0.1), (i, t, r) -> Scenario.noisy(r, 97, 0.1));
        assertThat(RequestMetricsFromData.of(rate.input(rate.release)).metrics().get("kpi_2").role()).isEqualTo(MetricRole.OTHER);
        // with no request rate among the metrics, the one bad falling that is seldom 0 is it; two such say nothing
        Scenario alone = new Scenario(60, 60, 5, 2, 6);
        alone.metric(opaque("kpi_2", Bad.DECREASE), (i, t, r) -> Scenario.noisy(r, 97, 0.1)).oneBatch();
        assertThat(RequestMetricsFromData.of(alone.input(alone.release)).metrics().get("kpi_2").role()).isEqualTo(MetricRole.TRAFFIC);
        alone.metric(opaque("kpi_5", Bad.DECREASE), (i, t, r) -> Scenario.noisy(r, 12, 0.1));
        assertThat(RequestMetricsFromData.of(alone.input(alone.release)).metrics().get("kpi_2").role()).isEqualTo(MetricRole.OTHER);
        // what a metric's name or unit says is not second-guessed
        Scenario named = with(MetricSpec.of("availability", MetricKind.MIDDLEWARE, Bad.DECREASE), (i, t, r) -> 99.5, (i, t, r) -> 99.5);
        assertThat(RequestMetricsFromData.of(named.input(named.release)).metrics().get("availability").role()).isEqualTo(MetricRole.SUCCESS_RATE);
        assertThat(RequestMetricsFromData.of(named.input(named.release)).metrics().get("availability").unit()).isEmpty();
    }
}
