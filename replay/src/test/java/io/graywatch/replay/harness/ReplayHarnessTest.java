package io.graywatch.replay.harness;

import io.graywatch.core.baseline.KayentaJudge;
import io.graywatch.core.baseline.ThresholdJudge;
import io.graywatch.core.funnel.GraywatchJudge;
import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.guard.Judge;
import io.graywatch.core.guard.RoundResult;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogDetector;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.replay.corpus.RecordedGuard;
import io.graywatch.replay.corpus.ReleaseCase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReplayHarnessTest {
    private static final long AFTER_END = Cases.END + 300;

    /** Error rate 30% on every released instance, but only from {@code from} on. */
    private static ReleaseCase faultFrom(long from) {
        return Cases.make("fault", (i, m, t) -> m.equals("error_rate") && t >= from && t > Cases.switchOf(i) ? 30 : Double.NaN,
                List.of(new LogEvent(AFTER_END, "i1", "ERROR", null, "boom", "java.lang.NoSuchMethodError: x\n\tat a.B.c(B.java:1)", 50),
                        new LogEvent(Cases.BATCH1 - 100, "i3", "ERROR", null, "timeout after 3000 ms", null, 1)));
    }

    /** Records what it was shown, and fails whenever it sees an error rate above 10 anywhere in its input. */
    private static final class Watcher implements Judge {
        final List<GuardInput> seen = new ArrayList<>();

        public String algorithm() { return "watcher"; }

        public String version() { return "1"; }

        public RoundResult judge(GuardInput in, GuardState state) {
            seen.add(in);
            for (String i : in.observations().instances())
                for (double v : in.observations().series(i, "error_rate").finiteValues())
                    if (v > 10) return new RoundResult(in.now(), Verdict.FAIL, "saw " + v, List.of(), state);
            boolean exception = in.logs().groups().values().stream().anyMatch(g -> g.exceptionType() != null);
            return new RoundResult(in.now(), exception ? Verdict.FAIL : Verdict.PASS, "round " + state.rounds(), List.of(),
                    new GuardState(state.rounds() + 1, state.suspicion()));
        }
    }

    @Test
    void aJudgeNeverSeesAnythingAfterTheRoundsMoment() {
        Watcher w = new Watcher();
        CaseOutcome o = ReplayHarness.defaults().replay(faultFrom(AFTER_END), w);
        assertThat(o.verdict()).isEqualTo(Verdict.PASS);
        assertThat(o.decidedAt()).isNull();
        assertThat(w.seen).hasSize(31);
        for (GuardInput in : w.seen) {
            long now = in.now();
            for (String i : in.observations().instances())
                for (Series s : in.observations().ofInstance(i).values())
                    if (!s.isEmpty()) assertThat(s.time(s.size() - 1)).isLessThanOrEqualTo(now);
            for (LogCount c : in.logs().counts()) assertThat(c.bucketStart()).isLessThanOrEqualTo(now);
            assertThat(in.release().batches()).allSatisfy(b -> assertThat(b.at()).isLessThanOrEqualTo(now));
            assertThat(in.release().end()).isEqualTo(now >= Cases.END ? Cases.END : null);
        }
        // rounds every step from the first batch to the end, with the state carried along
        assertThat(w.seen.get(0).now()).isEqualTo(Cases.BATCH1);
        assertThat(w.seen.get(30).now()).isEqualTo(Cases.END);
        assertThat(o.reason()).isEqualTo("round 30");
        assertThat(w.seen.get(5).release().batches()).extracting(Batch::index).containsExactly(1);
        assertThat(w.seen.get(15).release().batches()).extracting(Batch::index).containsExactly(1, 2);
        // the history is there from the start: 60 minutes of samples before the first batch
        assertThat(w.seen.get(0).observations().series("i6", "latency_ms").size()).isEqualTo(61);
        assertThat(w.seen.get(0).logs().groups()).hasSize(1);
        assertThat(w.seen.get(0).referenceGroup()).containsExactly("i2", "i3", "i4", "i5", "i6");
    }

    @Test
    void aFaultThatBeginsAfterTheReleaseEndedIsNotIntercepted() {
        ReleaseCase c = faultFrom(AFTER_END);
        for (Judge j : List.of(new ThresholdJudge(), new KayentaJudge(), new Watcher()))
            assertThat(ReplayHarness.defaults().replay(c, j).intercepted()).as(j.algorithm()).isFalse();
    }

    @Test
    void aFaultDuringTheReleaseIsInterceptedWhenItShowsAndTheReplayStopsThere() {
        long onset = Cases.BATCH1 + 700;
        CaseOutcome o = ReplayHarness.defaults().replay(faultFrom(onset), new ThresholdJudge());
        assertThat(o.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(o.decidedAt()).isEqualTo(Cases.BATCH1 + 720);
        assertThat(o.rounds()).isEqualTo(13);
        assertThat(o.findings()).singleElement().satisfies(f -> assertThat(f.subject()).isEqualTo("error_rate"));
        assertThat(o.reason()).contains("above the 1% limit");
    }

    @Test
    void logEventsBecomeGroupsAndCountsOnlyOnceTheyHappened() {
        long t = Cases.BATCH1 + 90;
        ReleaseCase c = Cases.make("logs", (i, m, x) -> Double.NaN, List.of(
                new LogEvent(t, "i1", "ERROR", null, "Cannot invoke", "java.lang.NullPointerException: Cannot invoke \"x\"\n\tat com.acme.A.b(A.java:10)", 2),
                new LogEvent(t + 20, "i1", "ERROR", null, "Cannot invoke", "java.lang.NullPointerException: Cannot invoke \"y\"\n\tat com.acme.A.b(A.java:12)", 1),
                new LogEvent(t + 40, "i2", "ERROR", null, "timeout after 3000 ms calling 10.0.0.1", null, 1),
                new LogEvent(t + 50, "i2", "ERROR", null, "timeout after 5000 ms calling 10.0.0.7", null, 1)));
        Watcher w = new Watcher();
        ReplayHarness.defaults().replay(c, w);
        GuardInput at120 = w.seen.stream().filter(in -> in.now() == Cases.BATCH1 + 120).findFirst().orElseThrow();
        assertThat(at120.logs().groups()).hasSize(1);
        // in buckets of ten seconds, as the agent counts by default
        assertThat(at120.logs().bucketSeconds()).isEqualTo(10);
        assertThat(at120.logs().counts()).extracting(LogCount::bucketStart, LogCount::count)
                .containsExactly(tuple(Cases.BATCH1 + 90, 2L), tuple(Cases.BATCH1 + 110, 1L));
        GuardInput before = w.seen.stream().filter(in -> in.now() == Cases.BATCH1 + 60).findFirst().orElseThrow();
        assertThat(before.logs().groups()).isEmpty();
    }

    @Test
    void aNewExceptionFromTheFirstSecondAfterTheWarmUpFailsTheRoundThatEndsItsFirstMinute() {
        // i1 switches at BATCH1, its 60 s warm-up ends at BATCH1 + 60; from the next second it throws every 10 s
        List<LogEvent> logs = new ArrayList<>();
        for (long t = Cases.BATCH1 + 61; t < Cases.END; t += 10)
            logs.add(new LogEvent(t, "i1", "ERROR", null, "Cannot invoke", "java.lang.NullPointerException: Cannot invoke \"x\"\n\tat com.acme.A.b(A.java:10)", 1));
        CaseOutcome o = ReplayHarness.defaults().replay(Cases.make("npe", (i, m, t) -> Double.NaN, logs), new GraywatchJudge(List.of(new LogDetector())));
        assertThat(o.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(o.reason()).contains("NullPointerException");
        // counted by the minute, the bucket holding the warm-up's last second would hold the whole first minute after it
        assertThat(o.decidedAt()).isEqualTo(Cases.BATCH1 + 120);
    }

    @Test
    void logEventsAreGroupedByFingerprintAndTemplateAsTheAgentGroupsThem() {
        FingerprintLogGrouping g = new FingerprintLogGrouping();
        var a = g.groupOf(new LogEvent(1, "i", "ERROR", null, "m", "java.lang.IllegalStateException: x\n\tat a.B(B.java:10)\nCaused by: java.io.IOException: y", 1));
        var b = g.groupOf(new LogEvent(1, "i", "ERROR", null, "m", "java.lang.IllegalStateException: z\n\tat a.B(B.java:99)\nCaused by: java.io.IOException: w", 1));
        var c = g.groupOf(new LogEvent(1, "i", "ERROR", null, "m", "java.lang.IllegalStateException: z\n\tat a.B(B.java:99)\nCaused by: java.sql.SQLException: w", 1));
        assertThat(a.id()).isEqualTo(b.id()).isNotEqualTo(c.id());
        assertThat(a.exceptionType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(a.rootCauseType()).isEqualTo("java.io.IOException");
        var t1 = g.groupOf(new LogEvent(1, "i", "ERROR", null, "timeout after 3000 ms calling 10.2.3.4", null, 1));
        var t2 = g.groupOf(new LogEvent(1, "i", "ERROR", null, "timeout after 5000 ms calling 10.2.3.9", null, 1));
        assertThat(t1.id()).isEqualTo(t2.id());
        assertThat(t1.template()).contains("timeout after").contains("ms calling").doesNotContain("3000").doesNotContain("10.2.3.4");
    }

    @Test
    void roundsCanBeSpacedDifferentlyAndTheEndIsAlwaysTheLastRound() {
        Watcher w = new Watcher();
        new ReplayHarness(io.graywatch.core.guard.GuardConfig.defaults(), FingerprintLogGrouping::new, 420).replay(faultFrom(AFTER_END), w);
        assertThat(w.seen).extracting(GuardInput::now).containsExactly(Cases.BATCH1, Cases.BATCH1 + 420, Cases.BATCH1 + 840, Cases.BATCH1 + 1260,
                Cases.BATCH1 + 1680, Cases.END);
    }

    @Test
    void theStateOfOneRoundIsWhatTheNextRoundGets() {
        List<GuardState> given = new ArrayList<>();
        Judge counting = new Judge() {
            public String algorithm() { return "counting"; }

            public String version() { return "1"; }

            public RoundResult judge(GuardInput in, GuardState s) {
                given.add(s);
                return new RoundResult(in.now(), Verdict.PASS, "", List.of(), new GuardState(s.rounds() + 1, Map.of("k", List.of(s.rounds() % 2 == 0))));
            }
        };
        ReplayHarness.defaults().replay(faultFrom(AFTER_END), counting);
        assertThat(given.get(0)).isEqualTo(GuardState.initial());
        assertThat(given.get(3).rounds()).isEqualTo(3);
        assertThat(given.get(3).suspicion().get("k")).containsExactly(true);
    }

    /** The case of {@link #faultFrom} as a recording: three live rounds, warm-up 123 s, a vote of 3 of 4. */
    private static ReleaseCase recorded(List<RecordedGuard.Round> rounds) {
        ReleaseCase c = faultFrom(AFTER_END);
        RecordedGuard guard = new RecordedGuard("graywatch", "7", 30, 123, 1800, 3, 4, List.of("NoSuchMethodError"), 30, rounds);
        return new ReleaseCase(c.id(), c.app(), c.stepSeconds(), c.metrics(), c.instances(), c.fromVersion(), c.toVersion(), c.start(),
                c.batches(), c.end(), c.windowFrom(), c.windowTo(), c.observations(), c.logs(), guard);
    }

    @Test
    void aRecordingIsJudgedAtItsLiveRoundsWithTheBatchesEachSawAndItsLiveSettings() {
        // the second round ran in the second in which batch 2 was deployed, before the deploy
        ReleaseCase c = recorded(List.of(new RecordedGuard.Round(Cases.BATCH1 + 30, 1), new RecordedGuard.Round(Cases.BATCH1 + 600, 1),
                new RecordedGuard.Round(Cases.BATCH1 + 630, 2)));
        Watcher w = new Watcher();
        CaseOutcome o = ReplayHarness.defaults().replay(c, w);
        assertThat(w.seen).extracting(GuardInput::now).containsExactly(Cases.BATCH1 + 30, Cases.BATCH1 + 600, Cases.BATCH1 + 630);
        assertThat(w.seen.get(1).release().batches()).extracting(Batch::index).containsExactly(1);
        assertThat(w.seen.get(2).release().batches()).extracting(Batch::index).containsExactly(1, 2);
        assertThat(w.seen).allSatisfy(in -> assertThat(in.config()).isEqualTo(c.guard().config()));
        assertThat(w.seen.get(0).config().warmupSeconds()).isEqualTo(123);
        assertThat(w.seen.get(0).config().voteK()).isEqualTo(3);
        // log counts in the live agents' buckets
        assertThat(w.seen).allSatisfy(in -> assertThat(in.logs().bucketSeconds()).isEqualTo(30));
        assertThat(o.rounds()).isEqualTo(3);
        assertThat(o.reason()).isEqualTo("round 2");
    }

    @Test
    void aRoundIntervalAskedForReplacesTheLiveRounds() {
        ReleaseCase c = recorded(List.of(new RecordedGuard.Round(Cases.BATCH1 + 30, 1)));
        Watcher w = new Watcher();
        new ReplayHarness(io.graywatch.core.guard.GuardConfig.defaults(), FingerprintLogGrouping::new, 600).replay(c, w);
        assertThat(w.seen).extracting(GuardInput::now).containsExactly(Cases.BATCH1, Cases.BATCH1 + 600, Cases.BATCH1 + 1200, Cases.END);
        assertThat(w.seen.get(0).config().warmupSeconds()).as("still the live settings").isEqualTo(123);
    }

    @Test
    void aRoundAfterAResumeStartsAFreshVoteAsItDidLive() {
        ReleaseCase c = recorded(List.of(new RecordedGuard.Round(Cases.BATCH1 + 30, 1), new RecordedGuard.Round(Cases.BATCH1 + 60, 1),
                new RecordedGuard.Round(Cases.BATCH1 + 400, 1, true), new RecordedGuard.Round(Cases.BATCH1 + 430, 1)));
        Watcher w = new Watcher();
        CaseOutcome o = ReplayHarness.defaults().replay(c, w);
        assertThat(o.reason()).as("the state counts the rounds since the resume").isEqualTo("round 1");
    }
}
