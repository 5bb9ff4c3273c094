package io.graywatch.core.funnel;

import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.graywatch.core.funnel.GraywatchJudgeTest.LATENCY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fault that shows only once more instances serve the new version (load, a shared resource, a
 * migration the batch set off) hits the instances already on it at the moment the latest batch
 * joins: their quiet half hour on the new version must not dilute it.
 */
class LatestBatchTest {
    final GraywatchJudge judge = new GraywatchJudge();

    /** Six instances released two by two a quarter hour apart, six on the old version throughout; latency as given. */
    private static Scenario threeBatches(Scenario.Values latency) {
        Scenario s = new Scenario(60, 60, 45, 6, 6);
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.08))
                .metric(LATENCY, latency)
                .batch(s.release, List.of("app-r1", "app-r2"), false)
                .batch(s.release + 15 * 60, List.of("app-r3", "app-r4"), false)
                .batch(s.release + 30 * 60, List.of("app-r5", "app-r6"), false);
        return s;
    }

    private static final long LAST_BATCH = Scenario.T0 + 60 * 60 + 30 * 60;

    @Test
    void aSlowdownOnEveryNewInstanceFromTheLastBatchOnFailsOnTheInstancesAlreadyServing() {
        Scenario[] s = new Scenario[1];
        s[0] = threeBatches((i, t, r) -> Scenario.noisy(r, s[0].isReleased(i, t) && t >= LAST_BATCH ? 150 : 120, 0.1));
        List<RoundResult> rounds = s[0].run(judge, 45);
        assertThat(rounds.subList(0, 31)).noneMatch(r -> r.verdict() == Verdict.FAIL);
        assertThat(firstFail(rounds)).isBetween(31, 38);
        assertThat(rounds.get(firstFail(rounds)).reason()).contains("latency").contains("on the 4 earlier instances since batch 3 joined vs")
                .contains("before it");
    }

    @Test
    void anUpstreamSlowdownAsTheLastBatchJoinsIsNotTheRelease() {
        // the same slowdown on the old version too: the instances still on it show it is not the release's
        Scenario s = threeBatches((i, t, r) -> Scenario.noisy(r, t >= LAST_BATCH ? 150 : 120, 0.1));
        List<RoundResult> rounds = s.run(judge, 45);
        assertThat(rounds).noneMatch(r -> r.verdict() == Verdict.FAIL);
    }
}
