package io.graywatch.core.funnel;

import io.graywatch.core.guard.RoundResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.graywatch.core.funnel.GraywatchJudgeTest.ERROR_RATE;
import static io.graywatch.core.funnel.GraywatchJudgeTest.REQUESTS;
import static io.graywatch.core.funnel.GraywatchJudgeTest.anyFail;
import static io.graywatch.core.funnel.GraywatchJudgeTest.firstFail;
import static org.assertj.core.api.Assertions.assertThat;

/** One instance released in place, nothing to compare it with: its own hour is the only control. */
class HistoryStepTest {
    final GraywatchJudge judge = new GraywatchJudge();

    /** Rush and calm in turns of ten minutes, up to the release and after it: 800 requests a second, then 170. */
    private static boolean rush(Scenario s, long t) {
        return Math.floorMod((t - s.release) / 600 - 1, 2) == 0;
    }

    /**
     * The error rate follows the load, 1.1% at rush and 0.65% in calm, so the hour's history steps back and forth;
     * from the switch on it is {@code after} (NaN: as before).
     */
    private static Scenario rushHour(double after) {
        Scenario s = new Scenario(60, 60, 20, 1, 0);
        return s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, rush(s, t) ? 800 : 170, 0.01))
                .metric(ERROR_RATE, (i, t, r) -> {
                    double usual = rush(s, t) ? 1.1 : 0.65;
                    return Math.max(0, (s.isReleased(i, t) && !Double.isNaN(after) ? after : usual) + 0.05 * r.nextGaussian());
                })
                .oneBatch();
    }

    @Test
    void anErrorStepBeyondEverySwingTheHourShowedFailsThoughTheHourWasNeverSteady() {
        List<RoundResult> rounds = rushHour(5.5).run(judge, 20);
        // the warm-up minute, then four samples: one more than with a reference group
        assertThat(firstFail(rounds)).isEqualTo(5);
        assertThat(rounds.get(5).reason()).startsWith("error rate 5.5% on the released instance")
                .contains("with no reference group to compare with", "on every sample since the warm-up, beyond anything the hour before showed");
        // the same hour with the release changing nothing passes
        assertThat(anyFail(rushHour(Double.NaN).run(judge, 20))).isFalse();
    }

    @Test
    void aFewFailuresOfANewProcessAtTwoRequestsASecondAreNoStep() {
        // none failed in the hour; the new process fails a few of its 120 requests a minute while it warms up, as a
        // generated release did (seed 2, case-00821), each minute beyond anything the hour showed
        double[] warming = {4.03, 1.72, 0.88, 2.46, 0, 1.48};
        Scenario s = new Scenario(60, 60, 20, 1, 0);
        s.metric(REQUESTS, (i, t, r) -> Scenario.noisy(r, 2, 0.05))
                .metric(ERROR_RATE, (i, t, r) -> {
                    int k = (int) ((t - s.release) / 60) - 1;
                    return k >= 0 && k < warming.length ? warming[k] : 0;
                })
                .oneBatch();
        assertThat(anyFail(s.run(judge, 20))).isFalse();
    }
}
