package io.graywatch.server.app;

import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service that is released, with its onboarding configuration.
 *
 * @param queries  by metric name, the PromQL template each metric is read with from Prometheus
 *                 ({@code io.graywatch.prometheus.QueryTemplates}): as stored, only the metrics' own; as
 *                 the API shows it with {@code graywatch.metrics.source=prometheus}, every metric's,
 *                 defaults included
 * @param executor the release executor that acts on its instances, or null for the server's only executor
 */
public record App(String name, List<MetricSpec> metrics, Map<String, String> queries, GuardSettings guard, String executor,
                  Instant createdAt) {

    /** What the built-in scraper produces for every instance, so a new app is guarded without setup. */
    public static final List<MetricSpec> DEFAULT_METRICS = List.of(
            MetricSpec.of("qps", MetricKind.MIDDLEWARE, Bad.DECREASE, "rps", MetricRole.TRAFFIC),
            MetricSpec.of("error_rate", MetricKind.MIDDLEWARE, Bad.INCREASE, "percent", MetricRole.ERROR_RATE),
            MetricSpec.of("latency_avg_ms", MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", MetricRole.LATENCY),
            MetricSpec.of("latency_p99_ms", MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", MetricRole.LATENCY),
            MetricSpec.of("cpu_percent", MetricKind.BASIC, Bad.INCREASE, "percent", MetricRole.RESOURCE),
            MetricSpec.of("memory_mb", MetricKind.BASIC, Bad.INCREASE, "MB", MetricRole.RESOURCE));

    public App {
        metrics = List.copyOf(metrics);
        queries = Collections.unmodifiableMap(new LinkedHashMap<>(queries == null ? Map.of() : queries));
    }

    /** The same app with these queries. */
    public App withQueries(Map<String, String> q) {
        return new App(name, metrics, q, guard, executor, createdAt);
    }
}
