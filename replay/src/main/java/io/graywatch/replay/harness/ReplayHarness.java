package io.graywatch.replay.harness;

import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.logs.LogGrouper;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.RecordedGuard;
import io.graywatch.replay.corpus.ReleaseCase;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Replays one release through a {@link Judge} on a simulated clock: a round every
 * {@code roundSeconds} (by default the configuration's round, a minute, or the case's step when coarser) from the first batch until the release ended (the end itself is the last
 * round; a recorded release at its live rounds' moments), each seeing only what could be known at its moment — samples up to it, log events up to
 * it, the batches started by it, and no release end before it came. The guard's state goes from
 * round to round as the server carries it. A FAIL stops the replay, as it pauses a live release.
 * This is the entry point for replaying one recorded release; {@link ReplayRun} runs a corpus.
 */
public final class ReplayHarness {
    private final GuardConfig config;
    private final Supplier<LogGrouping> grouping;
    private final long roundSeconds;

    /**
     * @param grouping     a fresh grouping per case (groupings may learn templates)
     * @param roundSeconds seconds between rounds, which the guard is then told as its analysis interval; 0 or less
     *                     means the configuration's round (a recording's live interval), or a round a sample when
     *                     samples are coarser, as a round with no new sample would only repeat a vote
     */
    public ReplayHarness(GuardConfig config, Supplier<LogGrouping> grouping, long roundSeconds) {
        this.config = config;
        this.grouping = grouping;
        this.roundSeconds = roundSeconds;
    }

    /** The agent's log grouping, the default configuration and the default round interval. */
    public static ReplayHarness defaults() {
        return new ReplayHarness(GuardConfig.defaults(), FingerprintLogGrouping::new, 0);
    }

    /**
     * Log events are counted in buckets as long as the live agents' (a recording says how long), else as the agent's
     * default (ten seconds), or a scrape's when scrapes are finer: the guard then sees the counts a live agent would
     * have shipped. Counting by the step instead (a minute) would put an event of the warm-up's last second in the
     * same bucket as the next minute's, so the whole minute after the warm-up would count as warm-up and every new
     * exception would wait a round longer than live.
     */
    static long logBucketSeconds(ReleaseCase c) {
        if (c.guard() != null && c.guard().logBucketSeconds() > 0) return c.guard().logBucketSeconds();
        return Math.min(c.stepSeconds(), LogGrouper.Config.defaults().bucketSeconds());
    }

    /**
     * A recorded release (one whose case carries its live guard) is judged with the live guard's
     * configuration and, unless a round interval was asked for, at the live rounds' moments: the
     * replay then sees exactly what each live round saw.
     */
    public CaseOutcome replay(ReleaseCase c, Judge judge) {
        return replay(c, judge, (round, result) -> { });
    }

    /**
     * As {@link #replay(ReleaseCase, Judge)}, but a guard that throws costs only its own case: live, such a fault pauses
     * the release ("stopped by an error"), which no verdict stands for, so the case is INCONCLUSIVE (not intercepted)
     * with the exception and where it was thrown, and {@code warn} hears the same.
     */
    public CaseOutcome replayOrSayWhy(ReleaseCase c, Judge judge, Consumer<String> warn) {
        try {
            return replay(c, judge);
        } catch (RuntimeException e) {
            StackTraceElement[] at = e.getStackTrace();
            String why = "the guard failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + (at.length == 0 ? "" : " at " + at[0]);
            warn.accept(why + "; counted as not intercepted");
            return new CaseOutcome(c.id(), Verdict.INCONCLUSIVE, null, why, List.of(), 0, c.firstBatchAt());
        }
    }

    /** Hears every round of a replay, as it is judged; {@code --trace} prints them. */
    public interface RoundListener {
        void round(RecordedGuard.Round round, RoundResult result);
    }

    /** As {@link #replay(ReleaseCase, Judge)}, telling {@code listener} each round's result. */
    public CaseOutcome replay(ReleaseCase c, Judge judge, RoundListener listener) {
        GuardConfig cfg = c.guard() != null ? c.guard().config() : config;
        if (roundSeconds > 0) cfg = cfg.withRoundSeconds(roundSeconds);
        CaseLogs logs = new CaseLogs(c.logs(), grouping.get(), logBucketSeconds(c));
        Set<String> instances = c.instanceIds();
        GuardState state = GuardState.initial();
        RoundResult last = null;
        int rounds = 0;
        for (RecordedGuard.Round round : rounds(c, cfg)) {
            long now = round.at();
            if (round.freshVote()) state = GuardState.initial();
            GuardInput input = new GuardInput(c.viewAt(now, round.batches()), now, c.stepSeconds(), c.metrics(), instances,
                    c.observations().upTo(now), logs.upTo(now), cfg);
            last = judge.judge(input, state);
            listener.round(round, last);
            rounds++;
            state = last.state();
            if (last.verdict() == Verdict.FAIL) {
                return new CaseOutcome(c.id(), Verdict.FAIL, now, last.reason(), last.findings(), rounds, c.firstBatchAt());
            }
        }
        return new CaseOutcome(c.id(), last.verdict(), null, last.reason(), last.findings(), rounds, c.firstBatchAt());
    }

    /**
     * When the rounds happen and how many batches each sees: the live rounds of a recording, else
     * every round interval from the first batch with the end as the last, each seeing every batch started by then.
     */
    private List<RecordedGuard.Round> rounds(ReleaseCase c, GuardConfig cfg) {
        List<RecordedGuard.Round> out = new ArrayList<>();
        if (roundSeconds <= 0 && c.guard() != null) {
            for (RecordedGuard.Round r : c.guard().rounds()) if (r.at() >= c.firstBatchAt() && r.at() <= c.end()) out.add(r);
            if (!out.isEmpty()) return out;
        }
        long step = roundSeconds > 0 ? roundSeconds : cfg.gridSeconds(c.stepSeconds());
        for (long t = c.firstBatchAt(); ; t += step) {
            long now = Math.min(t, c.end());
            out.add(new RecordedGuard.Round(now, c.batches().size()));
            if (now >= c.end()) return out;
        }
    }
}
