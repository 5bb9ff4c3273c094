package io.graywatch.server.replay;

import com.fasterxml.jackson.core.type.TypeReference;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.replay.report.Summary;
import io.graywatch.server.Json;
import io.graywatch.server.Rows;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored replays and their releases. */
@Repository
class ReplayStore {
    private static final TypeReference<List<Long>> IDS = new TypeReference<>() {
    };

    private final JdbcClient db;
    private final Json json;

    ReplayStore(JdbcClient db, Json json) {
        this.db = db;
        this.json = json;
    }

    long insert(String algorithm, String judge, String judgeVersion, String app, List<Long> releaseIds, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        db.sql("""
                        INSERT INTO replay_run (algorithm, judge, judge_version, app, release_ids, state, created_at)
                        VALUES (?, ?, ?, ?, ?, 'RUNNING', ?)""")
                .params(algorithm, judge, judgeVersion, app, json.write(releaseIds), Rows.ts(now))
                .update(key, "id");
        return key.getKey().longValue();
    }

    /** Stores the replayed releases and marks the replay done; call inside a transaction, so a replay is never half there. */
    void finish(long id, List<ReplayedRelease> replayed, Summary summary, Instant now) {
        for (ReplayedRelease r : replayed) {
            db.sql("""
                            INSERT INTO replay_case (run_id, release_id, case_id, live_verdict, live_decided_at, live_reason, verdict,
                                                     decided_at, reason, rounds, changed)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(id, r.releaseId(), r.caseId(), r.liveVerdict().name(), r.liveDecidedAt(), r.liveReason(), r.verdict().name(),
                            r.decidedAt(), r.reason(), r.rounds(), r.changed())
                    .update();
        }
        db.sql("UPDATE replay_run SET state = 'DONE', summary = ?, finished_at = ? WHERE id = ?")
                .params(json.write(summary), Rows.ts(now), id).update();
    }

    void failed(long id, String error, Instant now) {
        db.sql("UPDATE replay_run SET state = 'FAILED', error = ?, finished_at = ? WHERE id = ? AND state = 'RUNNING'")
                .params(error, Rows.ts(now), id).update();
    }

    /** Replays a stopped server left running can never finish. */
    int abandonRunning(String error, Instant now) {
        return db.sql("UPDATE replay_run SET state = 'FAILED', error = ?, finished_at = ? WHERE state = 'RUNNING'")
                .params(error, Rows.ts(now)).update();
    }

    Optional<Replay> find(long id) {
        return db.sql(SELECT + " WHERE r.id = ?").param(id).query(this::replay).optional();
    }

    /** Newest first. */
    List<Replay> list(int limit) {
        return db.sql(SELECT + " ORDER BY r.id DESC LIMIT " + limit).query(this::replay).list();
    }

    private static final String SELECT = """
            SELECT r.*, (SELECT COUNT(*) FROM replay_case c WHERE c.run_id = r.id AND c.changed) AS changed_count
            FROM replay_run r""";

    List<ReplayedRelease> releases(long id) {
        return db.sql("""
                        SELECT c.*, p.app, p.to_version FROM replay_case c JOIN release_plan p ON p.id = c.release_id
                        WHERE c.run_id = ? ORDER BY c.release_id""")
                .param(id)
                .query((rs, n) -> new ReplayedRelease(rs.getLong("release_id"), rs.getString("case_id"), rs.getString("app"),
                        rs.getString("to_version"), Verdict.valueOf(rs.getString("live_verdict")), rs.getObject("live_decided_at", Long.class),
                        rs.getString("live_reason"), Verdict.valueOf(rs.getString("verdict")), rs.getObject("decided_at", Long.class),
                        rs.getString("reason"), rs.getInt("rounds"), rs.getBoolean("changed")))
                .list();
    }

    private Replay replay(ResultSet rs, int n) throws SQLException {
        String summary = rs.getString("summary");
        return new Replay(rs.getLong("id"), rs.getString("algorithm"), rs.getString("judge"), rs.getString("judge_version"),
                rs.getString("app"), json.read(rs.getString("release_ids"), IDS), Replay.State.valueOf(rs.getString("state")),
                rs.getString("error"), Rows.instant(rs, "created_at"), Rows.instant(rs, "finished_at"), rs.getInt("changed_count"),
                summary == null ? null : json.read(summary, Summary.class));
    }
}
