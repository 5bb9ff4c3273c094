package io.graywatch.core.funnel.clean;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request metric that neither its name nor a unit explains ({@code kpi_7}, a corpus that keeps only kind and
 * direction) is judged as what its history reads as: a share of requests in percent that sits near 100 and is bad
 * falling is a success rate, one near 0 that is often exactly 0 and is bad rising an error rate. Judged as an
 * unknown metric, a success rate falling from 100% to 91% was a relative move of 9% with no floor to break, and an
 * error rate's 0.5 points nothing to a relative test on zeros. Latencies and request rates are never exactly 0 while
 * an instance serves, and seldom stay within 0–100 near 100; anything less clear keeps its role. Of the request
 * metrics left, the one that is bad falling and seldom 0 is the request rate (a latency is bad rising): without it,
 * CPU could not be weighed against the load it served, nor traffic lost to the new version noticed as such.
 */
public final class RequestMetricsFromData {
    /** Samples of history needed to say. */
    static final int MIN_SAMPLES = 30;

    private RequestMetricsFromData() {
    }

    public static GuardInput of(GuardInput in) {
        Map<String, MetricSpec> out = null;
        List<MetricSpec> rates = new ArrayList<>();
        for (MetricSpec spec : in.metrics().values()) {
            if (spec.kind() != MetricKind.MIDDLEWARE || spec.role() != MetricRole.OTHER || !spec.unit().isBlank()) continue;
            MetricRole role = read(in, spec);
            if (role == MetricRole.TRAFFIC) rates.add(spec);
            if (role == null || role == MetricRole.TRAFFIC) continue;
            if (out == null) out = new LinkedHashMap<>(in.metrics());
            out.put(spec.name(), new MetricSpec(spec.name(), spec.kind(), spec.bad(), "percent", role, Double.NaN,
                    spec.minAbsoluteEffectGiven() ? spec.minAbsoluteEffect() : Double.NaN));
        }
        // the one request metric left that is bad falling is the rate of requests, unless something already is
        if (rates.size() == 1 && MetricSeries.trafficMetric(in.metrics()) == null) {
            MetricSpec spec = rates.get(0);
            if (out == null) out = new LinkedHashMap<>(in.metrics());
            out.put(spec.name(), new MetricSpec(spec.name(), spec.kind(), spec.bad(), "", MetricRole.TRAFFIC, Double.NaN,
                    spec.minAbsoluteEffectGiven() ? spec.minAbsoluteEffect() : Double.NaN));
        }
        return out == null ? in : new GuardInput(in.release(), in.now(), in.stepSeconds(), out, in.instances(), in.observations(), in.logs(),
                in.config(), in.servingSince());
    }

    /** The role the metric's samples before the release read as, or null. */
    static MetricRole read(GuardInput in, MetricSpec spec) {
        double[] v = new double[0];
        int n = 0, zeros = 0;
        boolean share = true;
        for (String instance : in.observations().instances()) {
            Series s = in.observations().series(instance, spec.name()).between(Long.MIN_VALUE, in.release().start());
            for (int k = 0; k < s.size(); k++) {
                double x = s.value(k);
                if (!Double.isFinite(x)) continue;
                if (x < 0) return null;
                share &= x <= 100;
                if (n == v.length) v = Arrays.copyOf(v, Math.max(64, 2 * n));
                v[n++] = x;
                if (x == 0) zeros++;
            }
        }
        if (n < MIN_SAMPLES) return null;
        double[] sorted = Arrays.copyOf(v, n);
        Arrays.sort(sorted);
        double median = Stats.medianOfSorted(sorted), low = sorted[(int) (0.1 * (n - 1))];
        if (share && spec.bad() != Bad.INCREASE && median >= 95 && low >= 80) return MetricRole.SUCCESS_RATE;
        if (share && spec.bad() != Bad.DECREASE && median <= 10 && zeros >= 0.1 * n) return MetricRole.ERROR_RATE;
        if (spec.bad() == Bad.DECREASE && zeros < 0.1 * n) return MetricRole.TRAFFIC;
        return null;
    }
}
