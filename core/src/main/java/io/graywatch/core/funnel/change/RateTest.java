package io.graywatch.core.funnel.change;

import io.graywatch.core.metric.Bad;
import org.hipparchus.special.Gamma;

/**
 * Counts (errors, exceptions per step) are judged as counts, not as continuous values: is the
 * observed total plausible for a Poisson process at the expected rate? Real error counts come in
 * bursts, so the test is quasi-Poisson: counts are divided by the dispersion (variance / mean) seen
 * in the baseline before the Poisson tail is taken, which makes a bursty baseline demand more.
 */
public final class RateTest {
    private RateTest() {
    }

    /**
     * @param observed   the total seen
     * @param expected   the total expected under "nothing changed" (must be positive)
     * @param dispersion variance / mean of the baseline counts per sample (1 for a plain Poisson)
     */
    public static double pValue(double observed, double expected, double dispersion, Bad bad) {
        double o = observed / dispersion, e = expected / dispersion;
        double up = o <= 0 ? 1 : Gamma.regularizedGammaP(o, e);
        double down = Gamma.regularizedGammaQ(o + 1, e);
        return switch (bad) {
            case INCREASE -> up;
            case DECREASE -> down;
            case EITHER -> Math.min(1, 2 * Math.min(up, down));
        };
    }

    /**
     * Variance / mean of counts per sample, from a baseline's sum and sum of squares; 1 when the
     * baseline holds no counts. Kept within [0.01, 100]: below 1 when the "counts" are per-second
     * rates of a per-minute scrape, above 1 when errors come in bursts.
     */
    public static double dispersion(double sum, double sumSq, int n) {
        if (n < 2 || sum <= 0) return 1;
        double mean = sum / n;
        double var = (sumSq - n * mean * mean) / (n - 1);
        if (var <= 0) return 1;
        return Math.max(0.01, Math.min(100, var / mean));
    }
}
