package io.graywatch.core.baseline;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.guard.GuardConfig;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.guard.ReleaseView;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.logs.LogData;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** A hand-made fleet for judge tests: an hour of history, then one batch; values from a function of instance, metric and time. */
final class Fleet {
    static final long START = 1_700_000_000L - 1_700_000_000L % 60;
    static final long STEP = 60;

    interface Values {
        double at(String instance, String metric, long t, boolean released);
    }

    static final Map<String, MetricSpec> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put("qps", MetricSpec.of("qps", MetricKind.MIDDLEWARE, Bad.DECREASE, "rps", null));
        METRICS.put("error_rate", MetricSpec.of("error_rate", MetricKind.MIDDLEWARE, Bad.INCREASE, "percent", null));
        METRICS.put("latency_ms", MetricSpec.of("latency_ms", MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", null));
        METRICS.put("cpu_percent", MetricSpec.of("cpu_percent", MetricKind.BASIC, Bad.INCREASE, "percent", null));
    }

    /** Normal background: qps 50, error rate 0.2%, latency 100 ms, CPU 30%, each with a little seeded noise. */
    static double normal(String metric, Random r) {
        return switch (metric) {
            case "qps" -> 50 + 3 * r.nextGaussian();
            case "error_rate" -> Math.max(0, 0.2 + 0.05 * r.nextGaussian());
            case "latency_ms" -> 100 * Math.exp(0.05 * r.nextGaussian());
            default -> 30 + 2 * r.nextGaussian();
        };
    }

    /**
     * The input of a round {@code minutesAfter} minutes after a batch that released {@code released} of the instances.
     */
    static GuardInput input(List<String> instances, List<String> released, int minutesAfter, Values values) {
        return input(instances, released, minutesAfter, values, METRICS);
    }

    static GuardInput input(List<String> instances, List<String> released, int minutesAfter, Values values, Map<String, MetricSpec> metrics) {
        long batchAt = START + 3600;
        long now = batchAt + minutesAfter * STEP;
        Observations.Builder b = Observations.builder();
        for (String i : instances) {
            for (String m : metrics.keySet()) {
                List<Long> ts = new ArrayList<>();
                List<Double> vs = new ArrayList<>();
                for (long t = START; t <= now; t += STEP) {
                    ts.add(t);
                    vs.add(values.at(i, m, t, released.contains(i) && t > batchAt));
                }
                b.put(i, m, Series.of(ts.stream().mapToLong(Long::longValue).toArray(), vs.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        ReleaseView view = new ReleaseView("app", "v1", "v2", batchAt, List.of(new Batch(1, batchAt, released, false)), null);
        return new GuardInput(view, now, STEP, metrics, Set.copyOf(instances), b.build(), LogData.empty(STEP), GuardConfig.defaults());
    }

    /** Seeded noise that is the same for the same instance, metric and time. */
    static Random noise(String instance, String metric, long t) {
        return new Random((instance + metric).hashCode() * 31L + t);
    }
}
