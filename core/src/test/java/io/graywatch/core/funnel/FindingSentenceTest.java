package io.graywatch.core.funnel;

import io.graywatch.core.guard.RoundResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.graywatch.core.funnel.GraywatchJudgeTest.CPU;
import static io.graywatch.core.funnel.GraywatchJudgeTest.LATENCY;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sentence of a finding gives the numbers a person checks on a dashboard: the latest samples of both groups in
 * the same minutes, and the released instances before their switch. A median over the whole judged window would
 * still show the quiet minutes before a fault that began late.
 */
class FindingSentenceTest {
    final GraywatchJudge judge = new GraywatchJudge();

    @Test
    void aLateSlowdownIsDescribedByTheLatestSamplesNotTheWholeWindow() {
        // two released instances serve at 120 ms for twelve minutes, then at 240 ms; six reference instances stay at 120 ms
        Scenario[] s = new Scenario[1];
        s[0] = new Scenario(60, 60, 30, 2, 6);
        long slow = s[0].release + 12 * 60;
        s[0].metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 50, 0.05))
                .metric(LATENCY, (i, t, r) -> Scenario.noisy(r, s[0].isReleased(i, t) && t >= slow ? 240 : 120, 0.05))
                .oneBatch();
        List<RoundResult> rounds = s[0].run(judge, 30);
        int fail = firstFail(rounds);
        assertThat(fail).isBetween(13, 20);
        assertThat(rounds.get(fail).reason())
                .matches("latency ms 2[34]\\d ms on the 2 released instances vs 1[12]\\d ms on the 6 reference ones, up from 1[12]\\d ms before the batch .*");
    }

    @Test
    void aRiseAgainstAReferenceThatFellSaysSo() {
        // the day's load halves everywhere at the switch: the reference's CPU falls from 40% to 20%, the released
        // instances', which now spend nearly twice the CPU a request, only to 36%
        Scenario[] s = new Scenario[1];
        s[0] = new Scenario(60, 60, 20, 2, 6);
        long at = s[0].release;
        s[0].metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, t >= at ? 25 : 50, 0.05))
                .metric(CPU, (i, t, r) -> Scenario.noisy(r, t < at ? 40 : s[0].isReleased(i, t) ? 36 : 20, 0.04))
                .oneBatch();
        List<RoundResult> rounds = s[0].run(judge, 20);
        int fail = firstFail(rounds);
        assertThat(fail).isPositive();
        assertThat(rounds.get(fail).reason())
                .matches("cpu percent 3\\d% on the 2 released instances vs 2\\d% on the 6 reference ones, down from 4\\d% before the batch, "
                        + "while the reference ones fell from 4\\d% \\(\\+.*");
    }
}
