package io.graywatch.server.replay;

import io.graywatch.replay.corpus.ReleaseCase;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.server.release.Release;

/**
 * A release as its guard recorded it, ready to be written as a corpus case or replayed.
 *
 * @param live what the live guard concluded, scored as a replay is: the first FAIL (a FAIL pauses
 *             the release) with its moment, else the last round's verdict
 */
public record RecordedRelease(Release release, ReleaseCase releaseCase, CaseOutcome live) {
}
