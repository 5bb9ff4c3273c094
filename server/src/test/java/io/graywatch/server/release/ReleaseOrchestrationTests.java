package io.graywatch.server.release;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.guard.RoundJudged;
import io.graywatch.server.testing.ScriptedJudge;
import io.graywatch.server.testing.ServerTest;
import io.graywatch.server.testing.TestFleet.Deploy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The release state machine, driven by ticks at chosen instants. Run on H2 and on PostgreSQL. */
abstract class ReleaseOrchestrationTests extends ServerTest {
    private static final Duration LONG = Duration.ofMinutes(10);

    @Test
    void plansBatchesByCountShareAndNamedInstances() {
        String app = newApp(8);
        Release r = releases.plan(plan(app, "2", 30, preRelease(1), named(app + "-8"), share(50), share(100)));

        assertThat(r.state()).isEqualTo(ReleaseState.RUNNING);
        assertThat(r.fromVersion()).isEqualTo("1");
        assertThat(r.version()).isEqualTo("2");
        assertThat(r.verdict()).isNull();
        assertThat(r.batches()).extracting(ReleaseBatch::instances).containsExactly(
                List.of(app + "-1"), List.of(app + "-8"), List.of(app + "-2", app + "-3"),
                List.of(app + "-4", app + "-5", app + "-6", app + "-7"));
        assertThat(r.batches()).extracting(ReleaseBatch::preRelease).containsExactly(true, false, false, false);
        assertThat(r.batches()).extracting(ReleaseBatch::state).containsOnly(BatchState.PENDING);
        assertThat(fleet.deploys(app)).as("nothing is deployed before the first tick").isEmpty();
    }

    @Test
    void aShareIsThePartOfTheFleetOnTheNewVersionAfterItsBatch() {
        String app = newApp(6);
        Release r = releases.plan(plan(app, "2", 30, share(25), share(50), share(100)));
        assertThat(r.batches()).extracting(b -> b.instances().size()).containsExactly(2, 1, 3);
    }

    @Test
    void aHealthyReleaseGoesThroughEveryBatchAndCompletes() {
        String app = newApp(8);
        long id = releases.plan(plan(app, "2", 30, preRelease(1), count(1), share(50), share(100))).id();

        Release done = runUntilStopped(id);

        assertThat(done.state()).isEqualTo(ReleaseState.COMPLETED);
        assertThat(done.verdict()).isEqualTo(Verdict.PASS);
        assertThat(done.reason()).isEqualTo("completed: all 4 batches passed");
        assertThat(done.endedAt()).isNotNull();
        assertThat(done.batches()).extracting(ReleaseBatch::state).containsOnly(BatchState.PASSED);
        assertThat(done.batches()).extracting(ReleaseBatch::verdict).containsOnly(Verdict.PASS);
        assertThat(fleet.deploys(app)).as("each batch deployed exactly once").containsExactly(
                new Deploy(app, List.of(app + "-1"), "2"), new Deploy(app, List.of(app + "-2"), "2"),
                new Deploy(app, List.of(app + "-3", app + "-4"), "2"),
                new Deploy(app, List.of(app + "-5", app + "-6", app + "-7", app + "-8"), "2"));
        assertThat(fleet.versions(app).values()).containsOnly("2");

        // a round every 5 s over each 30 s window
        List<GuardRound> rounds = releases.rounds(id);
        assertThat(rounds).hasSize(4 * 6);
        assertThat(rounds).extracting(GuardRound::batch).containsExactly(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3);
        assertThat(rounds).allSatisfy(round -> {
            assertThat(round.algorithm()).isEqualTo("scripted");
            assertThat(round.algorithmVersion()).isEqualTo("1");
        });
        // each batch was observed for its whole window before the next was deployed
        for (int i = 1; i < 4; i++) {
            ReleaseBatch prev = done.batches().get(i - 1), next = done.batches().get(i);
            assertThat(Duration.between(prev.startedAt(), next.startedAt())).isEqualTo(Duration.ofSeconds(30));
        }

        assertThat(events.of(BatchStarted.class)).filteredOn(e -> e.releaseId() == id)
                .extracting(BatchStarted::batchIndex).containsExactly(0, 1, 2, 3);
        assertThat(events.of(BatchJudged.class)).filteredOn(e -> e.releaseId() == id)
                .allSatisfy(e -> assertThat(e.passed()).isTrue()).hasSize(4);
        assertThat(events.of(RoundJudged.class)).filteredOn(e -> e.releaseId() == id).hasSize(24);
        assertThat(events.of(ReleaseStateChanged.class)).filteredOn(e -> e.releaseId() == id)
                .extracting(ReleaseStateChanged::from, ReleaseStateChanged::to)
                .containsExactly(tuple(null, ReleaseState.RUNNING),
                        tuple(ReleaseState.RUNNING, ReleaseState.COMPLETED));
    }

