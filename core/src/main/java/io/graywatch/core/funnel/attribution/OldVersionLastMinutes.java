package io.graywatch.core.funnel.attribution;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.guard.StageSettings;
import io.graywatch.core.funnel.clean.MetricSeries;

import java.util.Arrays;

/**
 * Once no old instance serves, the release group is judged against its own history alone, where an upstream
 * incident reads like a broken release. But the old version served until minutes ago, and an incident that
 * began while it still did shows on it too: in its last minutes, each old instance against its own level
 * before the release. A move the same way, beyond its noise and half the size of the effect, is a cause the
 * two versions share, not the release's. A fault that shows once the last batch joins leaves the old version
 * as it was.
 */
public final class OldVersionLastMinutes {
    /** The old version's last buckets asked: an incident that began a minute before the last switch shows in one. */
    static final int LAST = 2;

    /** How many robust standard deviations of its own move before the release the old version must move. */
    static final double Z = 4;

    /** The share of the release's effect the old version must show to share its cause. */
    static final double SHARE = 0.5;

    /** Baseline buckets needed to know the noise. */
    static final int MIN_BASELINE = 20;

    private OldVersionLastMinutes() {
    }

    /**
     * Each member's level, released members first: the median of its latest {@link MetricSeries#LEVEL_SAMPLES}
     * samples up to bucket {@code base}; NaN when it has none there, or none above zero where changes are ratios.
     */
    static double[] levels(MetricSeries ms, int base) {
        int members = ms.released().size() + ms.reference().size();
        boolean ratio = ms.model() == StageSettings.Model.RATIO;
        double[] level = new double[members];
        double[] scratch = new double[base + 1];
        for (int i = 0; i < members; i++) {
            double[] row = ms.row(i);
            int n = 0;
            for (int b = Math.max(0, base - MetricSeries.LEVEL_SAMPLES + 1); b <= Math.min(base, row.length - 1); b++)
                if (Double.isFinite(row[b])) scratch[n++] = row[b];
            double median = n == 0 ? Double.NaN : Stats.medianInPlace(scratch, n);
            level[i] = ratio && !(median > 0) ? Double.NaN : median;
        }
        return level;
    }

    /**
     * How far the old version moved in its last minutes, in the model's terms (a log ratio or a difference),
     * when it moved the way of the attribution far enough to share its cause; NaN otherwise, and when the
     * old version still serves or left before the judged window.
     */
    public static double sharedMove(MetricSeries ms, Attribution att) {
        int members = ms.released().size() + ms.reference().size(), base = ms.fleet().baselineEnd(), buckets = ms.fleet().buckets();
        if (base + 1 < MIN_BASELINE || members == 0) return Double.NaN;
        boolean ratio = ms.model() == StageSettings.Model.RATIO;
        double[] level = levels(ms, base);
        // per bucket, the median of the old instances' moves from their own level
        double[] move = new double[buckets];
        double[] here = new double[members];
        int lastOld = -1;
        for (int b = 0; b < buckets; b++) {
            int n = 0;
            for (int i = 0; i < members; i++) {
                double[] row = ms.row(i);
                if (b > ms.lastOnOldVersion(i) || b >= row.length || !Double.isFinite(row[b]) || Double.isNaN(level[i])) continue;
                if (ratio && row[b] <= 0) continue;
                here[n++] = ratio ? Math.log(row[b] / level[i]) : row[b] - level[i];
            }
            move[b] = n == 0 ? Double.NaN : Stats.medianInPlace(here, n);
            if (n > 0 && b > base) lastOld = b;
        }
        // still serving, or gone before the minutes judged
        if (lastOld < 0 || lastOld >= buckets - 1 || lastOld < ms.fleet().afterWindowStart() - 1) return Double.NaN;
        double[] before = Arrays.stream(move, 0, base + 1).filter(Double::isFinite).toArray();
        if (before.length < MIN_BASELINE) return Double.NaN;
        double centre = Stats.median(before);
        double sigma = Stats.robustSigmaInPlace(before, centre);
        double effect = ratio ? Math.log1p(att.effect()) : att.effectAbs();
        double sign = Math.signum(att.effectAbs());
        double need = Math.max(Z * sigma, SHARE * Math.abs(effect));
        double shared = Double.NaN;
        for (int b = Math.max(base + 1, lastOld - LAST + 1); b <= lastOld; b++) {
            double m = move[b] - centre;
            if (Double.isFinite(m) && sign * m >= need && (Double.isNaN(shared) || sign * m > sign * shared)) shared = m;
        }
        return shared;
    }
}
