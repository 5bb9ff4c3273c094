package io.graywatch.core.metric;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One metric the guard watches, and what counts as a meaningful change of it.
 *
 * @param minRelativeEffect      a change smaller than this share of the baseline is not a finding (0.1 = 10%)
 * @param minAbsoluteEffect      a change smaller than this, in the metric's unit, is not a finding
 * @param minAbsoluteEffectGiven whether the app set {@code minAbsoluteEffect}: the role's default is in percentage
 *                               points, which the guard scales to the metric's values (a hundredth of them for a
 *                               share in [0, 1]) and raises to {@link #UTILISATION_POINTS} for a utilisation; a value
 *                               the app set is taken as it is, even when it equals the default
 */
public record MetricSpec(String name, MetricKind kind, Bad bad, String unit, MetricRole role,
                         double minRelativeEffect, double minAbsoluteEffect, boolean minAbsoluteEffectGiven) {

    public MetricSpec {
        Objects.requireNonNull(name, "name");
        kind = kind == null ? MetricKind.MIDDLEWARE : kind;
        bad = bad == null ? Bad.EITHER : bad;
        unit = unit == null || unit.isBlank() ? unitInName(name) : unit;
        role = role == null ? MetricRole.infer(name, kind, bad, unit) : role;
        if (Double.isNaN(minRelativeEffect) || minRelativeEffect < 0) minRelativeEffect = defaultRelative(role);
        if (Double.isNaN(minAbsoluteEffect) || minAbsoluteEffect < 0) {
            minAbsoluteEffect = defaultAbsolute(role);
            minAbsoluteEffectGiven = false;
        } else {
            // stored before the flag existed: a value other than the default can only have been set
            minAbsoluteEffectGiven |= minAbsoluteEffect != defaultAbsolute(role);
        }
    }

    /** A spec whose gates are the given ones, NaN (or negative) for the role's default. */
    public MetricSpec(String name, MetricKind kind, Bad bad, String unit, MetricRole role, double minRelativeEffect, double minAbsoluteEffect) {
        this(name, kind, bad, unit, role, minRelativeEffect, minAbsoluteEffect, !Double.isNaN(minAbsoluteEffect) && minAbsoluteEffect >= 0);
    }

    /**
     * The smallest rise of a utilisation worth an interception, in percentage points, unless the spec sets its
     * own: relative gates alone let an idle instance's CPU going from 7.4% to 7.7% (+36% after the reference's
     * dip) fail a release, which nobody would roll back for.
     */
    public static final double UTILISATION_POINTS = 2;

    /**
     * Whether the metric is a utilisation, a share of a capacity (CPU %), or a rate of work (network, disk I/O): it
     * follows the load rather than accumulating. By its unit, or by its name when it has none ({@code cpu_percent},
     * {@code cpu_util}, as the corpus format's own example leaves the unit out). A CPU is one whatever it is counted in (a
     * share, cores, the rate of a counter of CPU seconds), and so are bytes or packets sent and received and I/O,
     * whatever their unit: {@code adservice_cpu} and {@code net_send_bytes}, as fault-injection datasets name them,
     * judged as memory, went through the leak lane with nothing to temper them by the load, and every busier minute
     * after a switch was a leak.
     */
    public boolean measuresUtilisation() {
        if (inPercentByUnit() || fractionByUnit() || !Double.isNaN(unitsPerCore())) return true;
        String n = name.toLowerCase(Locale.ROOT);
        // a host's: net revenue is a business count
        if (role == MetricRole.RESOURCE && (n.contains("cpu") || followsTheLoadByName(n))) return true;
        if (!unit.isBlank()) return false;
        return n.contains("percent") || n.contains("pct") || n.contains("util") || n.contains("usage_ratio");
    }

    /** Words of a name that say it counts work done as it comes: network traffic and I/O. */
    private static final Set<String> LOAD_WORDS = Set.of("net", "network", "rx", "tx", "recv", "receive", "received", "transmit",
            "transmitted", "send", "sent", "io", "iops", "diskio", "blkio", "netio", "bandwidth", "packets");

    private static boolean followsTheLoadByName(String lowerName) {
        for (String w : lowerName.split("[^a-z0-9]+")) if (LOAD_WORDS.contains(w)) return true;
        return false;
    }

    /**
     * The default absolute gate in percentage points, when it is one and the app did not set its own: error and
     * success rates' and a utilisation's. NaN otherwise: the gate is {@link #minAbsoluteEffect} in the metric's unit.
     */
    public double defaultPoints() {
        if (minAbsoluteEffectGiven) return Double.NaN;
        if (role == MetricRole.ERROR_RATE || role == MetricRole.SUCCESS_RATE) return minAbsoluteEffect;
        if (role == MetricRole.RESOURCE && measuresUtilisation()) return UTILISATION_POINTS;
        return Double.NaN;
    }

    /** A metric with the default effect gates of its role. */
    public static MetricSpec of(String name, MetricKind kind, Bad bad) {
        return new MetricSpec(name, kind, bad, "", null, Double.NaN, Double.NaN);
    }

    public static MetricSpec of(String name, MetricKind kind, Bad bad, String unit, MetricRole role) {
        return new MetricSpec(name, kind, bad, unit, role, Double.NaN, Double.NaN);
    }

    /**
     * How many of the metric's units make one CPU core, by a unit that counts cores: 1 for {@code cores} or
     * {@code vcpu} (Kubernetes' usage in cores), 1000 for {@code millicores} or {@code mcpu}; NaN otherwise. A CPU in
     * cores is a utilisation like a percentage, of however many cores the host has: its gate is two hundredths of
     * one core, as a host of one core has two points in it (judged as memory, a pod using 0.3 cores and at busier
     * minutes 0.4 leaked).
     */
    public double unitsPerCore() {
        String u = compactUnit();
        if (CORES.contains(u)) return 1;
        if (MILLICORES.contains(u)) return 1000;
        return Double.NaN;
    }

    private static final Set<String> CORES = Set.of("core", "cores", "cpu", "cpus", "vcpu", "vcpus", "cpucores");
    private static final Set<String> MILLICORES = Set.of("millicore", "millicores", "mcpu", "millicpu", "mcores");

    /** Whether the unit says percent ({@code %}, {@code percent}). */
    public boolean inPercentByUnit() {
        return percentUnit(unit);
    }

    /** Whether the unit says a share in [0, 1] ({@code ratio}, {@code fraction}, {@code share}). */
    public boolean fractionByUnit() {
        return fractionUnit(unit);
    }

    static boolean percentUnit(String unit) {
        String u = unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT);
        return u.equals("%") || u.equals("percent");
    }

    static boolean fractionUnit(String unit) {
        String u = unit == null ? "" : unit.trim().toLowerCase(Locale.ROOT);
        return u.equals("ratio") || u.equals("fraction") || u.equals("share");
    }

    /** A value of this metric in percent: a share in [0, 1] by its unit times 100. */
    public double inPercent(double value) {
        return fractionByUnit() ? 100 * value : value;
    }

    /**
     * A value of this traffic metric in requests per second, by its unit: per minute when the unit says so
     * ({@code rpm}, {@code req/min}, {@code per minute}), a count per step when it names no time ({@code count},
     * {@code requests}), else per second ({@code rps}, {@code qps}, {@code req/s}, or no unit). Request
     * counts and the traffic floor are in requests, whatever the exporter's unit.
     */
    public double requestsPerSecond(double value, long stepSeconds) {
        String u = compactUnit();
        if (PER_MINUTE.contains(u) || u.endsWith("/min") || u.endsWith("/minute") || u.endsWith("perminute")) return value / 60;
        // with no unit, a name that says per minute (requests_per_minute, order_qpm): taken per second, each minute
        // held sixty times the requests it did, and a few failures read as far beyond chance
        if (u.isEmpty() && perMinuteByName()) return value / 60;
        if (PER_STEP.contains(u)) return value / stepSeconds;
        return value;
    }

    /** Whether a value is a count per scrape, by a unit that names no time ({@code count}, {@code requests}): its size depends on the step. */
    public boolean countsPerStep() {
        return PER_STEP.contains(compactUnit());
    }

    private boolean perMinuteByName() {
        List<String> words = MetricRole.words(name);
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (PER_MINUTE.contains(w) || w.equals("per") && i + 1 < words.size() && (words.get(i + 1).equals("minute") || words.get(i + 1).equals("min")))
                return true;
        }
        return false;
    }

    /**
     * The unit a name carries in brackets at its end, as CSV exports and dashboards write them ({@code CpuUsage(m)},
     * {@code PodServerLatencyP90(s)}, {@code MemoryUsage(Mi)}, {@code cpu [%]}), when it is one the guard reads; "" else.
     * Without it a CPU in millicores was judged as a resource that accumulates, not a utilisation, and on 300 generated
     * cases renamed so eight healthy releases failed on deploy warm-ups and surges.
     */
    static String unitInName(String name) {
        Matcher m = BRACKETED.matcher(name);
        if (!m.find()) return "";
        String u = m.group(1).trim().toLowerCase(Locale.ROOT);
        if (u.equals("%") || u.equals("percent") || u.equals("pct")) return "%";
        // m is millicores only in a CPU's name (minutes, metres elsewhere)
        if (u.equals("m") || MILLICORES.contains(u)) return u.equals("m") && !name.toLowerCase(Locale.ROOT).contains("cpu") ? "" : "millicores";
        if (CORES.contains(u) || MetricRole.TIME_UNITS.contains(u) || BYTES.contains(u) || PER_MINUTE.contains(u)) return m.group(1).trim();
        return MetricRole.REQUEST_RATE_UNITS.contains(u) ? m.group(1).trim() : "";
    }

    private static final Pattern BRACKETED = Pattern.compile("[(\\[]\\s*([^()\\[\\]]{1,16})\\s*[)\\]]\\s*$");
    private static final Set<String> BYTES = Set.of("b", "bytes", "kb", "kib", "ki", "mb", "mib", "mi", "gb", "gib", "gi");

    private String compactUnit() {
        return unit.toLowerCase(Locale.ROOT).replace(" ", "");
    }

    private static final Set<String> PER_MINUTE = Set.of("rpm", "qpm", "tpm", "cpm");
    private static final Set<String> PER_STEP = Set.of("count", "counts", "requests", "request", "req", "calls", "hits", "perstep", "/step");

    private static double defaultRelative(MetricRole role) {
        return switch (role) {
            case ERROR_RATE, ERROR_COUNT -> 0.5;
            case SUCCESS_RATE -> 0.0;
            case LATENCY -> 0.2;
            case TRAFFIC -> 0.3;
            case RESOURCE -> 0.15;
            case OTHER -> 0.2;
        };
    }

    /** The smallest change worth a finding, in the metric's unit, when the spec does not say; error and success rates in percentage points. */
    public static double defaultAbsolute(MetricRole role) {
        return switch (role) {
            // percentage points
            case ERROR_RATE, SUCCESS_RATE -> 0.5;
            case ERROR_COUNT -> 1.0;
            default -> 0.0;
        };
    }
}
