package io.graywatch.server.testing;

import io.graywatch.server.GraywatchServer;
import io.graywatch.server.app.AppRequest;
import io.graywatch.server.app.AppService;
import io.graywatch.server.guard.GuardRecords;
import io.graywatch.server.release.Release;
import io.graywatch.server.release.ReleaseOrchestrator;
import io.graywatch.server.release.ReleasePlanRequest;
import io.graywatch.server.release.ReleaseState;
import io.graywatch.server.release.ReleaseService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Base of the server's tests: a real server on a random port of 127.0.0.1 with a database of its
 * own. Test classes that share the database kind share one server, so each test works on apps of
 * its own (see {@link #newApp}).
 */
@SpringBootTest(classes = GraywatchServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // the failures tests provoke on purpose are logged with their stack traces; keep the output readable
        properties = {"logging.level.io.graywatch.server.release.ReleaseOrchestrator=ERROR",
                "logging.level.io.graywatch.server.guard.GuardRunner=ERROR"})
@ContextConfiguration(initializers = TestFixtures.class)
@AutoConfigureObservability(tracing = false) // tests would otherwise leave the Prometheus endpoint out
public abstract class ServerTest {
    private static final AtomicInteger APPS = new AtomicInteger();

    @Autowired protected TestFleet fleet;
    @Autowired protected ScriptedJudge judge;
    @Autowired protected RecordedMetricSource metrics;
    @Autowired protected MutableClock clock;
    @Autowired protected EventLog events;
    @Autowired protected AppService apps;
    @Autowired protected ReleaseService releases;
    @Autowired protected ReleaseOrchestrator orchestrator;
    @Autowired protected GuardRecords records;
    @Autowired protected JdbcClient db;
    @LocalServerPort protected int port;

    /** A new app with n instances named {@code <app>-1 … <app>-n} on version 1, guarded every 5 s. */
    protected String newApp(int instances) {
        String name = "app" + APPS.incrementAndGet() + "-" + System.nanoTime() % 100000;
        fleet.add(name, instances, "1");
        apps.create(new AppRequest(name, null, new AppRequest.Guard(5, 5, 10L, 600L, null, null, null), null));
        return name;
    }

    protected static ReleasePlanRequest plan(String app, String version, int observationSeconds, ReleasePlanRequest.BatchRequest... batches) {
        return new ReleasePlanRequest(app, version, Arrays.asList(batches), observationSeconds, null, null);
    }

    protected static ReleasePlanRequest.BatchRequest count(int n) {
        return new ReleasePlanRequest.BatchRequest(n, null, null, null);
    }

    protected static ReleasePlanRequest.BatchRequest preRelease(int n) {
        return new ReleasePlanRequest.BatchRequest(n, null, null, true);
    }

    protected static ReleasePlanRequest.BatchRequest share(double percent) {
        return new ReleasePlanRequest.BatchRequest(null, percent, null, null);
    }

    protected static ReleasePlanRequest.BatchRequest named(String... instances) {
        return new ReleasePlanRequest.BatchRequest(null, null, List.of(instances), null);
    }

    /** Moves the clock one second at a time, ticking the orchestrator after each, for the given time. */
    protected void tickFor(Duration d) {
        for (long s = 0; s < d.toSeconds(); s++) {
            orchestrator.tick(clock.advance(Duration.ofSeconds(1)));
        }
    }

    /** Ticks until the release stops running (completed, paused, ...) and returns it. */
    protected Release runUntilStopped(long releaseId) {
        return tickUntil(releaseId, r -> r.state() != ReleaseState.RUNNING, Duration.ofMinutes(10));
    }

    /** Ticks second by second until the release satisfies the condition; fails after the limit. */
    protected Release tickUntil(long releaseId, Predicate<Release> condition, Duration limit) {
        for (long s = 0; s <= limit.toSeconds(); s++) {
            Release r = releases.get(releaseId);
            if (condition.test(r)) return r;
            orchestrator.tick(clock.advance(Duration.ofSeconds(1)));
        }
        throw new AssertionError("release " + releaseId + " did not get there in " + limit + ": " + releases.get(releaseId));
    }
}