    @Test
    void aPreReleaseBatchServesNoUsersUntilTheNextBatchStarts() {
        String app = newApp(4);
        long id = releases.plan(plan(app, "2", 30, preRelease(1), count(1), share(100))).id();

        tickUntil(id, r -> r.current().state() == BatchState.OBSERVING, LONG);
        assertThat(fleet.outOfTraffic(app)).as("the pre-release instance runs the new version without users").containsExactly(app + "-1");

        tickUntil(id, r -> r.currentBatch() == 1 && r.current().state() == BatchState.OBSERVING, LONG);
        assertThat(fleet.outOfTraffic(app)).as("back in traffic once the pre-release batch passed").isEmpty();
    }

    @Test
    void closingDuringThePreReleaseBatchReturnsItsInstancesToUsersAndKeepsTheirVersion() {
        String app = newApp(4);
        long id = releases.plan(plan(app, "2", 30, preRelease(1), count(1), share(100))).id();
        tickUntil(id, r -> r.current().state() == BatchState.OBSERVING, LONG);
        assertThat(fleet.outOfTraffic(app)).containsExactly(app + "-1");

        Release closed = releases.close(id, "taking it from here");

        assertThat(closed.state()).isEqualTo(ReleaseState.CLOSED);
        assertThat(fleet.outOfTraffic(app)).as("no instance is left without users once nobody manages the release").isEmpty();
        assertThat(fleet.versions(app)).containsEntry(app + "-1", "2");
    }

    @Test
    void aCloseThatCannotReturnThePreReleaseBatchToTrafficChangesNothing() {
        String app = newApp(4);
        long id = releases.plan(plan(app, "2", 30, preRelease(1), count(1), share(100))).id();
        tickUntil(id, r -> r.current().state() == BatchState.OBSERVING, LONG);
        fleet.failing(app, true);

        assertThatThrownBy(() -> releases.close(id, null))
                .hasMessageContaining("was not closed: its pre-release instances [" + app + "-1] could not be returned to user traffic")
                .hasMessageContaining("retry the close, or roll the release back");
        assertThat(releases.get(id).state()).isEqualTo(ReleaseState.RUNNING);
        assertThat(fleet.outOfTraffic(app)).containsExactly(app + "-1");

        fleet.failing(app, false);
        assertThat(releases.close(id, null).state()).isEqualTo(ReleaseState.CLOSED);
        assertThat(fleet.outOfTraffic(app)).isEmpty();
    }

