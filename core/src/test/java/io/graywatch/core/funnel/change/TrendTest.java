package io.graywatch.core.funnel.change;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.metric.Bad;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrendTest {
    @Test
    void mannKendallSeesAMonotonicRiseThroughOneOutlierAndTies() {
        double[] x = {1, 2, 2, 3, 50, 5, 6, 7, 8, 9};
        double z = Stats.mannKendallZ(x, 0, x.length);
        assertThat(z).isGreaterThan(2.5);
        assertThat(Stats.mannKendallZ(new double[]{5, 5, 5, 5}, 0, 4)).isZero();
        assertThat(Stats.mannKendallZ(new double[]{3, 1, 4, 1, 5, 9, 2, 6}, 0, 8)).isBetween(-1.0, 1.5);
    }

    @Test
    void theilSenFitsWhereARampStandsNowDespiteAnOutlier() {
        double[] x = {0, 1, 2, 30, 4, 5, 6};
        Trend t = Trend.of(x, 0, x.length);
        assertThat(t.slope()).isCloseTo(1, within(1e-9));
        assertThat(t.now()).isCloseTo(6, within(1e-9));
        assertThat(Trend.of(x, 0, 2)).isNull();
    }

    @Test
    void aBadTrendMustAlsoStandBeyondTheControlNow() {
        double[] leak = {0.00, 0.02, 0.05, 0.06, 0.09, 0.11, 0.12, 0.15, 0.17, 0.20};
        assertThat(Trend.badTrend(leak, 0, Bad.INCREASE)).isLessThan(1e-4);
        assertThat(Trend.badTrend(leak, 0, Bad.DECREASE)).isEqualTo(1);
        // memory refilling after a restart rises too, but from below its old level and not past it
        double[] refill = {-0.30, -0.22, -0.16, -0.12, -0.08, -0.06, -0.04, -0.03};
        assertThat(Trend.badTrend(refill, 0, Bad.INCREASE)).isEqualTo(1);
        assertThat(Trend.badTrend(new double[]{0.1, 0.2, 0.3, 0.4}, 0, Bad.INCREASE)).as("too few samples").isEqualTo(1);
    }
}
