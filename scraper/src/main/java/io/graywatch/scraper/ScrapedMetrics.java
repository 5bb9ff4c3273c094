package io.graywatch.scraper;

import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;

import java.util.List;

/** The metrics the built-in scraper derives from an instance's Prometheus endpoint, by name. */
public final class ScrapedMetrics {
    /** Requests per second, from {@code http_server_requests_total}. */
    public static final String QPS = "qps";
    /** Percent of requests answered with a 5xx. */
    public static final String ERROR_RATE = "error_rate";
    /** Mean latency in ms, from the histogram's sum and count. */
    public static final String LATENCY_AVG = "latency_avg_ms";
    /** 99th percentile latency in ms, interpolated in the histogram's buckets as Prometheus does. */
    public static final String LATENCY_P99 = "latency_p99_ms";
    /** {@code process_cpu_usage} in percent. */
    public static final String CPU = "cpu_percent";
    /** {@code jvm_memory_used_bytes}, all areas, in MB. */
    public static final String MEMORY = "memory_mb";
    /** {@code process_start_time_seconds}: a change means the instance restarted. */
    public static final String START_TIME = "start_time";

    /** Every derived metric, in the order the scraper stores them. */
    public static final List<String> NAMES = List.of(QPS, ERROR_RATE, LATENCY_AVG, LATENCY_P99, CPU, MEMORY, START_TIME);

    private ScrapedMetrics() {
    }

    /** The six metrics a guard judges by default, with their bad direction and unit. */
    public static List<MetricSpec> defaultSpecs() {
        return List.of(
                MetricSpec.of(QPS, MetricKind.MIDDLEWARE, Bad.DECREASE, "req/s", MetricRole.TRAFFIC),
                MetricSpec.of(ERROR_RATE, MetricKind.MIDDLEWARE, Bad.INCREASE, "percent", MetricRole.ERROR_RATE),
                MetricSpec.of(LATENCY_AVG, MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", MetricRole.LATENCY),
                MetricSpec.of(LATENCY_P99, MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", MetricRole.LATENCY),
                MetricSpec.of(CPU, MetricKind.BASIC, Bad.INCREASE, "percent", MetricRole.RESOURCE),
                MetricSpec.of(MEMORY, MetricKind.BASIC, Bad.INCREASE, "MB", MetricRole.RESOURCE));
    }

    /** The instance's process start time in Unix seconds; guards use it to leave out instances that restarted. */
    public static MetricSpec startTimeSpec() {
        return MetricSpec.of(START_TIME, MetricKind.BASIC, Bad.EITHER, "s", MetricRole.OTHER);
    }
}
