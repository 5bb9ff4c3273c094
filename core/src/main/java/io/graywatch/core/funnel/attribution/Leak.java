package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.funnel.attribution.Attribution.Control;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricRole;

import java.util.Arrays;

/**
 * A resource that keeps growing on a released instance past anything the old version reached: a leak.
 * The rank test compares the latest quarter hour of the release group's mean with the hour before, so a
 * leak that grows a few percent every ten minutes stays within the group's GC sawtooth and behind the
 * fresh instances of later batches, which start low and pull the mean down. An instance's own life since
 * its switch does not: a leak accumulates with the time the instance has run the new version.
 * <p>
 * An instance leaks when, at its latest samples, it stands beyond the old version's envelope (a high
 * quantile of its own hour before the switch, which spans the sawtooth's peaks; for a replacement pod
 * with no history of its own, the highest of the old instances' envelopes) by the metric's minimum
 * effect, more than the reference instances stand beyond theirs now, and it has risen over its life since
 * the warm-up (Mann-Kendall). Memory refilling after a restart rises too, but only up to where it was; a
 * sawtooth never leaves its envelope.
 */
public final class Leak {
    /** The envelope of the old version: this quantile of an instance's samples over the hour before. */
    static final double ENVELOPE = 0.95;

    /** Samples of its own hour an envelope needs. */
    static final int MIN_HISTORY = 30;

    /** Samples since its warm-up an instance needs before it is asked whether it grows: three points always look like a line. */
    static final int MIN_LIFE = 10;

    /** Latest samples whose median is where an instance stands now: one spike is not a level. */
    static final int LATEST = 3;

    /**
     * The instance found leaking the most.
     *
     * @param member   its index in the metric's rows
     * @param now      where it stands (median of its latest samples)
     * @param envelope the old version's envelope it is held to
     * @param minutes  how long it has run the new version since its warm-up
     * @param leaking  how many released instances leak
     */
    public record Found(Attribution attribution, String instance, double now, double envelope, long minutes, int leaking, boolean ownHistory) {
    }

    private Leak() {
    }

    /** The leak on the released instances, or null when no instance shows one (or the metric is no growing resource). */
    public static Found of(MetricSeries ms, double alpha) {
        if (ms.spec().role() != MetricRole.RESOURCE || ms.spec().measuresUtilisation() || ms.spec().bad() != Bad.INCREASE) return null;
        int nRel = ms.released().size(), nRef = ms.reference().size(), end = ms.fleet().baselineEnd(), last = ms.fleet().buckets() - 1;
        double[] scratch = new double[ms.fleet().buckets()];
        // every round asks this of every released instance: the old version's envelopes and the reference's own rise are
        // worked out only once an instance stands out against its own (or the highest) envelope
        Envelopes envelopes = new Envelopes(ms, end, scratch);
        double highest = Double.NaN, shared = Double.NaN;
        Control control = nRef > 0 ? Control.REFERENCE : Control.HISTORY;
        double threshold = alpha * control.alphaShare;
        Found best = null;
        int leaking = 0;
        for (int i = 0; i < nRel; i++) {
            double[] row = ms.row(i);
            int from = ms.lastOnOldVersion(i) + 1;
            if (finite(row, from, last) < MIN_LIFE) continue;
            double now = latest(row, from, last, scratch);
            if (!(now > 0)) continue;
            // most instances stand within their own envelope: counting the samples above where they stand tells so without sorting the hour
            if (!envelopes.known(i) && withinOwn(row, Math.min(end, ms.lastOnOldVersion(i)), now / (1 + ms.spec().minRelativeEffect()))) continue;
            double env = envelopes.of(i);
            boolean own = Double.isFinite(env);
            if (!own) {
                if (Double.isNaN(highest)) highest = envelopes.highest();
                env = highest;
            }
            if (!(env > 0)) continue;
            if (!(now / env - 1 >= ms.spec().minRelativeEffect())) continue;
            // how far the old version itself stands beyond its envelope now: a rise that is everyone's is no leak
            if (Double.isNaN(shared)) shared = shared(ms, envelopes, nRel, end, last, scratch);
            double excess = now / env - 1 - shared, excessAbs = now - env * (1 + shared);
            if (excess < ms.spec().minRelativeEffect() || excessAbs < ms.minAbsoluteEffect()) continue;
            double[] life = life(row, from, last);
            double p = Stats.upperTail(Stats.mannKendallZ(life, 0, life.length));
            if (!(p < threshold)) continue;
            leaking++;
            if (best != null && excess <= best.attribution().effect()) continue;
            Attribution att = new Attribution(true, control, control.confidence, p, Double.NaN, Double.NaN, Double.NaN, excess, excessAbs, Double.NaN, true);
            best = new Found(att, ms.released().get(i).id(), now, env, life.length * ms.fleet().step() / 60, 0, own);
        }
        return best == null ? null : new Found(best.attribution(), best.instance(), best.now(), best.envelope(), best.minutes(), leaking, best.ownHistory());
    }

