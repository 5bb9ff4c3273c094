package io.graywatch.core.guard;

import io.graywatch.core.finding.Finding;

import java.util.List;

/**
 * One family of signals the funnel consults in every round (metrics, logs, app-specific rules).
 * A FAIL finding from the {@code rule} stage intercepts at once; every other finding is a
 * suspicion that the funnel's multi-round vote confirms or drops.
 */
public interface FindingDetector {
    List<Finding> detect(GuardInput input);
}
