package io.graywatch.replay.report;

import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.replay.harness.ReplayRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportTest {
    private static final long B = 1_000_000;

    private static ReplayRun.Replayed<Chart> outcome(String id, Long failedAt) {
        return new ReplayRun.Replayed<>(new CaseOutcome(id, failedAt == null ? Verdict.PASS : Verdict.FAIL, failedAt,
                failedAt == null ? "fine" : "failed", List.of(), 10, B), null);
    }

    @Test
    void theBreakdownSaysHowSoonEachFaultKindWasInterceptedCountedFromItsOnset(@TempDir Path dir) throws Exception {
        List<ReplayRun.Replayed<Chart>> replayed = List.of(
                outcome("step-1", B + 120), outcome("step-2", B + 300 + 180), outcome("step-3", B + 240),
                outcome("leak-1", B + 900), outcome("leak-2", null), outcome("good-1", null), outcome("good-2", B + 600));
        Map<String, Label> labels = Map.of(
                "step-1", new Label("step-1", true, B), "step-2", new Label("step-2", true, B + 300), "step-3", new Label("step-3", true, null),
                "leak-1", new Label("leak-1", true, B), "leak-2", new Label("leak-2", true, B),
                "good-1", new Label("good-1", false, null), "good-2", new Label("good-2", false, null));
        Map<String, List<String>> tags = Map.of("step-1", List.of("fault: error_step"), "step-2", List.of("fault: error_step"),
                "step-3", List.of("fault: error_step"), "leak-1", List.of("fault: memory_leak"), "leak-2", List.of("fault: memory_leak"),
                "good-1", List.of("trap: warmup_spike"), "good-2", List.of("trap: warmup_spike"));
        Summary summary = Summary.score("graywatch", replayed.stream().map(ReplayRun.Replayed::outcome).toList(), labels, 1.0);
        Path file = dir.resolve("report.html");

        HtmlReport.write(file, new HtmlReport.Input("corpus", summary, replayed, labels, List.of(), null, null, Map.of(), tags));

        String html = Files.readString(file);
        // 120, 180 (from its late onset) and 240 s: median 180, p90 228
        assertThat(html).contains("<tr><td>fault: error_step</td><td>3</td><td>3</td><td>180 s</td><td>228 s</td><td>0</td><td>0</td></tr>");
        assertThat(html).contains("<tr><td>fault: memory_leak</td><td>2</td><td>1</td><td>900 s</td><td>900 s</td><td>0</td><td>0</td></tr>");
        assertThat(html).contains("<tr><td>trap: warmup_spike</td><td>0</td><td>0</td><td>–</td><td>–</td><td>2</td><td>1</td></tr>");
    }
}
