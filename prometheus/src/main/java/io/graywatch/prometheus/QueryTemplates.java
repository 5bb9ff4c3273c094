package io.graywatch.prometheus;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL each metric is read with. A template is PromQL with three placeholders, filled in
 * for every query:
 *
 * <ul>
 *   <li>{@code $app}: the app's name, escaped for a double-quoted PromQL string;</li>
 *   <li>{@code $instances}: the requested instance ids as an anchored regex alternation, each id
 *       regex-quoted and escaped for a double-quoted string, for {@code instance=~"$instances"};</li>
 *   <li>{@code $window}: the rate window, {@code max(4 × step, 60s)} like Grafana's
 *       {@code $__rate_interval}, so that a rate always spans several scrapes.</li>
 * </ul>
 *
 * <p>A template must keep the instance label in its result ({@code sum by (instance)}), since the
 * series are matched to instances by that label; it must use {@code $instances}, or it could not
 * tell the release group from the reference group.
 *
 * <p>The default templates follow Micrometer's Prometheus names as a Spring Boot app exposes them
 * (p99 needs {@code management.metrics.distribution.percentiles-histogram.http.server.requests=true}),
 * with the app and instance in labels {@code app} and {@code instance} (both configurable):
 *
 * <pre>
 * qps            sum by (instance) (rate(http_server_requests_seconds_count{app="$app",instance=~"$instances"}[$window]))
 * error_rate     100 * (sum by (instance) (rate(http_server_requests_seconds_count{…,status=~"5.."}[$window]))
 *                       or 0 * sum by (instance) (rate(http_server_requests_seconds_count{…}[$window])))
 *                    / sum by (instance) (rate(http_server_requests_seconds_count{…}[$window]))
 * latency_avg_ms 1000 * sum by (instance) (rate(http_server_requests_seconds_sum{…}[$window]))
 *                     / sum by (instance) (rate(http_server_requests_seconds_count{…}[$window]))
 * latency_p99_ms 1000 * histogram_quantile(0.99, sum by (instance, le) (rate(http_server_requests_seconds_bucket{…}[$window])))
 * cpu_percent    100 * max by (instance) (process_cpu_usage{…})
 * memory_mb      sum by (instance) (jvm_memory_used_bytes{…}) / 1048576
 * start_time     max by (instance) (process_start_time_seconds{…})
 * </pre>
 *
 * <p>The {@code or 0 *} term makes the error rate 0 rather than missing while an instance serves
 * requests without any 5xx (Micrometer has no 5xx series until the first one); with no requests
 * at all it is 0/0, a gap, as it should be.
 */
public final class QueryTemplates {
    public static final String APP = "$app";
    public static final String INSTANCES = "$instances";
    public static final String WINDOW = "$window";
    /** Shortest rate window: a minute spans several scrapes at any usual scrape interval. */
    static final long MIN_WINDOW_SECONDS = 60;

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(app|instances|window)\\b");
    private static final String RE2_SPECIALS = "\\.+*?()|[]{}^$";

    private final String appLabel;
    private final String instanceLabel;
    private final Map<String, String> defaults;

    private QueryTemplates(String appLabel, String instanceLabel) {
        this.appLabel = checkLabel("app label", appLabel);
        this.instanceLabel = checkLabel("instance label", instanceLabel);
        String sel = "{" + appLabel + "=\"" + APP + "\"," + instanceLabel + "=~\"" + INSTANCES + "\"";
        String all = sel + "}";
        String count = "rate(http_server_requests_seconds_count" + all + "[" + WINDOW + "])";
        String by = "sum by (" + instanceLabel + ") ";
        Map<String, String> d = new LinkedHashMap<>();
        d.put("qps", by + "(" + count + ")");
        d.put("error_rate", "100 * (" + by + "(rate(http_server_requests_seconds_count" + sel + ",status=~\"5..\"}[" + WINDOW + "]))"
                + " or 0 * " + by + "(" + count + ")) / " + by + "(" + count + ")");
        d.put("latency_avg_ms", "1000 * " + by + "(rate(http_server_requests_seconds_sum" + all + "[" + WINDOW + "])) / " + by + "(" + count + ")");
        d.put("latency_p99_ms", "1000 * histogram_quantile(0.99, sum by (" + instanceLabel + ", le) (rate(http_server_requests_seconds_bucket"
                + all + "[" + WINDOW + "])))");
        d.put("cpu_percent", "100 * max by (" + instanceLabel + ") (process_cpu_usage" + all + ")");
        d.put("memory_mb", by + "(jvm_memory_used_bytes" + all + ") / 1048576");
        d.put("start_time", "max by (" + instanceLabel + ") (process_start_time_seconds" + all + ")");
        this.defaults = Map.copyOf(d);
    }

    /** The Micrometer defaults with the app in label {@code app} and the instance in label {@code instance}. */
    public static QueryTemplates micrometer() {
        return micrometer("app", "instance");
    }

    public static QueryTemplates micrometer(String appLabel, String instanceLabel) {
        return new QueryTemplates(appLabel, instanceLabel);
    }

    public String appLabel() { return appLabel; }

    /** The label whose value is the Graywatch instance id. */
    public String instanceLabel() { return instanceLabel; }

    /** The default template of a metric name, or null if there is none. */
    public String defaultFor(String metric) {
        return defaults.get(metric);
    }

    /** The template a metric is read with: its own if it has one, else the default, else null. */
    public String templateFor(String metric, String own) {
        return own != null && !own.isBlank() ? own : defaultFor(metric);
    }

    /**
     * What is wrong with reading the metric with this template (its own, or null for the default),
     * in a sentence that says what to add; null if nothing is.
     */
    public String problem(String metric, String own) {
        String template = templateFor(metric, own);
        if (template == null) {
            return "metric '" + metric + "' has no default Prometheus query: add a \"query\" with PromQL that uses "
                    + INSTANCES + " and keeps the " + instanceLabel + " label, e.g. sum by (" + instanceLabel + ") (rate(my_counter_total{"
                    + appLabel + "=\"" + APP + "\"," + instanceLabel + "=~\"" + INSTANCES + "\"}[" + WINDOW + "]))";
        }
        if (!template.contains(INSTANCES)) {
            return "the query of metric '" + metric + "' does not use " + INSTANCES + ", so it cannot tell instances apart: select them with "
                    + instanceLabel + "=~\"" + INSTANCES + "\" and keep the " + instanceLabel + " label in the result";
        }
        return null;
    }

    /** The template with its placeholders filled in; one pass, so a value never gets expanded again. */
    public static String expand(String template, String app, Collection<String> instances, long stepSeconds) {
        Objects.requireNonNull(template, "template");
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "app" -> stringEscape(app);
                case "instances" -> stringEscape(instancesRegex(instances));
                default -> rateWindowSeconds(stepSeconds) + "s";
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code a|b|c} with every RE2 special character of each id escaped; Prometheus anchors it. */
    static String instancesRegex(Collection<String> instances) {
        StringBuilder out = new StringBuilder();
        for (String id : instances) {
            if (!out.isEmpty()) out.append('|');
            for (char c : id.toCharArray()) {
                if (RE2_SPECIALS.indexOf(c) >= 0) out.append('\\');
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Escapes a value for the inside of a double-quoted PromQL string. */
    static String stringEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static long rateWindowSeconds(long stepSeconds) {
        return Math.max(4 * stepSeconds, MIN_WINDOW_SECONDS);
    }

    private static String checkLabel(String what, String label) {
        if (label == null || !LABEL_NAME.matcher(label).matches()) {
            throw new IllegalArgumentException(what + " must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), got '" + label + "'");
        }
        return label;
    }
}
