package io.graywatch.server.release;

/** Where a release plan stands. PENDING, RUNNING and PAUSED are active: an app has at most one active release. */
public enum ReleaseState {
    /** Planned with {@code start: false}; nothing deployed until it is started. */
    PENDING,
    /** The orchestrator deploys and observes its batches. */
    RUNNING,
    /** Stopped by the guard, by a person, by an error, or waiting to be resumed; nothing moves until resumed. */
    PAUSED,
    /** Every batch was deployed and passed. */
    COMPLETED,
    /** Every instance was put back on the version it ran before. */
    ROLLED_BACK,
    /** Stopped where it was, for good; no further actions. */
    CLOSED;

    public boolean isActive() {
        return this == PENDING || this == RUNNING || this == PAUSED;
    }
}
