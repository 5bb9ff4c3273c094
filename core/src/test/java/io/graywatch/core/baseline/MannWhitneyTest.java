package io.graywatch.core.baseline;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MannWhitneyTest {
    @Test
    void completelySeparatedSamplesHaveTheExactTwoSidedPValue() {
        MannWhitney.Result r = MannWhitney.compare(new double[]{11, 12, 13, 14, 15}, new double[]{1, 2, 3, 4, 5}, 0.98);
        // every one of the C(10,5) = 252 orderings is equally likely; only this one and its mirror are as extreme
        assertThat(r.pValue()).isCloseTo(2.0 / 252, within(1e-12));
        assertThat(r.estimate()).isEqualTo(10);
        assertThat(r.lower()).isGreaterThan(0);
        assertThat(r.upper()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void tooFewSamplesCannotBoundTheShiftAt98Percent() {
        // with 3 and 3 values the most extreme ordering has probability 1/20 > 1%: no finite interval exists
        MannWhitney.Result r = MannWhitney.compare(new double[]{10, 11, 12}, new double[]{1, 2, 3}, 0.98);
        assertThat(r.lower()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(r.upper()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void intervalCoversTheTrueShiftAndExcludesZeroForAClearShift() {
        Random rnd = new Random(7);
        double[] x = new double[30], y = new double[30];
        for (int i = 0; i < 30; i++) {
            x[i] = 105 + rnd.nextGaussian();
            y[i] = 100 + rnd.nextGaussian();
        }
        MannWhitney.Result r = MannWhitney.compare(x, y, 0.98);
        assertThat(r.estimate()).isCloseTo(5, within(0.6));
        assertThat(r.lower()).isGreaterThan(3).isLessThan(5);
        assertThat(r.upper()).isGreaterThan(5).isLessThan(7);
        assertThat(r.pValue()).isLessThan(1e-6);
    }

    @Test
    void largeAndTiedSamplesUseTheNormalApproximationAndStillWork() {
        double[] x = new double[80], y = new double[80];
        for (int i = 0; i < 80; i++) {
            x[i] = i % 4;
            y[i] = i % 4;
        }
        MannWhitney.Result r = MannWhitney.compare(x, y, 0.98);
        assertThat(r.estimate()).isEqualTo(0);
        assertThat(r.lower()).isLessThanOrEqualTo(0);
        assertThat(r.upper()).isGreaterThanOrEqualTo(0);
        assertThat(r.pValue()).isGreaterThan(0.9);
    }
}
