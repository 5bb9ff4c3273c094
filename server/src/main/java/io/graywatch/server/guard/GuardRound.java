package io.graywatch.server.guard;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.verdict.Verdict;

import java.time.Instant;
import java.util.List;

/** One stored round of a release's guard, as the API and the UI show it. */
public record GuardRound(long id, long releaseId, int batch, Instant at, Verdict verdict, String reason, String algorithm,
                         String algorithmVersion, List<Finding> findings) {
    public GuardRound {
        findings = List.copyOf(findings);
    }
}
