package io.graywatch.core.funnel.change;

import io.graywatch.core.metric.Bad;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RankTestTest {
    static double[] normal(Random r, int n, double mean) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = mean + r.nextGaussian();
        return x;
    }

    @Test
    void findsAShiftInTheBadDirectionOnlyAndEstimatesIt() {
        Random r = new Random(7);
        RankTest t = RankTest.of(normal(r, 60, 0), normal(r, 12, 2), 0);
        assertThat(t.pValue(Bad.INCREASE)).isLessThan(1e-3);
        assertThat(t.pValue(Bad.DECREASE)).isGreaterThan(0.99);
        assertThat(t.pValue(Bad.EITHER)).isLessThan(2e-3);
        RankTest.Interval shift = t.shift(0.01);
        assertThat(shift.estimate()).isCloseTo(2, within(0.6));
        assertThat(shift.low()).isGreaterThan(0).isLessThan(shift.estimate());
        assertThat(shift.high()).isGreaterThan(shift.estimate());
    }

    @Test
    void samplesFromTheSameDistributionAreNotSignificant() {
        Random r = new Random(11);
        int significant = 0;
        for (int k = 0; k < 200; k++) if (RankTest.of(normal(r, 60, 0), normal(r, 15, 0), 0).pValue(Bad.INCREASE) < 0.01) significant++;
        // a calibrated one-sided test at 1% fires about twice in 200 tries
        assertThat(significant).isLessThanOrEqualTo(6);
    }

    @Test
    void hodgesLehmannIsTheMedianOfPairwiseDifferences() {
        RankTest t = RankTest.of(new double[]{1, 2, 3}, new double[]{4, 5}, 0);
        // differences 3 2 1 4 3 2: median (2 + 3) / 2
        assertThat(t.shift(0.05).estimate()).isEqualTo(2.5);
    }

    @Test
    void autocorrelatedBaselineDemandsMoreEvidence() {
        Random r = new Random(3);
        double[] before = normal(r, 60, 0), after = normal(r, 6, 1);
        double independent = RankTest.of(before, after, 0).pValue(Bad.INCREASE);
        double correlated = RankTest.of(before, after, 0.8).pValue(Bad.INCREASE);
        assertThat(correlated).isGreaterThan(independent * 10);
    }

    @Test
    void identicalValuesGiveNoEvidenceRatherThanNaN() {
        RankTest t = RankTest.of(new double[]{5, 5, 5, 5}, new double[]{5, 5, 5}, 0);
        assertThat(t.pValue(Bad.INCREASE)).isEqualTo(0.5);
        assertThat(t.z()).isZero();
    }
    @Test
    void aFlatHourClaimsNoMoreThanAnExactTestCould() {
        // a success rate at 100% for an hour, then three minutes just below it
        double[] before = new double[60];
        java.util.Arrays.fill(before, 100);
        RankTest t = RankTest.of(before, new double[]{99.1, 98.8, 99.4}, 0);
        // all three below all sixty: one arrangement in C(63, 3) = 39,711
        assertThat(t.pValue(Bad.DECREASE)).isCloseTo(1 / 39711.0, within(1e-9));
        assertThat(t.pValue(Bad.EITHER)).isCloseTo(2 / 39711.0, within(1e-9));
    }
}
