package io.graywatch.server.release;

import io.graywatch.core.verdict.Verdict;

import java.time.Instant;

/**
 * Published when a batch gets its verdict: at the end of its window (PASS, WARN, INCONCLUSIVE),
 * or at once when a round fails it (FAIL).
 *
 * @param passed whether the release goes on past this batch
 */
public record BatchJudged(long releaseId, String app, String version, int batchIndex, Verdict verdict, boolean passed,
                          String reason, Instant at) {
}
