package io.graywatch.core.funnel.clean;

import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Prometheus summary or histogram kept raw ({@code X_sum} and {@code X_count}, counters since each process started, as
 * an export or a converted corpus may keep them) is judged as its mean per event, {@code increase(X_sum) /
 * increase(X_count)} a step, as a dashboard plots it: {@code http_server_requests_seconds} in seconds per request.
 * Judged as it is, the sum is a counter whose name does not say so: it climbs for hours, starts from zero on every new
 * pod, reads as traffic by its "requests", and the latency it holds is lost. The count stays, a counter that
 * {@link CountersAsRates} turns into requests a second.
 */
public final class SumsAsMeans {
    private SumsAsMeans() {
    }

    public static GuardInput of(GuardInput in) {
        Map<String, String> means = new LinkedHashMap<>();
        for (MetricSpec spec : in.metrics().values()) {
            String n = spec.name();
            if (!n.toLowerCase(Locale.ROOT).endsWith("_sum")) continue;
            String base = n.substring(0, n.length() - "_sum".length());
            MetricSpec count = in.metrics().get(countName(n));
            if (count == null || in.metrics().containsKey(base) || base.isEmpty()) continue;
            if (CountersAsRates.readsAsCounter(in, count) && CountersAsRates.countsUp(in, spec)) means.put(n, base);
        }
        if (means.isEmpty()) return in;
        Map<String, MetricSpec> specs = new LinkedHashMap<>();
        for (MetricSpec spec : in.metrics().values()) {
            String base = means.get(spec.name());
            specs.put(base == null ? spec.name() : base, base == null ? spec : meanOf(spec, base));
        }
        Observations.Builder out = Observations.builder();
        for (String instance : in.observations().instances())
            in.observations().ofInstance(instance).forEach((metric, s) -> {
                String base = means.get(metric);
                if (base == null) out.put(instance, metric, s);
                else out.put(instance, base, meanPerEvent(s, in.observations().series(instance, countName(metric))));
            });
        return new GuardInput(in.release(), in.now(), in.stepSeconds(), specs, in.instances(), out.build(), in.logs(), in.config(),
                in.servingSince());
    }

    /** {@code X_count} beside {@code X_sum}, in the sum's case. */
    private static String countName(String sumName) {
        return sumName.substring(0, sumName.length() - "sum".length()) + (sumName.endsWith("_SUM") ? "COUNT" : "count");
    }

    /** The mean's spec: its unit from the name's (seconds, milliseconds, bytes), a time per event being a latency, worse as it grows. */
    public static MetricSpec meanOf(MetricSpec sum, String base) {
        String n = base.toLowerCase(Locale.ROOT);
        String unit = n.endsWith("_seconds") ? "s" : n.endsWith("_milliseconds") || n.endsWith("_ms") ? "ms"
                : n.endsWith("_microseconds") ? "us" : n.endsWith("_bytes") ? "bytes" : sum.unit();
        boolean time = MetricRole.isTimeUnit(unit);
        return MetricSpec.of(base, sum.kind(), time ? Bad.INCREASE : sum.bad(), unit, time ? MetricRole.LATENCY : null);
    }

    /**
     * The sum's increase over the count's between consecutive samples both have, stamped at the later one; after a fall
     * (a new process) what the new process counted; NaN where no event was counted.
     */
    public static Series meanPerEvent(Series sum, Series count) {
        Map<Long, Double> counted = new HashMap<>();
        for (int k = 0; k < count.size(); k++) if (Double.isFinite(count.value(k))) counted.put(count.time(k), count.value(k));
        long[] times = new long[sum.size()];
        double[] values = new double[sum.size()];
        int n = 0;
        double previousSum = Double.NaN, previousCount = Double.NaN;
        for (int k = 0; k < sum.size(); k++) {
            double s = sum.value(k);
            Double c = counted.get(sum.time(k));
            if (!Double.isFinite(s) || c == null) continue;
            if (!Double.isNaN(previousSum)) {
                boolean restarted = s < previousSum || c < previousCount;
                double events = restarted ? c : c - previousCount, total = restarted ? s : s - previousSum;
                times[n] = sum.time(k);
                values[n++] = events > 0 ? total / events : Double.NaN;
            }
            previousSum = s;
            previousCount = c;
        }
        return Series.of(Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }
}
