package io.graywatch.core.guard;

import io.graywatch.core.finding.Finding;
import io.graywatch.core.verdict.Verdict;

import java.util.List;

/**
 * The outcome of one round: a verdict, the findings behind it, one sentence for people, and the
 * state the next round starts from.
 */
public record RoundResult(long at, Verdict verdict, String reason, List<Finding> findings, GuardState state) {
    public RoundResult {
        findings = List.copyOf(findings);
    }
}
