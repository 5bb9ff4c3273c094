package io.graywatch.core.funnel.clean;

import io.graywatch.core.metric.Series;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Telling a deploy spike that is fading from a step that holds, from the warm-up minute and the next. */
class WarmingTest {
    static final long SWITCH = 1_700_003_600;

    /** An hour at 35 ± 1 before the switch, then the given samples a minute apart from the warm-up minute on. */
    static Series cpu(int history, double... after) {
        Random r = new Random(7);
        long[] t = new long[history + after.length];
        double[] v = new double[t.length];
        for (int i = 0; i < history; i++) {
            t[i] = SWITCH - (history - i) * 60L;
            v[i] = 35 + r.nextGaussian();
        }
        for (int i = 0; i < after.length; i++) {
            t[history + i] = SWITCH + (i + 1) * 60L;
            v[history + i] = after[i];
        }
        return Series.of(t, v);
    }

    @Test
    void aSpikeThatLostAThirdOfItsExcessInAMinuteIsFading() {
        assertThat(Warming.fades(cpu(60, 95, 75), SWITCH, 3600, 1, 60, Long.MAX_VALUE)).isTrue();
    }

    @Test
    void aStepThatHoldsIsNotFading() {
        assertThat(Warming.fades(cpu(60, 95, 93), SWITCH, 3600, 1, 60, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aWarmUpMinuteWithinTheNoiseIsNoSpike() {
        // 37 then 35.5 on a series that moves a point a minute: nothing stood out to fade
        assertThat(Warming.fades(cpu(60, 37, 35.5), SWITCH, 3600, 1, 60, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aSpikeTheBadWayIsAskedOfTheBadDirectionOnly() {
        // a success rate is bad when it falls: a rise coming down is no deploy spike
        assertThat(Warming.fades(cpu(60, 95, 75), SWITCH, 3600, -1, 60, Long.MAX_VALUE)).isFalse();
        assertThat(Warming.fades(cpu(60, 5, 25), SWITCH, 3600, -1, 60, Long.MAX_VALUE)).isTrue();
    }

    @Test
    void aReplacementPodWithoutHistoryMayStillBeFading() {
        // nothing to tell its level from a spike: the one-minute lane of a clear step is not taken for it
        assertThat(Warming.fades(cpu(0, 95, 93), SWITCH, 3600, 1, 60, Long.MAX_VALUE)).isTrue();
    }

    @Test
    void oneSampleAfterTheSwitchTellsNothingYet() {
        assertThat(Warming.fades(cpu(60, 95), SWITCH, 3600, 1, 60, Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aFadingSpikeIsWaitedOutByTheDecayItsFirstTwoMinutesShow() {
        // 60 over the level, then 40: two thirds kept a minute, so under 5 in seven minutes from the first sample
        assertThat(Warming.fadesUntil(cpu(60, 95, 75), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isEqualTo(SWITCH + 60 + 7 * 60);
    }

    @Test
    void aSpikeFallingFasterThanSpikesDoIsTakenToFadeAtTheFastest() {
        // 60 to 6 in a minute is noise as much as decay: it is waited for as if it kept 0.4 a minute (three minutes)
        assertThat(Warming.fadesUntil(cpu(60, 95, 41), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isEqualTo(SWITCH + 60 + 3 * 60);
    }

    @Test
    void noSpikeNothingToWaitFor() {
        assertThat(Warming.fadesUntil(cpu(60, 95, 93), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isEqualTo(Long.MIN_VALUE);
        assertThat(Warming.fadesUntil(cpu(60, 36, 35), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isEqualTo(Long.MIN_VALUE);
        assertThat(Warming.fadesUntil(cpu(0, 95, 75), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aSlowDecayThatLookedLevelOnItsFirstTwoMinutesIsFittedFromTheThird() {
        // 60, 55: kept more than a spike keeps, so nothing to wait for yet; then 45, 36, 29 show a decay of about 0.83 a
        // minute, which needs longer than the ten minutes waited at most to fall under 5
        assertThat(Warming.fadesUntil(cpu(60, 95, 90), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isEqualTo(Long.MIN_VALUE);
        assertThat(Warming.fadesUntil(cpu(60, 95, 90, 80, 71, 64), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isEqualTo(SWITCH + 60 + 10 * 60);
    }

    @Test
    void aStepWhoseSecondMinuteDippedIsNotWaitedForOnceItsLaterMinutesHoldLevel() {
        assertThat(Warming.fadesUntil(cpu(60, 95, 80), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isGreaterThan(SWITCH);
        assertThat(Warming.fadesUntil(cpu(60, 95, 80, 94, 96, 93), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 5)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aBurstOnACountThatIsZeroAtRestIsNotFittedForAnEffectOfNothing() {
        // with a level of zero and no absolute minimum the minimum effect is 0: a sample back at zero has no log, and
        // waiting for the burst to fall "under nothing" would never end
        long[] t = new long[64];
        double[] v = new double[64];
        for (int i = 0; i < 60; i++) t[i] = SWITCH - (60 - i) * 60L;
        double[] after = {12, 5, 0, 0};
        for (int i = 0; i < 4; i++) {
            t[60 + i] = SWITCH + (i + 1) * 60L;
            v[60 + i] = after[i];
        }
        assertThat(Warming.fadesUntil(Series.of(t, v), SWITCH, 3600, 1, 60, Long.MAX_VALUE, 0)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aSpikeIsWaitedForTenMinutesBeforeALevelIsJudgedAgainstTheHourAlone() {
        // 95 then 75 on a level of 35, its first sample a minute after the switch: ten minutes from that sample on, the
        // instance may still be coming down, however fast these few minutes made it look
        Series spike = cpu(60, 95, 75, 50, 37, 35, 36, 34, 35, 36, 35, 34, 35);
        assertThat(Warming.fadingNow(spike, SWITCH, 3600, 1, 60, SWITCH + 5 * 60)).isTrue();
        assertThat(Warming.fadingNow(spike, SWITCH, 3600, 1, 60, SWITCH + 10 * 60)).isTrue();
        assertThat(Warming.fadingNow(spike, SWITCH, 3600, 1, 60, SWITCH + 11 * 60)).isFalse();
        // what the warm-up minute and the next showed stays true of them: a judgement on those two minutes still asks it
        assertThat(Warming.fades(spike, SWITCH, 3600, 1, 60, SWITCH + 11 * 60)).isTrue();
        // a step holds its excess: nothing to wait for
        assertThat(Warming.fadingNow(cpu(60, 95, 93, 94), SWITCH, 3600, 1, 60, SWITCH + 3 * 60)).isFalse();
    }
}
