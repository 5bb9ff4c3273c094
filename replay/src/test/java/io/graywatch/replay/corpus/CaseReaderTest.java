package io.graywatch.replay.corpus;

import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaseReaderTest {
    /** The example of FORMAT.md, with an unknown field added at every level. */
    static final String CASE_JSON = """
            {
              "format": 1,
              "id": "2023-09-22_1-adservice",
              "app": "adservice",
              "recordedBy": "someone else's tool",
              "stepSeconds": 60,
              "metrics": {
                "success_rate": {"kind": "middleware", "bad": "decrease", "unit": "percent", "query": "sum(rate(x[1m]))"},
                "latency_ms":   {"kind": "middleware", "bad": "increase"},
                "cpu_percent":  {"kind": "basic",      "bad": "increase"}
              },
              "instances": {
                "adservice-v1-a": {"version": "v1", "zone": "eu-1"},
                "adservice-v2-b": {"version": "v2"}
              },
              "release": {
                "fromVersion": "v1",
                "toVersion": "v2",
                "start": 1695398196,
                "batches": [
                  {"at": 1695398196, "instances": ["adservice-v2-b"], "note": "canary"},
                  {"at": 1695399273, "instances": ["adservice-v2-c"]}
                ],
                "end": 1695399520
              },
              "window": {"from": 1695394596, "to": 1695401320}
            }
            """;

    @TempDir
    Path dir;

    private Path write(String caseJson, String series, String logs) throws IOException {
        Files.writeString(dir.resolve("case.json"), caseJson);
        Files.writeString(dir.resolve("series.csv"), series);
        if (logs != null) Files.writeString(dir.resolve("logs.jsonl"), logs);
        return dir;
    }

    @Test
    void readsTheFormatExampleIgnoringUnknownFields() throws Exception {
        CaseReader.Loaded loaded = CaseReader.read(write(CASE_JSON, "timestamp,instance,metric,value\n1695398160,adservice-v1-a,success_rate,100\n1695398160,adservice-v1-a,latency_ms,4.7\n", null));
        ReleaseCase c = loaded.releaseCase();
        assertThat(c.id()).isEqualTo("2023-09-22_1-adservice");
        assertThat(c.stepSeconds()).isEqualTo(60);
        assertThat(c.metrics().get("success_rate").bad()).isEqualTo(Bad.DECREASE);
        assertThat(c.metrics().get("success_rate").role()).isEqualTo(MetricRole.SUCCESS_RATE);
        assertThat(c.metrics().get("cpu_percent").kind()).isEqualTo(MetricKind.BASIC);
        assertThat(c.metrics().get("latency_ms").role()).isEqualTo(MetricRole.LATENCY);
        assertThat(c.batches()).hasSize(2);
        assertThat(c.batches().get(1).instances()).containsExactly("adservice-v2-c");
        assertThat(c.windowFrom()).isEqualTo(1695394596);
        assertThat(c.logs()).isEmpty();
        // the example's second batch names an instance that `instances` does not list: accepted, and said
        assertThat(c.instances()).containsEntry("adservice-v2-c", "v2");
        assertThat(loaded.warnings()).singleElement().asString().contains("adservice-v2-c");
        assertThat(c.observations().series("adservice-v1-a", "latency_ms").value(0)).isEqualTo(4.7);
    }

    @Test
    void rowsNeedNotBeSortedAndNaNOrEmptyAreMissing() throws Exception {
        String series = """
                timestamp,instance,metric,value
                1695398280,adservice-v1-a,latency_ms,6
                1695398160,adservice-v1-a,latency_ms,4
                1695398220,adservice-v1-a,latency_ms,NaN
                1695398340,adservice-v1-a,latency_ms,
                1695398400,adservice-v1-a,latency_ms,7.25
                """;
        Series s = CaseReader.read(write(CASE_JSON, series, null)).releaseCase().observations().series("adservice-v1-a", "latency_ms");
        assertThat(s.times()).containsExactly(1695398160, 1695398220, 1695398280, 1695398340, 1695398400);
        assertThat(s.value(0)).isEqualTo(4);
        assertThat(s.value(1)).isNaN();
        assertThat(s.value(3)).isNaN();
        assertThat(s.finiteValues()).containsExactly(4, 6, 7.25);
    }

    @Test
    void samplesOfUnknownMetricsAndInstancesAreLeftOutAndReported() throws Exception {
        String series = "timestamp,instance,metric,value\n1,adservice-v1-a,gc_pause,3\n2,adservice-v1-a,gc_pause,3\n3,ghost,latency_ms,5\n4,adservice-v1-a,latency_ms,5\n";
        CaseReader.Loaded loaded = CaseReader.read(write(CASE_JSON, series, null));
        assertThat(loaded.releaseCase().observations().instances()).containsExactly("adservice-v1-a");
        assertThat(loaded.releaseCase().observations().ofInstance("adservice-v1-a")).containsOnlyKeys("latency_ms");
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("2 rows of metric 'gc_pause'").contains("first at line 2"));
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("1 rows of instance 'ghost'").contains("line 4"));
    }

    @Test
    void columnsAreFoundByTheHeaderWhateverTheirOrder() throws Exception {
        Series s = CaseReader.read(write(CASE_JSON, "metric,value,timestamp,instance\nlatency_ms,9,100,adservice-v1-a\n", null))
                .releaseCase().observations().series("adservice-v1-a", "latency_ms");
        assertThat(s.time(0)).isEqualTo(100);
        assertThat(s.value(0)).isEqualTo(9);
    }

    @Test
    void logsCountDefaultsToOneAndLoggerAndStackAreOptional() throws Exception {
        String logs = """
                {"timestamp": 1695398300, "instance": "adservice-v2-b", "level": "ERROR", "logger": "com.example.Ads", "message": "lookup failed", "stack": "java.lang.ClassNotFoundException: com.example.Foo\\n\\tat x.y(Z.java:1)", "count": 3}
                {"timestamp": 1695398310, "instance": "adservice-v1-a", "level": "ERROR", "message": "timeout after 3000 ms", "extra": true}

                """;
        ReleaseCase c = CaseReader.read(write(CASE_JSON, "timestamp,instance,metric,value\n", logs)).releaseCase();
        assertThat(c.logs()).hasSize(2);
        assertThat(c.logs().get(0).count()).isEqualTo(3);
        assertThat(c.logs().get(0).stack()).startsWith("java.lang.ClassNotFoundException");
        assertThat(c.logs().get(1).count()).isEqualTo(1);
        assertThat(c.logs().get(1).logger()).isNull();
        assertThat(c.logs().get(1).stack()).isNull();
    }

    @Test
    void aBadRowNamesTheFileAndLine() throws Exception {
        write(CASE_JSON, "timestamp,instance,metric,value\n1,adservice-v1-a,latency_ms,4\n2,adservice-v1-a,latency_ms,four\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).isInstanceOfSatisfying(CaseProblem.class, p -> {
            assertThat(p.file()).isEqualTo(dir.resolve("series.csv"));
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.describe()).endsWith("series.csv:3: value 'four' is not a decimal number, NaN or empty");
        });
    }

    @Test
    void theSeriesHeaderIsRequired() throws Exception {
        write(CASE_JSON, "1,adservice-v1-a,latency_ms,4\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).isInstanceOfSatisfying(CaseProblem.class, p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.getMessage()).contains("header");
        });
    }

    @Test
    void aBadTimestampAndAShortRowAreFaults() throws Exception {
        write(CASE_JSON, "timestamp,instance,metric,value\nyesterday,adservice-v1-a,latency_ms,4\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).hasMessageContaining("timestamp 'yesterday'");
        write(CASE_JSON, "timestamp,instance,metric,value\n1,adservice-v1-a,latency_ms,4\n2,adservice-v1-a\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).isInstanceOfSatisfying(CaseProblem.class, p -> assertThat(p.line()).isEqualTo(3));
    }

    @Test
    void aMissingFieldNamesItAndTheLineOfItsParent() throws Exception {
        String noEnd = CASE_JSON.replace(",\n    \"end\": 1695399520", "");
        write(noEnd, "timestamp,instance,metric,value\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).isInstanceOfSatisfying(CaseProblem.class, p -> {
            assertThat(p.getMessage()).isEqualTo("missing field 'release.end'");
            assertThat(p.line()).isEqualTo(16);
            assertThat(p.file().getFileName().toString()).isEqualTo("case.json");
        });
    }

    @Test
    void aWrongTypeNamesTheLineOfTheValue() throws Exception {
        write(CASE_JSON.replace("{\"at\": 1695399273,", "{\"at\": \"later\","), "timestamp,instance,metric,value\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).isInstanceOfSatisfying(CaseProblem.class, p -> {
            assertThat(p.getMessage()).startsWith("release.batches[1].at must be a whole number");
            assertThat(p.line()).isEqualTo(22);
        });
    }

    @Test
    void theCaseIdMustMatchThePattern() throws Exception {
        write(CASE_JSON.replace("2023-09-22_1-adservice", "has space/slash"), "timestamp,instance,metric,value\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).isInstanceOfSatisfying(CaseProblem.class, p -> {
            assertThat(p.getMessage()).contains("A-Za-z0-9._-");
            assertThat(p.line()).isEqualTo(3);
        });
    }

    @Test
    void batchesNeedInstancesAndTheEndCannotPrecedeThem() throws Exception {
        write(CASE_JSON.replace("\"instances\": [\"adservice-v2-c\"]", "\"instances\": []"), "timestamp,instance,metric,value\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).hasMessageContaining("release.batches[1].instances must be a non-empty array");
        write(CASE_JSON.replace("\"end\": 1695399520", "\"end\": 1695390000"), "timestamp,instance,metric,value\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).hasMessageContaining("before the first batch");
    }

    @Test
    void invalidJsonNamesItsLine() throws Exception {
        write(CASE_JSON.replace("\"app\": \"adservice\",", "\"app\": \"adservice\""), "timestamp,instance,metric,value\n", null);
        assertThatThrownBy(() -> CaseReader.read(dir)).isInstanceOfSatisfying(CaseProblem.class, p -> {
            assertThat(p.getMessage()).startsWith("not valid JSON");
            assertThat(p.line()).isEqualTo(5);
        });
    }

    @Test
    void aBadLogLineNamesItsLine() throws Exception {
        write(CASE_JSON, "timestamp,instance,metric,value\n", "{\"timestamp\": 1, \"instance\": \"adservice-v1-a\", \"message\": \"x\"}\n{\"timestamp\": 2, \"instance\": \"adservice-v1-a\", \"message\": \"x\", \"count\": 0}\n");
        assertThatThrownBy(() -> CaseReader.read(dir)).isInstanceOfSatisfying(CaseProblem.class, p -> {
            assertThat(p.describe()).contains("logs.jsonl:2: count must be a whole number >= 1");
        });
    }

    @Test
    void aMissingSeriesFileIsAFault() throws Exception {
        Files.writeString(dir.resolve("case.json"), CASE_JSON);
        assertThatThrownBy(() -> CaseReader.read(dir)).hasMessageContaining("every case folder needs a series.csv");
    }
}
