package io.graywatch.server.release;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.release.Instance;
import io.graywatch.core.release.ReleaseExecutor;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.ApiException;
import io.graywatch.server.guard.GuardRecords;
import io.graywatch.server.guard.GuardRound;
import io.graywatch.server.guard.GuardRunner;
import io.graywatch.server.guard.JudgedRound;
import io.graywatch.server.guard.RoundJudged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.graywatch.server.release.ReleaseState.COMPLETED;
import static io.graywatch.server.release.ReleaseState.PAUSED;
import static io.graywatch.server.release.ReleaseState.PENDING;
import static io.graywatch.server.release.ReleaseState.ROLLED_BACK;
import static io.graywatch.server.release.ReleaseState.RUNNING;

/**
 * The release state machine. Everything it decides is in the database before it acts, so a
 * restarted server picks every release up where it was:
 *
 * <ul>
 *   <li>A running release's current batch is deployed through its executor: the call is recorded
 *       as intended, made, then recorded done; only calls not recorded done are re-issued.</li>
 *   <li>A deployed batch is observed for the plan's window, with a guard round every analysis
 *       interval. A FAIL pauses the release at once. When the window ends, the last round decides:
 *       PASS or WARN go on to the next batch (or pause, without autoContinue), INCONCLUSIVE pauses
 *       ("not enough data to judge") except on a pre-release batch, which has no user traffic to
 *       judge by. After the last batch the release is COMPLETED.</li>
 *   <li>Resume re-observes the current batch for a whole window with a fresh vote, or deploys the
 *       next batch if the current one had passed. Roll back puts every instance of the app back on
 *       the old version (retried until the executor succeeds). Close stops where it is; a pre-release batch goes back to user traffic.</li>
 * </ul>
 *
 * <p>{@link #tick} advances every running release; the schedule calls it every second. Commands
 * and ticks are serialized by this object's monitor: one server drives its releases. Several
 * servers on one database would need lease rows to divide the releases; that is not built yet.
 */
@Component
public class ReleaseOrchestrator {
    private static final Logger log = LoggerFactory.getLogger(ReleaseOrchestrator.class);
    /** How long a failed rollback call waits before it is retried. */
    static final Duration ROLLBACK_RETRY = Duration.ofSeconds(10);

    private final ReleaseStore store;
    private final GuardRunner guard;
    private final GuardRecords records;
    private final ReleaseExecutors executors;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ReleaseOrchestrator(ReleaseStore store, GuardRunner guard, GuardRecords records, ReleaseExecutors executors,
                        PlatformTransactionManager transactions, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.records = records;
        this.executors = executors;
        this.tx = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
    }

    // ---- commands

    synchronized Release create(PlannedRelease plan) {
        store.activeOf(plan.app().name()).ifPresent(active -> {
            throw ApiException.conflict("app '" + plan.app().name() + "' already has release " + active.id() + " in state "
                    + active.state() + ": roll it back or close it before planning another");
        });
        Instant now = now();
        ReleaseState state = plan.start() ? RUNNING : PENDING;
        String reason = plan.start() ? "planned" : "planned; waiting to be started";
        long id = inTx(() -> store.insert(plan, state, reason, now));
        Release release = get(id);
        publish(new ReleaseStateChanged(id, release.app(), release.version(), 0, null, state, null, reason, now));
        return release;
    }

    public synchronized Release start(long id, String why) {
        return change(require(id, ReleaseCommand.START), RUNNING, "started" + suffix(why), null);
    }

    public synchronized Release pause(long id, String why) {
        return change(require(id, ReleaseCommand.PAUSE), PAUSED, "paused by a person" + suffix(why), null);
    }

