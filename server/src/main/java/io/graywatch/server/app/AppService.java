package io.graywatch.server.app;

import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.release.ReleaseExecutor;
import io.graywatch.server.ApiException;
import io.graywatch.prometheus.QueryTemplates;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

@Service
public class AppService {
    private final AppStore store;
    private final List<ReleaseExecutor> executors;
    private final Clock clock;
    /** The default PromQL templates when metrics come from Prometheus; null with the built-in scraper. */
    private final QueryTemplates prometheus;

    AppService(AppStore store, List<ReleaseExecutor> executors, Clock clock, ObjectProvider<QueryTemplates> prometheus) {
        this.store = store;
        this.executors = executors;
        this.clock = clock;
        this.prometheus = prometheus.getIfAvailable();
    }

    public App create(AppRequest request) {
        List<MetricSpec> metrics = metrics(request.metrics());
        App app = new App(request.name(), metrics, queries(request.metrics(), metrics), settings(request.guard()),
                executor(request.executor()), clock.instant());
        if (store.find(app.name()).isPresent()) throw duplicate(app.name());
        try {
            store.insert(app);
        } catch (DuplicateKeyException e) {
            throw duplicate(app.name());
        }
        return shown(app);
    }

    public App get(String name) {
        return shown(store.find(name).orElseThrow(() -> ApiException.notFound("app '" + name + "' not found: create it with POST /api/v1/apps")));
    }

    public List<App> list() {
        return store.list().stream().map(this::shown).toList();
    }

    /** The metric's own PromQL template, or null if it has none (the default applies); for the Prometheus source. */
    public String ownQuery(String app, String metric) {
        return store.find(app).map(a -> a.queries().get(metric)).orElse(null);
    }

    /** With metrics from Prometheus, the app as people need to see it: the query of every metric, defaults included. */
    private App shown(App app) {
        if (prometheus == null) return app;
        Map<String, String> all = new LinkedHashMap<>();
        for (MetricSpec m : app.metrics()) {
            String template = prometheus.templateFor(m.name(), app.queries().get(m.name()));
            if (template != null) all.put(m.name(), template);
        }
        return app.withQueries(all);
    }

    /**
     * The metrics' own queries. A query must use $instances, whatever the source (it is kept for the
     * day the app's metrics come from Prometheus); with Prometheus, every metric needs a query, its
     * own or a default one.
     */
    private Map<String, String> queries(List<AppRequest.MetricRequest> requested, List<MetricSpec> metrics) {
        Map<String, String> own = new LinkedHashMap<>();
        if (requested != null) {
            for (AppRequest.MetricRequest m : requested) if (m.query() != null && !m.query().isBlank()) own.put(m.name(), m.query().strip());
        }
        QueryTemplates rules = prometheus != null ? prometheus : QueryTemplates.micrometer();
        for (int i = 0; i < metrics.size(); i++) {
            String name = metrics.get(i).name();
            if (prometheus == null && !own.containsKey(name)) continue;
            String problem = rules.problem(name, own.get(name));
            if (problem != null) throw ApiException.badRequest((requested == null ? "metrics" : "metrics[" + i + "]") + ": " + problem);
        }
        return own;
    }

    private static ApiException duplicate(String name) {
        return ApiException.conflict("app '" + name + "' already exists: choose another name");
    }

    private static List<MetricSpec> metrics(List<AppRequest.MetricRequest> requested) {
        if (requested == null) return App.DEFAULT_METRICS;
        List<MetricSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            AppRequest.MetricRequest m = requested.get(i);
            String field = "metrics[" + i + "]";
            if (!names.add(m.name())) throw ApiException.badRequest(field + ".name: metric '" + m.name() + "' is listed twice");
            MetricKind kind = parse(field + ".kind", m.kind(), MetricKind::parse);
            Bad bad = parse(field + ".bad", m.bad(), Bad::parse);
            MetricRole role = parse(field + ".role", m.role(), MetricRole::parse);
            out.add(new MetricSpec(m.name(), kind, bad, m.unit(), role,
                    m.minRelativeEffect() == null ? Double.NaN : m.minRelativeEffect(),
                    m.minAbsoluteEffect() == null ? Double.NaN : m.minAbsoluteEffect()));
        }
        return out;
    }

    private static <T> T parse(String field, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + ": " + e.getMessage());
        }
    }

    private static GuardSettings settings(AppRequest.Guard g) {
        GuardSettings d = GuardSettings.defaults();
        if (g == null) return d;
        try {
            return new GuardSettings(
                    g.analysisIntervalSeconds() == null ? d.analysisIntervalSeconds() : g.analysisIntervalSeconds(),
                    g.stepSeconds() == null ? d.stepSeconds() : g.stepSeconds(),
                    g.warmupSeconds() == null ? d.warmupSeconds() : g.warmupSeconds(),
                    g.historySeconds() == null ? d.historySeconds() : g.historySeconds(),
                    g.voteK() == null ? d.voteK() : g.voteK(),
                    g.voteN() == null ? d.voteN() : g.voteN(),
                    g.dangerousExceptions() == null ? d.dangerousExceptions() : g.dangerousExceptions(),
                    g.successRateFloorPercent() == null ? d.successRateFloorPercent() : g.successRateFloorPercent());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("guard: " + e.getMessage());
        }
    }

    /** The executor must exist on this server; with one executor the name may be left out. */
    private String executor(String name) {
        List<String> available = executors.stream().map(ReleaseExecutor::name).toList();
        if (name == null) {
            if (available.size() > 1) {
                throw ApiException.badRequest("executor: this server has several release executors " + available + ": name one");
            }
            return null;
        }
        if (!available.contains(name)) {
            throw ApiException.badRequest("executor: unknown release executor '" + name + "'; available: " + available);
        }
        return name;
    }
}
