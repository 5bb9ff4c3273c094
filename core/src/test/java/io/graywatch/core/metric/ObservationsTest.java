package io.graywatch.core.metric;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationsTest {
    private static Series series(long... times) {
        double[] v = new double[times.length];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return Series.of(times, v);
    }

    @Test
    void anInstancesSeriesScrapedTogetherShareTheirTimesEvenWhenCut() {
        Observations o = Observations.builder()
                .put("a", "cpu", series(60, 120, 180))
                .put("a", "latency", series(60, 120, 180))
                .put("a", "errors", series(60, 180))
                .put("b", "cpu", series(60, 120, 180))
                .build();
        assertThat(o.series("a", "latency").sameTimes(o.series("a", "cpu"))).isTrue();
        assertThat(o.series("a", "errors").sameTimes(o.series("a", "cpu"))).isFalse();
        Observations cut = o.upTo(120);
        assertThat(cut.series("a", "latency").sameTimes(cut.series("a", "cpu"))).isTrue();
        assertThat(cut.series("a", "cpu").times()).containsExactly(60, 120);
        assertThat(cut.series("a", "errors").times()).containsExactly(60);
        assertThat(cut.upTo(0).series("b", "cpu").isEmpty()).isTrue();
    }

    @Test
    void aColumnIsEachInstancesSeriesOfOneMetric() {
        Observations o = Observations.builder().put("a", "cpu", series(60)).put("b", "cpu", series(60, 120)).put("b", "mem", series(60)).build();
        assertThat(o.column("cpu", List.of("b", "c", "a"))).containsExactly(o.series("b", "cpu"), Series.empty(), o.series("a", "cpu"));
        assertThat(o.column("mem", List.of("a", "b"))).containsExactly(Series.empty(), o.series("b", "mem"));
        assertThat(o.column("disk", List.of("a"))).containsExactly(Series.empty());
        assertThat(o.upTo(60).column("cpu", List.of("b"))[0].times()).containsExactly(60);
    }

    @Test
    void metricsAreEveryInstancesNamesInOrder() {
        Observations o = Observations.builder()
                .put("b", "z", series(60)).put("a", "y", series(60)).put("b", "process_start_time", series(60)).build();
        assertThat(o.metrics()).containsExactly("process_start_time", "y", "z");
        assertThat(o.upTo(0).metrics()).containsExactly("process_start_time", "y", "z");
        assertThat(o.ofInstance("b").keySet()).containsExactly("process_start_time", "z");
    }
}
