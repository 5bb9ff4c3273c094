package io.graywatch.server.release;

import io.graywatch.core.guard.GuardState;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.server.app.GuardSettings;

import java.time.Instant;
import java.util.List;

/**
 * How a release is guarded: the app's metrics and settings as they were when it was planned, the
 * vote carried between rounds, and when the next round is due.
 */
public record ReleaseGuard(List<MetricSpec> metrics, GuardSettings settings, GuardState state, Instant nextRoundAt) {
    public ReleaseGuard {
        metrics = List.copyOf(metrics);
        state = state == null ? GuardState.initial() : state;
    }
}
