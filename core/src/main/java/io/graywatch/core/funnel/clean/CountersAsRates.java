package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A metric that counts since its process started (a Prometheus counter, {@code http_requests_total}) is judged as its
 * rate per second, as {@code rate()} would give it. An export or a converted corpus that kept the raw counter makes
 * every series climb for hours: judged as it is, every release "raised" it, and on generated cases whose request rate
 * was turned into such a counter two good releases in three failed (87 of 131). A counter is told by its history before the
 * release: its name ends the way counters' names do ({@code _total}, {@code _count}), and on every instance it never
 * falls but where its process restarted (at most {@link #RESETS} times). A fall is a restart: the new process counted
 * from zero, as {@code rate()} takes it. A counter of events (orders, errors) becomes its increase a step instead, as
 * {@code increase()} gives it: whole counts, which the count lanes weigh as such.
 */
public final class CountersAsRates {
    /** History samples an instance needs before its series can say it is a counter. */
    static final int MIN_SAMPLES = 10;
    /** Falls (restarts) a counter may show on one instance before the release. */
    static final int RESETS = 1;

    private CountersAsRates() {
    }

    /**
     * Raw series as every judge reads them: a summary's sum and count as their mean ({@link SumsAsMeans}, which needs
     * the count still raw, so first), then every other counter as its rate.
     */
    public static GuardInput ofRaw(GuardInput in) {
        return of(SumsAsMeans.of(in));
    }

    public static GuardInput of(GuardInput in) {
        Set<String> counters = new HashSet<>();
        for (MetricSpec spec : in.metrics().values()) if (!Fleet.isStartTime(spec.name()) && readsAsCounter(in, spec)) counters.add(spec.name());
        if (counters.isEmpty()) return in;
        Map<String, MetricSpec> specs = new LinkedHashMap<>(in.metrics());
        Set<String> perStep = new HashSet<>();
        for (String name : counters) {
            MetricSpec spec = specs.get(name);
            String unit;
            if (countsEvents(spec)) {
                // orders, errors: a whole count a step, as the count lanes weigh them (a few orders a minute are
                // Poisson counts; a rate of 0.05 a second is no count)
                perStep.add(name);
                unit = in.stepSeconds() == 60 ? "per minute" : "count";
            } else {
                // requests: a rate per second; a count per scrape would be taken per step. CPU seconds a second are cores
                String lower = name.toLowerCase(Locale.ROOT);
                boolean cpuSeconds = spec.role() == MetricRole.RESOURCE && lower.contains("cpu") && lower.contains("seconds");
                unit = cpuSeconds ? "cores" : spec.unit().isBlank() || spec.countsPerStep() ? "/s" : spec.unit();
            }
            specs.put(name, new MetricSpec(name, spec.kind(), spec.bad(), unit, spec.role(), spec.minRelativeEffect(),
                    spec.minAbsoluteEffectGiven() ? spec.minAbsoluteEffect() : Double.NaN));
        }
        Observations.Builder out = Observations.builder();
        for (String instance : in.observations().instances())
            in.observations().ofInstance(instance).forEach((metric, s) -> out.put(instance, metric,
                    perStep.contains(metric) ? increasePerStep(s, in.stepSeconds()) : counters.contains(metric) ? perSecond(s, in.stepSeconds()) : s));
        return new GuardInput(in.release(), in.now(), in.stepSeconds(), specs, in.instances(), out.build(), in.logs(), in.config(),
                in.servingSince());
    }

    /** Whether a counter counts events users or failures make (business counts, errors) rather than requests or resources. */
    private static boolean countsEvents(MetricSpec spec) {
        return spec.role() == MetricRole.OTHER || spec.role() == MetricRole.ERROR_COUNT || spec.kind() == MetricKind.BUSINESS;
    }

    /**
     * Whether the metric is named as a counter and its samples before the release count up on every instance that has
     * enough of them. The name is needed: a gauge can climb at every scrape too (a JVM heap filling after its start,
     * over the few minutes of history a freshly started fleet has), and judged as a rate it reads as nonsense.
     */
    static boolean readsAsCounter(GuardInput in, MetricSpec spec) {
        String n = spec.name().toLowerCase(Locale.ROOT);
        return (n.endsWith("_total") || n.endsWith("_count")) && countsUp(in, spec);
    }

    /** Whether the metric's samples before the release count up on every instance that has enough of them, falling only where a process restarted. */
    static boolean countsUp(GuardInput in, MetricSpec spec) {
        int judged = 0;
        for (String instance : in.observations().instances()) {
            Series s = in.observations().series(instance, spec.name()).between(Long.MIN_VALUE, in.release().start());
            double previous = Double.NaN;
            int steps = 0, rises = 0, falls = 0;
            for (int k = 0; k < s.size(); k++) {
                double x = s.value(k);
                if (!Double.isFinite(x)) continue;
                if (x < 0) return false;
                if (!Double.isNaN(previous)) {
                    steps++;
                    if (x > previous) rises++;
                    else if (x < previous && ++falls > RESETS) return false;
                }
                previous = x;
            }
            if (steps + 1 < MIN_SAMPLES) continue;
            if (rises == 0) return false;
            judged++;
        }
        return judged > 0;
    }

    /**
     * The counter's increase per second between consecutive finite samples, stamped at the later one; after a fall
     * the new process counted from zero, over at most a step. The first sample has nothing before it and is left out.
     */
    public static Series perSecond(Series s, long step) {
        return differences(s, (previous, x, seconds) -> x >= previous ? (x - previous) / seconds : x / Math.min(seconds, step));
    }

    /**
     * The counter's increase from each sample to the next, stamped at the later one: a whole count a step. After a fall
     * the new process counted from zero. Across a gap of more than a step and a half nothing is said, as the increase
     * then spans steps no other sample does.
     */
    public static Series increasePerStep(Series s, long step) {
        return differences(s, (previous, x, seconds) -> 2 * seconds > 3 * step ? Double.NaN : x >= previous ? x - previous : x);
    }

    /** What two consecutive finite samples say, {@code seconds} apart; NaN for nothing. */
    private interface Difference {
        double of(double previous, double x, long seconds);
    }

    private static Series differences(Series s, Difference d) {
        long[] times = new long[s.size()];
        double[] values = new double[s.size()];
        int n = 0;
        double previous = Double.NaN;
        long previousAt = 0;
        for (int k = 0; k < s.size(); k++) {
            double x = s.value(k);
            if (!Double.isFinite(x)) continue;
            double v = Double.isNaN(previous) ? Double.NaN : d.of(previous, x, s.time(k) - previousAt);
            if (!Double.isNaN(v)) {
                times[n] = s.time(k);
                values[n++] = v;
            }
            previous = x;
            previousAt = s.time(k);
        }
        return Series.of(Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }
}
