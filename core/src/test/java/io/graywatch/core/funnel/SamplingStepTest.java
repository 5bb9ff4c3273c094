package io.graywatch.core.funnel;

import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static io.graywatch.core.funnel.GraywatchJudgeTest.CPU;
import static io.graywatch.core.funnel.GraywatchJudgeTest.LATENCY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The funnel is set for samples a minute apart; stores keep 15 s scrapes (Prometheus) or five-minute points (many
 * long-term stores, NAB). The same release must be judged the same whatever the step its samples come at.
 */
class SamplingStepTest {
    final GraywatchJudge judge = new GraywatchJudge();

    /**
     * One instance released beside five: latency four times its level as it comes up, the excess fading with a time
     * constant of {@code tau} minutes, CPU fading with it, sampled every {@code step} seconds under the noise of a
     * sample that short, judged a round a minute. How many of {@code runs} fail.
     */
    private int fadingSpikeFailures(long step, double tau, int runs) {
        int fails = 0;
        double noise = 0.12 * Math.sqrt(60.0 / step);
        for (int seed = 0; seed < runs; seed++) {
            final int sd = seed;
            int perMinute = (int) (60 / step);
            Scenario s = new Scenario(step, 60 * perMinute, 25 * perMinute, 1, 5);
            s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.05))
                    .metric(CPU, (i, t, r) -> Scenario.noisy(r, 30, 0.04) + (s.isReleased(i, t) ? 40 * Math.exp(-(t - s.release) / 60.0 / tau) : 0))
                    .metric(LATENCY, (i, t, r) -> {
                        double level = 250 * (s.isReleased(i, t) ? 1 + 3 * Math.exp(-(t - s.release) / 60.0 / tau) : 1);
                        return Scenario.noisy(new Random(sd * 1_000_003L + t * 31 + i.hashCode()), level, noise);
                    }).oneBatch();
            if (s.runEvery(judge, 60, 25 * perMinute).stream().anyMatch(r -> r.verdict() == Verdict.FAIL)) fails++;
        }
        return fails;
    }

    @Test
    void aDeploySpikeScrapedEvery15SecondsIsWaitedOutAsOneSampledEveryMinute() {
        // a spike fading by a fifth a minute fades by 5% a 15 s scrape: read sample by sample it looked like a step,
        // and all 40 of these runs failed; averaged to the minute, one did (none sampled every minute)
        int atMinute = fadingSpikeFailures(60, 2.5, 40), at15s = fadingSpikeFailures(15, 2.5, 40);
        assertThat(at15s).isLessThanOrEqualTo(atMinute + 1).isLessThanOrEqualTo(2);
    }

    @Test
    void aLatencyStepScrapedEvery15SecondsFailsWithinMinutes() {
        Scenario s = new Scenario(15, 240, 80, 2, 6);
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, s.isReleased(i, t) ? 240 : 120, 0.15))
                .oneBatch();
        List<RoundResult> rounds = s.runEvery(judge, 60, 80);
        RoundResult fail = rounds.stream().filter(r -> r.verdict() == Verdict.FAIL).findFirst().orElseThrow();
        assertThat(fail.at() - s.release).isLessThanOrEqualTo(240);
        assertThat(fail.findings().get(0).key()).isEqualTo("metric:latency_ms");
    }

    /** One instance, two hours of five-minute points at 13 ms latency, then {@code after} ms on the new version; ten rounds. */
    private List<RoundResult> singleInstanceAtFiveMinutes(double after) {
        Scenario s = new Scenario(300, 24, 10, 1, 0);
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.05))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, s.isReleased(i, t) ? after : 13, 0.08))
                .oneBatch();
        return s.run(judge, 10);
    }

    @Test
    void aSingleInstanceSampledEveryFiveMinutesIsJudgedAgainstEnoughOfItsOwnHistory() {
        // latency two and a half times as high: against an hour of history (twelve points) and a quarter hour after
        // (three or four), no rank test could tell it, and the release passed
        RoundResult fail = singleInstanceAtFiveMinutes(34).stream().filter(r -> r.verdict() == Verdict.FAIL).findFirst().orElseThrow();
        assertThat(fail.findings().get(0).key()).isEqualTo("metric:latency_ms");
    }

    @Test
    void aSteadySingleInstanceSampledEveryFiveMinutesPasses() {
        List<RoundResult> rounds = singleInstanceAtFiveMinutes(13);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
        assertThat(rounds.get(rounds.size() - 1).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aClearStepAtFiveMinutePointsFailsOnTwoPointsNotAQuarterHourOfThem() {
        // each point is five minutes' mean: two hold a step longer than three minutes do at a minute. The fault shows
        // with the second batch, two minutes into a point, which then holds three minutes of it
        Scenario s = new Scenario(300, 24, 14, 2, 6);
        long onset = s.release + 1800 + 120;
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.05))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, !s.isReleased(i, t) || t <= onset ? 120 : 120 + 120 * Math.min(1, (t - onset) / 300.0), 0.05))
                .batch(s.release, List.of("app-r1"), false)
                .batch(onset, List.of("app-r2"), false);
        RoundResult fail = s.run(judge, 14).stream().filter(r -> r.verdict() == Verdict.FAIL).findFirst().orElseThrow();
        assertThat(fail.findings().get(0).key()).isEqualTo("metric:latency_ms");
        assertThat(fail.at() - onset).isLessThanOrEqualTo(480);
    }
}
