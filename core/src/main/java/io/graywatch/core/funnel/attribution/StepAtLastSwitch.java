package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.attribution.Attribution.Control;
import io.graywatch.core.funnel.change.ChangeDetector;
import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.StageSettings;

import java.util.Arrays;
import java.util.List;

/**
 * A fault that shows once the last batch joins (load, a shared resource, a migration it sets off) leaves no old
 * instance to compare with, and against history alone the group's quarter hour, half of it from before the
 * batch, dilutes it until the release is over. What still tells it from the day or an upstream incident is
 * when it began: on the instances that had served the new version unchanged for minutes, in the very minute
 * the last batch switched, every sample since beyond anything they showed before, on the old version or the
 * new. An incident that began a minute or more later is not taken; one that began before, the old version
 * shows too ({@link OldVersionLastMinutes}).
 */
public final class StepAtLastSwitch {
    /** Samples (minutes, at a minute's step) before the last switch in which the earlier instances must have served the new version, settled. */
    static final int BEFORE = 5;

    /** How many robust standard deviations of the earlier instances' own past every sample since must clear. */
    static final double STEP_Z = 4;

    /** How many times the metric's minimum effect the step must be, as for {@link ClearStep}. */
    static final double SIZE = 1.5;

    /** The share of the step the first minute since the switch must jump by from the minute before it. */
    static final double JUMP = 0.5;

    /** Samples of their own past needed to know the noise. */
    static final int MIN_PAST = 20;

    private StepAtLastSwitch() {
    }

    /**
     * The earlier instances' samples around the last switch, each bucket the median of their moves from their own
     * level: {@code past} their own past (the old version, and the new one settled before the switch), {@code since}
     * every bucket after the switch, each holding a value.
     */
    record Split(double[] past, double[] since) {
        double shift() {
            return Stats.median(since) - Stats.median(past);
        }
    }

    /** Null when a reference still serves, no earlier instance had settled on the new version, or fewer than {@code samples} buckets since. */
    static Split split(MetricSeries ms, int samples) {
        List<Fleet.Member> rel = ms.released();
        if (rel.size() < 2 || !ms.hasLevels()) return null;
        int now = latest(ms);
        for (int i = rel.size(); i < rel.size() + ms.reference().size(); i++) {
            double[] row = ms.row(i);
            // an old instance still serving: the reference lanes judge
            if (now < row.length && Double.isFinite(row[now])) return null;
        }
        long last = rel.stream().mapToLong(Fleet.Member::switchAt).max().orElseThrow();
        // the first bucket after the switch: a sample is stamped at the end of what it covers, the one at the switch before it
        int switchBucket = ms.fleet().bucket(last) + 1;
        if (now - switchBucket + 1 < samples) return null;
        long settledBy = last - BEFORE * ms.fleet().step() - ms.fleet().warmup();
        boolean ratio = ms.model() == StageSettings.Model.RATIO;
        double[] past = new double[now + 1], since = new double[now - switchBucket + 1];
        int pastN = 0;
        double[] here = new double[rel.size()];
        double[] level = OldVersionLastMinutes.levels(ms, ms.fleet().baselineEnd());
        // replacement pods have no level before the release: their settled time on the new version gives it
        for (int i = 0; i < rel.size(); i++) {
            if (!Double.isNaN(level[i]) || rel.get(i).switchAt() > settledBy) continue;
            double[] row = ms.row(i);
            double[] settled = ChangeDetector.finite(row, ms.fleet().bucket(rel.get(i).switchAt() + ms.fleet().warmup()) + 1, switchBucket - 1);
            double median = settled.length == 0 ? Double.NaN : Stats.median(settled);
            level[i] = ratio && !(median > 0) ? Double.NaN : median;
        }
        for (int b = 0; b <= now; b++) {
            int n = 0;
            for (int i = 0; i < rel.size(); i++) {
                if (rel.get(i).switchAt() > settledBy || Double.isNaN(level[i])) continue;
                double[] row = ms.row(i);
                if (b >= row.length || !Double.isFinite(row[b]) || (ratio && row[b] <= 0)) continue;
                boolean onOld = b <= ms.lastOnOldVersion(i);
                boolean settledNew = b > ms.fleet().bucket(rel.get(i).switchAt() + ms.fleet().warmup()) && b < switchBucket;
                if (b < switchBucket && !onOld && !settledNew) continue;
                here[n++] = ratio ? Math.log(row[b] / level[i]) : row[b] - level[i];
            }
            if (n == 0) {
                if (b >= switchBucket) return null;
                continue;
            }
            double m = Stats.medianInPlace(here, n);
            if (b < switchBucket) past[pastN++] = m;
            else since[b - switchBucket] = m;
        }
        return pastN < MIN_PAST ? null : new Split(Arrays.copyOf(past, pastN), since);
    }

