package io.graywatch.server.release;

import java.time.Instant;
import java.util.List;

/**
 * One call to the release executor. It is recorded INTENDED before the call and DONE after it,
 * so a restarted server re-issues exactly the calls that were not recorded done.
 *
 * @param batchIndex the batch deployed, or null for a rollback
 */
public record ReleaseAction(long id, long releaseId, Integer batchIndex, Kind kind, String version, List<String> instances,
                            State state, String error, Instant intendedAt, Instant attemptedAt, Instant doneAt) {
    public ReleaseAction {
        instances = List.copyOf(instances);
    }

    public enum Kind { DEPLOY, ROLLBACK }

    public enum State { INTENDED, DONE, FAILED }
}
