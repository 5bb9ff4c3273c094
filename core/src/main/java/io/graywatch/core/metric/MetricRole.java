package io.graywatch.core.metric;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

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

    /**
     * Guesses the role from a metric's name, kind, bad direction and unit, for corpora that do not say. The name
     * speaks first. Errors in percent or as a ratio are a share of requests, whatever the name calls them
     * ({@code errors_pct}, {@code 5xx_ratio}): counting them as events would test a percentage as if it were a
     * number of failures. A request's duration is a latency, though its name speaks of requests
     * ({@code http_request_duration_seconds}), unless it counts them ({@code ..._count}). A name that says
     * nothing ({@code m1}, {@code p_ad}) leaves it to the unit and the kind: a time is a latency, requests a second
     * are traffic, a host's metric is a resource, and a middleware percentage is an error rate when a rise is bad
     * and a success rate when a fall is.
     */
    public static MetricRole infer(String name, MetricKind kind, Bad bad, String unit) {
        MetricRole byName = byName(name, kind, unit);
        if (byName != null) return byName;
        boolean share = share(name.toLowerCase(Locale.ROOT), unit);
        String u = unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (TIME_UNITS.contains(u)) return LATENCY;
        if (REQUEST_RATE_UNITS.contains(u)) return TRAFFIC;
        if (kind == MetricKind.BASIC) return RESOURCE;
        if (kind == MetricKind.MIDDLEWARE && share && bad == Bad.INCREASE) return ERROR_RATE;
        if (kind == MetricKind.MIDDLEWARE && share && bad == Bad.DECREASE) return SUCCESS_RATE;
        return OTHER;
    }

    /** The role a metric's name says (with its unit telling a share from a count of errors), or null when the name says nothing. */
    public static MetricRole byName(String name, MetricKind kind, String unit) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("success") || n.contains("availability")) return SUCCESS_RATE;
        boolean errors = n.contains("error") || n.contains("exception") || n.contains("fail") || n.contains("5xx") || n.contains("err_rate");
        if (errors && share(n, unit) && kind != MetricKind.LOG) return ERROR_RATE;
        if (errors || kind == MetricKind.LOG) return ERROR_COUNT;
        List<String> words = words(name);
        boolean requests = n.contains("request") || n.contains("traffic") || n.contains("throughput")
                || words.stream().anyMatch(w -> RATE_WORDS.contains(w) || w.equals("workload"));
        if (requests && (n.endsWith("_count") || n.endsWith("_total"))) return TRAFFIC;
        // a timer's other series (http_server_requests_seconds_max, a mean in seconds): the requests' time, not their number
        if (requests && words.stream().anyMatch(w -> w.equals("seconds") || w.equals("milliseconds")) && !n.endsWith("_sum") && !n.endsWith("_bucket"))
            return LATENCY;
        if (n.contains("latency") || n.contains("duration") || n.contains("response_time") || n.contains("resp_time") || n.contains("elapsed")
                || words.contains("rt") || PERCENTILE.matcher(n).find()) return LATENCY;
        if (requests) return TRAFFIC;
        if (n.contains("cpu") || n.contains("heap") || n.contains("disk") || n.contains("thread")
                || words.stream().anyMatch(w -> w.startsWith("mem") && !w.startsWith("member") || w.startsWith("load") || w.startsWith("gc")
                || w.equals("fd") || w.equals("fds"))) return RESOURCE;
        return null;
    }

    /**
     * The words of a name, lower case: split at anything but letters and digits and where camel case starts one.
     * Short words are matched whole, not found inside others: {@code cart_items} holds "rt_" and is no response
     * time, {@code https_requests} holds "tps", {@code workload} and {@code download_bytes} hold "load",
     * {@code member_count} holds "mem".
     */
    static List<String> words(String name) {
        String spaced = CAMEL.matcher(name).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
        return Arrays.stream(NOT_A_WORD.split(spaced)).filter(w -> !w.isEmpty()).toList();
    }

    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern NOT_A_WORD = Pattern.compile("[^a-z0-9]+");

    /** Requests a second, a minute, transactions a second. */
    private static final Set<String> RATE_WORDS = Set.of("qps", "rps", "tps", "qpm", "rpm", "tpm");

    /** A share of something, in percent or in [0, 1], by its unit or its name. */
    private static boolean share(String lowerName, String unit) {
        return MetricSpec.percentUnit(unit) || MetricSpec.fractionUnit(unit) || lowerName.contains("_rate") || lowerName.contains("ratio")
                || lowerName.contains("pct") || lowerName.contains("percent");
    }

    /** {@code p99}, {@code p95_ms}, {@code rt_p999}: a percentile is of a time. */
    private static final Pattern PERCENTILE = Pattern.compile("(^|[_.-])p(50|75|90|95|99|999)($|[_.-])");

    /** Whether a unit is one of time ({@code ms}, {@code s}, {@code seconds}, …): what is measured in it per event is a latency. */
    public static boolean isTimeUnit(String unit) {
        return unit != null && TIME_UNITS.contains(unit.trim().toLowerCase(Locale.ROOT).replace(" ", ""));
    }

    static final Set<String> TIME_UNITS = Set.of("ms", "millisecond", "milliseconds", "s", "sec", "second", "seconds",
            "us", "\u00b5s", "microsecond", "microseconds", "ns");
    static final Set<String> REQUEST_RATE_UNITS = Set.of("rps", "qps", "tps", "req/s", "reqs/s", "requests/s", "request/s",
            "requestspersecond", "calls/s", "rpm", "qpm", "req/min", "requests/min", "requestsperminute");

    /** The role a corpus or an app names, or null when it names none: then it is inferred where the whole spec is known. */
    public static MetricRole parse(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown metric role '" + s + "'");
        }
    }
}
