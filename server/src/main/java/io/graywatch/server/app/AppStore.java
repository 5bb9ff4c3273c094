package io.graywatch.server.app;

import com.fasterxml.jackson.core.type.TypeReference;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.server.Json;
import io.graywatch.server.Rows;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Repository
public class AppStore {
    private static final TypeReference<List<MetricSpec>> METRICS = new TypeReference<>() {
    };
    private static final TypeReference<List<StoredQuery>> QUERIES = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, Object>> FIELDS = new TypeReference<>() {
    };

    /** A metric's own query is kept in its element of the metrics column; rows from before queries have none. */
    private record StoredQuery(String name, String query) {
    }

    private final JdbcClient db;
    private final Json json;

    AppStore(JdbcClient db, Json json) {
        this.db = db;
        this.json = json;
    }

    void insert(App app) {
        db.sql("INSERT INTO app (name, metrics, guard_settings, executor, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(app.name(), json.write(stored(app)), json.write(app.guard()), app.executor(), Rows.ts(app.createdAt()))
                .update();
    }

    public Optional<App> find(String name) {
        return db.sql("SELECT * FROM app WHERE name = ?").param(name).query(mapper()).optional();
    }

    public List<App> list() {
        return db.sql("SELECT * FROM app ORDER BY name").query(mapper()).list();
    }

    /** Each metric as its spec's fields, plus {@code query} when it has its own. */
    private List<Map<String, Object>> stored(App app) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MetricSpec m : app.metrics()) {
            Map<String, Object> fields = json.read(json.write(m), FIELDS);
            String query = app.queries().get(m.name());
            if (query != null) fields.put("query", query);
            out.add(fields);
        }
        return out;
    }

    private RowMapper<App> mapper() {
        return (rs, n) -> {
            String metrics = rs.getString("metrics");
            Map<String, String> queries = new LinkedHashMap<>();
            for (StoredQuery q : json.read(metrics, QUERIES)) if (q.query() != null) queries.put(q.name(), q.query());
            return new App(rs.getString("name"), json.read(metrics, METRICS), queries,
                    json.read(rs.getString("guard_settings"), GuardSettings.class), rs.getString("executor"),
                    Rows.instant(rs, "created_at"));
        };
    }
}