    /** Each member's envelope over the hour before the first batch, when all ran the old version (NaN without enough of it), worked out once when asked. */
    private static final class Envelopes {
        private final MetricSeries ms;
        private final int end;
        private final double[] scratch;
        private final double[] value;
        private final boolean[] known;

        Envelopes(MetricSeries ms, int end, double[] scratch) {
            this.ms = ms;
            this.end = end;
            this.scratch = scratch;
            int n = ms.released().size() + ms.reference().size();
            value = new double[n];
            known = new boolean[n];
        }

        boolean known(int i) { return known[i]; }

        double of(int i) {
            if (!known[i]) {
                value[i] = quantile(ms.row(i), 0, Math.min(end, ms.lastOnOldVersion(i)), ENVELOPE, scratch);
                known[i] = true;
            }
            return value[i];
        }

        /** The highest envelope of any instance: what a replacement pod with no history of its own is held to. */
        double highest() {
            double highest = Double.NaN;
            for (int j = 0; j < value.length; j++) {
                double e = of(j);
                if (Double.isFinite(e)) highest = Double.isNaN(highest) ? e : Math.max(highest, e);
            }
            return highest;
        }
    }

    /** How far beyond their own envelopes the reference instances stand now (their median, relative; 0 when not beyond or unknown). */
    private static double shared(MetricSeries ms, Envelopes envelopes, int nRel, int end, int last, double[] scratch) {
        int nRef = ms.reference().size();
        double[] refExcess = new double[nRef];
        int k = 0;
        for (int j = nRel; j < nRel + nRef; j++) {
            double latest = latest(ms.row(j), end + 1, last, scratch);
            double e = envelopes.of(j);
            if (Double.isFinite(latest) && e > 0) refExcess[k++] = latest / e - 1;
        }
        return k == 0 ? 0 : Math.max(0, Stats.medianInPlace(refExcess, k));
    }

    /**
     * Whether the instance's own envelope over row[0..to] certainly stands above bar: it has the history for one and
     * its {@link #ENVELOPE} quantile's lower sample is above bar, as enough of its samples are.
     */
    private static boolean withinOwn(double[] row, int to, double bar) {
        int n = 0, above = 0;
        for (int b = 0; b <= to && b < row.length; b++) {
            if (Double.isNaN(row[b])) continue;
            n++;
            if (row[b] > bar) above++;
        }
        return n >= MIN_HISTORY && above >= n - (int) Math.floor(ENVELOPE * (n - 1));
    }

    private static int finite(double[] row, int from, int to) {
        int n = 0;
        for (int b = Math.max(0, from); b <= to && b < row.length; b++) if (!Double.isNaN(row[b])) n++;
        return n;
    }

    /** Finite samples of row[from..to] in time order. */
    private static double[] life(double[] row, int from, int to) {
        double[] out = new double[Math.max(0, to - from + 1)];
        int n = 0;
        for (int b = Math.max(0, from); b <= to && b < row.length; b++) if (!Double.isNaN(row[b])) out[n++] = row[b];
        return Arrays.copyOf(out, n);
    }

    /** The median of the latest {@link #LATEST} finite samples in row[from..to], NaN with none. */
    private static double latest(double[] row, int from, int to, double[] scratch) {
        int n = 0;
        for (int b = Math.min(to, row.length - 1); b >= Math.max(0, from) && n < LATEST; b--) if (!Double.isNaN(row[b])) scratch[n++] = row[b];
        return Stats.medianInPlace(scratch, n);
    }

    /** The q-quantile of the finite samples in row[from..to], NaN with fewer than {@link #MIN_HISTORY}. */
    private static double quantile(double[] row, int from, int to, double q, double[] scratch) {
        int n = 0;
        for (int b = Math.max(0, from); b <= to && b < row.length; b++) if (!Double.isNaN(row[b])) scratch[n++] = row[b];
        if (n < MIN_HISTORY) return Double.NaN;
        double[] sorted = Arrays.copyOf(scratch, n);
        Arrays.sort(sorted);
        return Stats.quantileSorted(sorted, q);
    }
}
