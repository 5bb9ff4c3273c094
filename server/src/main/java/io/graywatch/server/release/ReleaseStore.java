package io.graywatch.server.release;

import com.fasterxml.jackson.core.type.TypeReference;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.Json;
import io.graywatch.server.Rows;
import io.graywatch.server.app.GuardSettings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Release plans, their batches and their executor actions. Writes happen inside the orchestrator's transactions. */
@Repository
public class ReleaseStore {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<MetricSpec>> METRICS = new TypeReference<>() {
    };

    private final JdbcClient db;
    private final Json json;

    ReleaseStore(JdbcClient db, Json json) {
        this.db = db;
        this.json = json;
    }

    // ---- reads

    public Optional<Release> find(long id) {
        return assemble(db.sql("SELECT * FROM release_plan WHERE id = ?").param(id).query(this::row).list()).stream().findFirst();
    }

    /** Newest first; app and state may be null for no filter. */
    public List<Release> list(String app, ReleaseState state, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM release_plan WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (app != null) {
            sql.append(" AND app = ?");
            params.add(app);
        }
        if (state != null) {
            sql.append(" AND state = ?");
            params.add(state.name());
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(limit);
        return assemble(db.sql(sql.toString()).params(params).query(this::row).list());
    }

    /** The app's PENDING, RUNNING or PAUSED release, if any. */
    public Optional<Release> activeOf(String app) {
        return assemble(db.sql("SELECT * FROM release_plan WHERE app = ? AND state IN ('PENDING', 'RUNNING', 'PAUSED')")
                .param(app).query(this::row).list()).stream().findFirst();
    }

    List<Long> idsIn(ReleaseState state) {
        return db.sql("SELECT id FROM release_plan WHERE state = ? ORDER BY id").param(state.name()).query(Long.class).list();
    }

    public ReleaseGuard guard(long id) {
        return db.sql("SELECT metrics, guard_settings, guard_state, next_round_at FROM release_plan WHERE id = ?").param(id)
                .query((rs, n) -> new ReleaseGuard(json.read(rs.getString("metrics"), METRICS),
                        json.read(rs.getString("guard_settings"), GuardSettings.class),
                        rs.getString("guard_state") == null ? null : json.read(rs.getString("guard_state"), GuardState.class),
                        Rows.instant(rs, "next_round_at")))
                .single();
    }

    public List<ReleaseAction> actions(long releaseId) {
        return db.sql("SELECT * FROM release_action WHERE release_id = ? ORDER BY id").param(releaseId).query(this::action).list();
    }

    Optional<ReleaseAction> intendedDeploy(long releaseId, int batchIndex) {
        return db.sql("SELECT * FROM release_action WHERE release_id = ? AND batch_index = ? AND kind = 'DEPLOY' AND state = 'INTENDED'")
                .params(releaseId, batchIndex).query(this::action).optional();
    }

    List<ReleaseAction> intendedRollbacks() {
        return db.sql("SELECT * FROM release_action WHERE kind = 'ROLLBACK' AND state = 'INTENDED' ORDER BY id").query(this::action).list();
    }

    // ---- writes

    long insert(PlannedRelease plan, ReleaseState state, String reason, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        db.sql("""
                        INSERT INTO release_plan (app, from_version, to_version, state, reason, executor, observation_seconds,
                                                  auto_continue, current_batch, metrics, guard_settings, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)""")
                .params(plan.app().name(), plan.fromVersion(), plan.toVersion(), state.name(), reason, plan.executor(),
                        plan.observationSeconds(), plan.autoContinue(), json.write(plan.app().metrics()),
                        json.write(plan.app().guard()), Rows.ts(now))
                .update(key, "id");
        long id = key.getKey().longValue();
        for (int i = 0; i < plan.batches().size(); i++) {
            PlannedRelease.Batch b = plan.batches().get(i);
            db.sql("INSERT INTO release_batch (release_id, batch_index, instances, pre_release, state) VALUES (?, ?, ?, ?, 'PENDING')")
                    .params(id, i, json.write(b.instances()), b.preRelease()).update();
        }
        return id;
    }

    /** Moves the release from one state to another; false when it was no longer in {@code from}. */
    boolean changeState(long id, ReleaseState from, ReleaseState to, String reason, Instant endedAt) {
        return db.sql("UPDATE release_plan SET state = ?, reason = ?, ended_at = COALESCE(?, ended_at) WHERE id = ? AND state = ?")
                .params(to.name(), reason, Rows.ts(endedAt), id, from.name()).update() == 1;
    }

    void batchState(long id, int batch, BatchState state) {
        db.sql("UPDATE release_batch SET state = ? WHERE release_id = ? AND batch_index = ?").params(state.name(), id, batch).update();
    }

    void batchDeployed(long id, int batch, Instant at, Instant observeUntil, Instant nextRoundAt) {
        db.sql("""
                        UPDATE release_batch SET state = 'OBSERVING', started_at = ?, observing_since = ?, observe_until = ?
                        WHERE release_id = ? AND batch_index = ?""")
                .params(Rows.ts(at), Rows.ts(at), Rows.ts(observeUntil), id, batch).update();
        db.sql("UPDATE release_plan SET next_round_at = ?, started_at = COALESCE(started_at, ?) WHERE id = ?")
                .params(Rows.ts(nextRoundAt), Rows.ts(at), id).update();
    }

    /** Starts a fresh observation of a deployed batch: a new window and a fresh vote. */
    void reobserve(long id, int batch, Instant now, Instant observeUntil, Instant nextRoundAt) {
        db.sql("""
                        UPDATE release_batch SET state = 'OBSERVING', verdict = NULL, observing_since = ?, observe_until = ?, ended_at = NULL
                        WHERE release_id = ? AND batch_index = ?""")
                .params(Rows.ts(now), Rows.ts(observeUntil), id, batch).update();
        db.sql("UPDATE release_plan SET guard_state = NULL, next_round_at = ? WHERE id = ?").params(Rows.ts(nextRoundAt), id).update();
    }

    void roundRecorded(long id, Verdict verdict, String reason, GuardState state, Instant nextRoundAt) {
        db.sql("UPDATE release_plan SET verdict = ?, reason = ?, guard_state = ?, next_round_at = ? WHERE id = ?")
                .params(verdict.name(), reason, json.write(state), Rows.ts(nextRoundAt), id).update();
    }

    void batchEnded(long id, int batch, BatchState state, Verdict verdict, Instant at) {
        db.sql("UPDATE release_batch SET state = ?, verdict = ?, ended_at = ? WHERE release_id = ? AND batch_index = ?")
                .params(state.name(), verdict.name(), Rows.ts(at), id, batch).update();
    }

    void moveToBatch(long id, int batch) {
        db.sql("UPDATE release_plan SET current_batch = ? WHERE id = ?").params(batch, id).update();
    }

    void batchesRolledBack(long id) {
        db.sql("UPDATE release_batch SET state = 'ROLLED_BACK' WHERE release_id = ? AND state <> 'PENDING'").param(id).update();
    }

    ReleaseAction intend(long releaseId, Integer batch, ReleaseAction.Kind kind, String version, List<String> instances, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        db.sql("""
                        INSERT INTO release_action (release_id, batch_index, kind, version, instances, state, intended_at)
                        VALUES (?, ?, ?, ?, ?, 'INTENDED', ?)""")
                .params(releaseId, batch, kind.name(), version, json.write(instances), Rows.ts(now))
                .update(key, "id");
        return new ReleaseAction(key.getKey().longValue(), releaseId, batch, kind, version, instances,
                ReleaseAction.State.INTENDED, null, now, null, null);
    }

    void actionDone(long actionId, Instant now) {
        db.sql("UPDATE release_action SET state = 'DONE', error = NULL, attempted_at = ?, done_at = ? WHERE id = ?")
                .params(Rows.ts(now), Rows.ts(now), actionId).update();
    }

    /** Records a failed call; a FAILED action is not re-issued, an INTENDED one is retried. */
    void actionAttemptFailed(long actionId, ReleaseAction.State state, String error, Instant now) {
        db.sql("UPDATE release_action SET state = ?, error = ?, attempted_at = ? WHERE id = ?")
                .params(state.name(), error, Rows.ts(now), actionId).update();
    }

    // ---- mapping

    /** A release row before its batches are attached. */
    private record Row(long id, String app, String fromVersion, String version, ReleaseState state, Verdict verdict, String reason,
                       String executor, int observationSeconds, boolean autoContinue, int currentBatch,
                       Instant createdAt, Instant startedAt, Instant endedAt) {
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        String verdict = rs.getString("verdict");
        return new Row(rs.getLong("id"), rs.getString("app"), rs.getString("from_version"), rs.getString("to_version"),
                ReleaseState.valueOf(rs.getString("state")), verdict == null ? null : Verdict.valueOf(verdict),
                rs.getString("reason"), rs.getString("executor"), rs.getInt("observation_seconds"), rs.getBoolean("auto_continue"),
                rs.getInt("current_batch"), Rows.instant(rs, "created_at"), Rows.instant(rs, "started_at"), Rows.instant(rs, "ended_at"));
    }

    private List<Release> assemble(List<Row> rows) {
        if (rows.isEmpty()) return List.of();
        Map<Long, List<ReleaseBatch>> batches = db.sql("SELECT * FROM release_batch WHERE release_id IN (:ids) ORDER BY batch_index")
                .param("ids", rows.stream().map(Row::id).toList())
                .query((rs, n) -> Map.entry(rs.getLong("release_id"), batch(rs))).list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return rows.stream().map(r -> new Release(r.id(), r.app(), r.fromVersion(), r.version(), r.state(), r.verdict(), r.reason(),
                r.executor(), r.observationSeconds(), r.autoContinue(), r.currentBatch(), r.createdAt(), r.startedAt(), r.endedAt(),
                batches.get(r.id()))).toList();
    }

    private ReleaseBatch batch(ResultSet rs) throws SQLException {
        String verdict = rs.getString("verdict");
        return new ReleaseBatch(rs.getInt("batch_index"), json.read(rs.getString("instances"), STRINGS), rs.getBoolean("pre_release"),
                BatchState.valueOf(rs.getString("state")), verdict == null ? null : Verdict.valueOf(verdict),
                Rows.instant(rs, "started_at"), Rows.instant(rs, "observing_since"), Rows.instant(rs, "observe_until"),
                Rows.instant(rs, "ended_at"));
    }

    private ReleaseAction action(ResultSet rs, int n) throws SQLException {
        return new ReleaseAction(rs.getLong("id"), rs.getLong("release_id"), rs.getObject("batch_index", Integer.class),
                ReleaseAction.Kind.valueOf(rs.getString("kind")), rs.getString("version"), json.read(rs.getString("instances"), STRINGS),
                ReleaseAction.State.valueOf(rs.getString("state")), rs.getString("error"), Rows.instant(rs, "intended_at"),
                Rows.instant(rs, "attempted_at"), Rows.instant(rs, "done_at"));
    }
}
