package io.graywatch.core.funnel;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.graywatch.core.funnel.GraywatchJudgeTest.LATENCY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Six requests a minute per instance, a thirtieth of what request metrics are judged on minute by minute:
 * a latency is the p99 of a handful of requests, and the round stays inconclusive unless a change is
 * large and holds.
 */
class LowTrafficTest {
    final GraywatchJudge judge = new GraywatchJudge();

    /** Requests of instance i in the minute ending at t, for one seed: the same for every metric that asks. */
    private static double requests(int seed, String i, long t, double perMinute) {
        return Scenario.poisson(new Random(seed * 7919L + t * 31 + i.hashCode()), perMinute);
    }

    /**
     * 2 released and 6 reference instances; the released ones' latency is multiplied by {@code latency} and
     * their requests by {@code traffic} from the switch on. A minute's p99 of n requests is lognormal around
     * 120 ms, the fewer requests the wider, and missing when there were none.
     */
    static Scenario fewRequests(int seed, double latency, double traffic) {
        Scenario s = new Scenario(60, 60, 30, 2, 6);
        s.metric(REQUESTS, (i, t, r) -> requests(seed, i, t, s.isReleased(i, t) ? 6 * traffic : 6) / 60)
                .metric(LATENCY, (i, t, r) -> {
                    double n = requests(seed, i, t, s.isReleased(i, t) ? 6 * traffic : 6);
                    if (n == 0) return Double.NaN;
                    Random noise = new Random(seed * 104729L + t * 17 + i.hashCode());
                    return 120 * Math.exp((0.1 + 0.6 / Math.sqrt(n)) * noise.nextGaussian()) * (s.isReleased(i, t) ? latency : 1);
                });
        return s.oneBatch();
    }

    /**
     * For ten seeds, the finding that failed each first: after the rounds of the switch (no one-minute step
     * on a few requests), when the round before was still inconclusive.
     */
    private List<Finding> failingOnceItHolds(double latency, double traffic) {
        List<Finding> out = new ArrayList<>();
        for (int seed = 0; seed < 10; seed++) {
            List<RoundResult> rounds = fewRequests(seed, latency, traffic).run(judge, 30);
            int first = firstFail(rounds);
            assertThat(first).as("seed %d", seed).isGreaterThan(2);
            assertThat(rounds.get(first - 1).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            out.add(rounds.get(first).findings().get(0));
        }
        return out;
    }

    @Test
    void aLatencyThatTriplesOnAFewRequestsAMinuteFailsOnceItHolds() {
        assertThat(failingOnceItHolds(3, 1)).allSatisfy(f -> {
            assertThat(f.key()).isEqualTo("metric:latency_ms");
            assertThat(f.reason()).contains("on the 2 released instances vs").contains("more than twice the minimum effect, as traffic this low needs");
        });
    }

    @Test
    void aTrafficLossOnAFewRequestsAMinuteFailsOnceItHolds() {
        assertThat(failingOnceItHolds(1, 0.25)).allSatisfy(f -> assertThat(f.key()).isEqualTo("metric:requests"));
    }

    @Test
    void aFewSlowMinutesJustAfterTheSwitchAreNotAStep() {
        // five times slower for the warm-up minute and the two after it, then as before: at ordinary traffic a step
        // that clear could fail at once; on a few requests a minute, one slow request makes a minute's p99
        for (int seed = 0; seed < 20; seed++) {
            Scenario s = fewRequests(seed, 1, 1);
            Scenario.Values normal = s.values.get(LATENCY.name());
            s.metric(LATENCY, (i, t, r) -> normal.at(i, t, r) * (s.isReleased(i, t) && t <= s.release + 180 ? 5 : 1));
            List<RoundResult> rounds = s.run(judge, 30);
            assertThat(rounds).as("seed %d", seed).noneMatch(r -> r.verdict() == Verdict.FAIL);
            assertThat(rounds.get(rounds.size() - 1).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        }
    }

    @Test
    void theNoiseOfAFewRequestsAMinuteIsNoFinding() {
        for (int seed = 0; seed < 20; seed++) {
            List<RoundResult> rounds = fewRequests(seed, 1, 1).run(judge, 30);
            assertThat(rounds).as("seed %d", seed).allMatch(r -> r.findings().isEmpty());
        }
    }
}
