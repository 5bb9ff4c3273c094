package io.graywatch.replay.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The generator's only source of randomness: seeded, and with its own Gaussian and Poisson
 * draws on StrictMath, so the same seed writes the same bytes on any JVM.
 */
final class Rng {
    private final SplittableRandom random;

    Rng(long seed) {
        random = new SplittableRandom(seed);
    }

    /** An independent stream for one case, the same whatever the number of cases. */
    static long caseSeed(long seed, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    double uniform() { return random.nextDouble(); }

    double uniform(double lo, double hi) { return lo + (hi - lo) * random.nextDouble(); }

    /** lo·(hi/lo)^u: equal odds for each factor of ten, the way effect sizes spread. */
    double logUniform(double lo, double hi) { return lo * StrictMath.pow(hi / lo, random.nextDouble()); }

    /** Between lo and hi (inclusive). */
    int integer(int lo, int hi) { return lo + random.nextInt(hi - lo + 1); }

    boolean chance(double p) { return random.nextDouble() < p; }

    <T> T pick(List<T> items) { return items.get(random.nextInt(items.size())); }

    double gaussian() {
        double u1 = 1 - random.nextDouble(), u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    long poisson(double mean) {
        if (mean <= 0) return 0;
        if (mean > 40) return Math.max(0, Math.round(mean + StrictMath.sqrt(mean) * gaussian()));
        double limit = StrictMath.exp(-mean), p = 1;
        long k = -1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > limit);
        return k;
    }

    /** A Binomial(n, p) draw: exact for few trials, normal beyond a variance of 40 (as {@link #poisson} does). */
    long binomial(long n, double p) {
        if (n <= 0 || p <= 0) return 0;
        if (p >= 1) return n;
        double var = n * p * (1 - p);
        if (var > 40) return Math.max(0, Math.min(n, Math.round(n * p + StrictMath.sqrt(var) * gaussian())));
        long k = 0;
        for (long i = 0; i < n; i++) if (random.nextDouble() < p) k++;
        return k;
    }

    /** {@code total} split over {@code weights.length} parts in proportion to the weights, every unit landing in one part. */
    long[] split(long total, double[] weights) {
        long[] out = new long[weights.length];
        double rest = 0;
        for (double w : weights) rest += w;
        long left = total;
        for (int k = 0; k < weights.length && left > 0; k++) {
            out[k] = k == weights.length - 1 || rest <= 0 ? left : binomial(left, weights[k] / rest);
            left -= out[k];
            rest -= weights[k];
        }
        return out;
    }

    String letters(int n) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }
}
