package io.graywatch.core.funnel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTest {
    @Test
    void selectFindsOrderStatisticsWithTies() {
        double[] a = {5, 1, 4, 2, 3, 3};
        assertThat(Stats.select(a.clone(), 0, a.length - 1, 0)).isEqualTo(1);
        assertThat(Stats.select(a.clone(), 0, a.length - 1, 2)).isEqualTo(3);
        assertThat(Stats.select(a.clone(), 0, a.length - 1, 3)).isEqualTo(3);
        assertThat(Stats.select(a.clone(), 0, a.length - 1, 5)).isEqualTo(5);
    }

    @Test
    void selectAgreesWithSortingOnRangesFullOfTies() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(trial < 1000 ? 40 : 400);
            double[] a = new double[n];
            int distinct = 1 + rnd.nextInt(trial % 3 == 0 ? 3 : n + 1); // few values: long runs of ties, all equal too
            for (int i = 0; i < n; i++) a[i] = rnd.nextInt(distinct) + (trial % 2 == 0 ? 0 : rnd.nextGaussian());
            int from = rnd.nextInt(n), to = from + rnd.nextInt(n - from), k = from + rnd.nextInt(to - from + 1);
            double[] sorted = Arrays.copyOfRange(a, from, to + 1);
            Arrays.sort(sorted);
            double[] b = a.clone();
            assertThat(Stats.select(b, from, to, k)).isEqualTo(sorted[k - from]);
            for (int i = from; i <= to; i++) assertThat(i < k ? b[i] <= b[k] : b[i] >= b[k]).isTrue();
            double median = (n & 1) == 1 ? sortedAll(a)[n / 2] : 0.5 * (sortedAll(a)[n / 2 - 1] + sortedAll(a)[n / 2]);
            assertThat(Stats.medianInPlace(a.clone(), n)).isEqualTo(median);
        }
    }

    private static double[] sortedAll(double[] a) {
        return Stats.sortedCopy(a);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMedianOfValuesWithNaNAmongThemEnds() {
        // NaN compares false with everything: a partition around it moves nothing, and select must not spin on it
        for (int every : new int[]{2, 3}) {
            double[] a = new double[21];
            for (int i = 0; i < a.length; i++) a[i] = i % every == 0 ? Double.NaN : i;
            double[] values = a.clone();
            // a median of NaN and numbers means nothing; what matters is that a bad sample costs one answer, not the guard
            double m = Stats.medianInPlace(a, a.length);
            assertThat(Arrays.stream(values).anyMatch(v -> Double.compare(v, m) == 0)).isTrue();
        }
    }

    @Test
    void trimmedMeanFromItsSumsIsTheSameNumber() {
        double[] a = {0.1, 0.7, 0.2, 0.3, 1e-9};
        double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int n = 0; n <= a.length; n++) {
            double s = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                s += a[i];
                lo = Math.min(lo, a[i]);
                hi = Math.max(hi, a[i]);
            }
            assertThat(Double.valueOf(Stats.trimmedMean(s, lo, hi, n))).isEqualTo(Double.valueOf(Stats.trimmedMean(a, n)));
        }
        assertThat(Stats.trimmedMean(sum, min, max, a.length)).isEqualTo((sum - min - max) / 3);
    }

    @Test
    void medianLeavesItsInputAlone() {
        double[] a = {9, 1, 5, 3};
        assertThat(Stats.median(a)).isEqualTo(4);
        assertThat(a).containsExactly(9, 1, 5, 3);
    }
}
