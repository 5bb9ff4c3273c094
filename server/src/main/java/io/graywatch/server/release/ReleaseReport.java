package io.graywatch.server.release;

import io.graywatch.server.guard.GuardRound;

import java.util.List;

/** A release with every round of its guard and their findings: what the release page shows. */
public record ReleaseReport(Release release, List<GuardRound> rounds, List<ReleaseAction> actions) {
    public ReleaseReport {
        rounds = List.copyOf(rounds);
        actions = List.copyOf(actions);
    }
}
