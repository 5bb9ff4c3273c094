package io.graywatch.simulator.fleet;

import java.util.Random;

/** Random draws the simulation needs beyond {@link Random}'s own. */
final class Draws {
    private Draws() {
    }

    /** A Poisson count with mean lambda; the normal approximation above 30 is close enough and constant-time. */
    static int poisson(Random rng, double lambda) {
        if (!(lambda > 0)) return 0;
        if (lambda > 30) return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
        double limit = Math.exp(-lambda), p = 1;
        int k = -1;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > limit);
        return k;
    }

    /** A moment uniformly inside (from, to]. */
    static long within(Random rng, long from, long to) {
        return to <= from ? to : to - (long) (rng.nextDouble() * (to - from));
    }
}
