package io.graywatch.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.core.source.MetricSource;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads metrics from any Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir,
 * VictoriaMetrics, cloud-managed Prometheus) with {@code /api/v1/query_range}: one PromQL query
 * per metric, its template taken from the app's own {@link QueryLookup queries} or else from
 * {@link QueryTemplates} (Micrometer defaults, documented there), and the result series matched
 * to instances by the instance label.
 *
 * <p>Samples are at multiples of the step, so that successive rounds read the same timestamps;
 * a range longer than {@value #MAX_POINTS} steps is read in several queries, Prometheus's limit
 * per series. A NaN, an infinity or a missing evaluation is a gap, never a zero. Anything that
 * keeps a metric from being read (Prometheus down or slow, an HTTP error, bad PromQL, a result
 * that cannot be matched to instances) throws a {@link PrometheusException} naming the metric,
 * the query and what Prometheus said, so the round can say why it has no data.
 *
 * <pre>{@code
 * PrometheusMetricSource source = PrometheusMetricSource.builder(URI.create("http://prometheus:9090"))
 *         .timeout(Duration.ofSeconds(10)).queries((app, metric) -> null).build();
 * }</pre>
 */
public final class PrometheusMetricSource implements MetricSource {
    /** Prometheus refuses a range query of more than 11,000 points per series. */
    public static final int MAX_POINTS = 11_000;
    private static final int MAX_QUERY_IN_MESSAGE = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prometheus's default scrape timeout, 10 s, and a little for the write: see {@link Builder#settle}. */
    private static final Duration DEFAULT_SETTLE = Duration.ofSeconds(15);

    /** An app's own query of a metric (a template), or null to use the default. */
    @FunctionalInterface
    public interface QueryLookup {
        String query(String app, String metric);
    }

    /** One query_range call: {@code start <= t <= end} at multiples of the step. */
    record Range(long start, long end) {
    }

    private final URI base;
    private final QueryTemplates templates;
    private final QueryLookup queries;
    private final Duration timeout;
    private final Duration settle;
    private final HttpClient http;

    private PrometheusMetricSource(Builder b) {
        this.base = b.base;
        this.templates = b.templates;
        this.queries = b.queries;
        this.timeout = b.timeout;
        this.settle = b.settle;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public static Builder builder(URI base) {
        return new Builder(base);
    }

    public URI base() { return base; }

    public QueryTemplates templates() { return templates; }

    /**
     * {@code settle} before now: Prometheus stamps a scrape when it starts and stores it when it ends, so an evaluation
     * at a moment a scrape was still in flight for changes once it lands, and a rate over a window that lacks it too.
     */
    @Override
    public long settledAt(long nowSeconds) {
        return nowSeconds - (settle.toMillis() + 999) / 1000;
    }

    @Override
    public Observations fetch(String app, Collection<String> instances, Collection<MetricSpec> metrics, long from, long to, long stepSeconds) {
        if (from > to) throw new IllegalArgumentException("window starts (" + from + ") after it ends (" + to + ")");
        if (stepSeconds < 0) throw new IllegalArgumentException("step must be >= 0 seconds, got " + stepSeconds);
        long step = Math.max(1, stepSeconds);
        List<Range> ranges = split(from, to, step, MAX_POINTS);
        Observations.Builder out = Observations.builder();
        if (instances.isEmpty() || ranges.isEmpty()) return out.build();
        Set<String> wanted = new LinkedHashSet<>(instances);
        for (MetricSpec m : metrics) {
            String template = templates.templateFor(m.name(), queries.query(app, m.name()));
            if (template == null) {
                throw new PrometheusException("metric '" + m.name() + "' of app '" + app + "' has no Prometheus query: give it a \"query\" in the app's metrics");
            }
            String query = QueryTemplates.expand(template, app, wanted, step);
            Map<String, Samples> byInstance = new LinkedHashMap<>();
            for (Range r : ranges) read(app, m.name(), query, r, step, wanted, byInstance);
            byInstance.forEach((instance, s) -> out.put(instance, m.name(), s.toSeries()));
        }
        return out.build();
    }

    /**
     * The query ranges covering {@code [from, to]}: from the first multiple of the step at or after
     * {@code from} to the last at or before {@code to}, at most {@code maxPoints} points each.
     */
    static List<Range> split(long from, long to, long step, int maxPoints) {
        long start = Math.floorDiv(from + step - 1, step) * step;
        long end = Math.floorDiv(to, step) * step;
        List<Range> out = new ArrayList<>();
        long span = (maxPoints - 1L) * step;
        for (long s = start; s <= end; s += span + step) out.add(new Range(s, Math.min(end, s + span)));
        return out;
    }

    private void read(String app, String metric, String query, Range r, long step, Set<String> wanted, Map<String, Samples> byInstance) {
        JsonNode result = call(app, metric, query, r, step).path("data").path("result");
        Set<String> seenNow = new HashSet<>();
        for (JsonNode series : result) {
            String instance = series.path("metric").path(templates.instanceLabel()).asText(null);
            if (instance == null) {
                throw failure(app, metric, query, "a result series has no '" + templates.instanceLabel() + "' label ("
                        + series.path("metric") + "): keep it, e.g. sum by (" + templates.instanceLabel() + ") (...)");
            }
            if (!wanted.contains(instance)) continue;
            if (!seenNow.add(instance)) {
                throw failure(app, metric, query, "several series for instance '" + instance + "': aggregate them, e.g. sum by ("
                        + templates.instanceLabel() + ") (...)");
            }
            Samples samples = byInstance.computeIfAbsent(instance, k -> new Samples());
            for (JsonNode point : series.path("values")) {
                double v = parseValue(point.path(1).asText());
                if (Double.isFinite(v)) samples.add(Math.round(point.path(0).asDouble()), v);
            }
        }
    }

    private static double parseValue(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private JsonNode call(String app, String metric, String query, Range r, long step) {
        String form = "query=" + enc(query) + "&start=" + r.start() + "&end=" + r.end() + "&step=" + step;
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/query_range")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw failure(app, metric, query, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw failure(app, metric, query, "cannot reach it (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(app, metric, query, "interrupted");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (body != null && "success".equals(body.path("status").asText())) {
            if (!"matrix".equals(body.path("data").path("resultType").asText())) {
                throw failure(app, metric, query, "the answer is a " + body.path("data").path("resultType").asText() + ", not a range of series");
            }
            return body;
        }
        String said = body != null && body.hasNonNull("error")
                ? body.path("errorType").asText("error") + ": " + body.path("error").asText()
                : abbreviate(response.body() == null ? "" : response.body().strip(), 300);
        throw failure(app, metric, query, "HTTP " + response.statusCode() + (said.isEmpty() ? "" : ", " + said));
    }

    private PrometheusException failure(String app, String metric, String query, String what) {
        return new PrometheusException("cannot read metric '" + metric + "' of app '" + app + "' from Prometheus at " + base + ": " + what
                + "; query: " + abbreviate(query, MAX_QUERY_IN_MESSAGE));
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One instance's samples of one metric, gathered over the ranges. */
    private static final class Samples {
        private long[] times = new long[16];
        private double[] values = new double[16];
        private int n;

        void add(long t, double v) {
            if (n == times.length) {
                times = Arrays.copyOf(times, 2 * n);
                values = Arrays.copyOf(values, 2 * n);
            }
            times[n] = t;
            values[n++] = v;
        }

        Series toSeries() {
            return Series.of(Arrays.copyOf(times, n), Arrays.copyOf(values, n));
        }
    }

    public static final class Builder {
        private final URI base;
        private QueryTemplates templates = QueryTemplates.micrometer();
        private QueryLookup queries = (app, metric) -> null;
        private Duration timeout = Duration.ofSeconds(10);
        private Duration settle = DEFAULT_SETTLE;

        private Builder(URI base) {
            Objects.requireNonNull(base, "base");
            String s = base.toString();
            if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
                throw new IllegalArgumentException("Prometheus URL must be http(s)://host[:port][/path], got '" + s + "'");
            }
            // a path prefix (Mimir's /prometheus, a proxy's) is kept: the API is resolved under it
            this.base = URI.create(s.endsWith("/") ? s : s + "/");
        }

        /** Default templates and the labels they select by (default: Micrometer, labels app and instance). */
        public Builder templates(QueryTemplates v) { templates = Objects.requireNonNull(v, "templates"); return this; }

        /** Apps' own queries; null from the lookup means the default template. */
        public Builder queries(QueryLookup v) { queries = Objects.requireNonNull(v, "queries"); return this; }

        /** Connect and answer timeout of one query (default 10 s). */
        public Builder timeout(Duration v) {
            if (v == null || v.toMillis() < 1) throw new IllegalArgumentException("Prometheus timeout must be at least 1 ms, got " + v);
            timeout = v;
            return this;
        }

        /**
         * How long after a moment Prometheus's answers about it are final (default {@link #DEFAULT_SETTLE}): a scrape is
         * stored up to its {@code scrape_timeout} (10 s by default) after the moment it is stamped with; behind remote
         * write or a long-term store (Mimir, Thanos receive, a managed Prometheus) add how late samples arrive there.
         */
        public Builder settle(Duration v) {
            if (v == null || v.isNegative()) throw new IllegalArgumentException("Prometheus settle time must be 0 s or more, got " + v);
            settle = v;
            return this;
        }

        public PrometheusMetricSource build() {
            return new PrometheusMetricSource(this);
        }
    }
}
