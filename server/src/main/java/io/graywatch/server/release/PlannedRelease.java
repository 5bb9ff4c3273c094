package io.graywatch.server.release;

import io.graywatch.server.app.App;

import java.util.List;

/** A validated plan with its batches resolved to concrete instances, ready to be stored. */
record PlannedRelease(App app, String executor, String fromVersion, String toVersion, List<Batch> batches,
                      int observationSeconds, boolean autoContinue, boolean start) {
    PlannedRelease {
        batches = List.copyOf(batches);
    }

    record Batch(List<String> instances, boolean preRelease) {
        Batch {
            instances = List.copyOf(instances);
        }
    }
}
