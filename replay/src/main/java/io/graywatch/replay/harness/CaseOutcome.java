package io.graywatch.replay.harness;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.verdict.Verdict;

import java.util.List;

/**
 * What the guard concluded on one replayed case.
 *
 * @param verdict   the verdict the guard held when the release ended (FAIL once it failed: a live FAIL pauses the release)
 * @param decidedAt simulated moment of the first FAIL, or null
 * @param reason    the FAIL round's sentence, else the last round's
 * @param findings  the FAIL round's findings, else the last round's
 * @param rounds    how many rounds ran
 */
public record CaseOutcome(String caseId, Verdict verdict, Long decidedAt, String reason, List<Finding> findings,
                          int rounds, long firstBatchAt) {
    public CaseOutcome {
        findings = List.copyOf(findings);
    }

    public boolean intercepted() { return verdict == Verdict.FAIL; }
}
