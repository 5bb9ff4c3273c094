package io.graywatch.core.funnel;

import org.junit.jupiter.api.Test;

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
    void medianLeavesItsInputAlone() {
        double[] a = {9, 1, 5, 3};
        assertThat(Stats.median(a)).isEqualTo(4);
        assertThat(a).containsExactly(9, 1, 5, 3);
    }
}
