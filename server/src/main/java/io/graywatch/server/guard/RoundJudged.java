package io.graywatch.server.guard;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.verdict.Verdict;

import java.time.Instant;
import java.util.List;

/** Published after a guard round is stored. */
public record RoundJudged(long releaseId, String app, String version, int batchIndex, Verdict verdict, String reason,
                          List<Finding> findings, Instant at) {
    public RoundJudged {
        findings = List.copyOf(findings);
    }
}