    public synchronized Release resume(long id, String why) {
        Release r = require(id, ReleaseCommand.RESUME);
        Instant now = now();
        ReleaseBatch b = r.current();
        String reason = switch (b.state()) {
            case PASSED -> "resumed: " + label(r, b.index() + 1) + " deploys next";
            case OBSERVING, FAILED -> "resumed: observing " + label(r, b.index()) + " again";
            default -> "resumed: deploying " + label(r, b.index());
        } + suffix(why);
        int interval = store.guard(id).settings().analysisIntervalSeconds();
        inTx(() -> {
            if (b.state() == BatchState.PASSED) {
                store.moveToBatch(id, b.index() + 1);
            } else if (b.state() == BatchState.OBSERVING || b.state() == BatchState.FAILED) {
                store.reobserve(id, b.index(), now, now.plusSeconds(r.observationSeconds()), now.plusSeconds(interval));
            }
            store.changeState(id, PAUSED, RUNNING, reason, null);
        });
        publish(stateChanged(r, RUNNING, reason, now));
        return get(id);
    }

    public synchronized Release rollBack(long id, String why) {
        Release r = require(id, ReleaseCommand.ROLL_BACK);
        ReleaseExecutor executor = executors.named(r.executor());
        List<String> fleet = executor.instances(r.app()).stream().map(Instance::id).toList();
        Instant now = now();
        String reason = "rolled back to " + r.fromVersion() + suffix(why);
        ReleaseAction action = inTx(() -> {
            store.changeState(id, r.state(), ROLLED_BACK, reason, now);
            store.batchesRolledBack(id);
            return store.intend(id, null, ReleaseAction.Kind.ROLLBACK, r.fromVersion(), fleet, now);
        });
        publish(stateChanged(r, ROLLED_BACK, reason, now));
        attemptRollback(r, action, executor, now);
        return get(id);
    }

    /**
     * Stops managing the release where it is: versions stay as they are, but a pre-release batch
     * goes back into user traffic, since nothing would ever return it and the fleet would run a
     * capacity short without anyone noticing. If that routing fails nothing changes, so the close
     * can be retried (or the release rolled back instead).
     */
    public synchronized Release close(long id, String why) {
        Release r = require(id, ReleaseCommand.CLOSE);
        ReleaseBatch b = r.current();
        if (b.preRelease() && b.state() != BatchState.PENDING) {
            try {
                executors.named(r.executor()).route(r.app(), b.instances(), true);
            } catch (RuntimeException e) {
                log.warn("release {}: could not return the pre-release batch to traffic on close", id, e);
                throw ApiException.conflict("release " + id + " was not closed: its pre-release instances " + b.instances()
                        + " could not be returned to user traffic (" + message(e) + "); retry the close, or roll the release back");
            }
        }
        return change(r, ReleaseState.CLOSED, "closed" + suffix(why), now());
    }

    // ---- the clock

    /** Advances every release by what is due at {@code now}; each release's trouble stays its own. */
    public synchronized void tick(Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        for (ReleaseAction a : store.intendedRollbacks()) {
            if (a.attemptedAt() == null || !now.isBefore(a.attemptedAt().plus(ROLLBACK_RETRY))) {
                Release r = get(a.releaseId());
                attemptRollback(r, a, executors.named(r.executor()), now);
            }
        }
        for (long id : store.idsIn(RUNNING)) {
            try {
                advance(id, now);
            } catch (RuntimeException e) {
                stopOnError(id, e, now);
            }
        }
    }

    private void advance(long id, Instant now) {
        Release r = get(id);
        ReleaseBatch b = r.current();
        switch (b.state()) {
            case PENDING, DEPLOYING -> deploy(r, b, now);
            case OBSERVING -> observe(r, b, now);
            default -> throw new IllegalStateException("batch " + b.index() + " is " + b.state() + " while the release runs");
        }
    }

