package io.graywatch.replay.harness;

import io.graywatch.core.guard.Batch;
import io.graywatch.core.metric.Bad;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;
import io.graywatch.core.metric.Series;
import io.graywatch.replay.corpus.LogEvent;
import io.graywatch.replay.corpus.ReleaseCase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-made cases: 6 instances, an hour of history, batches of 1, 2 and 3 instances 10 minutes
 * apart, the end 10 minutes after the last, data until 30 minutes after the end; error rate 0.2%
 * and latency 100 ms unless the given function says otherwise.
 */
public final class Cases {
    public static final long STEP = 60;
    public static final long BATCH1 = 1_700_003_600L - 1_700_003_600L % 60;
    public static final long END = BATCH1 + 30 * 60;
    public static final List<String> INSTANCES = List.of("i1", "i2", "i3", "i4", "i5", "i6");

    public interface Values {
        double at(String instance, String metric, long t);
    }

    private Cases() {
    }

    public static ReleaseCase make(String id, Values values, List<LogEvent> logs) {
        Map<String, MetricSpec> metrics = new LinkedHashMap<>();
        metrics.put("error_rate", MetricSpec.of("error_rate", MetricKind.MIDDLEWARE, Bad.INCREASE, "percent", null));
        metrics.put("latency_ms", MetricSpec.of("latency_ms", MetricKind.MIDDLEWARE, Bad.INCREASE, "ms", null));
        return make(id, metrics, values, logs);
    }

    /** As {@link #make(String, Values, List)}, with other metrics. */
    public static ReleaseCase make(String id, Map<String, MetricSpec> metrics, Values values, List<LogEvent> logs) {
        Map<String, String> instances = new LinkedHashMap<>();
        for (String i : INSTANCES) instances.put(i, "v1");
        Observations.Builder b = Observations.builder();
        for (String i : INSTANCES) {
            for (String m : metrics.keySet()) {
                List<Long> ts = new ArrayList<>();
                for (long t = BATCH1 - 3600; t <= END + 1800; t += STEP) ts.add(t);
                long[] times = ts.stream().mapToLong(Long::longValue).toArray();
                double[] v = new double[times.length];
                for (int k = 0; k < times.length; k++) {
                    double wiggle = ((i.hashCode() * 31 + k * 17) % 7) / 70.0;
                    double dflt = m.equals("error_rate") ? 0.2 + wiggle / 10 : 100 + 10 * wiggle;
                    double x = values.at(i, m, times[k]);
                    v[k] = Double.isNaN(x) ? dflt : x;
                }
                b.put(i, m, Series.of(times, v));
            }
        }
        List<Batch> batches = List.of(new Batch(1, BATCH1, List.of("i1"), false), new Batch(2, BATCH1 + 600, List.of("i2", "i3"), false),
                new Batch(3, BATCH1 + 1200, List.of("i4", "i5", "i6"), false));
        return new ReleaseCase(id, "app", STEP, metrics, instances, "v1", "v2", BATCH1, batches, END, BATCH1 - 3600, END + 1800, b.build(), logs);
    }

    /** When an instance switches to the new version in {@link #make}. */
    public static long switchOf(String instance) {
        return switch (instance) {
            case "i1" -> BATCH1;
            case "i2", "i3" -> BATCH1 + 600;
            default -> BATCH1 + 1200;
        };
    }
}
