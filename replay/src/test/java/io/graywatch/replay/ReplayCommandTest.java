package io.graywatch.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graywatch.replay.generate.CorpusGenerator;
import io.graywatch.replay.generate.GeneratorSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayCommandTest {
    @TempDir
    static Path dir;
    static Path corpus;

    @BeforeAll
    static void corpus() throws Exception {
        corpus = dir.resolve("corpus");
        CorpusGenerator.write(corpus, GeneratorSettings.of(16, 11), 2, n -> { });
        // one malformed case: a value that is not a number on line 3 of its series
        Path broken = corpus.resolve("case-00004/series.csv");
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(broken));
        lines.set(2, lines.get(2).replaceAll(",[^,]*$", ",12..5"));
        Files.write(broken, lines);
    }

    private static int run(StringWriter err, String... args) {
        return run(new StringWriter(), err, args);
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = new CommandLine(new ReplayCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void replaysScoresAndSkipsTheMalformedCaseNamingItsLine() throws Exception {
        Path out1 = dir.resolve("out1"), out2 = dir.resolve("out2");
        assertThat(run(new StringWriter(), corpus.toString(), "--algorithm", "threshold", "--out", out1.toString())).isZero();
        assertThat(run(new StringWriter(), corpus.toString(), "--algorithm", "threshold", "--out", out2.toString(), "--threads", "1")).isZero();
        String verdicts = Files.readString(out1.resolve("verdicts.csv"));
        assertThat(verdicts).isEqualTo(Files.readString(out2.resolve("verdicts.csv")));
        assertThat(verdicts.lines()).hasSize(16).first().isEqualTo("case,verdict,decidedAt,reason");
        assertThat(verdicts).doesNotContain("case-00004");

        JsonNode summary = new ObjectMapper().readTree(out1.resolve("summary.json").toFile());
        assertThat(summary.get("algorithm").asText()).isEqualTo("threshold");
        assertThat(summary.get("cases").asInt()).isEqualTo(15);
        assertThat(summary.get("bad").asInt() + summary.get("good").asInt()).isEqualTo(15);
        assertThat(summary.get("truePositives").asInt() + summary.get("falseNegatives").asInt()).isEqualTo(summary.get("bad").asInt());

        String html = Files.readString(out1.resolve("report.html"));
        assertThat(html).contains("Skipped cases (1)").contains("case-00004/series.csv:3: value &#39;12..5&#39; is not a decimal number")
                .doesNotContain("<script").doesNotContain("<link").doesNotContain("src=");
        if (summary.get("falsePositives").asInt() + summary.get("falseNegatives").asInt() > 0) assertThat(html).contains("<svg").contains("generated as ").contains("<h2>Breakdown</h2>");
    }

    @Test
    void comparesWithAnotherRunAndWorksWithoutLabels() throws Exception {
        Path kayenta = dir.resolve("kayenta"), threshold = dir.resolve("threshold-cmp");
        assertThat(run(new StringWriter(), corpus.toString(), "--algorithm", "threshold", "--out", threshold.toString())).isZero();
        assertThat(run(new StringWriter(), corpus.toString(), "--algorithm", "kayenta", "--compare", threshold.resolve("verdicts.csv").toString(),
                "--out", kayenta.toString())).isZero();
        assertThat(Files.readString(kayenta.resolve("report.html"))).contains("Outcome changed since");

        Path unlabelled = dir.resolve("unlabelled");
        Files.createDirectories(unlabelled);
        Files.writeString(unlabelled.resolve("x"), "");
        Path oneCase = corpus.resolve("case-00001");
        Path out = dir.resolve("nolabels");
        assertThat(run(new StringWriter(), oneCase.toString(), "--algorithm", "kayenta", "--out", out.toString())).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("cases").asInt()).isEqualTo(1);
        assertThat(summary.get("precision").isNull()).isTrue();
        assertThat(summary.get("bad").isNull()).isTrue();
    }

    @Test
    void aTraceShowsEachCaseRoundByRoundAndEndsWhereTheReplayDid() throws Exception {
        Path out = dir.resolve("for-trace");
        assertThat(run(new StringWriter(), corpus.toString(), "--out", out.toString())).isZero();
        Map<String, String[]> verdicts = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("verdicts.csv")).subList(1, 16)) verdicts.put(line.split(",")[0], line.split(",", 4));
        Map<String, String> truth = new HashMap<>();
        for (String line : Files.readAllLines(corpus.resolve("labels.csv")).subList(1, 17)) truth.put(line.split(",")[0], line.split(",")[1]);
        boolean sawFailFinding = false;
        for (var v : verdicts.entrySet()) {
            StringWriter trace = new StringWriter();
            assertThat(run(trace, new StringWriter(), corpus.resolve(v.getKey()).toString(), "--trace")).isZero();
            String text = trace.toString();
            assertThat(text).startsWith("case " + v.getKey() + ", app ").contains("  batch 1 at +0m00s (").contains("  labelled " + truth.get(v.getKey()))
                    .contains("generated as ");
            String last = text.strip().lines().reduce((a, b) -> b).orElseThrow();
            if (v.getValue()[1].equals("FAIL")) {
                // the trace's FAIL round is the replay's, and it lists the finding that failed with its numbers
                assertThat(last).startsWith("intercepted at ").contains("(" + v.getValue()[2] + ")");
                assertThat(last).endsWith(truth.get(v.getKey()).equals("good") ? ": a false alarm" : " s after the fault showed");
                assertThat(text).containsPattern("\\n    FAIL \\S+ \\[[a-z]+\\] .+\\n");
                sawFailFinding |= text.contains("votes=");
            } else {
                assertThat(last).startsWith("not intercepted: " + v.getValue()[1] + " when the release ended")
                        .endsWith(truth.get(v.getKey()).equals("good") ? ": right, the case is good" : ": a miss");
            }
            // an hour of quiet rounds is folded: no two finding-less rounds in a row say the same thing
            String previousQuiet = null;
            for (String line : text.lines().toList()) {
                if (!line.startsWith("+")) {
                    if (line.startsWith("    ")) previousQuiet = null;
                    continue;
                }
                String said = line.replaceFirst("^\\S+ \\(\\d+\\)( to \\S+ \\(\\d+\\) \\(\\d+ rounds\\))?", "");
                assertThat(said).isNotEqualTo(previousQuiet);
                previousQuiet = said;
            }
        }
        assertThat(sawFailFinding).as("some case of the corpus is intercepted").isTrue();
    }

    @Test
    void aTraceNeedsOneCaseFolderAndWritesNoFiles() {
        StringWriter err = new StringWriter();
        assertThat(run(err, corpus.toString(), "--trace")).isEqualTo(2);
        assertThat(err.toString()).contains("--trace replays one case: give a case folder").contains("case-00001");
        err = new StringWriter();
        assertThat(run(err, corpus.resolve("case-00001").toString(), "--trace", "--out", dir.resolve("t").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("drop --out");
        assertThat(dir.resolve("t")).doesNotExist();
        err = new StringWriter();
        assertThat(run(err, corpus.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out DIR is required");
    }

    @Test
    void anUnknownAlgorithmIsRefusedNamingTheChoices() {
        StringWriter err = new StringWriter();
        assertThat(run(err, corpus.toString(), "--algorithm", "nope", "--out", dir.resolve("g").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown algorithm 'nope'").contains("graywatch, kayenta, threshold");
    }

    @Test
    void aMalformedLabelsFileIsAnErrorNamingItsLine() throws Exception {
        Path labels = dir.resolve("bad-labels.csv");
        Files.writeString(labels, "case,truth,onset\ncase-00001,bad,soon\n", StandardOpenOption.CREATE);
        StringWriter err = new StringWriter();
        assertThat(run(err, corpus.toString(), "--labels", labels.toString(), "--algorithm", "kayenta", "--out", dir.resolve("l").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad-labels.csv:2: onset must be Unix seconds");
    }
}