    private void deploy(Release r, ReleaseBatch b, Instant now) {
        ReleaseExecutor executor = executors.named(r.executor());
        ReleaseAction action = store.intendedDeploy(r.id(), b.index()).orElseGet(() -> inTx(() -> {
            store.batchState(r.id(), b.index(), BatchState.DEPLOYING);
            return store.intend(r.id(), b.index(), ReleaseAction.Kind.DEPLOY, r.version(), b.instances(), now);
        }));
        try {
            // the pre-release batch passed: its instances take users again along with the next batch
            if (b.index() > 0 && r.batches().get(b.index() - 1).preRelease()) {
                executor.route(r.app(), r.batches().get(b.index() - 1).instances(), true);
            }
            executor.deploy(r.app(), b.instances(), r.version());
            if (b.preRelease()) executor.route(r.app(), b.instances(), false);
        } catch (RuntimeException e) {
            log.warn("release {}: deploy of batch {} failed", r.id(), b.index(), e);
            String reason = "deploy of " + label(r, b.index()) + " failed: " + message(e) + "; resume to retry";
            inTx(() -> {
                store.actionAttemptFailed(action.id(), ReleaseAction.State.FAILED, message(e), now);
                store.changeState(r.id(), RUNNING, PAUSED, reason, null);
            });
            publish(stateChanged(r, PAUSED, reason, now));
            return;
        }
        int interval = store.guard(r.id()).settings().analysisIntervalSeconds();
        inTx(() -> {
            store.actionDone(action.id(), now);
            store.batchDeployed(r.id(), b.index(), now, now.plusSeconds(r.observationSeconds()), now.plusSeconds(interval));
        });
        publish(new BatchStarted(r.id(), r.app(), r.version(), b.index(), r.batches().size(), b.instances(), b.preRelease(), now));
    }

    private void observe(Release r, ReleaseBatch b, Instant now) {
        ReleaseGuard g = store.guard(r.id());
        boolean windowOver = !now.isBefore(b.observeUntil());
        Optional<GuardRound> last = records.lastRound(r.id(), b.index(), b.observingSince());
        if (!now.isBefore(g.nextRoundAt()) || (windowOver && last.isEmpty())) {
            GuardRound round = judge(r, g, now);
            if (round.verdict() == Verdict.FAIL) {
                stop(r, b, round, now);
                return;
            }
            last = Optional.of(round);
        }
        if (windowOver) {
            GuardRound round = last.orElseThrow();
            if (round.verdict() == Verdict.INCONCLUSIVE && !b.preRelease()) stop(r, b, round, now);
            else pass(r, b, round, now);
        }
    }

    private GuardRound judge(Release r, ReleaseGuard g, Instant now) {
        List<String> fleet = executors.named(r.executor()).instances(r.app()).stream().map(Instance::id).toList();
        JudgedRound judged = guard.judge(view(r), g.metrics(), g.settings(), fleet, g.state(), now.getEpochSecond());
        Instant next = now.plusSeconds(g.settings().analysisIntervalSeconds());
        GuardRound round = inTx(() -> {
            GuardRound saved = records.save(r.id(), r.currentBatch(), judged);
            store.roundRecorded(r.id(), saved.verdict(), saved.reason(), judged.result().state(), next);
            return saved;
        });
        publish(new RoundJudged(r.id(), r.app(), r.version(), r.currentBatch(), round.verdict(), round.reason(), round.findings(), now));
        return round;
    }

    /** The release as the guard sees it: the batches deployed so far, at the moments their deploys were done. */
    private static ReleaseView view(Release r) {
        List<Batch> deployed = r.batches().stream().filter(b -> b.startedAt() != null)
                .map(b -> new Batch(b.index(), b.startedAt().getEpochSecond(), b.instances(), b.preRelease())).toList();
        return new ReleaseView(r.app(), r.fromVersion(), r.version(), deployed.get(0).at(), deployed, null);
    }

    /** How people count batches: from 1, out of the plan's total (the API's {@code index} counts from 0). */
    private static String label(Release r, int index) {
        return "batch " + (index + 1) + " of " + r.batches().size();
    }

    /** The guard stopped the release on this batch: FAIL in any round, or INCONCLUSIVE when the window ended. */
    private void stop(Release r, ReleaseBatch b, GuardRound round, Instant now) {
        String reason = (round.verdict() == Verdict.FAIL ? "intercepted in " : "not enough data to judge ")
                + label(r, b.index()) + ": " + round.reason();
        inTx(() -> {
            store.batchEnded(r.id(), b.index(), BatchState.FAILED, round.verdict(), now);
            store.changeState(r.id(), RUNNING, PAUSED, reason, null);
        });
        publish(new BatchJudged(r.id(), r.app(), r.version(), b.index(), round.verdict(), false, round.reason(), now));
        publish(new ReleaseStateChanged(r.id(), r.app(), r.version(), b.index(), RUNNING, PAUSED, round.verdict(), reason, now));
    }

