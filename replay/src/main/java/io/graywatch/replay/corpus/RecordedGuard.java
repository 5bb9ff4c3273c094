package io.graywatch.replay.corpus;

import io.graywatch.core.guard.GuardConfig;

import java.util.List;

/**
 * How a live guard judged a recorded release (case.json's optional {@code guard} object, which
 * only recordings carry): its settings and the moments of its rounds, so that a replay judges the
 * release by the same rules at the same moments as the live guard did.
 *
 * @param algorithm        the live judge's algorithm and version, for reports
 * @param analysisSeconds  the app's analysis interval (seconds between live rounds)
 * @param logBucketSeconds the length of the buckets the live rounds read log counts in (the agents'), 0 when not recorded
 * @param rounds           the live rounds, in time order
 * @param successRateFloorPercent the app's success-rate floor, 0 when not recorded: the core's default
 */
public record RecordedGuard(String algorithm, String algorithmVersion, long analysisSeconds, long warmupSeconds, long historySeconds,
                            int voteK, int voteN, List<String> dangerousExceptions, long logBucketSeconds, List<Round> rounds,
                            double successRateFloorPercent) {
    /**
     * One live round: its moment (Unix seconds) and how many batches it saw (a batch deployed in the
     * same second as the round that passed the batch before it was not there for that round, which
     * the moment alone cannot tell).
     *
     * @param freshVote the round started a fresh vote (the release was resumed before it), so it did not get the previous round's state
     */
    public record Round(long at, int batches, boolean freshVote) {
        public Round(long at, int batches) {
            this(at, batches, false);
        }
    }

    public RecordedGuard {
        dangerousExceptions = List.copyOf(dangerousExceptions);
        rounds = List.copyOf(rounds);
        if (logBucketSeconds < 0) throw new IllegalArgumentException("logBucketSeconds must be positive (or 0 when not recorded), got " + logBucketSeconds);
        if (successRateFloorPercent == 0) successRateFloorPercent = GuardConfig.defaults().successRateFloor();
        config(analysisSeconds, warmupSeconds, historySeconds, voteK, voteN, dangerousExceptions, successRateFloorPercent);
    }

    /** A recording of the core's default success-rate floor. */
    public RecordedGuard(String algorithm, String algorithmVersion, long analysisSeconds, long warmupSeconds, long historySeconds,
                         int voteK, int voteN, List<String> dangerousExceptions, long logBucketSeconds, List<Round> rounds) {
        this(algorithm, algorithmVersion, analysisSeconds, warmupSeconds, historySeconds, voteK, voteN, dangerousExceptions, logBucketSeconds, rounds, 0);
    }

    /** The configuration the live guard ran with: these settings over the core's defaults, as the server builds it. */
    public GuardConfig config() {
        return config(analysisSeconds, warmupSeconds, historySeconds, voteK, voteN, dangerousExceptions, successRateFloorPercent);
    }

    private static GuardConfig config(long interval, long warmup, long history, int k, int n, List<String> dangerous, double floor) {
        // a recording made before the interval was kept reads back 0: the server's default
        return GuardConfig.defaults().withRoundSeconds(Math.max(0, interval)).withWarmupSeconds(warmup).withHistorySeconds(history).withVote(k, n)
                .withDangerousExceptions(dangerous).withSuccessRateFloor(floor);
    }
}
