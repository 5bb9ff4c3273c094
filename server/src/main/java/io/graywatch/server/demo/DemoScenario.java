package io.graywatch.server.demo;

import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.release.Instance;
import io.graywatch.core.release.ReleaseExecutor;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.ApiException;
import io.graywatch.server.app.AppRequest;
import io.graywatch.server.app.AppService;
import io.graywatch.server.release.Release;
import io.graywatch.server.release.ReleasePlanRequest;
import io.graywatch.server.release.ReleasePlanRequest.BatchRequest;
import io.graywatch.server.release.ReleaseService;
import io.graywatch.server.release.ReleaseState;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's story, told once the server is up: start an agent per instance, let the fleet build
 * some history, release the healthy v2 through five batches, then the faulty v3, which the guard
 * must intercept in its first batch with users. The outcome says whether both went as they should.
 */
@Component
@ConditionalOnProperty(name = "graywatch.demo.enabled", havingValue = "true")
public class DemoScenario {
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(15);

    private final DemoSettings settings;
    private final AppService apps;
    private final ReleaseService releases;
    private final ReleaseExecutor executor;
    private final DemoAgents agents;
    private final Duration scrapeInterval;
    private final PrintStream out = System.out;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    /** How the demo ended: the two releases as they stand, and whether each did what it should. */
    public record Outcome(Release healthy, Release faulty, boolean healthyCompleted, boolean faultyIntercepted) {
        public boolean ok() {
            return healthyCompleted && faultyIntercepted;
        }
    }

    DemoScenario(DemoSettings settings, AppService apps, ReleaseService releases, ReleaseExecutor executor, DemoAgents agents,
                 @Value("${graywatch.scraper.interval:15s}") Duration scrapeInterval) {
        this.settings = settings;
        this.apps = apps;
        this.releases = releases;
        this.executor = executor;
        this.agents = agents;
        this.scrapeInterval = scrapeInterval;
        Duration least = settings.leastObservation(scrapeInterval);
        if (settings.observation().compareTo(least) < 0)
            throw new DemoWindowTooShort("graywatch.demo.observation must be at least " + least.toSeconds() + " s with a "
                    + settings.warmup().toSeconds() + " s warm-up, a round every " + settings.analysisInterval().toSeconds()
                    + " s and a scrape every " + scrapeInterval.toSeconds() + " s (the warm-up, " + GuardConfig.defaults().minSamples()
                    + " samples, and two rounds more), got " + settings.observation().toSeconds() + " s");
    }

    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    @EventListener
    void onServerUp(WebServerInitializedEvent event) {
        int port = event.getWebServer().getPort();
        Thread t = new Thread(() -> run(port), "graywatch-demo");
        t.setDaemon(true);
        t.start();
    }

    private void run(int port) {
        String url = "http://127.0.0.1:" + port + "/releases";
        try {
            out.printf("Graywatch demo: %d instances of '%s' on v1 (simulated on this host); UI at %s%n",
                    settings.instances(), DemoConfig.APP, url);
            ensureApp();
            closeLeftovers();
            agents.start(port);
            out.println("an agent per instance tails its log file and ships its exceptions and error lines to the server");
            out.printf("collecting %d s of history before the first release...%n", settings.history().toSeconds());
            Thread.sleep(settings.history().toMillis());

            Release healthy = runToEnd(plan("v2"));
            boolean healthyCompleted = healthy.state() == ReleaseState.COMPLETED;
            if (!healthyCompleted) {
                // a false alarm is what the demo exists to show rarely: say why, and put the fleet back so v3 still goes out
                out.printf("release %d (the healthy v2) stopped %s: %s; rolling it back%n", healthy.id(), healthy.state(), healthy.reason());
                if (healthy.state().isActive()) healthy = releases.rollBack(healthy.id(), "demo: the healthy release stopped; back to v1 for the faulty one");
            }
            Release faulty = runToEnd(plan("v3"));

            Set<String> onV3 = new TreeSet<>();
            for (Instance i : executor.instances(DemoConfig.APP)) if (i.version().equals("v3")) onV3.add(i.id());
            Set<String> firstBatches = new TreeSet<>(faulty.batches().get(0).instances());
            firstBatches.addAll(faulty.batches().get(1).instances());
            Outcome o = new Outcome(healthy, faulty, healthyCompleted,
                    faulty.state() == ReleaseState.PAUSED && faulty.verdict() == Verdict.FAIL
                            && faulty.currentBatch() == 1 && onV3.equals(firstBatches));
            for (Release r : List.of(healthy, faulty)) {
                out.printf("release %d %s %s %s %s%n", r.id(), r.app(), r.version(), r.state(), r.verdict());
            }
            out.println(o.ok() ? "demo: the healthy release completed and the faulty one was intercepted in its first batch with users"
                    : "demo: something went wrong: " + (o.healthyCompleted() ? "" : "the healthy release did not complete; ")
                    + (o.faultyIntercepted() ? "" : "the faulty release was not intercepted in its first batch with users"));
            out.printf("open %s to see why%n", url);
            outcome.complete(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.completeExceptionally(e);
        } catch (RuntimeException e) {
            out.println("demo: stopped by an error: " + e.getMessage());
            outcome.completeExceptionally(e);
        }
    }

    /** The shop as an onboarded app, guarded at the demo's pace; reused when an earlier demo left it. */
    private void ensureApp() {
        try {
            apps.get(DemoConfig.APP);
        } catch (ApiException notFound) {
            long step = Math.max(1, scrapeInterval.toSeconds());
            apps.create(new AppRequest(DemoConfig.APP, null, new AppRequest.Guard(
                    (int) settings.analysisInterval().toSeconds(), (int) step, settings.warmup().toSeconds(), 3600L, null, null, null), null));
        }
    }

    /** A release an earlier demo left open belongs to a fleet that is gone. */
    private void closeLeftovers() {
        for (ReleaseState s : List.of(ReleaseState.PENDING, ReleaseState.RUNNING, ReleaseState.PAUSED)) {
            for (Release r : releases.list(DemoConfig.APP, s, ReleaseService.MAX_LIST)) {
                releases.close(r.id(), "closed by a new demo run: its simulated fleet is gone");
            }
        }
    }

    /** Pre-release batch, one instance, then 25%, 50% and 100% of the fleet. */
    private Release plan(String version) {
        List<BatchRequest> batches = new ArrayList<>();
        batches.add(new BatchRequest(1, null, null, true));
        batches.add(new BatchRequest(1, null, null, null));
        for (double share : new double[]{25, 50, 100}) batches.add(new BatchRequest(null, share, null, null));
        return releases.plan(new ReleasePlanRequest(DemoConfig.APP, version, batches,
                (int) settings.observation().toSeconds(), true, true));
    }

    private Release runToEnd(Release r) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        while (r.state() == ReleaseState.RUNNING || r.state() == ReleaseState.PENDING) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("release " + r.id() + " still runs after " + GIVE_UP_AFTER);
            Thread.sleep(500);
            r = releases.get(r.id());
        }
        return r;
    }
}