    @Test
    void theGuardSeesTheDeployedBatchesTheirDeployTimesAndBothGroups() {
        String app = newApp(4);
        long id = releases.plan(plan(app, "2", 30, count(1), count(1), count(2))).id();
        tickUntil(id, r -> r.currentBatch() == 1 && r.current().state() == BatchState.OBSERVING, LONG);
        tickFor(Duration.ofSeconds(5));

        Release r = releases.get(id);
        ScriptedJudge.Call last = judge.calls(app).get(judge.calls(app).size() - 1);
        GuardInput in = last.input();
        assertThat(in.release().batches()).containsExactly(
                new Batch(0, r.batches().get(0).startedAt().getEpochSecond(), List.of(app + "-1"), false),
                new Batch(1, r.batches().get(1).startedAt().getEpochSecond(), List.of(app + "-2"), false));
        assertThat(in.release().fromVersion()).isEqualTo("1");
        assertThat(in.release().toVersion()).isEqualTo("2");
        assertThat(in.releaseGroup()).containsExactly(app + "-1", app + "-2");
        assertThat(in.referenceGroup()).containsExactly(app + "-3", app + "-4");
        assertThat(in.now()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(in.stepSeconds()).isEqualTo(5);
        assertThat(in.metrics()).as("the app's metrics, and the start time that tells restarts")
                .containsOnlyKeys("qps", "error_rate", "latency_avg_ms", "latency_p99_ms", "cpu_percent", "memory_mb", "start_time");
        assertThat(in.config().historySeconds()).isEqualTo(600);
        assertThat(in.config().warmupSeconds()).isEqualTo(10);
        assertThat(in.logs().groups()).as("no agent shipped logs for this app").isEmpty();
        // the vote carries over from round to round
        assertThat(last.state().rounds()).isEqualTo(judge.calls(app).size() - 1);
    }

    @Test
    void aFailPausesTheReleaseAtOnceWithOnlyThatBatchDeployed() {
        String app = newApp(8);
        judge.failFromBatch(app, 1);
        long id = releases.plan(plan(app, "3", 30, preRelease(1), count(1), share(50), share(100))).id();

        Release paused = runUntilStopped(id);

        assertThat(paused.state()).isEqualTo(ReleaseState.PAUSED);
        assertThat(paused.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(paused.reason()).isEqualTo("intercepted in batch 2 of 4: error rate 4.1% on the release group vs 0.3% on the reference group");
        assertThat(paused.currentBatch()).isEqualTo(1);
        assertThat(paused.batches()).extracting(ReleaseBatch::state)
                .containsExactly(BatchState.PASSED, BatchState.FAILED, BatchState.PENDING, BatchState.PENDING);
        assertThat(paused.batches().get(1).verdict()).isEqualTo(Verdict.FAIL);
        // the first round of batch 1 failed it: 5 s after its deploy
        assertThat(Duration.between(paused.batches().get(1).startedAt(), clock.instant())).isEqualTo(Duration.ofSeconds(5));
        assertThat(fleet.versions(app)).containsEntry(app + "-1", "3").containsEntry(app + "-2", "3");
        assertThat(fleet.versions(app).values()).containsOnly("1", "3").filteredOn("3"::equals).hasSize(2);

        GuardRound failed = releases.rounds(id).get(releases.rounds(id).size() - 1);
        assertThat(failed.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(failed.findings()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo("metric:error_rate");
            assertThat(f.severity()).isEqualTo(Verdict.FAIL);
            assertThat(f.stage()).isEqualTo("vote");
            assertThat(f.evidence()).containsEntry("releaseMean", 4.1).containsEntry("pValue", 0.001);
            assertThat(f.instances()).containsExactly(app + "-1", app + "-2");
        });

        // nothing moves while paused
        int rounds = releases.rounds(id).size();
        tickFor(Duration.ofSeconds(60));
        assertThat(fleet.deploys(app)).hasSize(2);
        assertThat(releases.rounds(id)).hasSize(rounds);
        assertThat(events.of(BatchJudged.class)).filteredOn(e -> e.releaseId() == id && !e.passed())
                .singleElement().satisfies(e -> assertThat(e.verdict()).isEqualTo(Verdict.FAIL));
    }

    @Test
    void inconclusiveAtTheEndOfTheWindowPausesButNotOnAPreReleaseBatch() {
        String app = newApp(4);
        judge.script(app, in -> Verdict.INCONCLUSIVE);
        long id = releases.plan(plan(app, "2", 30, preRelease(1), count(1), count(2))).id();

        Release paused = runUntilStopped(id);

        assertThat(paused.state()).isEqualTo(ReleaseState.PAUSED);
        assertThat(paused.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(paused.reason()).startsWith("not enough data to judge batch 2 of 3: ");
        assertThat(paused.batches().get(0).state()).as("a pre-release batch has no traffic to judge by").isEqualTo(BatchState.PASSED);
        assertThat(paused.batches().get(1).state()).isEqualTo(BatchState.FAILED);
        assertThat(paused.batches().get(1).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        // observed for the whole window: INCONCLUSIVE rounds before its end do not stop it
        assertThat(Duration.between(paused.batches().get(1).startedAt(), clock.instant())).isEqualTo(Duration.ofSeconds(30));
        assertThat(fleet.deploys(app)).hasSize(2);
    }

    @Test
    void resumeObservesTheFailedBatchAgainWithAFreshVoteAndGoesOn() {
        String app = newApp(4);
        judge.failFromBatch(app, 1);
        long id = releases.plan(plan(app, "2", 30, count(1), count(1), count(2))).id();
        tickUntil(id, r -> r.state() == ReleaseState.PAUSED, LONG);

        judge.script(app, in -> Verdict.PASS);
        Instant resumedAt = clock.instant();
        Release resumed = releases.resume(id, "false alarm: a dependency was slow");
        assertThat(resumed.state()).isEqualTo(ReleaseState.RUNNING);
        assertThat(resumed.reason()).isEqualTo("resumed: observing batch 2 of 3 again: false alarm: a dependency was slow");
        assertThat(resumed.current().state()).isEqualTo(BatchState.OBSERVING);
        assertThat(resumed.current().observingSince()).isEqualTo(resumedAt);
        assertThat(resumed.current().observeUntil()).isEqualTo(resumedAt.plusSeconds(30));

        tickFor(Duration.ofSeconds(5));
        List<ScriptedJudge.Call> calls = judge.calls(app);
        assertThat(calls.get(calls.size() - 1).state()).as("a fresh vote after resume").isEqualTo(GuardState.initial());

        Release done = runUntilStopped(id);
        assertThat(done.state()).isEqualTo(ReleaseState.COMPLETED);
        assertThat(fleet.deploys(app)).as("the resumed batch is not deployed again").hasSize(3);
        assertThat(Duration.between(resumedAt, done.batches().get(2).startedAt())).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void withoutAutoContinueEachPassedBatchWaitsForResume() {
        String app = newApp(3);
        long id = releases.plan(new ReleasePlanRequest(app, "2", List.of(count(1), count(2)), 30, false, null)).id();

        Release waiting = runUntilStopped(id);
        assertThat(waiting.state()).isEqualTo(ReleaseState.PAUSED);
        assertThat(waiting.reason()).isEqualTo("batch 1 of 2 passed (PASS); resume to deploy batch 2 of 2");
        assertThat(waiting.batches().get(0).state()).isEqualTo(BatchState.PASSED);
        tickFor(Duration.ofSeconds(60));
        assertThat(fleet.deploys(app)).hasSize(1);

        releases.resume(id, null);
        tickFor(Duration.ofSeconds(1));
        assertThat(fleet.deploys(app)).hasSize(2);
        assertThat(runUntilStopped(id).state()).isEqualTo(ReleaseState.COMPLETED);
    }

    @Test
    void rollBackPutsEveryInstanceBackOnTheOldVersion() {
        String app = newApp(5);
        judge.failFromBatch(app, 1);
        long id = releases.plan(plan(app, "2", 30, count(1), count(2), count(2))).id();
        tickUntil(id, r -> r.state() == ReleaseState.PAUSED, LONG);
        assertThat(fleet.versions(app).values()).filteredOn("2"::equals).hasSize(3);

        Release rolledBack = releases.rollBack(id, "error rate confirmed");

        assertThat(rolledBack.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(rolledBack.reason()).isEqualTo("rolled back to 1: error rate confirmed");
        assertThat(rolledBack.endedAt()).isNotNull();
        assertThat(fleet.versions(app).values()).containsOnly("1");
        assertThat(rolledBack.batches()).extracting(ReleaseBatch::state)
                .containsExactly(BatchState.ROLLED_BACK, BatchState.ROLLED_BACK, BatchState.PENDING);
        assertThat(releases.actions(id)).extracting(ReleaseAction::batchIndex).containsExactly(0, 1, null);
        assertThat(releases.actions(id)).last().satisfies(a -> {
            assertThat(a.version()).isEqualTo("1");
            assertThat(a.instances()).containsExactly(app + "-1", app + "-2", app + "-3", app + "-4", app + "-5");
        });
        assertThat(releases.actions(id)).extracting(ReleaseAction::kind, ReleaseAction::state).containsExactly(
                tuple(ReleaseAction.Kind.DEPLOY, ReleaseAction.State.DONE),
                tuple(ReleaseAction.Kind.DEPLOY, ReleaseAction.State.DONE),
                tuple(ReleaseAction.Kind.ROLLBACK, ReleaseAction.State.DONE));
        tickFor(Duration.ofSeconds(60));
        assertThat(fleet.deploys(app)).hasSize(3);
    }

    @Test
    void aRollbackTheExecutorRefusesIsRetriedUntilItSucceeds() {
        String app = newApp(3);
        long id = releases.plan(plan(app, "2", 30, count(1), count(2))).id();
        tickFor(Duration.ofSeconds(10));
        fleet.failing(app, true);

        Release r = releases.rollBack(id, null);
        assertThat(r.state()).isEqualTo(ReleaseState.ROLLED_BACK);
        assertThat(releases.actions(id)).last().satisfies(a -> {
            assertThat(a.state()).isEqualTo(ReleaseAction.State.INTENDED);
            assertThat(a.error()).isEqualTo("host unreachable");
        });
        assertThat(fleet.versions(app)).containsEntry(app + "-1", "2");

        fleet.failing(app, false);
        tickFor(Duration.ofSeconds(5));
        assertThat(fleet.versions(app)).as("retried only after a pause").containsEntry(app + "-1", "2");
        tickFor(Duration.ofSeconds(5));
        assertThat(fleet.versions(app).values()).containsOnly("1");
        assertThat(releases.actions(id)).last().extracting(ReleaseAction::state).isEqualTo(ReleaseAction.State.DONE);
    }

    @Test
    void closeStopsTheReleaseWhereItIs() {
        String app = newApp(4);
        long id = releases.plan(plan(app, "2", 30, count(1), count(1), count(2))).id();
        tickUntil(id, r -> r.currentBatch() == 1 && r.current().state() == BatchState.OBSERVING, LONG);
        int rounds = releases.rounds(id).size();

        Release closed = releases.close(id, "moving to another version");
        assertThat(closed.state()).isEqualTo(ReleaseState.CLOSED);
        assertThat(closed.reason()).isEqualTo("closed: moving to another version");
        tickFor(Duration.ofSeconds(120));

        assertThat(fleet.deploys(app)).hasSize(2);
        assertThat(releases.rounds(id)).hasSize(rounds);
        assertThat(fleet.versions(app)).isEqualTo(Map.of(app + "-1", "2", app + "-2", "2", app + "-3", "1", app + "-4", "1"));
    }

    @Test
    void aPersonPausesAndResumesARunningRelease() {
        String app = newApp(2);
        long id = releases.plan(plan(app, "2", 30, count(1), count(1))).id();
        tickFor(Duration.ofSeconds(12));
        int rounds = releases.rounds(id).size();

        Release paused = releases.pause(id, "checking a dashboard");
        assertThat(paused.state()).isEqualTo(ReleaseState.PAUSED);
        assertThat(paused.reason()).isEqualTo("paused by a person: checking a dashboard");
        tickFor(Duration.ofSeconds(60));
        assertThat(releases.rounds(id)).hasSize(rounds);

        releases.resume(id, null);
        assertThat(runUntilStopped(id).state()).isEqualTo(ReleaseState.COMPLETED);
    }

    @Test
    void aPlanMadeWithoutStartWaitsUntilStarted() {
        String app = newApp(2);
        long id = releases.plan(new ReleasePlanRequest(app, "2", List.of(count(2)), 10, null, false)).id();
        assertThat(releases.get(id).state()).isEqualTo(ReleaseState.PENDING);
        tickFor(Duration.ofSeconds(20));
        assertThat(fleet.deploys(app)).isEmpty();

        releases.start(id, null);
        assertThat(runUntilStopped(id).state()).isEqualTo(ReleaseState.COMPLETED);
        assertThat(fleet.deploys(app)).hasSize(1);
    }

    @Test
    void aFailedDeployPausesTheReleaseAndResumeRetriesIt() {
        String app = newApp(2);
        fleet.failing(app, true);
        long id = releases.plan(plan(app, "2", 10, count(1), count(1))).id();
        tickFor(Duration.ofSeconds(1));

        Release paused = releases.get(id);
        assertThat(paused.state()).isEqualTo(ReleaseState.PAUSED);
        assertThat(paused.reason()).isEqualTo("deploy of batch 1 of 2 failed: host unreachable; resume to retry");
        assertThat(releases.actions(id)).singleElement().extracting(ReleaseAction::state).isEqualTo(ReleaseAction.State.FAILED);

        fleet.failing(app, false);
        releases.resume(id, null);
        assertThat(runUntilStopped(id).state()).isEqualTo(ReleaseState.COMPLETED);
        assertThat(fleet.deploys(app)).hasSize(2);
    }

    @Test
    void aGuardThatCannotJudgePausesTheReleaseInsteadOfLettingItRunUnguarded() {
        String app = newApp(2);
        judge.script(app, in -> {
            throw new IllegalStateException("metric store unreachable");
        });
        long id = releases.plan(plan(app, "2", 30, count(1), count(1))).id();
        tickFor(Duration.ofSeconds(6));

        Release paused = releases.get(id);
        assertThat(paused.state()).isEqualTo(ReleaseState.PAUSED);
        assertThat(paused.reason()).isEqualTo("stopped by an error: metric store unreachable; fix the cause and resume");
        assertThat(fleet.deploys(app)).hasSize(1);
    }

    @Test
    void aMetricStoreOutageMakesRoundsInconclusiveAndPausesAtTheEndOfTheWindowWithItsReason() {
        String app = newApp(2);
        String outage = "cannot read metric 'qps' of app '" + app + "' from Prometheus at http://127.0.0.1:9/: cannot reach it (ConnectException)";
        try {
            long id = releases.plan(plan(app, "2", 60, count(1), count(1))).id();
            tickFor(Duration.ofSeconds(12));
            int judged = judge.calls(app).size();
            assertThat(judged).isPositive();

            metrics.failing(app, outage);
            tickFor(Duration.ofSeconds(10));
            assertThat(releases.get(id).state()).as("an outage is no reason to stop before the window ends").isEqualTo(ReleaseState.RUNNING);
            List<GuardRound> rounds = releases.rounds(id);
            assertThat(rounds.subList(judged, rounds.size())).hasSize(2).allSatisfy(round -> {
                assertThat(round.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
                assertThat(round.reason()).isEqualTo("metrics could not be read: " + outage);
                assertThat(round.findings()).isEmpty();
            });
            assertThat(judge.calls(app)).as("the judge is not asked about data nobody could read").hasSize(judged);

            metrics.failing(app, null);
            tickFor(Duration.ofSeconds(5));
            assertThat(judge.calls(app)).hasSize(judged + 1);
            assertThat(judge.calls(app).get(judged).state().rounds()).as("the outage's rounds left the vote as it was").isEqualTo(judged);

            metrics.failing(app, outage);
            Release paused = runUntilStopped(id);
            assertThat(paused.state()).isEqualTo(ReleaseState.PAUSED);
            assertThat(paused.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(paused.reason()).isEqualTo("not enough data to judge batch 1 of 2: metrics could not be read: " + outage);
            assertThat(fleet.deploys(app)).as("no batch passes that nobody could see").hasSize(1);
        } finally {
            metrics.failing(app, null);
        }
    }

    @Test
    void anAppHasAtMostOneActiveRelease() {
        String app = newApp(2);
        long first = releases.plan(plan(app, "2", 30, count(1))).id();
        assertThatThrownBy(() -> releases.plan(plan(app, "3", 30, count(1))))
                .hasMessage("app '" + app + "' already has release " + first + " in state RUNNING: roll it back or close it before planning another");
        releases.close(first, null);
        assertThat(releases.plan(plan(app, "3", 30, count(1))).fromVersion()).isEqualTo("1");
    }
}
