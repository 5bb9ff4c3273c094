package io.graywatch.server.guard;

import com.fasterxml.jackson.core.type.TypeReference;
import io.graywatch.core.finding.Finding;
import io.graywatch.core.guard.GuardState;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.verdict.Verdict;
import io.graywatch.server.Json;
import io.graywatch.server.Rows;
import io.graywatch.server.logs.LogStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Stored guard rounds: their verdicts and findings, their state, every metric sample and every log group and count they read. */
@Repository
public class GuardRecords {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Double>> EVIDENCE = new TypeReference<>() {
    };
    private static final int[] SAMPLE_TYPES = {Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.DOUBLE};
    private static final int[] LOG_COUNT_TYPES = {Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.BIGINT, Types.BIGINT, Types.BIGINT};

    private final JdbcClient db;
    private final JdbcTemplate jdbc;
    private final Json json;

    GuardRecords(JdbcClient db, JdbcTemplate jdbc, Json json) {
        this.db = db;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores a round, its findings and the samples it read that are not stored yet; call inside a transaction. */
    public GuardRound save(long releaseId, int batch, JudgedRound round) {
        KeyHolder key = new GeneratedKeyHolder();
        Instant at = Instant.ofEpochSecond(round.input().now());
        db.sql("""
                        INSERT INTO guard_round (release_id, batch_index, round_at, verdict, reason, algorithm, algorithm_version,
                                                 guard_state, window_from, window_to, step_seconds, instances)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(releaseId, batch, Rows.ts(at), round.result().verdict().name(), reasonOf(round), round.algorithm(),
                        round.algorithmVersion(), json.write(round.result().state()), round.from(), round.input().now(),
                        round.input().stepSeconds(), json.write(round.input().instances()))
                .update(key, "id");
        long id = key.getKey().longValue();
        List<Finding> findings = round.result().findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            db.sql("""
                            INSERT INTO guard_finding (round_id, finding_no, finding_key, source, severity, subject, stage, reason,
                                                       evidence, instances)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(id, i, f.key(), f.source().name(), f.severity().name(), f.subject(), f.stage(), f.reason(),
                            json.write(f.evidence()), json.write(f.instances()))
                    .update();
        }
        saveSamples(releaseId, round.input().observations());
        saveLogs(releaseId, round.input().logs(), round.input().now());
        return new GuardRound(id, releaseId, batch, at, round.result().verdict(), reasonOf(round), round.algorithm(),
                round.algorithmVersion(), findings);
    }

    /** A round's reason, never empty: the UI and the release show it. */
    static String reasonOf(JudgedRound round) {
        String reason = round.result().reason();
        return reason == null || reason.isBlank() ? round.result().verdict().name() : reason;
    }

    /**
     * Stores each sample once: a series gets only the samples after the newest one stored. A metric
     * source does not backfill, so nothing a round read is lost this way.
     */
    private void saveSamples(long releaseId, Observations observations) {
        Map<String, Long> newest = db.sql("""
                        SELECT instance, metric, MAX(ts) AS newest FROM guard_sample WHERE release_id = ? GROUP BY instance, metric""")
                .param(releaseId)
                .query((rs, n) -> Map.entry(seriesKey(rs.getString("instance"), rs.getString("metric")), rs.getLong("newest")))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        List<Object[]> rows = new ArrayList<>();
        for (String instance : observations.instances()) {
            observations.ofInstance(instance).forEach((metric, series) -> {
                long after = newest.getOrDefault(seriesKey(instance, metric), Long.MIN_VALUE);
                for (int i = 0; i < series.size(); i++) {
                    if (series.time(i) <= after) continue;
                    double v = series.value(i);
                    rows.add(new Object[]{releaseId, instance, metric, series.time(i), Double.isFinite(v) ? v : null});
                }
            });
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO guard_sample (release_id, instance, metric, ts, sample_value) VALUES (?, ?, ?, ?, ?)",
                    rows, SAMPLE_TYPES);
        }
    }

