package io.graywatch.server.guard;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.testing.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a guard round stores: its window, its findings, and each metric sample it read, once. */
abstract class GuardRecordingTests extends ServerTest {

    /** Samples every 5 s over ±1000 s around t0, with one missing sample (NaN) on instance 1. */
    private static Observations fleetMetrics(String app, long t0) {
        int n = 401;
        long[] t = new long[n];
        double[] qps = new double[n], errors = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = t0 - 1000 + 5L * i;
            qps[i] = 100 + i % 7;
            errors[i] = 0.1 * (i % 3);
        }
        double[] gap = errors.clone();
        gap[150] = Double.NaN;
        return Observations.builder()
                .put(app + "-1", "qps", Series.of(t, qps)).put(app + "-1", "error_rate", Series.of(t, gap))
                .put(app + "-2", "qps", Series.of(t, qps)).put(app + "-2", "error_rate", Series.of(t, errors))
                .build();
    }

    @Test
    void everySampleTheRoundsReadIsStoredOnceAndReadsBackAsItWas() {
        String app = newApp(2);
        long t0 = clock.instant().getEpochSecond();
        Observations source = fleetMetrics(app, t0);
        metrics.put(app, source);
        long id = releases.plan(plan(app, "2", 30, count(1), count(1))).id();

        tickFor(Duration.ofSeconds(21));   // deploy at t0+1, rounds at t0+6, +11, +16, +21

        long start = t0 + 1, lastRound = t0 + 21;
        List<long[]> windows = db.sql("SELECT window_from, window_to FROM guard_round WHERE release_id = ? ORDER BY id").param(id)
                .query((rs, i) -> new long[]{rs.getLong(1), rs.getLong(2)}).list();
        assertThat(windows).extracting(w -> w[0]).containsOnly(start - 600);
        assertThat(windows).extracting(w -> w[1]).containsExactly(t0 + 6, t0 + 11, t0 + 16, t0 + 21);

        Observations stored = records.samples(id, null);
        for (String instance : List.of(app + "-1", app + "-2")) {
            for (String metric : List.of("qps", "error_rate")) {
                Series read = source.series(instance, metric).between(start - 600, lastRound + 1);
                assertThat(stored.series(instance, metric).times()).as(instance + " " + metric).containsExactly(read.times());
                assertThat(stored.series(instance, metric).values()).as(instance + " " + metric).containsExactly(read.values());
            }
        }
        long expected = 4L * source.series(app + "-1", "qps").between(start - 600, lastRound + 1).size();
        assertThat(db.sql("SELECT COUNT(*) FROM guard_sample WHERE release_id = ?").param(id).query(Long.class).single())
                .as("each sample once, though every round read the whole history").isEqualTo(expected);
        assertThat(db.sql("SELECT COUNT(*) FROM guard_sample WHERE release_id = ? AND sample_value IS NULL").param(id)
                .query(Long.class).single()).as("the missing sample is stored as missing").isEqualTo(1);

        assertThat(records.samples(id, "qps").ofInstance(app + "-1")).containsOnlyKeys("qps");
    }

    @Test
    void findingsAreStoredWithAllTheirFields() {
        String app = newApp(2);
        judge.script(app, in -> Verdict.WARN);
        long id = releases.plan(plan(app, "2", 30, count(1), count(1))).id();
        tickFor(Duration.ofSeconds(6));

        GuardRound round = releases.rounds(id).get(0);
        assertThat(round.verdict()).isEqualTo(Verdict.WARN);
        assertThat(round.at()).isEqualTo(clock.instant());
        Finding f = round.findings().get(0);
        assertThat(f).usingRecursiveComparison().ignoringFields("evidence").isEqualTo(new Finding("metric:error_rate",
                Finding.Source.METRIC, Verdict.WARN, "error_rate", "vote",
                "error rate 4.1% on the release group vs 0.3% on the reference group", Map.of(), List.of(app + "-1")));
        assertThat(f.evidence()).containsExactly(Map.entry("releaseMean", 4.1), Map.entry("referenceMean", 0.3),
                Map.entry("pValue", 0.001), Map.entry("votes", 2.0), Map.entry("did", Double.NaN));
        assertThat(releases.get(id).verdict()).as("WARN does not stop the release").isEqualTo(Verdict.WARN);
    }
}
