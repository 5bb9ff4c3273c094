package io.graywatch.core.metric;

import java.util.Locale;

/**
 * What a metric means to the guard beyond its kind. Rules need to know which series is traffic
 * and which is the success rate; rate tests need to know which series are counts.
 */
public enum MetricRole {
    /** Requests per second (or per step) served by an instance. */
    TRAFFIC,
    /** Share of failed requests, in percent. */
    ERROR_RATE,
    /** Share of successful requests, in percent. */
    SUCCESS_RATE,
    /** Number of errors or exceptions per step: judged with a rate test, not as a continuous value. */
    ERROR_COUNT,
    LATENCY,
    /** CPU, memory, load, disk: where leaks and ramps show. */
    RESOURCE,
    OTHER;

    /** Whether its level moves with the load an instance serves: more requests, more latency and CPU; fewer, less. */
    public boolean followsLoad() {
        return this == LATENCY || this == RESOURCE || this == OTHER;
    }

    /** Guesses the role from a metric's name, for corpora that do not say. */
    public static MetricRole infer(String name, MetricKind kind) {
        return infer(name, kind, "");
    }

    /**
     * Guesses the role from a metric's name and unit, for corpora that do not say. Errors in percent or as
     * a ratio are a share of requests, whatever the name calls them ({@code errors_pct}, {@code 5xx_ratio}):
     * counting them as events would test a percentage as if it were a number of failures.
     */
    public static MetricRole infer(String name, MetricKind kind, String unit) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("success")) return SUCCESS_RATE;
        boolean errors = n.contains("error") || n.contains("exception") || n.contains("fail") || n.contains("5xx") || n.contains("err_rate");
        boolean share = MetricSpec.percentUnit(unit) || MetricSpec.fractionUnit(unit) || n.contains("_rate") || n.contains("ratio") || n.contains("pct") || n.contains("percent");
        if (errors && share && kind != MetricKind.LOG) return ERROR_RATE;
        if (errors || kind == MetricKind.LOG) return ERROR_COUNT;
        if (n.contains("qps") || n.contains("rps") || n.contains("request") || n.contains("traffic") || n.contains("throughput") || n.contains("tps"))
            return TRAFFIC;
        if (n.contains("latency") || n.contains("rt_") || n.equals("rt") || n.contains("duration") || n.contains("response_time")) return LATENCY;
        if (n.contains("cpu") || n.contains("mem") || n.contains("heap") || n.contains("load") || n.contains("disk") || n.contains("gc")
                || n.contains("thread") || n.contains("fd")) return RESOURCE;
        return OTHER;
    }

    public static MetricRole parse(String s, String name, MetricKind kind) {
        if (s == null || s.isBlank()) return infer(name, kind);
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown metric role '" + s + "'");
        }
    }
}
