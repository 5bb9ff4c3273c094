package io.graywatch.server.replay;

import io.graywatch.core.verdict.Verdict;

/**
 * One release of a replay: the verdict its live guard gave beside the replayed one, each scored
 * as verdicts.csv is (the first FAIL and its moment, else the last verdict).
 *
 * @param decidedAt     Unix seconds of the replayed FAIL, or null
 * @param liveDecidedAt Unix seconds of the live FAIL, or null
 * @param changed       the replayed verdict differs from the live one
 */
public record ReplayedRelease(long releaseId, String caseId, String app, String version, Verdict liveVerdict, Long liveDecidedAt,
                              String liveReason, Verdict verdict, Long decidedAt, String reason, int rounds, boolean changed) {
}
