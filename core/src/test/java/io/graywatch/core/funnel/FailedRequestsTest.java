package io.graywatch.core.funnel;

import io.graywatch.core.funnel.attribution.FailedRequests;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.StageSettings;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import static io.graywatch.core.funnel.GraywatchJudgeTest.ERROR_RATE;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.anyFail;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static org.assertj.core.api.Assertions.assertThat;

/** The failed requests behind an error rate: the same percentages weigh as much as the requests behind them. */
class FailedRequestsTest {
    /** Error rate from Poisson failures among a minute's requests at the given rate, doubled on the released instances after the switch. */
    static Scenario doubling(double requestsPerSecond) {
        Scenario s = new Scenario(60, 60, 10, 2, 6);
        s.metric(REQUESTS, (i, t, r) -> requestsPerSecond)
                .metric(ERROR_RATE, (i, t, r) -> {
                    double requests = Math.round(requestsPerSecond * 60);
                    double share = s.isReleased(i, t) ? 0.02 : 0.01;
                    return requests == 0 ? Double.NaN : 100 * Scenario.poisson(r, requests * share) / requests;
                })
                .oneBatch();
        return s;
    }

    private static double pValue(Scenario s) {
        GuardInput in = s.input(s.release + 5 * 60);
        Fleet fleet = Fleet.of(in);
        return FailedRequests.pValue(MetricSeries.of(in, fleet, ERROR_RATE, StageSettings.Model.DIFFERENCE),
                MetricSeries.of(in, fleet, REQUESTS, StageSettings.Model.RATIO));
    }

    @Test
    void twiceTheFailuresAmongThousandsOfRequestsIsBeyondChance() {
        assertThat(pValue(doubling(50))).isLessThan(1e-6);
    }

    @Test
    void twiceTheFailuresAmongAFewRequestsAMinuteIsNot() {
        assertThat(pValue(doubling(0.5))).isGreaterThan(0.01);
    }

    @Test
    void requestsCountedPerMinuteWeighAsMuchAsTheSameRequestsPerSecond() {
        Scenario perSecond = doubling(50), perMinute = doubling(50);
        MetricSpec rpm = MetricSpec.of("requests", MetricKind.MIDDLEWARE, Bad.DECREASE, "req/min", MetricRole.TRAFFIC);
        perMinute.metric(rpm, (i, t, r) -> 50 * 60);
        GuardInput a = perSecond.input(perSecond.release + 5 * 60), b = perMinute.input(perMinute.release + 5 * 60);
        double pA = FailedRequests.pValue(MetricSeries.of(a, Fleet.of(a), ERROR_RATE, StageSettings.Model.DIFFERENCE),
                MetricSeries.of(a, Fleet.of(a), REQUESTS, StageSettings.Model.RATIO));
        double pB = FailedRequests.pValue(MetricSeries.of(b, Fleet.of(b), ERROR_RATE, StageSettings.Model.DIFFERENCE),
                MetricSeries.of(b, Fleet.of(b), rpm, StageSettings.Model.RATIO));
        assertThat(pB).isEqualTo(pA);
    }

