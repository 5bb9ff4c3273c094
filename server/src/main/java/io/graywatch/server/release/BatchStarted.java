package io.graywatch.server.release;

import java.time.Instant;
import java.util.List;

/** Published after a batch's deploy is done, when its observation begins. */
public record BatchStarted(long releaseId, String app, String version, int batchIndex, int batchCount,
                           List<String> instances, boolean preRelease, Instant at) {
    public BatchStarted {
        instances = List.copyOf(instances);
    }
}
