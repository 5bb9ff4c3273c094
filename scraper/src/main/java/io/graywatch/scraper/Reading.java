package io.graywatch.scraper;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The raw counters and gauges of one successful scrape of one instance. Two consecutive readings
 * give the derived metrics of {@link ScrapedMetrics}.
 */
record Reading(long millis, double requests, double errors, NavigableMap<Double, Double> buckets, double latencySum,
               double latencyCount, double cpu, double memoryBytes, double startTime) {
    private static final double MIB = 1024 * 1024;
    private static final Reading ZERO = new Reading(0, 0, 0, new TreeMap<>(), 0, 0, Double.NaN, Double.NaN, Double.NaN);

    static Reading of(Exposition e, long millis) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        for (Sample s : e.samples("http_server_request_duration_seconds_bucket")) {
            String le = s.label("le");
            if (le != null) buckets.merge(PrometheusTextParser.number(le), s.value(), Double::sum);
        }
        return new Reading(millis,
                e.sum("http_server_requests_total"),
                e.sum("http_server_requests_total", Reading::isServerError),
                buckets,
                e.sum("http_server_request_duration_seconds_sum"),
                e.sum("http_server_request_duration_seconds_count"),
                e.sum("process_cpu_usage"),
                e.sum("jvm_memory_used_bytes"),
                e.sum("process_start_time_seconds"));
    }

    /** 5xx by status class ({@code status="5xx"}) or by code ({@code status="503"}, {@code code="500"}). */
    private static boolean isServerError(Map<String, String> labels) {
        String status = labels.getOrDefault("status", labels.get("code"));
        return status != null && status.startsWith("5");
    }

    /**
     * The derived metrics at this reading, in {@link ScrapedMetrics#NAMES} order, NaN where there
     * is nothing to say (no earlier reading, no requests in between). A restart (a new start time or
     * a counter that went down) means the counters began again from zero.
     */
    double[] derive(Reading previous) {
        double[] v = new double[ScrapedMetrics.NAMES.size()];
        Arrays.fill(v, Double.NaN);
        v[4] = cpu * 100;
        v[5] = memoryBytes / MIB;
        v[6] = startTime;
        if (previous == null) return v;
        Reading base = previous;
        long since = previous.millis;
        if (restartedSince(previous)) {
            base = ZERO;
            if (Double.isFinite(startTime) && startTime * 1000 > previous.millis) since = Math.round(startTime * 1000);
        }
        double seconds = (millis - since) / 1000.0;
        if (!(seconds > 0)) return v;
        double served = requests - base.requests;
        v[0] = served / seconds;
        if (served > 0) v[1] = 100 * (errors - base.errors) / served;
        double counted = latencyCount - base.latencyCount;
        if (counted > 0) v[2] = 1000 * (latencySum - base.latencySum) / counted;
        v[3] = 1000 * quantile(0.99, deltas(base));
        return v;
    }

    private boolean restartedSince(Reading p) {
        if (Double.isFinite(startTime) && Double.isFinite(p.startTime) && startTime != p.startTime) return true;
        if (requests < p.requests || errors < p.errors || latencyCount < p.latencyCount || latencySum < p.latencySum) return true;
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            Double before = p.buckets.get(b.getKey());
            if (before != null && b.getValue() < before) return true;
        }
        return false;
    }

    private NavigableMap<Double, Double> deltas(Reading base) {
        NavigableMap<Double, Double> d = new TreeMap<>();
        buckets.forEach((le, count) -> d.put(le, count - base.buckets.getOrDefault(le, 0.0)));
        return d;
    }

    /**
     * The q-quantile of a cumulative histogram, as Prometheus's {@code histogram_quantile}: linear
     * inside the bucket that holds the rank, the highest finite bound when the rank is in +Inf, NaN
     * without observations or without a +Inf bucket.
     */
    static double quantile(double q, NavigableMap<Double, Double> cumulative) {
        if (cumulative.isEmpty() || cumulative.lastKey() != Double.POSITIVE_INFINITY) return Double.NaN;
        double total = cumulative.lastEntry().getValue();
        if (!(total > 0)) return Double.NaN;
        double rank = q * total;
        double lower = 0, below = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            double count = Math.max(b.getValue(), below); // buckets must not go down; a torn read may make them
            if (count >= rank) {
                if (b.getKey() == Double.POSITIVE_INFINITY) return lower;
                if (count == below) return b.getKey();
                return lower + (b.getKey() - lower) * (rank - below) / (count - below);
            }
            lower = b.getKey();
            below = count;
        }
        return lower;
    }
}