    @Test
    void aNameThatSaysPerMinuteCountsPerMinuteWhenNoUnitSaysOtherwise() {
        // a converted corpus's requests_per_minute with no unit: taken per second, every minute held sixty times its requests
        MetricSpec named = MetricSpec.of("requests_per_minute", MetricKind.MIDDLEWARE, Bad.DECREASE, "", MetricRole.TRAFFIC);
        assertThat(named.requestsPerSecond(3000, 60)).isEqualTo(50);
        assertThat(MetricSpec.of("order_qpm", MetricKind.MIDDLEWARE, Bad.DECREASE, "", MetricRole.TRAFFIC).requestsPerSecond(3000, 60)).isEqualTo(50);
        assertThat(MetricSpec.of("requests", MetricKind.MIDDLEWARE, Bad.DECREASE, "", MetricRole.TRAFFIC).requestsPerSecond(50, 60)).isEqualTo(50);
        // a unit, when there is one, says it
        assertThat(MetricSpec.of("requests_per_minute", MetricKind.MIDDLEWARE, Bad.DECREASE, "req/s", MetricRole.TRAFFIC).requestsPerSecond(50, 60)).isEqualTo(50);
        Scenario perSecond = doubling(50), perMinute = doubling(50);
        perMinute.metric(named, (i, t, r) -> 50 * 60);
        GuardInput a = perSecond.input(perSecond.release + 5 * 60), b = perMinute.input(perMinute.release + 5 * 60);
        assertThat(FailedRequests.pValue(MetricSeries.of(b, Fleet.of(b), ERROR_RATE, StageSettings.Model.DIFFERENCE),
                MetricSeries.of(b, Fleet.of(b), named, StageSettings.Model.RATIO)))
                .isEqualTo(FailedRequests.pValue(MetricSeries.of(a, Fleet.of(a), ERROR_RATE, StageSettings.Model.DIFFERENCE),
                        MetricSeries.of(a, Fleet.of(a), REQUESTS, StageSettings.Model.RATIO)));
    }

    @Test
    void withoutTrafficThereIsNothingToCount() {
        Scenario s = doubling(50);
        GuardInput in = s.input(s.release + 5 * 60);
        assertThat(FailedRequests.pValue(MetricSeries.of(in, Fleet.of(in), ERROR_RATE, StageSettings.Model.DIFFERENCE), null)).isNaN();
    }

    /**
     * Six requests a minute per instance, far below what rates can be judged on; a third of them fail where
     * {@code failing} says so, one in five hundred elsewhere.
     */
    static List<RoundResult> fewRequests(int released, int reference, BiPredicate<Scenario, String> failingNow, BiPredicate<Long, Scenario> when) {
        Scenario s = new Scenario(60, 60, 20, released, reference);
        Map<String, Double> requests = new HashMap<>();
        s.metric(REQUESTS, (i, t, r) -> {
                    double n = Scenario.poisson(r, 6);
                    requests.put(i + "@" + t, n);
                    return n / 60;
                })
                .metric(ERROR_RATE, (i, t, r) -> {
                    double n = requests.get(i + "@" + t);
                    double share = failingNow.test(s, i) && when.test(t, s) ? 0.3 : 0.002;
                    return n == 0 ? Double.NaN : 100 * Math.min(n, Scenario.poisson(r, n * share)) / n;
                })
                .oneBatch();
        return s.run(new GraywatchJudge(), 20);
    }

    @Test
    void aThirdOfAFewRequestsFailingFailsThoughTrafficIsTooLowToJudgeRates() {
        List<RoundResult> rounds = fewRequests(1, 6, (s, i) -> s.isReleased(i, Long.MAX_VALUE), (t, s) -> t >= s.release);
        int first = firstFail(rounds);
        assertThat(first).isBetween(2, 8);
        assertThat(rounds.get(first - 1).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(rounds.get(first).findings().get(0).reason()).startsWith("error rate")
                .contains("requests failing since the warm-up where").contains("at the reference's rate");
    }

    @Test
    void withNoReferenceGroupFailuresFromTheSwitchOnStillFail() {
        List<RoundResult> rounds = fewRequests(4, 0, (s, i) -> true, (t, s) -> t >= s.release);
        assertThat(anyFail(rounds)).isTrue();
        assertThat(rounds.get(firstFail(rounds)).findings().get(0).reason()).contains("at the rate before the batch");
    }

    @Test
    void withNoReferenceGroupABurstOfFailuresMidwayIsAnIncidentNotTheRelease() {
        // an upstream incident: four minutes of failures everywhere, well after the switch
        List<RoundResult> rounds = fewRequests(4, 0, (s, i) -> true, (t, s) -> t >= s.release + 8 * 60 && t < s.release + 12 * 60);
        assertThat(anyFail(rounds)).isFalse();
        assertThat(rounds.get(rounds.size() - 1).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }
}
