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
        CommandLine cl = new CommandLine(new ReplayCommand());
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
