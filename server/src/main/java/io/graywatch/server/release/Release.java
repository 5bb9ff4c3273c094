package io.graywatch.server.release;

import io.graywatch.core.verdict.Verdict;

import java.time.Instant;
import java.util.List;

/**
 * A release plan as it stands: the read model of the API and the UI.
 *
 * @param fromVersion  what the app's instances ran when the plan was made; a rollback returns to it
 * @param version      the version being released
 * @param verdict      the guard's latest verdict, null before the first round
 * @param reason       why the release is where it is: the latest round's reason while it runs, else why it stopped
 * @param currentBatch index of the batch being deployed or observed (or the last one, once finished)
 */
public record Release(long id, String app, String fromVersion, String version, ReleaseState state, Verdict verdict,
                      String reason, String executor, int observationSeconds, boolean autoContinue, int currentBatch,
                      Instant createdAt, Instant startedAt, Instant endedAt, List<ReleaseBatch> batches) {
    public Release {
        batches = List.copyOf(batches);
    }

    public ReleaseBatch current() {
        return batches.get(currentBatch);
    }

    public boolean isLast(ReleaseBatch batch) {
        return batch.index() == batches.size() - 1;
    }
}
