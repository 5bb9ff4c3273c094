package io.graywatch.server.app;

import com.fasterxml.jackson.core.type.TypeReference;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.server.Json;
import io.graywatch.server.Rows;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.Optional;

@Repository
public class AppStore {
    private static final TypeReference<List<MetricSpec>> METRICS = new TypeReference<>() {
    };

    private final JdbcClient db;
    private final Json json;

    AppStore(JdbcClient db, Json json) {
        this.db = db;
        this.json = json;
    }

    void insert(App app) {
        db.sql("INSERT INTO app (name, metrics, guard_settings, executor, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(app.name(), json.write(app.metrics()), json.write(app.guard()), app.executor(), Rows.ts(app.createdAt()))
                .update();
    }

    public Optional<App> find(String name) {
        return db.sql("SELECT * FROM app WHERE name = ?").param(name).query(mapper()).optional();
    }

    public List<App> list() {
        return db.sql("SELECT * FROM app ORDER BY name").query(mapper()).list();
    }

    private RowMapper<App> mapper() {
        return (rs, n) -> new App(rs.getString("name"), json.read(rs.getString("metrics"), METRICS),
                json.read(rs.getString("guard_settings"), GuardSettings.class), rs.getString("executor"),
                Rows.instant(rs, "created_at"));
    }
}