    /**
     * Stores the log groups a round read that are not stored yet, and what it saw of their counts
     * beyond what earlier rounds saw: a bucket's count grows while its events arrive, and each
     * round's share is kept with the moment it was seen, so a replay learns of it no earlier.
     */
    private void saveLogs(long releaseId, LogData logs, long seenAt) {
        if (logs.counts().isEmpty()) return;
        Set<String> known = new TreeSet<>(db.sql("SELECT group_id FROM guard_log_group WHERE release_id = ?").param(releaseId)
                .query(String.class).list());
        for (LogGroup g : logs.groups().values()) {
            if (known.contains(g.id())) continue;
            db.sql("""
                            INSERT INTO guard_log_group (release_id, group_id, kind, level, exception_type, root_cause_type, template, sample,
                                                         bucket_seconds)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(releaseId, g.id(), g.kind().name(), g.level(), g.exceptionType(), g.rootCauseType(),
                            g.template() == null ? "" : g.template(), g.sample(), logs.bucketSeconds())
                    .update();
        }
        Map<String, Long> seen = new HashMap<>();
        db.sql("""
                        SELECT instance, group_id, bucket_start, SUM(event_count) AS seen FROM guard_log_count WHERE release_id = ?
                        GROUP BY instance, group_id, bucket_start""")
                .param(releaseId)
                .query(rs -> {
                    seen.put(countKey(rs.getString(1), rs.getString(2), rs.getLong(3)), rs.getLong(4));
                });
        List<Object[]> rows = new ArrayList<>();
        for (LogCount c : logs.counts()) {
            long more = c.count() - seen.getOrDefault(countKey(c.instance(), c.groupId(), c.bucketStart()), 0L);
            if (more > 0) rows.add(new Object[]{releaseId, c.instance(), c.groupId(), c.bucketStart(), seenAt, more});
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO guard_log_count (release_id, instance, group_id, bucket_start, seen_at, event_count) VALUES (?, ?, ?, ?, ?, ?)",
                    rows, LOG_COUNT_TYPES);
        }
    }

    private static String countKey(String instance, String group, long bucket) {
        return instance + '\n' + group + '\n' + bucket;
    }

    /** A count the release's rounds read: {@code count} more events of the bucket, first seen by the round at {@code seenAt}. */
    public record RecordedCount(String instance, String groupId, long bucketStart, long seenAt, long count) {
    }

    /** The log groups the release's rounds read, by id, each with the sample the guard was shown. */
    public Map<String, LogGroup> logGroups(long releaseId) {
        Map<String, LogGroup> out = new LinkedHashMap<>();
        db.sql("SELECT * FROM guard_log_group WHERE release_id = ? ORDER BY group_id").param(releaseId)
                .query((rs, n) -> new LogGroup(rs.getString("group_id"), LogGroup.Kind.valueOf(rs.getString("kind")), rs.getString("level"),
                        rs.getString("exception_type"), rs.getString("root_cause_type"), rs.getString("template"), rs.getString("sample")))
                .list().forEach(g -> out.put(g.id(), g));
        return out;
    }

    /** The counts the release's rounds read, in the order they were seen, then by bucket. */
    public List<RecordedCount> logCounts(long releaseId) {
        return db.sql("""
                        SELECT instance, group_id, bucket_start, seen_at, event_count FROM guard_log_count WHERE release_id = ?
                        ORDER BY seen_at, bucket_start, instance, group_id""")
                .param(releaseId)
                .query((rs, n) -> new RecordedCount(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))).list();
    }

    /** The moments (Unix seconds) of the release's rounds, oldest first. */
    public long[] roundMoments(long releaseId) {
        return db.sql("SELECT window_to FROM guard_round WHERE release_id = ? ORDER BY id").param(releaseId).query(Long.class).list()
                .stream().mapToLong(Long::longValue).toArray();
    }

    /** Everything the release's rounds read of the logs, as the last of them would have: groups and whole counts. */
    public LogData logs(long releaseId) {
        Map<String, LogGroup> groups = logGroups(releaseId);
        long bucket = logBucketSeconds(releaseId);
        record Key(long bucket, String instance, String group) {
        }
        Map<Key, Long> sums = new TreeMap<>(Comparator.comparingLong(Key::bucket).thenComparing(Key::instance).thenComparing(Key::group));
        for (RecordedCount c : logCounts(releaseId)) sums.merge(new Key(c.bucketStart(), c.instance(), c.groupId()), c.count(), Long::sum);
        List<LogCount> counts = new ArrayList<>(sums.size());
        sums.forEach((k, n) -> counts.add(new LogCount(k.bucket(), k.instance(), k.group(), n)));
        return new LogData(groups, counts, bucket > 0 ? bucket : LogStore.DEFAULT_BUCKET_SECONDS);
    }

    /** The length of the buckets the release's rounds read log counts in, 0 when they read no logs. */
    public long logBucketSeconds(long releaseId) {
        Long bucket = db.sql("SELECT MAX(bucket_seconds) FROM guard_log_group WHERE release_id = ?").param(releaseId)
                .query(Long.class).optional().orElse(null);
        return bucket == null ? 0 : bucket;
    }

    private static String seriesKey(String instance, String metric) {
        return instance + '\n' + metric;
    }

    /** Every round of a release, oldest first, with its findings. */
    public List<GuardRound> rounds(long releaseId) {
        Map<Long, List<Finding>> findings = db.sql("""
                        SELECT f.* FROM guard_finding f JOIN guard_round r ON r.id = f.round_id
                        WHERE r.release_id = ? ORDER BY f.round_id, f.finding_no""")
                .param(releaseId)
                .query((rs, n) -> Map.entry(rs.getLong("round_id"), finding(rs))).list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return db.sql("SELECT * FROM guard_round WHERE release_id = ? ORDER BY id").param(releaseId)
                .query((rs, n) -> round(rs, findings.getOrDefault(rs.getLong("id"), List.of()))).list();
    }

    /** The latest round of a batch at or after {@code since}. */
    public Optional<GuardRound> lastRound(long releaseId, int batch, Instant since) {
        return db.sql("""
                        SELECT * FROM guard_round WHERE release_id = ? AND batch_index = ? AND round_at >= ?
                        ORDER BY id DESC LIMIT 1""")
                .params(releaseId, batch, Rows.ts(since))
                .query((rs, n) -> round(rs, findingsOf(rs.getLong("id")))).optional();
    }

    /** The samples the release's rounds read, of one metric or (metric null) of all; NaN where a sample was missing. */
    public Observations samples(long releaseId, String metric) {
        String sql = "SELECT instance, metric, ts, sample_value FROM guard_sample WHERE release_id = ?"
                + (metric == null ? "" : " AND metric = ?") + " ORDER BY instance, metric, ts";
        Map<String, Map<String, List<Sample>>> bySeries = db.sql(sql)
                .params(metric == null ? List.of(releaseId) : List.of(releaseId, metric))
                .query((rs, n) -> {
                    double v = rs.getDouble("sample_value");
                    if (rs.wasNull()) v = Double.NaN;
                    return new Sample(rs.getString("instance"), rs.getString("metric"), rs.getLong("ts"), v);
                }).list().stream()
                .collect(Collectors.groupingBy(Sample::instance, Collectors.groupingBy(Sample::metric)));
        Observations.Builder b = Observations.builder();
        bySeries.forEach((instance, byMetric) -> byMetric.forEach((m, samples) -> b.put(instance, m, Series.of(
                samples.stream().mapToLong(Sample::ts).toArray(), samples.stream().mapToDouble(Sample::value).toArray()))));
        return b.build();
    }

    /** The state each round of the release left for the next, oldest first. */
    public List<GuardState> states(long releaseId) {
        return db.sql("SELECT guard_state FROM guard_round WHERE release_id = ? ORDER BY id").param(releaseId).query(String.class).list()
                .stream().map(s -> json.read(s, GuardState.class)).toList();
    }

    /** Every instance any round of the release read: the fleet as the guard saw it. */
    public Set<String> fleet(long releaseId) {
        Set<String> out = new TreeSet<>();
        db.sql("SELECT instances FROM guard_round WHERE release_id = ?").param(releaseId).query(String.class).list()
                .forEach(s -> out.addAll(json.read(s, STRINGS)));
        return out;
    }

    private record Sample(String instance, String metric, long ts, double value) {
    }

    private List<Finding> findingsOf(long roundId) {
        return db.sql("SELECT * FROM guard_finding WHERE round_id = ? ORDER BY finding_no").param(roundId)
                .query((rs, n) -> finding(rs)).list();
    }

    private GuardRound round(ResultSet rs, List<Finding> findings) throws SQLException {
        return new GuardRound(rs.getLong("id"), rs.getLong("release_id"), rs.getInt("batch_index"), Rows.instant(rs, "round_at"),
                Verdict.valueOf(rs.getString("verdict")), rs.getString("reason"), rs.getString("algorithm"),
                rs.getString("algorithm_version"), findings);
    }

    private Finding finding(ResultSet rs) throws SQLException {
        return new Finding(rs.getString("finding_key"), Finding.Source.valueOf(rs.getString("source")),
                Verdict.valueOf(rs.getString("severity")), rs.getString("subject"), rs.getString("stage"), rs.getString("reason"),
                json.read(rs.getString("evidence"), EVIDENCE), json.read(rs.getString("instances"), STRINGS));
    }
}
