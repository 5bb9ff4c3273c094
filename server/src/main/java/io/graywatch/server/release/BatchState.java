package io.graywatch.server.release;

/** Where one batch of a release stands. */
public enum BatchState {
    /** Not deployed yet. */
    PENDING,
    /** The deploy is recorded as intended and the executor was (or is being) called. */
    DEPLOYING,
    /** Deployed; the guard judges it round by round until its observation window ends. */
    OBSERVING,
    /** Its window ended with PASS or WARN (or INCONCLUSIVE for a pre-release batch). */
    PASSED,
    /** The guard stopped the release on it (FAIL, or INCONCLUSIVE at the end of the window); resuming re-observes it. */
    FAILED,
    /** Its instances were put back on the old version. */
    ROLLED_BACK
}
