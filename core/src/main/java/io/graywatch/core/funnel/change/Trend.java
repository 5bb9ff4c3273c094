package io.graywatch.core.funnel.change;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricRole;

/**
 * A monotonic trend in the latest samples: Mann-Kendall for whether there is one, Theil-Sen for
 * where it stands now. Both are rank-based, so a GC sawtooth or one slow scrape neither fakes nor
 * hides a trend. Leaks and ramps grow steadily; warm-ups decay steadily.
 *
 * @param z     standardised Mann-Kendall statistic, positive when the values rise
 * @param slope Theil-Sen slope per sample
 * @param now   the fitted value at the latest sample
 */
public record Trend(double z, double slope, double now) {

    /** The trend of x[from..to) in time order; null with fewer than three samples. */
    public static Trend of(double[] x, int from, int to) {
        int n = to - from;
        if (n < 3) return null;
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = from; i < to; i++) for (int j = i + 1; j < to; j++) slopes[k++] = (x[j] - x[i]) / (j - i);
        double slope = Stats.medianInPlace(slopes, k);
        double[] levels = new double[n];
        for (int i = from; i < to; i++) levels[i - from] = x[i] - slope * (i - (to - 1));
        return new Trend(Stats.mannKendallZ(x, from, to), slope, Stats.medianInPlace(levels, n));
    }

    /**
     * Roles whose faults build up over time: resources leak and ramp, business counts fade. Latency, errors
     * and traffic break in steps, which the rank test sees; their trends are mostly the day's load.
     */
    public static boolean grows(MetricRole role) {
        return role == MetricRole.RESOURCE || role == MetricRole.OTHER;
    }

    /** Fewest samples after the switch a trend is judged on: three points always look like a line. */
    public static final int MIN_SAMPLES = 5;

    /**
     * The one-sided p-value of a trend the bad way over all of {@code after}, or 1 when there are too few
     * samples or the fitted value now is not on the bad side of {@code control}: a leak or a ramp, judged
     * by where it stands now rather than by its median over the window, which lags it.
     */
    public static double badTrend(double[] after, double control, Bad bad) {
        if (after.length < MIN_SAMPLES) return 1;
        Trend t = of(after, 0, after.length);
        double sign = switch (bad) {
            case INCREASE -> 1;
            case DECREASE -> -1;
            case EITHER -> Math.signum(t.z());
        };
        if (sign == 0 || sign * (standing(after, t, sign) - control) <= 0) return 1;
        return t.pValue(sign);
    }

    /**
     * Where a trend stands now, conservatively: the less extreme (in the direction of {@code sign}) of its
     * Theil-Sen fit and the median of the latest three samples, since a line through a curve that levels
     * off (memory refilling after a restart) overshoots where it really is.
     */
    public static double standing(double[] after, Trend t, double sign) {
        int n = after.length;
        double latest = Stats.median(java.util.Arrays.copyOfRange(after, Math.max(0, n - 3), n));
        return sign > 0 ? Math.min(t.now(), latest) : Math.max(t.now(), latest);
    }

    /** One-sided p-value of a trend in the direction of {@code sign} (+1 rising, −1 falling). */
    public double pValue(double sign) {
        return Stats.upperTail(Math.signum(sign) * z);
    }
}
