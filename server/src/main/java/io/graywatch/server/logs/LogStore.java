package io.graywatch.server.logs;

import io.graywatch.agent.ship.Shipment;
import io.graywatch.core.logs.LogCount;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.logs.LogGroup;
import io.graywatch.server.Rows;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The agents' shipments as the server keeps them: per app, instance and log group, counts per
 * time bucket, first and last seen, the first few full samples; and per instance its agent's
 * latest word. Writes happen in the caller's transaction ({@link LogIngest}).
 */
@Repository
public class LogStore {
    /** Full samples kept per group and instance: enough to read, few enough to store. */
    public static final int SAMPLES_PER_INSTANCE = 3;
    /** The agent's default bucket, for a log source asked about an app no agent has shipped for yet. */
    public static final long DEFAULT_BUCKET_SECONDS = 10;

    private final JdbcClient db;

    LogStore(JdbcClient db) {
        this.db = db;
    }

    /** Whether a shipment with this id was taken already. */
    public boolean hasShipment(String id) {
        return db.sql("SELECT COUNT(*) FROM log_shipment WHERE id = ?").param(id).query(Long.class).single() > 0;
    }

    /**
     * Stores a shipment; the insert of its id comes first, so a shipment taken already fails
     * with a duplicate key before anything is counted.
     */
    void store(Shipment s, Instant receivedAt) {
        db.sql("INSERT INTO log_shipment (id, app, instance, events, received_at) VALUES (?, ?, ?, ?, ?)")
                .params(s.id(), s.app(), s.instance(), s.events(), Rows.ts(receivedAt)).update();
        // one order for every writer: two shipments touching the same groups cannot deadlock
        List<Shipment.Group> groups = new ArrayList<>(s.groups());
        groups.sort(Comparator.comparing(Shipment.Group::id));
        for (Shipment.Group g : groups) {
            long first = g.firstSeen(), last = g.lastSeen();
            for (Shipment.Count c : g.counts()) {
                first = Math.min(first, c.bucketStart());
                last = Math.max(last, c.bucketStart());
            }
            int updated = db.sql("""
                            UPDATE log_group SET first_seen = LEAST(first_seen, ?), last_seen = GREATEST(last_seen, ?),
                                                 level = COALESCE(level, ?)
                            WHERE app = ? AND group_id = ?""")
                    .params(first, last, g.level(), s.app(), g.id()).update();
            if (updated == 0) {
                db.sql("""
                                INSERT INTO log_group (app, group_id, kind, level, exception_type, root_cause_type, template, first_seen, last_seen)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .params(s.app(), g.id(), g.kind().name(), g.level(), g.exceptionType(), g.rootCauseType(),
                                g.template() == null ? "" : g.template(), first, last).update();
            }
            updated = db.sql("""
                            UPDATE log_group_instance SET first_seen = LEAST(first_seen, ?), last_seen = GREATEST(last_seen, ?)
                            WHERE app = ? AND instance = ? AND group_id = ?""")
                    .params(first, last, s.app(), s.instance(), g.id()).update();
            if (updated == 0) {
                db.sql("INSERT INTO log_group_instance (app, instance, group_id, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)")
                        .params(s.app(), s.instance(), g.id(), first, last).update();
            }
            Map<Long, Long> byBucket = new TreeMap<>();
            for (Shipment.Count c : g.counts()) if (c.count() > 0) byBucket.merge(c.bucketStart(), c.count(), Long::sum);
            for (Map.Entry<Long, Long> c : byBucket.entrySet()) {
                updated = db.sql("""
                                UPDATE log_count SET event_count = event_count + ?
                                WHERE app = ? AND instance = ? AND group_id = ? AND bucket_start = ?""")
                        .params(c.getValue(), s.app(), s.instance(), g.id(), c.getKey()).update();
                if (updated == 0) {
                    db.sql("""
                                    INSERT INTO log_count (app, instance, group_id, bucket_start, bucket_seconds, event_count)
                                    VALUES (?, ?, ?, ?, ?, ?)""")
                            .params(s.app(), s.instance(), g.id(), c.getKey(), s.bucketSeconds(), c.getValue()).update();
                }
            }
            storeSamples(s, g);
        }
        storeAgent(s, receivedAt);
    }

    private void storeSamples(Shipment s, Shipment.Group g) {
        if (g.samples().isEmpty()) return;
        Integer next = db.sql("SELECT MAX(sample_no) FROM log_sample WHERE app = ? AND instance = ? AND group_id = ?")
                .params(s.app(), s.instance(), g.id()).query(Integer.class).optional().orElse(null);
        int no = next == null ? 0 : next + 1;
        int kept = db.sql("SELECT COUNT(*) FROM log_sample WHERE app = ? AND instance = ? AND group_id = ?")
                .params(s.app(), s.instance(), g.id()).query(Integer.class).single();
        for (String sample : g.samples()) {
            if (kept >= SAMPLES_PER_INSTANCE) break;
            if (sample == null || sample.isBlank()) continue;
            db.sql("INSERT INTO log_sample (app, instance, group_id, sample_no, seen_at, sample) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(s.app(), s.instance(), g.id(), no++, g.lastSeen(), sample).update();
            kept++;
        }
    }

    /**
     * The agent's row follows its newest shipment. A restarted agent first sends what its previous
     * run left in the buffer: those older shipments are counted in the groups, not in the agent.
     */
    private void storeAgent(Shipment s, Instant receivedAt) {
        Optional<long[]> known = db.sql("SELECT agent_started_at, last_sequence FROM log_agent WHERE app = ? AND instance = ?")
                .params(s.app(), s.instance()).query((rs, n) -> new long[]{rs.getLong(1), rs.getLong(2)}).optional();
        Shipment.Stats st = s.stats() == null ? new Shipment.Stats(0, 0, 0, 0, 0, 0, 0) : s.stats();
        Shipment.Dropped d = s.dropped() == null ? Shipment.Dropped.NONE : s.dropped();
        if (known.isEmpty()) {
            db.sql("""
                            INSERT INTO log_agent (app, instance, agent_version, agent_started_at, last_shipment_id, last_sequence, last_created_at,
                                                   last_seen, bucket_seconds, shipments, lines, events, skipped_events, truncated_lines,
                                                   binary_lines, bytes, files, dropped_shipments, dropped_events, dropped_bytes)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(s.app(), s.instance(), s.agentVersion(), s.agentStartedAt(), s.id(), s.sequence(), s.createdAt(),
                            Rows.ts(receivedAt), s.bucketSeconds(), st.lines(), st.events(), st.skippedEvents(), st.truncatedLines(),
                            st.binaryLines(), st.bytes(), st.files(), d.shipments(), d.events(), d.bytes())
                    .update();
            return;
        }
        long startedAt = known.get()[0], sequence = known.get()[1];
        if (s.agentStartedAt() < startedAt) return;
        boolean restarted = s.agentStartedAt() > startedAt;
        boolean newest = restarted || s.sequence() > sequence;
        // counters restart with the agent; within one run they add up, whatever order the shipments came in
        String sql = restarted
                ? """
                UPDATE log_agent SET shipments = ?, lines = ?, events = ?, skipped_events = ?, truncated_lines = ?, binary_lines = ?,
                                     bytes = ?, agent_started_at = ?, last_seen = ?
                WHERE app = ? AND instance = ?"""
                : """
                UPDATE log_agent SET shipments = shipments + ?, lines = lines + ?, events = events + ?, skipped_events = skipped_events + ?,
                                     truncated_lines = truncated_lines + ?, binary_lines = binary_lines + ?, bytes = bytes + ?,
                                     agent_started_at = ?, last_seen = ?
                WHERE app = ? AND instance = ?""";
        db.sql(sql).params(1, st.lines(), st.events(), st.skippedEvents(), st.truncatedLines(), st.binaryLines(), st.bytes(), s.agentStartedAt(),
                        Rows.ts(receivedAt), s.app(), s.instance())
                .update();
        if (newest) {
            db.sql("""
                            UPDATE log_agent SET agent_version = ?, last_shipment_id = ?, last_sequence = ?, last_created_at = ?, bucket_seconds = ?,
                                                 files = ?, dropped_shipments = ?, dropped_events = ?, dropped_bytes = ?
                            WHERE app = ? AND instance = ?""")
                    .params(s.agentVersion(), s.id(), s.sequence(), s.createdAt(), s.bucketSeconds(), st.files(), d.shipments(), d.events(),
                            d.bytes(), s.app(), s.instance())
                    .update();
        }
    }

    /**
     * The groups logged by these instances and their counts in buckets that start in
     * {@code [from, to]}. Agents configured with different bucket lengths are brought to the
     * longest one, so every count in the answer covers the same length of time.
     */
    public LogData fetch(String app, Collection<String> instances, long from, long to) {
        Set<String> wanted = new HashSet<>(instances);
        record Row(String instance, String group, long bucket, long seconds, long count) {
        }
        List<Row> rows = db.sql("""
                        SELECT instance, group_id, bucket_start, bucket_seconds, event_count FROM log_count
                        WHERE app = ? AND bucket_start >= ? AND bucket_start <= ?""")
                .params(app, from, to)
                .query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))).list()
                .stream().filter(r -> wanted.contains(r.instance())).toList();
        long bucket = rows.stream().mapToLong(Row::seconds).max().orElse(DEFAULT_BUCKET_SECONDS);
        Map<String, LogGroup> groups = groups(app, wanted);
        record Key(long bucket, String instance, String group) {
        }
        Map<Key, Long> counts = new TreeMap<>(Comparator.comparingLong(Key::bucket).thenComparing(Key::instance).thenComparing(Key::group));
        for (Row r : rows) {
            if (!groups.containsKey(r.group())) continue;
            counts.merge(new Key(Math.floorDiv(r.bucket(), bucket) * bucket, r.instance(), r.group()), r.count(), Long::sum);
        }
        Map<String, LogGroup> seen = new HashMap<>();
        List<LogCount> out = new ArrayList<>(counts.size());
        counts.forEach((k, n) -> {
            out.add(new LogCount(k.bucket(), k.instance(), k.group(), n));
            seen.put(k.group(), groups.get(k.group()));
        });
        return new LogData(seen, out, bucket);
    }

    /** The app's groups, each with its first sample, preferably one logged by the given instances. */
    private Map<String, LogGroup> groups(String app, Set<String> instances) {
        Map<String, String> sample = new HashMap<>(), anySample = new HashMap<>();
        db.sql("SELECT instance, group_id, sample FROM log_sample WHERE app = ? ORDER BY seen_at, instance, sample_no").param(app)
                .query(rs -> {
                    String group = rs.getString(2), text = rs.getString(3);
                    anySample.putIfAbsent(group, text);
                    if (instances.contains(rs.getString(1))) sample.putIfAbsent(group, text);
                });
        Map<String, LogGroup> out = new LinkedHashMap<>();
        db.sql("SELECT * FROM log_group WHERE app = ? ORDER BY group_id").param(app).query((rs, n) -> group(rs,
                        sample.getOrDefault(rs.getString("group_id"), anySample.get(rs.getString("group_id"))))).list()
                .forEach(g -> out.put(g.id(), g));
        return out;
    }

    private static LogGroup group(ResultSet rs, String sample) throws SQLException {
        return new LogGroup(rs.getString("group_id"), LogGroup.Kind.valueOf(rs.getString("kind")), rs.getString("level"),
                rs.getString("exception_type"), rs.getString("root_cause_type"), rs.getString("template"), sample);
    }

    /** The instances of an app that have an agent, by instance. */
    public List<AgentView> agents(String app) {
        return db.sql("SELECT * FROM log_agent WHERE app = ? ORDER BY instance").param(app).query((rs, n) -> new AgentView(
                rs.getString("instance"), rs.getString("agent_version"), Instant.ofEpochMilli(rs.getLong("agent_started_at")),
                Rows.instant(rs, "last_seen"), Instant.ofEpochSecond(rs.getLong("last_created_at")), rs.getString("last_shipment_id"),
                rs.getLong("last_sequence"), rs.getInt("bucket_seconds"), rs.getLong("shipments"), rs.getInt("files"),
                new AgentView.Read(rs.getLong("lines"), rs.getLong("events"), rs.getLong("skipped_events"), rs.getLong("truncated_lines"),
                        rs.getLong("binary_lines"), rs.getLong("bytes")),
                new AgentView.Dropped(rs.getLong("dropped_shipments"), rs.getLong("dropped_events"), rs.getLong("dropped_bytes")))).list();
    }

    /**
     * Forgets what is older than the cutoff: counts of earlier buckets, samples, groups and
     * instances last seen before it (log times, Unix seconds), shipments received and agents
     * last heard from before it (server time).
     *
     * @return the rows deleted
     */
    public int prune(long cutoffSeconds) {
        var cutoff = Rows.ts(Instant.ofEpochSecond(cutoffSeconds));
        int n = db.sql("DELETE FROM log_count WHERE bucket_start < ?").param(cutoffSeconds).update();
        n += db.sql("DELETE FROM log_sample WHERE seen_at < ?").param(cutoffSeconds).update();
        n += db.sql("DELETE FROM log_group_instance WHERE last_seen < ?").param(cutoffSeconds).update();
        n += db.sql("DELETE FROM log_group WHERE last_seen < ?").param(cutoffSeconds).update();
        n += db.sql("DELETE FROM log_shipment WHERE received_at < ?").param(cutoff).update();
        n += db.sql("DELETE FROM log_agent WHERE last_seen < ?").param(cutoff).update();
        return n;
    }

    /** Forgets everything shipped for an app (its fleet is gone, as when the demo starts afresh). */
    public void forget(String app) {
        for (String table : List.of("log_count", "log_sample", "log_group_instance", "log_group", "log_shipment", "log_agent")) {
            db.sql("DELETE FROM " + table + " WHERE app = ?").param(app).update();
        }
    }
}