    private void pass(Release r, ReleaseBatch b, GuardRound round, Instant now) {
        boolean last = r.isLast(b);
        ReleaseState to = last ? COMPLETED : r.autoContinue() ? RUNNING : PAUSED;
        String reason = last ? "completed: all " + r.batches().size() + " batches passed"
                : label(r, b.index()) + " passed (" + round.verdict() + "); resume to deploy " + label(r, b.index() + 1);
        inTx(() -> {
            store.batchEnded(r.id(), b.index(), BatchState.PASSED, round.verdict(), now);
            if (to == RUNNING) store.moveToBatch(r.id(), b.index() + 1);
            else store.changeState(r.id(), RUNNING, to, reason, last ? now : null);
        });
        publish(new BatchJudged(r.id(), r.app(), r.version(), b.index(), round.verdict(), true, round.reason(), now));
        if (to == RUNNING) {
            advance(r.id(), now);
        } else {
            publish(new ReleaseStateChanged(r.id(), r.app(), r.version(), b.index(), RUNNING, to, round.verdict(), reason, now));
        }
    }

    private void attemptRollback(Release r, ReleaseAction action, ReleaseExecutor executor, Instant now) {
        try {
            executor.deploy(r.app(), action.instances(), action.version());
            executor.route(r.app(), action.instances(), true);
            inTx(() -> store.actionDone(action.id(), now));
        } catch (RuntimeException e) {
            log.warn("release {}: rollback to {} failed; retrying in {} s", r.id(), action.version(), ROLLBACK_RETRY.toSeconds(), e);
            inTx(() -> store.actionAttemptFailed(action.id(), ReleaseAction.State.INTENDED, message(e), now));
        }
    }

    /** Anything unexpected pauses the release rather than letting it run unguarded. */
    private void stopOnError(long id, RuntimeException e, Instant now) {
        log.warn("release {} stopped by an error", id, e);
        String reason = "stopped by an error: " + message(e) + "; fix the cause and resume";
        try {
            Release r = get(id);
            if (inTx(() -> store.changeState(id, RUNNING, PAUSED, reason, null))) publish(stateChanged(r, PAUSED, reason, now));
        } catch (RuntimeException again) {
            log.error("release {}: cannot record that it stopped", id, again);
        }
    }

    // ---- helpers

    private Release change(Release r, ReleaseState to, String reason, Instant endedAt) {
        Instant now = now();
        inTx(() -> store.changeState(r.id(), r.state(), to, reason, endedAt));
        publish(stateChanged(r, to, reason, now));
        return get(r.id());
    }

    private Release require(long id, ReleaseCommand command) {
        Release r = store.find(id).orElseThrow(() -> ApiException.notFound("release " + id + " not found"));
        if (!command.allowed().contains(r.state())) {
            throw ApiException.conflict("release " + id + " is " + r.state() + ": only a "
                    + command.allowed().stream().map(Enum::name).collect(Collectors.joining(" or ")) + " release can be " + command.done());
        }
        return r;
    }

    private Release get(long id) {
        return store.find(id).orElseThrow(() -> new IllegalStateException("release " + id + " vanished"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static ReleaseStateChanged stateChanged(Release r, ReleaseState to, String reason, Instant now) {
        return new ReleaseStateChanged(r.id(), r.app(), r.version(), r.currentBatch(), r.state(), to, r.verdict(), reason, now);
    }

    private static String suffix(String why) {
        return why == null || why.isBlank() ? "" : ": " + why.strip();
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private <T> T inTx(Supplier<T> work) {
        return tx.execute(s -> work.get());
    }

    private void inTx(Runnable work) {
        tx.executeWithoutResult(s -> work.run());
    }

    /** A listener's failure must not undo or block a state change that is already stored. */
    private void publish(Object event) {
        try {
            events.publishEvent(event);
        } catch (RuntimeException e) {
            log.warn("a listener of {} failed", event.getClass().getSimpleName(), e);
        }
    }
}
