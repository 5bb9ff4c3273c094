package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.GuardInput;
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
 * was turned into such a counter three good releases in ten failed. A counter is told by its history before the
 * release: on every instance it never falls but where its process restarted (at most {@link #RESETS} times), and its
 * name ends the way counters' names do ({@code _total}, {@code _count}) or it rises at nearly every scrape
 * ({@link #RISING}), which no gauge does for an hour on every instance. A fall is a restart: the new process counted
 * from zero, as {@code rate()} takes it.
 */
public final class CountersAsRates {
    /** History samples an instance needs before its series can say it is a counter. */
    static final int MIN_SAMPLES = 10;
    /** Falls (restarts) a counter may show on one instance before the release. */
    static final int RESETS = 1;
    /** The share of steps a counter with no counter's name must rise at, on every instance. */
    static final double RISING = 0.8;

    private CountersAsRates() {
    }

    public static GuardInput of(GuardInput in) {
        Set<String> counters = new HashSet<>();
        for (MetricSpec spec : in.metrics().values()) if (!Fleet.isStartTime(spec.name()) && readsAsCounter(in, spec)) counters.add(spec.name());
        if (counters.isEmpty()) return in;
        Map<String, MetricSpec> specs = new LinkedHashMap<>(in.metrics());
        for (String name : counters) {
            MetricSpec spec = specs.get(name);
            // a count per scrape would be taken per step: what a rate leaves is per second
            if (spec.unit().isBlank() || spec.countsPerStep())
                specs.put(name, new MetricSpec(name, spec.kind(), spec.bad(), "/s", spec.role(), spec.minRelativeEffect(),
                        spec.minAbsoluteEffectGiven() ? spec.minAbsoluteEffect() : Double.NaN));
        }
        Observations.Builder out = Observations.builder();
        for (String instance : in.observations().instances())
            in.observations().ofInstance(instance).forEach((metric, s) ->
                    out.put(instance, metric, counters.contains(metric) ? perSecond(s, in.stepSeconds()) : s));
        return new GuardInput(in.release(), in.now(), in.stepSeconds(), specs, in.instances(), out.build(), in.logs(), in.config(),
                in.servingSince());
    }

    /** Whether the metric's samples before the release count up on every instance that has enough of them. */
    static boolean readsAsCounter(GuardInput in, MetricSpec spec) {
        String n = spec.name().toLowerCase(Locale.ROOT);
        boolean named = n.endsWith("_total") || n.endsWith("_count");
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
            if (rises == 0 || !named && rises < RISING * steps) return false;
            judged++;
        }
        return judged > 0;
    }

    /**
     * The counter's increase per second between consecutive finite samples, stamped at the later one; after a fall
     * the new process counted from zero, over at most a step. The first sample has nothing before it and is left out.
     */
    public static Series perSecond(Series s, long step) {
        long[] times = new long[s.size()];
        double[] values = new double[s.size()];
        int n = 0;
        double previous = Double.NaN;
        long previousAt = 0;
        for (int k = 0; k < s.size(); k++) {
            double x = s.value(k);
            if (!Double.isFinite(x)) continue;
            if (!Double.isNaN(previous)) {
                long dt = s.time(k) - previousAt;
                times[n] = s.time(k);
                values[n++] = x >= previous ? (x - previous) / dt : x / Math.min(dt, step);
            }
            previous = x;
            previousAt = s.time(k);
        }
        return Series.of(Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }
}
