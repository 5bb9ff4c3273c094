package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.attribution.Attribution.Control;
import io.graywatch.core.funnel.change.ChangeDetector;
import io.graywatch.core.funnel.change.Trend;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.funnel.clean.Warming;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.StageSettings;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The fast lane of stages 3 to 5: a step so clear that the first samples after the warm-up prove it, so
 * that an error-rate or latency step is intercepted as soon as it can be seen rather than after the
 * rank test has gathered enough samples and the vote its rounds. Clear means, in the release group's
 * difference from the reference group: the latest samples since the warm-up lie at least
 * {@link #STEP_Z} robust standard deviations away (and {@link #OUTRUN} times as far as the reference
 * itself moved, if it did) and beyond anything the last hour showed, the latest is not heading back (a warm-up tail does), and the effect is at least
 * {@link #SIZE} times the metric's minimum. Instances with no history of their own are measured against how far
 * each old instance stood from the others over the baseline ({@link MetricSeries#peerDeviations}), not against the
 * reference group's own swings, which their difference from it does not share. Two samples are enough when the last minute of the warm-up
 * shows the value was not coming down from a deploy spike, and one is when that minute shows the step
 * as well ({@link #firstMinuteHolds}, or, when nothing else spiked, as level as two samples are: {@link #noSpikeToFade}),
 * so that a step is intercepted two minutes after the first instance serves, not three or four. The p-value is the exact chance, for exchangeable samples, that all m
 * after samples exceed all n before: 1 / C(n + m, m).
 */
public final class ClearStep {
    /** How many robust standard deviations (1.4826 MAD) of the baseline every after sample must clear. */
    static final double STEP_Z = 4;

    /** How many robust standard deviations the latest sample may sit closer to the control than the first. */
    static final double HEADING_BACK = 2;

    /** The share of its first excess a step may lose by the latest sample and still be a step. */
    static final double TAIL_SHARE = 0.15;

    /** How many times the metric's minimum effect a clear step must be. */
    static final double SIZE = 1.5;

    /** After samples a clear step needs unless the warm-up minute shows it too: see {@link #firstMinuteHolds}. */
    static final int MIN_AFTER = 2;

    /**
     * The samples a judgement's {@code samples} minutes take at {@code step}, at least {@link #MIN_AFTER}: a point of a
     * coarser store is the mean of its minutes, so that three five-minute points would ask a step to hold for a quarter
     * hour where three minutes are enough at a minute. A finer step is averaged to a round before the stages see it.
     */
    static int samplesSpanning(int samples, long step) {
        if (step <= GuardConfig.TUNED_STEP_SECONDS) return samples;
        return Math.max(MIN_AFTER, (int) Math.ceil(samples * (double) GuardConfig.TUNED_STEP_SECONDS / step));
    }

    /** How many standard deviations of the noise the first sample after the warm-up must keep above what a fading spike keeps. */
    static final double HOLDS_Z = 3;

    /** Baseline samples needed to know the noise. */
    static final int MIN_BASELINE = 20;

    private ClearStep() {
    }

    /** How many robust standard deviations of its own baseline the reference may move and still count as steady. */
    static final double STEADY_Z = 4;

    /** How many times the reference's own move a step must be when the reference moved too. */
    static final double OUTRUN = 2;

    /**
     * How far the reference group moved over the after buckets from its own baseline, in model units: 0 while
     * it stays within {@link #STEADY_Z} robust standard deviations, NaN when its baseline is too short to
     * tell. When it moved (an upstream incident, a surge), a difference between the groups can come from
     * how differently they take the same blow, so a step must outrun that move {@link #OUTRUN} times over:
     * the same blow would have to hit the released instances three times as hard.
     */
    private static double referenceMove(MetricSeries ms, double[] ref) {
        double[] base = ChangeDetector.finite(ref, 0, ms.fleet().baselineEnd());
        if (base.length < MIN_BASELINE) return Double.NaN;
        double centre = Stats.median(base);
        double sigma = Stats.robustSigmaInPlace(base, centre);
        double move = 0;
        for (int b = Math.max(ms.firstBucket(Part.RELEASE_SINCE_WARMUP), ms.fleet().baselineEnd() + 1); b < ref.length; b++)
            if (!Double.isNaN(ref[b])) move = Math.max(move, Math.abs(ref[b] - centre));
        return move > STEADY_Z * sigma ? move : 0;
    }

    /**
     * How far a rate may fall between two samples by the counting of its requests alone ({@link #HEADING_BACK} deviations
     * of a difference of two samples), in the aggregate's terms: points, so 0 for a rate judged as a ratio.
     */
    private static double countingSwing(MetricSeries ms, FailedRequests.Count failures) {
        return ms.model() == StageSettings.Model.DIFFERENCE ? HEADING_BACK * Math.sqrt(2) * FailedRequests.samplingSd(ms, failures) : 0;
    }

    /** Whether the latest of x kept less than {@code 1 - TAIL_SHARE} of the first one's excess over the centre, in the metric's terms (not logs). */
    private static boolean tail(MetricSeries ms, double[] x, double centre, double sign) {
        double first = ms.relative(x[0] - centre), latest = ms.relative(x[x.length - 1] - centre);
        return sign * latest < (1 - TAIL_SHARE) * sign * first;
    }

    /**
     * Whether a step seen on one sample after the warm-up holds from the warm-up minute on: that minute stood as
     * far out as every after sample must, and the sample after it kept more than a fading spike keeps
     * ({@link Warming#KEEPS} of the excess) by {@link #HOLDS_Z} standard deviations. An error rate's are those of the
     * failed requests counted in both minutes ({@link FailedRequests#heldSinceWarmup}) when it has traffic to count
     * them by, else those of the metric's noise; then none of the released instances' metrics may be visibly still
     * coming down from a deploy spike ({@link MetricSeries#warmedUpVisibly}), since that noise can hide this metric's own
     * fading for a minute. Counts leave nothing hidden, and a deploy spike lifts latency, CPU and errors, not the
     * requests a load balancer sends. A step is then intercepted two minutes after the first instance serves, the
     * warm-up minute and the next.
     */
    private static boolean firstMinuteHolds(MetricSeries ms, MetricSeries traffic, double warm, double first, double centre, double sign,
                                            double clear, double sigma) {
        if (sign * (warm - centre) < clear) return false;
        if (FailedRequests.heldSinceWarmup(ms, traffic, Warming.KEEPS) >= HOLDS_Z) return true;
        // in the metric's own terms, as a spike fades in them (a log ratio keeps more of its excess than the value does)
        double kept = ms.relative(first - centre) - Warming.KEEPS * ms.relative(warm - centre);
        double noise = Math.abs(ms.relative(first - centre + sign * sigma) - ms.relative(first - centre));
        return sign * kept >= HOLDS_Z * noise && (ms.spec().role() == MetricRole.TRAFFIC || !ms.warmedUpVisibly());
    }

    /**
     * Whether the released instances came up with no deploy spike to fade: another metric that a spike lifts could have
     * shown one ({@link MetricSeries#spikeWitnessed}) and none stood out at the warm-up minute ({@link MetricSeries#othersSpiked}).
     * A spike (JIT, cold caches) lifts latency, CPU and errors together; with nothing else to show it, its absence proves nothing.
     */
    private static boolean noSpikeToFade(MetricSeries ms) {
        return ms.spikeWitnessed() && !ms.othersSpiked();
    }

    /**
     * The attribution of a clear step, or null when there is none (or no reference group to rule out a shared cause).
     *
     * @param traffic the release's traffic metric, or null: the requests behind an error rate
     */
    public static Attribution of(MetricSeries ms, int samples, MetricSeries traffic) {
        // within a deploy spike's decay, however level its tail looks for a few minutes
        if (ms.reference().isEmpty() || ms.stillFading()) return null;
        double[] ref = ms.aggregate(Part.REFERENCE);
        double[] before = Attributor.diff(ms.aggregate(Part.RELEASE_BEFORE), ref, 0);
        // every sample since the warm-up, settling ones included: a step is level from the first, a spike's tail is not
        double[] after = Attributor.diff(ms.aggregate(Part.RELEASE_SINCE_WARMUP), ref, 0);
        Control control = Control.REFERENCE;
        double margin = 0;
        int baseline = before.length;
        boolean peers = false;
        if (before.length < MIN_BASELINE) {
            // replacement pods have no history: how the reference instances stood against one another over the
            // baseline says what a fresh instance's difference from them looks like; with too few of them to tell,
            // the reference's own noise stands for it, around no difference (not around the reference's own median,
            // which sits apart from its level when the hour swung), and how far apart instances sit anyway is added
            // to every threshold
            control = Control.REFERENCE_ONLY;
            double[] own = ChangeDetector.finite(ref, 0, ms.fleet().baselineEnd()), apart = ms.peerDeviations();
            baseline = own.length;
            if (apart != null && own.length >= MIN_BASELINE) {
                before = apart;
                peers = true;
            } else {
                before = own;
                double refCentre = before.length == 0 ? 0 : Stats.median(before);
                for (int i = 0; i < before.length; i++) before[i] -= refCentre;
                margin = ms.acrossInstancesMargin();
            }
        }
        // a warm-up tail can look flat for two samples: with fewer than a judgement's (three by default), the
        // last warm-up minute is asked too, below
        if (baseline < MIN_BASELINE || after.length == 0) return null;
        samples = samplesSpanning(samples, ms.fleet().step());
        boolean early = after.length < samples;
        MetricSpec spec = ms.spec();
        double centre = Stats.median(before);
        double[] dev = new double[before.length];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < before.length; i++) {
            dev[i] = Math.abs(before[i] - centre);
            lo = Math.min(lo, before[i]);
            hi = Math.max(hi, before[i]);
        }
        double sigma = 1.4826 * Stats.medianInPlace(dev, dev.length);
        // the reference's noise is that of a mean over many instances; a few released ones are noisier by the square root
        if (control == Control.REFERENCE_ONLY && !peers)
            sigma *= Math.sqrt(Math.max(1.0, ms.reference().size() - 2) / Math.max(1, ms.released().size()));
        double refMove = referenceMove(ms, ref);
        if (Double.isNaN(refMove)) return null;
        int m = Math.min(after.length, samples);
        double[] x = ChangeDetector.finite(after, after.length - m, after.length - 1);
        double shift = Stats.median(x) - centre;
        double sign = Math.signum(shift);
        if (sign == 0 || !spec.bad().isBad(sign)) return null;
        double extreme = (sign > 0 ? hi : lo) + sign * margin;
        int beyond = 0;
        for (int i = 0; i < m; i++) {
            if (sign * (x[i] - extreme) > 0) beyond++;
            if (sign * (x[i] - centre) < Math.max(STEP_Z * sigma, OUTRUN * refMove) + margin) return null;
        }
        // a warm-up tail loses a third of its excess a minute, a step stays: asked of the difference from the
        // reference and of the released instances' own values, which a noisy reference cannot blur. A rate's fall
        // must also be beyond what counting its requests swings it by at its new level (see FailedRequests.samplingSd)
        double drop = sign * (x[0] - x[m - 1]), counted = countingSwing(ms, traffic == null ? null : FailedRequests.count(ms, traffic));
        if (drop > Math.max(HEADING_BACK * Math.max(sigma, 1e-12), counted) || tail(ms, x, centre, sign) && drop > counted) return null;
        if (early) {
            // the minute before the first after sample must not stand further out: a deploy spike decays
            // through it, a step was already there (or still rising, with the warm-up on top of it)
            double warm = ms.warmupTail();
            if (Double.isNaN(warm) || tail(ms, new double[]{warm, x[m - 1]}, centre, sign)) return null;
            double clear = Math.max(STEP_Z * sigma, OUTRUN * refMove) + margin;
            // with no spike to fade, the warm-up minute is a sample like the next: as far out, and the two no further
            // apart than two samples' noise (asked last: whether the instance spiked reads every metric's hour)
            boolean level = m < MIN_AFTER && sign * (warm - centre) >= clear && sign * (warm - x[0]) <= HEADING_BACK * Math.sqrt(2) * sigma && noSpikeToFade(ms);
            if (m < MIN_AFTER && !level && !firstMinuteHolds(ms, traffic, warm, x[0], centre, sign, clear, sigma))
                return null;
        }
        double[] own = ChangeDetector.finite(ms.aggregate(Part.RELEASE_SINCE_WARMUP), 0, Integer.MAX_VALUE);
        double[] ownBase = ChangeDetector.finite(ms.aggregate(control == Control.REFERENCE ? Part.RELEASE_BEFORE : Part.REFERENCE), 0,
                ms.fleet().baselineEnd());
        if (own.length >= m && ownBase.length > 0
                && tail(ms, Arrays.copyOfRange(own, own.length - m, own.length), Stats.median(ownBase), sign)) return null;
        double kept = shift - sign * margin;
        if (sign * kept <= 0 || !Attributor.bigEnough(ms, ms.relative(kept), ms.absolute(kept), SIZE)) return null;
        double effect = ms.relative(shift), effectAbs = ms.absolute(shift);
        if (beyond < m) return null;
        double p = 1;
        // with one sample after the warm-up, the warm-up minute that had to show the step too is the second
        for (int i = 1; i <= Math.max(m, MIN_AFTER); i++) p *= (double) i / (baseline + i);
        return new Attribution(true, control, control.confidence, p, shift, Double.NaN, Double.NaN, effect, effectAbs,
                effect, true);
    }

    /** How far (Mann-Kendall z) the samples since the warm-up may trend back for a step against history alone: barely. */
    static final double FADE_Z = 1.0;

    /** The share of its excess a step against history alone may lose since the warm-up and still be a step. */
    static final double FADE_SHARE = 0.1;

    /** How many standard deviations of its sample-to-sample noise a step against history alone must stand beyond the history's furthest stretch. */
    static final double HISTORY_Z = 2;

    /**
     * How many times its minimum effect a latency's step against history alone must be when no traffic metric tells the
     * load (60% by default): a surge that doubles or triples the requests lifts a healthy service's latency by a quarter
     * to a half, and nothing would say one came. Waiting for the rank test instead let a tripled latency run nine minutes.
     */
    static final double UNLOADED_SIZE = 3;

    /**
     * Requests a step a released instance must have served over the hour for its utilisation (CPU) to be judged against
     * history alone: a hundred swing by a tenth from counting alone, so a surge that lifts CPU by a step's size leaves
     * the range the hour's requests kept. At a few requests a minute a doubled load hides in the counting, and a CPU
     * that rose with it was taken for the release's doing.
     */
    static final double MIN_COUNTED_LOAD = 100;

    /** Failed requests a minute a step against history alone must add to an error or success rate. */
    static final double MIN_FAILED = 5;

    /**
     * The roles a step against history alone may be called for: what a release breaks, not what users or the host decide;
     * a utilisation too where the load is counted ({@link #MIN_COUNTED_LOAD}).
     */
    private static final Set<MetricRole> HISTORY_ROLES = EnumSet.of(MetricRole.ERROR_RATE, MetricRole.SUCCESS_RATE, MetricRole.LATENCY);

    /**
     * The clear step of released instances with no reference group (a before/after change of one instance, or a
     * whole fleet switched at once), against their own history: every sample since the warm-up beyond the furthest
     * the history stood for as many minutes in a row ({@link #runHigh}) by {@link #HISTORY_Z} deviations of its
     * sample-to-sample noise, a move from the minutes before the switch larger than any the history made between two
     * such stretches ({@link #largestJump}), level, and at a load within what the hour showed. Stretches, not single
     * samples: one outlier minute in the hour (a GC pause) must not hide a doubled latency, nor a level that wandered
     * over the hour a step at the switch. A history whose level moved with the load (an error rate of 0.6% that is
     * 1.1% at rush, back and forth) reads to the rank test as so autocorrelated that no number of samples convinces it,
     * and an error rate going from there to 5.5% at the switch passed a whole release. A latency's load must have
     * stayed within what the hour showed; with no traffic metric to say so, its step must be {@link #UNLOADED_SIZE}
     * times the minimum effect, more than a surge lifts latency by. With traffic, a rate's step must add {@link #MIN_FAILED}
     * failed requests a minute or more (at two requests a second, 1.7% is two failures, which a new process's first
     * minutes can have); without it (a service known by its success rate, latency and CPU alone) the rate's own hour
     * is all there is, and waiting for the rank test and the vote let a 5-point drop run nine minutes. A fade must be
     * a visible share of the excess as well as beyond the noise. Where no other metric shows a deploy spike
     * ({@link #noSpikeToFade}), the warm-up minute counts as a sample, and the step fails on the sample after it as with
     * a reference group. A utilisation (CPU) is judged so only where the traffic metric counts {@link #MIN_COUNTED_LOAD}
     * requests a step or more and its latest samples stay within the hour's range: then a surge would have shown. The
     * p-value is as for {@link #of}.
     *
     * @param traffic the release's traffic metric, or null
     */
    public static Attribution againstHistory(MetricSeries ms, int samples, MetricSeries traffic) {
        MetricSpec spec = ms.spec();
        if (!ms.reference().isEmpty() || ms.stillFading()) return null;
        // CPU follows the load: it is what a release breaks only where the load is counted finely enough to have shown a surge
        boolean utilisation = spec.role() == MetricRole.RESOURCE && spec.measuresUtilisation() && countedLoad(traffic) >= MIN_COUNTED_LOAD;
        // any of the instance's metrics still visibly coming down from a deploy spike (CPU after the JIT) gives away a
        // latency spike whose first minutes look level
        if (!(HISTORY_ROLES.contains(spec.role()) || utilisation) || ms.stillWarming()) return null;
        double[] before = ChangeDetector.finite(ms.aggregate(Part.RELEASE_BEFORE), 0, ms.fleet().baselineEnd());
        double[] after = ChangeDetector.finite(ms.aggregate(Part.RELEASE_SINCE_WARMUP), 0, Integer.MAX_VALUE);
        // a latency one sample more than with a reference group when the instance came up through a deploy spike: four
        // noisy minutes of a slow spike's tail look level far less often than three. Where no other metric stood out at
        // the warm-up minute there is no tail to wait out, and a fault held for five minutes (a chaos experiment's) was
        // over by the fourth. A rate has no such tail (a new process's first failures fade within the samples, and with
        // traffic known they are counted), and its fourth sample only made it wait
        int m = samplesSpanning(samples, ms.fleet().step()) + (spec.role() == MetricRole.LATENCY && ms.othersSpiked() ? 1 : 0);
        if (before.length < MIN_BASELINE || after.length == 0) return null;
        double[] x;
        int sinceWarmup = after.length, gap = Math.max(0, ms.firstBucket(Part.RELEASE_SINCE_WARMUP) - ms.fleet().baselineEnd() - 1);
        if (after.length < m) {
            // short of the samples: with no spike to fade, the warm-up minute counts as one, and every test below asks
            // it too (a fault in a process that kept running shows from that minute on, and one held for a few
            // minutes, as chaos experiments hold theirs, was half over by the third sample)
            double warm = ms.ownWarmupTail();
            if (Double.isNaN(warm) || !noSpikeToFade(ms)) return null;
            x = new double[after.length + 1];
            x[0] = warm;
            System.arraycopy(after, 0, x, 1, after.length);
            after = x;
            m = x.length;
            gap = Math.max(0, gap - 1);
        } else x = Arrays.copyOfRange(after, after.length - m, after.length);
        double centre = Stats.median(before);
        double shift = Stats.median(x) - centre, sign = Math.signum(shift);
        if (sign == 0 || !spec.bad().isBad(sign)) return null;
        double sigma = Stats.stepNoise(before);
        double extreme = sign * runHigh(before, m, sign), clear = HISTORY_Z * sigma;
        // from the first sample since the warm-up: a cause that came later is no step at the switch
        // strictly beyond: a history flat at zero has no noise, and a zero since the switch is no step from it
        for (double v : after) if (sign * (v - extreme) <= clear) return null;
        // a level that wandered up over the hour reaches its new highs the way it moved all hour; a release moves it at
        // once: from the minutes before the switch to the first since the warm-up, further than the hour ever moved
        // over as many minutes (asked after the samples: it sorts every stretch of the hour)
        double jump = sign * (Stats.median(Arrays.copyOfRange(after, 0, m)) - Stats.median(Arrays.copyOfRange(before, before.length - m, before.length)));
        if (jump < largestJump(before, m, gap, sign)) return null;
        // a fade is beyond the noise and a visible share of the excess: a deploy spike's tail loses its excess in
        // proportion, while a step tens of noise deviations tall wobbles by a few of them
        double excess = sign * shift, fadeFloor = FADE_SHARE * excess;
        // counted once: the fade asks how far counting swings the rate, the size check how many requests failed
        FailedRequests.Count failures = traffic == null ? null : FailedRequests.count(ms, traffic);
        // the noise of one sample: two of them differ by sqrt 2 of it, and a tail must lose more than they differ by
        double drop = sign * (x[0] - x[m - 1]), counted = countingSwing(ms, failures), apart = Math.sqrt(2) * Math.max(sigma, 1e-12);
        if (drop > Math.max(HEADING_BACK * apart, Math.max(fadeFloor, counted)) || tail(ms, x, centre, sign) && drop > Math.max(counted, apart)) return null;
        // nor anywhere since the warm-up: a slow deploy spike stays beyond the hour for minutes, coming down all along
        Trend coming = Trend.of(after, 0, after.length);
        if (coming != null && -sign * coming.z() >= FADE_Z && -sign * coming.slope() * (after.length - 1) > fadeFloor) return null;
        if (traffic != null && !loadWithinTheHour(traffic, Math.min(m, sinceWarmup))) return null;
        if (traffic != null && spec.role() != MetricRole.LATENCY && !utilisation) {
            // a percentage of a hundred requests a minute is one or two failures, which a new process's first minutes have
            if (failures == null || failures.failed() - failures.expected() < MIN_FAILED * failures.minutes()) return null;
        }
        boolean unloaded = traffic == null && (spec.role() == MetricRole.LATENCY || utilisation);
        if (!Attributor.bigEnough(ms, ms.relative(shift), ms.absolute(shift), unloaded ? UNLOADED_SIZE : SIZE)) return null;
        double p = 1;
        for (int i = 1; i <= m; i++) p *= (double) i / (before.length + i);
        double effect = ms.relative(shift);
        return new Attribution(true, Control.HISTORY, Control.HISTORY.confidence, p, shift, Double.NaN, Double.NaN, effect,
                ms.absolute(shift), effect, true);
    }

    /** The requests a released instance served a step, at their median over the hour before the switch; 0 when unknown. */
    private static double countedLoad(MetricSeries traffic) {
        if (traffic == null || traffic.released().isEmpty()) return 0;
        long step = traffic.fleet().step();
        double level = traffic.spec().requestsPerSecond(traffic.rawMedian(Part.RELEASE_BEFORE, 0, traffic.fleet().baselineEnd()), step) * step;
        return Double.isNaN(level) ? 0 : level;
    }

    /** The furthest the bad way the history stood for m samples in a row: the largest of its m-sample stretches' least values. */
    static double runHigh(double[] before, int m, double sign) {
        double high = Double.NEGATIVE_INFINITY;
        for (int t = 0; t + m <= before.length; t++) {
            double least = Double.POSITIVE_INFINITY;
            for (int i = t; i < t + m; i++) least = Math.min(least, sign * before[i]);
            high = Math.max(high, least);
        }
        return high;
    }

    /**
     * The largest move the bad way the history made from the median of m samples to that of the m starting
     * {@code gap} samples after them, as the step is measured across the warm-up.
     */
    static double largestJump(double[] before, int m, int gap, double sign) {
        double largest = 0;
        for (int t = m; t + gap + m <= before.length; t++)
            largest = Math.max(largest, sign * (Stats.median(Arrays.copyOfRange(before, t + gap, t + gap + m))
                    - Stats.median(Arrays.copyOfRange(before, t - m, t))));
        return largest;
    }

    /**
     * How much the released instances' requests moved across the switch (relative): their latest m samples against the
     * m before the switch, the same minutes a step against history alone is measured across. A surge that began a
     * quarter hour before the release lifted latency then, not at the switch; 0 when unknown.
     */
    public static double loadAcrossSwitch(MetricSeries traffic, int samples) {
        if (traffic == null || traffic.released().isEmpty() || !traffic.hasLevels()) return 0;
        int m = samplesSpanning(samples, traffic.fleet().step());
        double[] before = ChangeDetector.finite(traffic.aggregate(Part.RELEASE_BEFORE), 0, traffic.fleet().baselineEnd());
        double[] after = ChangeDetector.finite(traffic.aggregate(Part.RELEASE_SINCE_WARMUP), 0, Integer.MAX_VALUE);
        if (before.length < m || after.length < m) return 0;
        return traffic.relative(Stats.median(Arrays.copyOfRange(after, after.length - m, after.length))
                - Stats.median(Arrays.copyOfRange(before, before.length - m, before.length)));
    }

    /** Whether the released instances' latest requests sit, at their median, within the range their hour before showed. */
    private static boolean loadWithinTheHour(MetricSeries traffic, int m) {
        if (traffic.released().isEmpty() || !traffic.hasLevels()) return false;
        double[] before = ChangeDetector.finite(traffic.aggregate(Part.RELEASE_BEFORE), 0, traffic.fleet().baselineEnd());
        double[] after = ChangeDetector.finite(traffic.aggregate(Part.RELEASE_SINCE_WARMUP), 0, Integer.MAX_VALUE);
        if (before.length == 0 || after.length < m) return false;
        double now = Stats.median(Arrays.copyOfRange(after, after.length - m, after.length));
        return now >= Arrays.stream(before).min().orElseThrow() && now <= Arrays.stream(before).max().orElseThrow();
    }
}
