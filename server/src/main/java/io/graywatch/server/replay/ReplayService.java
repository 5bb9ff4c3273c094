package io.graywatch.server.replay;

import io.graywatch.core.guard.Judge;
import io.graywatch.replay.Algorithms;
import io.graywatch.replay.harness.CaseOutcome;
import io.graywatch.replay.harness.ReplayHarness;
import io.graywatch.replay.report.Summary;
import io.graywatch.server.ApiException;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Replays recorded releases through an algorithm, in the background, and keeps the result beside
 * each release's live verdict. {@code graywatch} is the very judge the live guards use (the
 * server's {@link Judge} bean); {@code kayenta} and {@code threshold} are the replay's baselines.
 * Each release is replayed as its case says (see {@link CorpusExport}): at its live rounds'
 * moments with its live guard settings, so an unchanged algorithm gives the live verdicts back.
 */
@Service
public class ReplayService {
    private static final Logger log = LoggerFactory.getLogger(ReplayService.class);
    public static final int MAX_LIST = 1000;

    private final CorpusExport export;
    private final ReplayStore store;
    private final Judge liveJudge;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ReplayHarness harness = ReplayHarness.defaults();
    // one at a time: a replay is quick, and two would only compete for the same cores as the live guards
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "replay");
        t.setDaemon(true);
        return t;
    });

    ReplayService(CorpusExport export, ReplayStore store, Judge liveJudge, PlatformTransactionManager transactions, Clock clock) {
        this.export = export;
        this.store = store;
        this.liveJudge = liveJudge;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * Checks the request, then replays in the background; the replay is RUNNING until its releases are stored.
     *
     * @throws ApiException 400 for an unknown algorithm or a request naming both or neither of releaseIds and app,
     *                      404 for an unknown release or app, 409 for a release not judged yet
     */
    public Replay start(List<Long> releaseIds, String app, String algorithm) {
        String name = algorithm == null || algorithm.isBlank() ? "graywatch" : algorithm.strip();
        Supplier<Judge> judges = judges(name);
        List<RecordedRelease> recorded = export.select(releaseIds, app, null, null);
        Judge sample = judges.get();
        long id = store.insert(name, sample.algorithm(), sample.version(), app == null || app.isBlank() ? null : app,
                recorded.stream().map(r -> r.release().id()).toList(), now());
        worker.submit(() -> run(id, name, recorded, judges));
        return get(id);
    }

    private Supplier<Judge> judges(String name) {
        if (name.equals("graywatch")) return () -> liveJudge;
        try {
            return Algorithms.byName(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("algorithm: " + e.getMessage());
        }
    }

    private void run(long id, String algorithm, List<RecordedRelease> recorded, Supplier<Judge> judges) {
        try {
            long started = System.nanoTime();
            List<CaseOutcome> outcomes = new ArrayList<>();
            List<ReplayedRelease> replayed = new ArrayList<>();
            for (RecordedRelease r : recorded) {
                CaseOutcome o = harness.replayOrSayWhy(r.releaseCase(), judges.get(), why -> log.warn("replay {}, release {}: {}", id, r.release().id(), why));
                CaseOutcome live = r.live();
                outcomes.add(o);
                replayed.add(new ReplayedRelease(r.release().id(), o.caseId(), r.release().app(), r.release().version(), live.verdict(),
                        live.decidedAt(), live.reason(), o.verdict(), o.decidedAt(), o.reason(), o.rounds(), o.verdict() != live.verdict()));
            }
            Summary summary = Summary.score(algorithm, outcomes, null, (System.nanoTime() - started) / 1e9);
            tx.executeWithoutResult(s -> store.finish(id, replayed, summary, now()));
        } catch (RuntimeException e) {
            log.warn("replay {} failed", id, e);
            store.failed(id, "the replay failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), now());
        }
    }

    public Replay get(long id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("replay " + id + " not found"));
    }

    public List<ReplayedRelease> releases(long id) {
        get(id);
        return store.releases(id);
    }

    /** Newest first. */
    public List<Replay> list(int limit) {
        if (limit < 1 || limit > MAX_LIST) throw ApiException.badRequest("limit: must be between 1 and " + MAX_LIST);
        return store.list(limit);
    }

    @EventListener(ApplicationReadyEvent.class)
    void abandonInterrupted() {
        int n = store.abandonRunning("the server stopped before this replay finished: start it again", now());
        if (n > 0) log.warn("{} replays were interrupted by the last shutdown", n);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
