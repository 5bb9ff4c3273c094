package io.graywatch.prometheus;

import io.graywatch.prometheus.PrometheusMetricSource.Range;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RangeSplitTest {

    @Test
    void alignsToTheStepSoRoundsReadTheSameTimestamps() {
        assertThat(PrometheusMetricSource.split(1003, 1061, 10, 11_000)).containsExactly(new Range(1010, 1060));
        assertThat(PrometheusMetricSource.split(1000, 1000, 10, 11_000)).containsExactly(new Range(1000, 1000));
        assertThat(PrometheusMetricSource.split(1001, 1009, 10, 11_000)).as("no step inside the window").isEmpty();
    }

    @Test
    void noRangeHasMoreThanTheMaximumOfPoints() {
        List<Range> ranges = PrometheusMetricSource.split(0, 25_000, 1, 11_000);
        assertThat(ranges).containsExactly(new Range(0, 10_999), new Range(11_000, 21_999), new Range(22_000, 25_000));
        long step = 15;
        List<Range> long_ = PrometheusMetricSource.split(0, 30L * 86400, step, 11_000);
        long covered = 0, next = 0;
        for (Range r : long_) {
            assertThat(r.start()).as("contiguous, no step read twice").isEqualTo(next);
            assertThat((r.end() - r.start()) / step + 1).isLessThanOrEqualTo(11_000);
            covered += (r.end() - r.start()) / step + 1;
            next = r.end() + step;
        }
        assertThat(covered).isEqualTo(30L * 86400 / step + 1);
    }
}
