package io.graywatch.replay.corpus;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorpusFilesTest {
    @TempDir
    Path dir;

    @Test
    void whatTheWriterWritesTheReaderReadsBack() throws Exception {
        Map<String, MetricSpec> metrics = new LinkedHashMap<>();
        metrics.put("latency_ms", MetricSpec.of("latency_ms", MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", null));
        metrics.put("orders", MetricSpec.of("orders", MetricKind.BUSINESS, Bad.DECREASE));
        Observations obs = Observations.builder()
                .put("web-1", "latency_ms", Series.of(new long[]{60, 120, 180}, new double[]{12.5, Double.NaN, -0.000125}))
                .put("web-1", "orders", Series.of(new long[]{60, 180}, new double[]{3, 1e13}))
                .put("web,2", "latency_ms", Series.of(new long[]{120}, new double[]{0.1}))
                .build();
        List<LogEvent> logs = List.of(new LogEvent(100, "web,2", "ERROR", null, "boom \"quoted\"", "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)", 4),
                new LogEvent(130, "web-1", "WARN", "com.acme.X", "slow", null, 1));
        ReleaseCase c = new ReleaseCase("c-1", "web", 60, metrics, Map.of("web-1", "v1", "web,2", "v2"), "v1", "v2", 100,
                List.of(new Batch(1, 110, List.of("web,2"), false)), 200, 0, 200, obs, logs);
        CaseWriter.write(dir.resolve("c-1"), c);
        ReleaseCase back = CaseReader.read(dir.resolve("c-1")).releaseCase();
        assertThat(back.observations().series("web-1", "latency_ms")).isEqualTo(obs.series("web-1", "latency_ms"));
        assertThat(back.observations().series("web-1", "orders")).isEqualTo(obs.series("web-1", "orders"));
        assertThat(back.observations().series("web,2", "latency_ms")).isEqualTo(obs.series("web,2", "latency_ms"));
        assertThat(back.logs()).isEqualTo(logs);
        assertThat(back.batches()).isEqualTo(c.batches());
        assertThat(back.metrics()).isEqualTo(metrics);
        assertThat(Files.readString(dir.resolve("c-1/series.csv"))).contains("180,web-1,orders,10000000000000\n").contains("120,web-1,latency_ms,\n")
                .contains("180,web-1,latency_ms,-0.000125\n");
    }

    @Test
    void aRecordingKeepsItsLiveGuardPreReleaseBatchesAndMetricGates() throws Exception {
        Map<String, MetricSpec> metrics = new LinkedHashMap<>();
        metrics.put("qps", MetricSpec.of("qps", MetricKind.MIDDLEWARE, Bad.DECREASE, "rps", MetricRole.TRAFFIC));
        metrics.put("checkout_ms", new MetricSpec("checkout_ms", MetricKind.BUSINESS, Bad.INCREASE, "ms", MetricRole.LATENCY, 0.4, 25));
        // set to what its role's default is, and so meant as 0.5 of the unit, not as points to scale to the values
        metrics.put("err_share", new MetricSpec("err_share", MetricKind.MIDDLEWARE, Bad.INCREASE, "", MetricRole.ERROR_RATE, Double.NaN, 0.5));
        metrics.put("cpu_percent", MetricSpec.of("cpu_percent", MetricKind.BASIC, Bad.INCREASE));
        Observations obs = Observations.builder().put("w-1", "qps", Series.of(new long[]{60}, new double[]{3})).build();
        RecordedGuard guard = new RecordedGuard("graywatch", "3", 5, 10, 600, 2, 3, List.of("ClassNotFoundException"), 2,
                List.of(new RecordedGuard.Round(115, 1), new RecordedGuard.Round(140, 1), new RecordedGuard.Round(140, 2)), 99.5);
        ReleaseCase c = new ReleaseCase("rec-1", "web", 5, metrics, Map.of("w-1", "v2", "w-2", "v2", "w-3", "v1"), "v1", "v2", 110,
                List.of(new Batch(1, 110, List.of("w-1"), true), new Batch(2, 140, List.of("w-2"), false)), 140, -490, 140, obs, List.of(), guard);
        CaseWriter.write(dir.resolve("rec-1"), c);
        ReleaseCase back = CaseReader.read(dir.resolve("rec-1")).releaseCase();
        assertThat(back.guard()).isEqualTo(guard);
        assertThat(back.guard().config().successRateFloor()).as("the app's own floor, replayed as set").isEqualTo(99.5);
        assertThat(back.batches()).isEqualTo(c.batches());
        assertThat(back.metrics()).isEqualTo(metrics);
        String json = Files.readString(dir.resolve("rec-1/case.json"));
        // qps's role is what a reader infers and its gates are its role's: only checkout_ms needs its own
        assertThat(json).contains("\"role\": \"latency\"", "\"minRelativeEffect\": 0.4", "\"preRelease\": true").doesNotContain("\"traffic\"");
        assertThat(back.metrics().get("err_share").minAbsoluteEffectGiven()).isTrue();
        assertThat(back.metrics().get("cpu_percent").minAbsoluteEffectGiven()).isFalse();
        assertThat(json.split("minAbsoluteEffect", -1)).as("written for checkout_ms and err_share only").hasSize(3);

        Files.writeString(dir.resolve("rec-1/case.json"), json.replace("\"rounds\": [", "\"rounds\": [ 140,"));
        assertThatThrownBy(() -> CaseReader.read(dir.resolve("rec-1"))).isInstanceOfSatisfying(CaseProblem.class,
                p -> assertThat(p.getMessage()).contains("guard.rounds[0] must be an object like {\"at\": 1695398256, \"batches\": 1}"));
    }

    @Test
    void aCaseWithoutARecordingWritesNoneOfItsFields() throws Exception {
        Map<String, MetricSpec> metrics = Map.of("qps", MetricSpec.of("qps", MetricKind.MIDDLEWARE, Bad.DECREASE));
        ReleaseCase c = new ReleaseCase("g-1", "web", 60, metrics, Map.of("w-1", "v1"), "v1", "v2", 100, List.of(new Batch(1, 110, List.of("w-1"), false)),
                200, 0, 200, Observations.empty(), List.of());
        CaseWriter.write(dir.resolve("g-1"), c);
        assertThat(Files.readString(dir.resolve("g-1/case.json"))).doesNotContain("guard", "preRelease", "role", "minRelativeEffect");
        assertThat(CaseReader.read(dir.resolve("g-1")).releaseCase().guard()).isNull();
    }

    @Test
    void labelsMayOmitTheOnsetAndAreCheckedLineByLine() throws Exception {
        Path file = dir.resolve("labels.csv");
        Files.writeString(file, "case,truth,onset\n2023-09-22_1-adservice,bad,1695398196\n2023-09-22_2-cartservice,good,\n");
        Map<String, Label> labels = Label.read(file);
        assertThat(labels.get("2023-09-22_1-adservice")).isEqualTo(new Label("2023-09-22_1-adservice", true, 1695398196L));
        assertThat(labels.get("2023-09-22_2-cartservice").onset()).isNull();
        Files.writeString(file, "case,truth,onset\na,bad,\nb,maybe,\n");
        assertThatThrownBy(() -> Label.read(file)).isInstanceOfSatisfying(CaseProblem.class, p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.getMessage()).contains("truth must be bad or good");
        });
    }

    @Test
    void csvFieldsWithCommasAndQuotesSurviveARoundTrip() {
        String s = "a, \"b\" and c";
        assertThat(Csv.split("x," + Csv.field(s) + ",y")).containsExactly("x", s, "y");
        assertThat(Csv.split("x,\"open")).isNull();
    }
}
