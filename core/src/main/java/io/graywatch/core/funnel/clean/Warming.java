package io.graywatch.core.funnel.clean;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

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
    public static boolean visible(Observations observations, Collection<MetricSpec> metrics, List<Fleet.Member> released, long history,
                                  long step, long now) {
        return anyWay(observations, metrics, released, null, (s, switchAt, sign) -> fades(s, switchAt, history, sign, step, now));
    }

    /**
     * Whether a released instance may still be coming down from a deploy spike now, in any metric: one whose warm-up
     * minute and the next faded as {@link #visible} asks, for {@link #LONGEST} minutes from its first sample. Then the
     * instance's level is judged: once JIT and caches have warmed up, a latency that stays where it went is no warm-up,
     * however visible the first minutes' spike in CPU was. Error and success rates are not asked: at a few dozen failures
     * a minute, their fall from the first minute to the second is as often counting as fading (11.5% then 8.6% of 600
     * requests held a 9-point step for ten minutes), and a spike that lifts errors lifts latency and CPU with it.
     */
    public static boolean stillVisible(Observations observations, Collection<MetricSpec> metrics, List<Fleet.Member> released, long history,
                                       long step, long now) {
        return anyWay(observations, metrics, released, null, (s, switchAt, sign) -> fadingNow(s, switchAt, history, sign, step, now),
                spec -> spec.role() != MetricRole.ERROR_RATE && spec.role() != MetricRole.SUCCESS_RATE);
    }

    /**
     * Whether a released instance's warm-up minute stood out the bad way in a metric other than {@code judged}, by
     * {@link #SPIKE_Z} times its minute-to-minute noise above the level just before the switch, fading or not: the
     * instance came up through a deploy spike (JIT, cold caches), however fast or slow it fades. A fault injected into
     * a running process, or a restart too light to show, leaves every other metric where it was.
     */
    public static boolean spiked(Observations observations, Collection<MetricSpec> metrics, List<Fleet.Member> released, long history,
                                 long step, long now, String judged) {
        return anyWay(observations, metrics, released, judged, (s, switchAt, sign) -> stoodOut(s, switchAt, history, sign, step, now));
    }

    /**
     * Whether a released instance has a metric other than {@code judged} that a deploy spike lifts (latency, errors, a
     * utilisation such as CPU) with the history to tell a spike by: without one, {@link #spiked} saying no proves nothing.
     */
    public static boolean witnessed(Observations observations, Collection<MetricSpec> metrics, List<Fleet.Member> released, long history,
                                    String judged) {
        return anyWay(observations, metrics, released, judged, (s, switchAt, sign) -> finiteCount(s.between(switchAt - history, switchAt)) >= MIN_HISTORY,
                spec -> spec.role() != MetricRole.TRAFFIC && spec.role() != MetricRole.OTHER);
    }

    private static boolean stoodOut(Series s, long switchAt, long history, double sign, long step, long now) {
        Series after = s.between(switchAt + 1, Long.MAX_VALUE);
        int first = firstAfterRestart(s, after, switchAt, step, now);
        if (first < 0) return false;
        Series before = s.between(switchAt - history, switchAt);
        if (finiteCount(before) < MIN_HISTORY) return false;
        double excess = sign * (after.value(first) - recentLevel(before));
        // the noise last: it sorts the hour
        return excess > 0 && excess > SPIKE_Z * Stats.stepNoise(before.finiteValues());
    }

    /**
     * Whether a metric accumulates (memory, heap, disk, threads) rather than following the work as it comes: a deploy
     * spike does not lift it (a restart starts it again from its floor), and its drop at each collection is no spike
     * fading. A single instance's heap falling by a GC's share after its first minute kept a step in latency waiting.
     */
    private static boolean accumulates(MetricSpec spec) {
        return spec.role() == MetricRole.RESOURCE && !spec.measuresUtilisation();
    }

    private interface SpikeTest {
        boolean test(Series s, long switchAt, double sign);
    }

    /**
     * Whether any released instance's metric passes the test on a side its bad direction allows; the metric named
     * {@code except} (or none, when null), and what accumulates, are not asked.
     */
    private static boolean anyWay(Observations observations, Collection<MetricSpec> metrics, List<Fleet.Member> released, String except,
                                  SpikeTest test) {
        return anyWay(observations, metrics, released, except, test, spec -> true);
    }

    private static boolean anyWay(Observations observations, Collection<MetricSpec> metrics, List<Fleet.Member> released, String except,
                                  SpikeTest test, Predicate<MetricSpec> asked) {
        for (Fleet.Member m : released) {
            if (!m.released()) continue;
            for (MetricSpec spec : metrics) {
                if (Fleet.isStartTime(spec.name()) || spec.name().equals(except) || accumulates(spec) || !asked.test(spec)) continue;
                Series s = observations.series(m.id(), spec.name());
                if (spec.bad() != Bad.DECREASE && test.test(s, m.switchAt(), 1)) return true;
                if (spec.bad() != Bad.INCREASE && test.test(s, m.switchAt(), -1)) return true;
            }
        }
        return false;
    }

    static boolean fadingNow(Series s, long switchAt, long history, double sign, long step, long now) {
        Start st = start(s, switchAt, history, sign, step, now);
        if (!fades(st, s, switchAt, history) || risesAgain(s, st, sign, now)) return false;
        // with no history to measure the noise by, a fading spike cannot be told over; else for the longest a spike is
        // waited for, not by its decay: in noise as large as a spike's, two minutes or a few more can show a slow decay
        // as a fast one, and a judgement against the hour alone has nothing else to tell a slow spike's tail from a level by
        return st == null || st == NO_HISTORY || st.firstAt + LONGEST * step > now;
    }

    /**
     * Whether a sample since the two that looked like a fade stood out as far as the warm-up minute did: a spike comes
     * down and stays down, while a step's noise takes it under four fifths of its excess one minute and back the next.
     */
    private static boolean risesAgain(Series s, Start st, double sign, long now) {
        if (st == null || st == NO_HISTORY) return false;
        Series later = s.between(st.nextAt + 1, now);
        for (int i = 0; i < later.size(); i++) if (sign * (later.value(i) - st.centre) >= st.warm) return true;
        return false;
    }

    static boolean fades(Series s, long switchAt, long history, double sign, long step, long now) {
        return fades(start(s, switchAt, history, sign, step, now), s, switchAt, history);
    }

    /** {@link #fades} of s, given its {@link #start}. */
    private static boolean fades(Start st, Series s, long switchAt, long history) {
        // a replacement pod has no history of its own to tell a spike from its level: it may be fading, falling or not
        if (st == NO_HISTORY || st == null && finiteCount(s.between(switchAt - history, switchAt)) < MIN_HISTORY) return true;
        // the noise last: it sorts the hour, and most series do not fall at all
        return st != null && st.next < KEEPS * st.warm && st.warm > SPIKE_Z * Stats.stepNoise(st.before.finiteValues());
    }

    /**
     * Until when a fading deploy spike on s still stands at least {@code effect} the bad way: the moment of its first
     * sample plus as many minutes as the spike needs to fall under {@code effect}, at most {@link #LONGEST}.
     * {@link Long#MIN_VALUE} when no spike is fading on s. On the warm-up minute and the next alone, the decay is
     * their ratio, held between {@link #FASTEST} and {@link #KEEPS} a minute; from a third sample on it is fitted to
     * every sample since the switch ({@link #fittedUntil}), as two noisy samples can make a slow decay look level.
     */
    static long fadesUntil(Series s, long switchAt, long history, double sign, long step, long now, double effect) {
        Series after = s.between(switchAt + 1, Long.MAX_VALUE);
        int first = firstAfterRestart(s, after, switchAt, step, now), second = first < 0 ? -1 : nextFinite(after, first + 1);
        int third = second < 0 ? -1 : nextFinite(after, second + 1);
        if (third >= 0) return fittedUntil(after, first, s.between(switchAt - history, switchAt), sign, step, effect);
        Start st = start(s, switchAt, history, sign, step, now);
        if (st == null || st == NO_HISTORY) return Long.MIN_VALUE;
        double warm = st.warm, next = st.next;
        // a spike already under the minimum effect a minute later is gone: nothing to wait for (the noise last: it sorts the hour)
        if (!(next < KEEPS * warm) || !(warm > effect) || !(next > effect) || !(warm > SPIKE_Z * Stats.stepNoise(st.before.finiteValues())))
            return Long.MIN_VALUE;
        // two samples cannot tell a step under the spike from the spike's own tail: the whole excess is taken to fade,
        // which waits longer for a fault hidden under a warm-up, never shorter for a warm-up
        double keeps = Math.min(KEEPS, Math.max(FASTEST, next / warm));
        int minutes = (int) Math.min(LONGEST, Math.ceil(Math.log(effect / warm) / Math.log(keeps)));
        return st.firstAt + minutes * step;
    }

    /** The slowest decay a fit takes for a spike's (a share kept a minute, a time constant of about ten minutes): slower is a level. */
    static final double SLOWEST = 0.9;

    /** How far (Mann-Kendall z) the excess must head down over the samples since the switch for a fit to be a decay. */
    static final double DECAY_Z = 1.0;

    /**
     * A spike's decay fitted to its first samples after the switch (at most {@link #LONGEST} + 1 of them): the log of
     * the excess over the level just before the switch against the minutes since the first sample, by Theil-Sen. It
     * is a fading spike when the warm-up minute stood out ({@link #SPIKE_Z} noise sigmas and the minimum effect), the
     * excess heads down (Mann-Kendall, {@link #DECAY_Z}) and the fit keeps at most {@link #SLOWEST} of it a minute;
     * then until the fit falls under {@code effect}. A step keeps its excess: its fit stays level.
     */
    private static long fittedUntil(Series after, int first, Series before, double sign, long step, double effect) {
        int k = 0;
        double[] v = new double[LONGEST + 1];
        for (int i = first; i >= 0 && i < after.size() && k < v.length; i++) if (Double.isFinite(after.value(i))) v[k++] = after.value(i);
        // a spike falls: most series do not, and their history is not looked at; with no minimum effect (a count
        // whose level is zero) there is no excess to fit the log of
        if (!(sign * (v[k - 1] - v[0]) < 0) || !(effect > 0) || finiteCount(before) < MIN_HISTORY) return Long.MIN_VALUE;
        double centre = recentLevel(before);
        if (!(sign * (v[0] - centre) > effect)) return Long.MIN_VALUE;
        double[] excess = new double[k];
        for (int i = 0; i < k; i++) excess[i] = sign * (v[i] - centre);
        if (Stats.mannKendallZ(excess, 0, k) > -DECAY_Z) return Long.MIN_VALUE;
        double[] logs = new double[k];
        // a sample back at the level is a spike gone: a small excess keeps its log finite and the fit heading down
        for (int i = 0; i < k; i++) logs[i] = Math.log(Math.max(excess[i], effect / 4));
        double[] slopes = new double[k * (k - 1) / 2];
        int n = 0;
        for (int i = 0; i < k; i++) for (int j = i + 1; j < k; j++) slopes[n++] = (logs[j] - logs[i]) / (j - i);
        double slope = Math.max(Math.log(FASTEST), Stats.medianInPlace(slopes, n));
        // the noise last: it sorts the hour
        if (!(slope < Math.log(SLOWEST)) || !(excess[0] > SPIKE_Z * Stats.stepNoise(before.finiteValues()))) return Long.MIN_VALUE;
        for (int i = 0; i < k; i++) logs[i] -= slope * i;
        double start = Stats.medianInPlace(logs, k);
        double minutes = Math.ceil((Math.log(effect) - start) / slope);
        return minutes <= 0 ? Long.MIN_VALUE : after.time(first) + (long) Math.min(LONGEST, minutes) * step;
    }

    /** The warm-up minute and the next, as excess the bad way over the level just before the switch, and the hour before. */
    private record Start(double warm, double next, long firstAt, long nextAt, double centre, Series before) {
    }

    private static final Start NO_HISTORY = new Start(0, 0, 0, 0, 0, null);

    /** {@link Series#firstAfterRestart} of s, as an index into {@code after}, its samples after the switch. */
    private static int firstAfterRestart(Series s, Series after, long switchAt, long step, long now) {
        int first = s.firstAfterRestart(switchAt, step, now);
        return first < 0 ? -1 : first - (s.size() - after.size());
    }

    /**
     * The start of s after the switch, or null when it does not fall from its first sample to its second (a spike
     * falls: most series do not, and their history is not looked at), or {@link #NO_HISTORY}.
     */
    private static Start start(Series s, long switchAt, long history, double sign, long step, long now) {
        Series after = s.between(switchAt + 1, Long.MAX_VALUE);
        int first = firstAfterRestart(s, after, switchAt, step, now), second = first < 0 ? -1 : nextFinite(after, first + 1);
        if (second < 0 || !(sign * (after.value(second) - after.value(first)) < 0)) return null;
        Series before = s.between(switchAt - history, switchAt);
        if (finiteCount(before) < MIN_HISTORY) return NO_HISTORY;
        // against the level just before the switch, not the hour's: load swings move CPU more than a warm-up does
        double centre = recentLevel(before);
        return new Start(sign * (after.value(first) - centre), sign * (after.value(second) - centre), after.time(first), after.time(second), centre, before);
    }

    /** Every round asks this of every released instance's every metric: counted and picked in place, not copied. */
    private static int finiteCount(Series s) {
        int n = 0;
        for (int i = 0; i < s.size(); i++) if (Double.isFinite(s.value(i))) n++;
        return n;
    }

    private static int nextFinite(Series s, int from) {
        for (int i = from; i < s.size(); i++) if (Double.isFinite(s.value(i))) return i;
        return -1;
    }

    /** The median of the last {@link #RECENT} finite samples of s. */
    private static double recentLevel(Series s) {
        double[] last = new double[RECENT];
        int n = 0;
        for (int i = s.size() - 1; i >= 0 && n < RECENT; i--) if (Double.isFinite(s.value(i))) last[n++] = s.value(i);
        return Stats.medianInPlace(last, n);
    }

    /** The fastest a deploy spike is taken to fade, as the share of its excess kept a minute later: noise makes two samples say faster. */
    static final double FASTEST = 0.4;

    /** The most minutes a fading spike is waited for. */
    static final int LONGEST = 10;
}
