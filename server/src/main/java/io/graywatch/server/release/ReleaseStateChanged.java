package io.graywatch.server.release;

import io.graywatch.core.verdict.Verdict;

import java.time.Instant;

/**
 * Published after a release changes state (and when it is planned, with {@code from} null).
 *
 * @param batchIndex the batch the release was at
 * @param verdict    the guard's latest verdict, null before the first round
 */
public record ReleaseStateChanged(long releaseId, String app, String version, int batchIndex, ReleaseState from, ReleaseState to,
                                  Verdict verdict, String reason, Instant at) {
}
