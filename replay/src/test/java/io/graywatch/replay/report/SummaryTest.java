package io.graywatch.replay.report;

import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.Label;
import io.graywatch.replay.harness.CaseOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SummaryTest {
    private static final long B = 1_000_000;

    private static CaseOutcome fail(String id, long at) {
        return new CaseOutcome(id, Verdict.FAIL, at, "failed, badly", List.of(), 3, B);
    }

    private static CaseOutcome pass(String id) {
        return new CaseOutcome(id, Verdict.PASS, null, "fine", List.of(), 30, B);
    }

    /** Four bad cases (three caught), four good ones (one false alarm), one unlabelled case. */
    private static final List<CaseOutcome> OUTCOMES = List.of(
            fail("bad-early", B + 120),   // onset before the first batch: counted from the first batch → 120 s
            fail("bad-onset", B + 900),   // onset at B + 600 → 300 s
            fail("bad-noonset", B + 60),  // no onset: from the first batch → 60 s
            pass("bad-missed"),
            fail("good-alarm", B + 30),
            new CaseOutcome("good-warn", Verdict.WARN, null, "look", List.of(), 30, B),
            new CaseOutcome("good-inconclusive", Verdict.INCONCLUSIVE, null, "no data", List.of(), 30, B),
            pass("good-pass"),
            fail("unlabelled", B + 10));

    private static final Map<String, Label> LABELS = Map.of(
            "bad-early", new Label("bad-early", true, B - 500), "bad-onset", new Label("bad-onset", true, B + 600),
            "bad-noonset", new Label("bad-noonset", true, null), "bad-missed", new Label("bad-missed", true, B),
            "good-alarm", new Label("good-alarm", false, null), "good-warn", new Label("good-warn", false, null),
            "good-inconclusive", new Label("good-inconclusive", false, null), "good-pass", new Label("good-pass", false, null));

    @Test
    void scoresAsTheFormatSays() {
        Summary s = Summary.score("kayenta", OUTCOMES, LABELS, 1.234);
        assertThat(s.cases()).isEqualTo(9);
        assertThat(s.bad()).isEqualTo(4);
        assertThat(s.good()).isEqualTo(4);
        assertThat(s.intercepted()).isEqualTo(5);
        assertThat(s.truePositives()).isEqualTo(3);
        assertThat(s.falsePositives()).isEqualTo(1);
        assertThat(s.falseNegatives()).isEqualTo(1);
        assertThat(s.precision()).isEqualTo(0.75);
        assertThat(s.recall()).isEqualTo(0.75);
        assertThat(s.f1()).isCloseTo(0.75, within(1e-12));
        // times to intercept 60, 120, 300: median 120, p90 between 120 and 300 at 0.8 of the way
        assertThat(s.ttiMedianSeconds()).isEqualTo(120.0);
        assertThat(s.ttiP90Seconds()).isCloseTo(264.0, within(1e-9));
        assertThat(s.secondsElapsed()).isEqualTo(1.23);
    }

    @Test
    void withoutLabelsOnlyCountsAreGiven() throws Exception {
        Summary s = Summary.score("threshold", OUTCOMES, null, 2);
        assertThat(s.intercepted()).isEqualTo(5);
        assertThat(s.bad()).isNull();
        assertThat(s.precision()).isNull();
        assertThat(s.recall()).isNull();
        assertThat(s.ttiMedianSeconds()).isNull();
    }

    @Test
    void summaryJsonHasExactlyTheFieldsInOrder(@TempDir Path dir) throws Exception {
        Summary.score("kayenta", OUTCOMES, null, 2).write(dir.resolve("summary.json"));
        String json = Files.readString(dir.resolve("summary.json"));
        List<String> keys = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).properties().stream().map(Map.Entry::getKey).toList();
        assertThat(keys).containsExactly("algorithm", "cases", "bad", "good", "intercepted", "truePositives", "falsePositives", "falseNegatives",
                "precision", "recall", "f1", "ttiMedianSeconds", "ttiP90Seconds", "secondsElapsed");
        assertThat(json).contains("\"precision\" : null");
    }

    @Test
    void nothingInterceptedGivesNoPrecisionAndZeroRecall() {
        Summary s = Summary.score("x", List.of(pass("bad-missed")), LABELS, 0);
        assertThat(s.precision()).isNull();
        assertThat(s.recall()).isEqualTo(0.0);
        assertThat(s.f1()).isNull();
    }

    @Test
    void verdictsRoundTripAndComparisonNamesWhatChanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("verdicts.csv");
        Verdicts.write(file, OUTCOMES);
        assertThat(Files.readAllLines(file).get(0)).isEqualTo("case,verdict,decidedAt,reason");
        assertThat(Files.readAllLines(file).get(1)).isEqualTo("bad-early,FAIL,1000120,\"failed, badly\"");
        assertThat(Files.readAllLines(file).get(4)).isEqualTo("bad-missed,PASS,,fine");
        Map<String, Verdicts.Row> rows = Verdicts.read(file);
        assertThat(rows.get("bad-early")).isEqualTo(new Verdicts.Row("bad-early", Verdict.FAIL, B + 120, "failed, badly"));

        List<CaseOutcome> now = List.of(pass("bad-early"), fail("bad-missed", B + 60), pass("good-alarm"), fail("good-pass", B + 5), fail("bad-onset", B + 700));
        assertThat(Comparison.changes(now, rows, LABELS)).extracting(Comparison.Change::caseId, Comparison.Change::effect).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bad-early", "interception lost (now a miss)"),
                org.assertj.core.groups.Tuple.tuple("bad-missed", "miss fixed (now intercepted)"),
                org.assertj.core.groups.Tuple.tuple("good-alarm", "false alarm fixed"),
                org.assertj.core.groups.Tuple.tuple("good-pass", "new false alarm"));
    }
}
