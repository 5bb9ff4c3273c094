package io.graywatch.server.guard;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.verdict.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FindingSummaryTest {
    static Finding finding(String key, Verdict severity, String stage) {
        return new Finding(key, Finding.Source.LOG, severity, key, stage, key + " reason", Map.of(), List.of("shop-1"));
    }

    static GuardRound round(long at, Verdict verdict, Finding... findings) {
        return new GuardRound(at, 1, 1, Instant.ofEpochSecond(at), verdict, findings[0].reason(), "graywatch", "funnel-3", List.of(findings));
    }

    @Test
    void theFindingAVerdictNamesComesFirstAmongEquallySevereOnes() {
        // an error-line group is suspicious first; a round later a dangerous exception fails the release at once,
        // and the same round confirms the error lines too
        List<GuardRound> rounds = List.of(
                round(100, Verdict.WARN, finding("log:errors", Verdict.WARN, "attribution")),
                round(104, Verdict.FAIL, finding("rule:ClassNotFoundException", Verdict.FAIL, "rule"), finding("log:errors", Verdict.FAIL, "vote")));
        List<FindingSummary> summaries = FindingSummary.of(rounds);
        assertThat(summaries).extracting(s -> s.finding().key()).containsExactly("rule:ClassNotFoundException", "log:errors");
        assertThat(summaries.get(1).rounds()).isEqualTo(2);
        assertThat(summaries.get(1).firstSeen()).isEqualTo(Instant.ofEpochSecond(100));
    }

    @Test
    void theMostSevereThenTheMostRecentComeFirst() {
        List<GuardRound> rounds = List.of(
                round(100, Verdict.WARN, finding("metric:cpu", Verdict.WARN, "attribution")),
                round(104, Verdict.WARN, finding("metric:latency", Verdict.WARN, "attribution")),
                round(108, Verdict.FAIL, finding("metric:errors", Verdict.FAIL, "vote")));
        assertThat(FindingSummary.of(rounds)).extracting(s -> s.finding().key()).containsExactly("metric:errors", "metric:latency", "metric:cpu");
    }
}
