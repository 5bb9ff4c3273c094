package io.graywatch.core.funnel;

import io.graywatch.core.funnel.attribution.FailedRequests;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.StageSettings;
import org.junit.jupiter.api.Test;


import static io.graywatch.core.funnel.GraywatchJudgeTest.ERROR_RATE;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
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
    void withoutTrafficThereIsNothingToCount() {
        Scenario s = doubling(50);
        GuardInput in = s.input(s.release + 5 * 60);
        assertThat(FailedRequests.pValue(MetricSeries.of(in, Fleet.of(in), ERROR_RATE, StageSettings.Model.DIFFERENCE), null)).isNaN();
    }
}
