package io.graywatch.server.app;

import io.graywatch.core.guard.GuardConfig;

import java.util.List;

/**
 * How an app's releases are guarded. A release copies these when it is planned, so changing an
 * app does not change how a running release is judged.
 *
 * @param analysisIntervalSeconds a round every this many seconds while a batch is observed
 * @param stepSeconds             the resolution asked of the metric source
 * @param warmupSeconds           samples this long after an instance switches version are ignored
 * @param historySeconds          how far before the release the guard reads the instances' own past
 * @param voteK                   a suspicious metric fails in voteK of the last voteN rounds
 * @param voteN                   see voteK
 * @param dangerousExceptions     exception types that fail a release at once when new in the release group
 * @param successRateFloorPercent a success rate (an error rate above 100 minus it) that fails a release at once when the
 *                                released instances stay past it and the reference does not; null, as in settings stored
 *                                before it could be set, is the core's default
 */
public record GuardSettings(int analysisIntervalSeconds, int stepSeconds, long warmupSeconds, long historySeconds,
                            int voteK, int voteN, List<String> dangerousExceptions, Double successRateFloorPercent) {

    public GuardSettings {
        dangerousExceptions = List.copyOf(dangerousExceptions);
        if (successRateFloorPercent == null) successRateFloorPercent = GuardConfig.defaults().successRateFloor();
        if (analysisIntervalSeconds < 1 || stepSeconds < 1) {
            throw new IllegalArgumentException("analysisIntervalSeconds and stepSeconds must be at least 1");
        }
        toConfig(analysisIntervalSeconds, warmupSeconds, historySeconds, voteK, voteN, dangerousExceptions, successRateFloorPercent);
    }

    public static GuardSettings defaults() {
        GuardConfig d = GuardConfig.defaults();
        return new GuardSettings(60, 15, d.warmupSeconds(), d.historySeconds(), d.voteK(), d.voteN(), d.dangerousExceptions(), d.successRateFloor());
    }

    /** The core's configuration: these settings over the core's defaults for everything else. */
    public GuardConfig toConfig() {
        return toConfig(analysisIntervalSeconds, warmupSeconds, historySeconds, voteK, voteN, dangerousExceptions, successRateFloorPercent);
    }

    private static GuardConfig toConfig(long interval, long warmup, long history, int k, int n, List<String> dangerous, double floor) {
        return GuardConfig.defaults().withRoundSeconds(interval).withWarmupSeconds(warmup).withHistorySeconds(history).withVote(k, n)
                .withDangerousExceptions(dangerous).withSuccessRateFloor(floor);
    }
}
