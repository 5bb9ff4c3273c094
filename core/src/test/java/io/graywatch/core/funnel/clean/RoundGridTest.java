package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongToDoubleFunction;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RoundGridTest {
    static final long T0 = 1_700_000_000L - 1_700_000_000L % 3600;
    /** Mid-minute, as a deploy finishes whenever it does. */
    static final long SWITCH = T0 + 600 + 20;

    static final MetricSpec LATENCY = MetricSpec.of("latency_ms", MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", MetricRole.LATENCY);
    static final MetricSpec REQUESTS = MetricSpec.of("requests", MetricKind.MIDDLEWARE, Bad.DECREASE, "requests", MetricRole.TRAFFIC);
    static final MetricSpec START = MetricSpec.of("process_start_time_seconds", MetricKind.BASIC, Bad.EITHER, "s", MetricRole.OTHER);

    /** Samples every 15 s from T0 to {@code to}, of f(t); NaN where f says so. */
    static Series every15s(long to, LongToDoubleFunction f) {
        long[] t = LongStream.iterate(T0 + 15, x -> x <= to, x -> x + 15).toArray();
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) v[i] = f.applyAsDouble(t[i]);
        return Series.of(t, v);
    }

    static GuardInput round(long now, long step, Observations o) {
        ReleaseView view = new ReleaseView("app", "v1", "v2", SWITCH, List.of(new Batch(1, SWITCH, List.of("new"), false)), null);
        return new GuardInput(view, now, step, Map.of(LATENCY.name(), LATENCY, REQUESTS.name(), REQUESTS, START.name(), START),
                Set.of("new", "old"), o, LogData.empty(60), GuardConfig.defaults());
    }

    @Test
    void fifteenSecondScrapesBecomeMinuteMeansStampedAtTheMinutesEnd() {
        long now = T0 + 900 + 30;
        // the old version at 100 ms, the new one at 200 ms from the switch; a scrape lost at T0 + 300
        Observations o = Observations.builder()
                .put("old", LATENCY.name(), every15s(now, t -> t == T0 + 300 ? Double.NaN : 100 + (t % 60) / 15.0))
                .put("new", LATENCY.name(), every15s(now, t -> t < SWITCH ? 100 : 200))
                .put("new", REQUESTS.name(), every15s(now, t -> 30))
                .put("new", START.name(), every15s(now, t -> t < SWITCH ? T0 - 86_400 : SWITCH + 5))
                .build();
        GuardInput minutes = RoundGrid.of(round(now, 15, o));

        assertThat(minutes.stepSeconds()).isEqualTo(60);
        Series old = minutes.observations().series("old", LATENCY.name());
        // only minutes that have ended: the one in progress at the round waits for its end
        assertThat(old.time(0)).isEqualTo(T0 + 60);
        assertThat(old.time(old.size() - 1)).isEqualTo(T0 + 900);
        assertThat(old.size()).isEqualTo(15);
        // (T0, T0 + 60] holds the scrapes at 15, 30, 45 and 60 s
        assertThat(old.value(0)).isCloseTo(100 + (1 + 2 + 3 + 0) / 4.0, within(1e-9));
        // the lost scrape is left out of its minute's mean, not taken as zero
        assertThat(old.value(4)).isCloseTo(100 + (1 + 2 + 3) / 3.0, within(1e-9));

        Series released = minutes.observations().series("new", LATENCY.name());
        // the minute the switch fell in keeps only the new version's seconds, stamped at its end; the old version's
        // seconds of it are in no minute
        assertThat(released.between(T0 + 600, T0 + 661).times()).containsExactly(T0 + 600, T0 + 660);
        assertThat(released.between(T0 + 600, T0 + 661).values()).containsExactly(100, 200);
        // a count per scrape is a count per minute once the step is a minute
        assertThat(minutes.observations().series("new", REQUESTS.name()).value(0)).isEqualTo(120);
        // a start time is what the process said last, not a mean of two processes' starts
        assertThat(minutes.observations().series("new", START.name()).between(T0 + 660, T0 + 661).value(0)).isEqualTo(SWITCH + 5);
    }

    @Test
    void aMinuteWithEveryScrapeMissingStaysMissing() {
        long now = T0 + 300;
        Observations o = Observations.builder()
                .put("old", LATENCY.name(), every15s(now, t -> t > T0 + 120 && t <= T0 + 180 ? Double.NaN : 100)).build();
        Series s = RoundGrid.of(round(now, 15, o)).observations().series("old", LATENCY.name());
        assertThat(s.between(T0 + 180, T0 + 181).value(0)).isNaN();
        assertThat(s.between(T0 + 240, T0 + 241).value(0)).isEqualTo(100);
    }

    @Test
    void theGridIsTheRoundsAsTheAppSetsThem() {
        long now = T0 + 600;
        Observations o = Observations.builder().put("old", LATENCY.name(), every15s(now, t -> t % 60 == 0 ? 200 : 100)).build();
        GuardInput halfMinute = round(now, 15, o).withConfig(GuardConfig.defaults().withRoundSeconds(30));
        Series s = RoundGrid.of(halfMinute).observations().series("old", LATENCY.name());
        assertThat(RoundGrid.of(halfMinute).stepSeconds()).isEqualTo(30);
        assertThat(s.times()).startsWith(T0 + 30, T0 + 60, T0 + 90);
        assertThat(s.values()).startsWith(100, 150, 100);
    }

    @Test
    void samplesARoundApartOrCoarserAreJudgedAsTheyCame() {
        Observations o = Observations.builder().put("old", LATENCY.name(), Series.of(new long[]{T0 + 300, T0 + 600}, new double[]{1, 2})).build();
        GuardInput coarse = round(T0 + 600, 300, o);
        assertThat(RoundGrid.of(coarse)).isSameAs(coarse);
    }
}