    /**
     * The latest bucket any instance reported in: the round's own, or where scrapes are not stamped on the minute (a
     * target's own offset into it) and none has come in yet this minute, the one before.
     */
    private static int latest(MetricSeries ms) {
        int now = ms.fleet().buckets() - 1;
        for (int i = 0; i < ms.released().size() + ms.reference().size(); i++) {
            double[] row = ms.row(i);
            if (now < row.length && Double.isFinite(row[now])) return now;
        }
        return now - 1;
    }

    /**
     * The attribution, against history, of a step that began on the earlier instances as the last batch switched,
     * or null: a reference still serving, no earlier instance settled on the new version before it, fewer than
     * {@code samples} samples since it, a sample since within their past's range, or, for what follows load, their
     * traffic stepping by {@code loadConfounds} (relative) or more at the same moment and the step no larger than that.
     */
    public static Attribution of(MetricSeries ms, MetricSeries traffic, int samples, double loadConfounds) {
        // when it began is known to a sample: at five-minute points an incident minutes after the switch shares its point
        if (ms.fleet().step() > GuardConfig.TUNED_STEP_SECONDS) return null;
        Split split = split(ms, samples);
        if (split == null) return null;
        double[] past = split.past(), since = split.since();
        double sign = switch (ms.spec().bad()) {
            case INCREASE -> 1;
            case DECREASE -> -1;
            case EITHER -> Math.signum(split.shift());
        };
        if (sign == 0) return null;
        double extreme = sign > 0 ? Arrays.stream(past).max().orElseThrow() : Arrays.stream(past).min().orElseThrow();
        double centre = Stats.median(past);
        double sigma = Stats.robustSigmaInPlace(past.clone(), centre);
        for (double x : since) if (sign * (x - extreme) <= 0 || sign * (x - centre) < STEP_Z * sigma) return null;
        double shift = Stats.median(since) - centre;
        if (!ms.spec().bad().isBad(shift) || !Attributor.bigEnough(ms, ms.relative(shift), ms.absolute(shift), SIZE)) return null;
        // a step at the switch, not a slide through it: the minute before it still stood at least half the step away
        if (sign * (since[0] - past[past.length - 1]) < JUMP * sign * shift) return null;
        if (traffic != null && ms.spec().role().followsLoad()) {
            Split load = split(traffic, samples);
            // the last old pods leaving hand their requests to the new ones: what that much more load can do, it may have done
            double moved = load == null ? 0 : Math.abs(traffic.relative(load.shift()));
            if (moved >= loadConfounds && Math.abs(ms.relative(shift)) <= moved) return null;
        }
        double p = 1;
        for (int i = 1; i <= since.length; i++) p *= (double) i / (past.length + i);
        return new Attribution(true, Control.HISTORY, Control.HISTORY.confidence, p, shift, Double.NaN, Double.NaN,
                ms.relative(shift), ms.absolute(shift), ms.relative(shift), true);
    }
}
