package io.graywatch.core.funnel.clean;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Whether a fresh instance is still visibly coming down from its deploy spike: a spike (cold caches, JIT,
 * connection pools filling) lifts latency, CPU and errors together and fades in all of them at once, so
 * that one metric fading gives away the others, whose noise can hide their own fading for a minute. A
 * metric fades when its warm-up minute stood the bad way {@link #SPIKE_Z} times its minute-to-minute noise
 * above the level just before the switch and the next sample kept less than {@link #KEEPS} of that excess.
 * A step the release brought keeps all of it.
 */
public final class Warming {
    /** The share of its warm-up minute's excess a sample keeps at most, a minute later, when a spike fades: deploy spikes fade by more than a fifth a minute (a time constant of four minutes or less). */
    public static final double KEEPS = 0.8;

    /** How many of the last samples before the switch give the level a spike rose from. */
    static final int RECENT = 10;

    /** How many standard deviations of its minute-to-minute noise a warm-up minute must stand out to be a spike. */
    static final double SPIKE_Z = 4;

    /** History samples needed to know how far out the warm-up minute stood. */
    static final int MIN_HISTORY = 20;

    private Warming() {
    }

    /**
     * @param metrics every metric the instances report: the one being judged among them
     * @param history seconds of history before each instance's switch to compare with
     */
    public static boolean visible(Observations observations, Collection<MetricSpec> metrics, List<Fleet.Member> released, long history) {
        for (Fleet.Member m : released) {
            if (!m.released()) continue;
            for (MetricSpec spec : metrics) {
                if (spec.bad() == Bad.EITHER || Fleet.isStartTime(spec.name())) continue;
                if (fades(observations.series(m.id(), spec.name()), m.switchAt(), history, spec.bad() == Bad.INCREASE ? 1 : -1)) return true;
            }
        }
        return false;
    }

    static boolean fades(Series s, long switchAt, long history, double sign) {
        double[] before = s.between(switchAt - history, switchAt).finiteValues();
        // a replacement pod has no history of its own to tell a spike from its level: it may be fading
        if (before.length < MIN_HISTORY) return true;
        double[] after = s.between(switchAt + 1, Long.MAX_VALUE).finiteValues();
        if (after.length < 2) return false;
        // against the level just before the switch, not the hour's: load swings move CPU more than a warm-up does
        double centre = Stats.median(Arrays.copyOfRange(before, before.length - RECENT, before.length));
        double warm = sign * (after[0] - centre), next = sign * (after[1] - centre);
        return warm > SPIKE_Z * noise(before) && next < KEEPS * warm;
    }

    /**
     * Until when a fading deploy spike on s still stands at least {@code effect} the bad way, by the decay its warm-up
     * minute and the next show (their ratio, held between {@link #FASTEST} and {@link #KEEPS} a minute): the moment
     * of its first sample plus as many minutes as the spike needs to fall under {@code effect}, at most
     * {@link #LONGEST}. {@link Long#MIN_VALUE} when no spike is fading on s.
     */
    static long fadesUntil(Series s, long switchAt, long history, double sign, long step, double effect) {
        double[] before = s.between(switchAt - history, switchAt).finiteValues();
        if (before.length < MIN_HISTORY) return Long.MIN_VALUE;
        Series after = s.between(switchAt + 1, Long.MAX_VALUE);
        int first = -1, second = -1;
        for (int i = 0; i < after.size() && second < 0; i++) {
            if (!Double.isFinite(after.value(i))) continue;
            if (first < 0) first = i; else second = i;
        }
        if (second < 0) return Long.MIN_VALUE;
        double centre = Stats.median(Arrays.copyOfRange(before, before.length - RECENT, before.length));
        double warm = sign * (after.value(first) - centre), next = sign * (after.value(second) - centre);
        if (!(warm > SPIKE_Z * noise(before) && next < KEEPS * warm)) return Long.MIN_VALUE;
        // a spike already under the minimum effect a minute later is gone: nothing to wait for
        if (!(warm > effect) || !(next > effect)) return Long.MIN_VALUE;
        // two samples cannot tell a step under the spike from the spike's own tail: the whole excess is taken to fade,
        // which waits longer for a fault hidden under a warm-up, never shorter for a warm-up
        double keeps = Math.min(KEEPS, Math.max(FASTEST, next / warm));
        int minutes = (int) Math.min(LONGEST, Math.ceil(Math.log(effect / warm) / Math.log(keeps)));
        return after.time(first) + minutes * step;
    }

    /** The fastest a deploy spike is taken to fade, as the share of its excess kept a minute later: noise makes two samples say faster. */
    static final double FASTEST = 0.4;

    /** The most minutes a fading spike is waited for. */
    static final int LONGEST = 10;

    /** The minute-to-minute noise of x: a robust standard deviation of its first differences, over the square root of two. */
    static double noise(double[] x) {
        double[] d = new double[x.length - 1];
        for (int i = 1; i < x.length; i++) d[i - 1] = x[i] - x[i - 1];
        double m = Stats.median(d);
        for (int i = 0; i < d.length; i++) d[i] = Math.abs(d[i] - m);
        return 1.4826 * Stats.medianInPlace(d, d.length) / Math.sqrt(2);
    }
}
