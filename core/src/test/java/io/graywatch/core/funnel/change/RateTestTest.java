package io.graywatch.core.funnel.change;

import io.graywatch.core.metric.Bad;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RateTestTest {
    @Test
    void poissonTailsMatchTheTextbook() {
        // P(X >= 10) for a Poisson of mean 2, and P(X <= 0) for a mean of 10
        assertThat(RateTest.pValue(10, 2, 1, Bad.INCREASE)).isCloseTo(4.6498e-5, within(1e-8));
        assertThat(RateTest.pValue(0, 10, 1, Bad.DECREASE)).isCloseTo(4.53999e-5, within(1e-9));
        assertThat(RateTest.pValue(0, 10, 1, Bad.INCREASE)).isEqualTo(1);
    }

    @Test
    void burstyBaselineNeedsMoreCountsToConvince() {
        double calm = RateTest.dispersion(60, 120, 60);            // counts of 0, 1 and 2: variance about the mean
        double bursty = RateTest.dispersion(60, 60 * 60, 60);      // one burst of 60 in an hour
        assertThat(calm).isCloseTo(1, within(0.1));
        assertThat(bursty).isGreaterThan(30);
        assertThat(RateTest.pValue(30, 10, bursty, Bad.INCREASE)).isGreaterThan(RateTest.pValue(30, 10, calm, Bad.INCREASE) * 1000);
    }

    @Test
    void aBaselineWithoutCountsIsTakenAsPoisson() {
        assertThat(RateTest.dispersion(0, 0, 60)).isEqualTo(1);
    }
}
