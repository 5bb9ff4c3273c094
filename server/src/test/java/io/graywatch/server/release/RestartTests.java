package io.graywatch.server.release;

import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.GraywatchServer;
import io.graywatch.server.app.AppRequest;
import io.graywatch.server.app.AppService;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.testing.MutableClock;
import io.graywatch.server.testing.RecordedMetricSource;
import io.graywatch.server.testing.ScriptedJudge;
import io.graywatch.server.testing.TestDatabase;
import io.graywatch.server.testing.TestFixtures;
import io.graywatch.server.testing.TestFleet;
import io.graywatch.server.testing.TestFleet.Deploy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server stopped in the middle of a release and started again on the same database picks the
 * release up where it was, without repeating an action. The fleet, the judge and the clock
 * outlive the servers, as real hosts and time do.
 */
abstract class RestartTests {
    private final TestFleet fleet = new TestFleet();
    private final ScriptedJudge judge = new ScriptedJudge();
    private final MutableClock clock = new MutableClock(Instant.parse("2030-06-01T12:00:00Z"));
    private final TestDatabase db = TestDatabase.create(database());
    private final TestFixtures fixtures = new TestFixtures(fleet, judge, new RecordedMetricSource(), clock, db);

    abstract String database();

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private ConfigurableApplicationContext startServer() {
        return GraywatchServer.builder().initializers(fixtures).run("--server.port=0");
    }

    private void tickFor(ConfigurableApplicationContext server, Duration d) {
        ReleaseOrchestrator orchestrator = server.getBean(ReleaseOrchestrator.class);
        for (long s = 0; s < d.toSeconds(); s++) orchestrator.tick(clock.advance(Duration.ofSeconds(1)));
    }

    private long planRelease(ConfigurableApplicationContext server) {
        fleet.add("shop", 4, "1");
        server.getBean(AppService.class).create(new AppRequest("shop", null, new AppRequest.Guard(5, 5, 10L, 600L, null, null, null), null));
        ReleasePlanRequest.BatchRequest one = new ReleasePlanRequest.BatchRequest(1, null, null, null);
        ReleasePlanRequest.BatchRequest two = new ReleasePlanRequest.BatchRequest(2, null, null, null);
        return server.getBean(ReleaseService.class).plan(new ReleasePlanRequest("shop", "2", List.of(one, one, two), 30, null, null)).id();
    }

    @Test
    void aRestartedServerContinuesTheReleaseWithoutRepeatingADeploy() {
        long id;
        int roundsBefore;
        try (ConfigurableApplicationContext first = startServer()) {
            id = planRelease(first);
            tickFor(first, Duration.ofSeconds(42));
            Release r = first.getBean(ReleaseService.class).get(id);
            assertThat(r.currentBatch()).isEqualTo(1);
            assertThat(r.current().state()).isEqualTo(BatchState.OBSERVING);
            assertThat(fleet.deploys("shop")).hasSize(2);
            roundsBefore = judge.calls("shop").size();
        }

        try (ConfigurableApplicationContext second = startServer()) {
            ReleaseService releases = second.getBean(ReleaseService.class);
            tickFor(second, Duration.ofSeconds(1));
            assertThat(fleet.deploys("shop")).as("no deploy repeated after the restart").hasSize(2);

            tickFor(second, Duration.ofSeconds(5));
            assertThat(judge.calls("shop").get(roundsBefore).state().rounds())
                    .as("the vote carries over the restart").isEqualTo(roundsBefore);

            tickFor(second, Duration.ofSeconds(60));
            Release done = releases.get(id);
            assertThat(done.state()).isEqualTo(ReleaseState.COMPLETED);
            assertThat(done.verdict()).isEqualTo(Verdict.PASS);
            assertThat(fleet.deploys("shop")).containsExactly(new Deploy("shop", List.of("shop-1"), "2"),
                    new Deploy("shop", List.of("shop-2"), "2"), new Deploy("shop", List.of("shop-3", "shop-4"), "2"));
            // batch 1 kept its window across the restart: 6 rounds in 30 s, as every batch
            assertThat(releases.rounds(id)).extracting(GuardRound::batch).containsExactly(
                    0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2);
        }
    }

    @Test
    void aDeployNotRecordedDoneIsIssuedAgainAndOnlyThatOne() {
        long id;
        try (ConfigurableApplicationContext first = startServer()) {
            id = planRelease(first);
            tickFor(first, Duration.ofSeconds(30));
            fleet.dieAfterNextDeploy("shop");
            assertThatThrownBy(() -> tickFor(first, Duration.ofSeconds(1))).isInstanceOf(TestFleet.ProcessDied.class);
            assertThat(first.getBean(ReleaseService.class).get(id).current().state()).isEqualTo(BatchState.DEPLOYING);
        }

        try (ConfigurableApplicationContext second = startServer()) {
            tickFor(second, Duration.ofSeconds(1));
            assertThat(fleet.deploys("shop")).as("batch 1's deploy, not recorded done, is issued again; batch 0's is not")
                    .containsExactly(new Deploy("shop", List.of("shop-1"), "2"), new Deploy("shop", List.of("shop-2"), "2"),
                            new Deploy("shop", List.of("shop-2"), "2"));
            ReleaseService releases = second.getBean(ReleaseService.class);
            assertThat(releases.get(id).current().state()).isEqualTo(BatchState.OBSERVING);
            assertThat(releases.actions(id)).extracting(ReleaseAction::state).containsOnly(ReleaseAction.State.DONE).hasSize(2);
            tickFor(second, Duration.ofSeconds(60));
            assertThat(releases.get(id).state()).isEqualTo(ReleaseState.COMPLETED);
            assertThat(fleet.deploys("shop")).hasSize(4);
        }
    }
}
