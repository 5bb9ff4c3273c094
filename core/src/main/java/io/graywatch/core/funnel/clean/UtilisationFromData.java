package io.graywatch.core.funnel.clean;

import io.graywatch.core.funnel.Stats;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricKind;
import io.graywatch.core.metric.MetricRole;
import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Series;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host metric that neither its name nor a unit explains ({@code metric_1} of an anonymised export) is judged as a
 * utilisation when its history reads as one: every sample within 0–100, moving from one sample to the next by a
 * few percent of its level, as CPU does with the load. Memory creeps: between two scrapes it moves by a percent or
 * less. Judged as memory, a CPU series went through the leak lane ("38% above the most it reached in the hour
 * before") with neither the two-point gate nor the load it served to temper it, and every busier minute after a
 * release was a leak. Memory counted in gigabytes also stays within 0–100, which is why the range alone does not say.
 */
public final class UtilisationFromData {
    /** Samples of history needed to say. */
    static final int MIN_SAMPLES = 30;
    /**
     * The typical move between consecutive samples, as a share of the typical level (or of the headroom to 100, when
     * less), above which a series is a utilisation. Minute CPU of the fleets we generate moves 2–37% (median 8%), their
     * memory 1–2.6%; the five-minute CPU of NAB's AWS series 3–34% of its level, and one pegged at 92% 20% of its headroom.
     */
    static final double ROUGHNESS = 0.02;

    private UtilisationFromData() {
    }

    public static GuardInput of(GuardInput in) {
        Map<String, MetricSpec> out = null;
        for (MetricSpec spec : in.metrics().values()) {
            if (spec.kind() != MetricKind.BASIC || spec.role() != MetricRole.RESOURCE || !spec.unit().isBlank() || spec.measuresUtilisation()
                    || MetricRole.byName(spec.name(), spec.kind(), spec.unit()) != null || !readsAsUtilisation(in, spec)) continue;
            if (out == null) out = new LinkedHashMap<>(in.metrics());
            out.put(spec.name(), new MetricSpec(spec.name(), spec.kind(), spec.bad(), "percent", spec.role(), spec.minRelativeEffect(),
                    spec.minAbsoluteEffectGiven() ? spec.minAbsoluteEffect() : Double.NaN));
        }
        return out == null ? in : new GuardInput(in.release(), in.now(), in.stepSeconds(), out, in.instances(), in.observations(), in.logs(),
                in.config(), in.servingSince());
    }

    /** Whether the metric's samples before the release stay within 0–100 and move like a utilisation. */
    static boolean readsAsUtilisation(GuardInput in, MetricSpec spec) {
        double[] levels = new double[64], moves = new double[64];
        int n = 0, m = 0;
        for (String instance : in.observations().instances()) {
            Series s = in.observations().series(instance, spec.name()).between(Long.MIN_VALUE, in.release().start());
            double previous = Double.NaN;
            for (int k = 0; k < s.size(); k++) {
                double x = s.value(k);
                if (!Double.isFinite(x)) continue;
                if (x < 0 || x > 100) return false;
                if (n == levels.length) levels = Arrays.copyOf(levels, 2 * n);
                levels[n++] = x;
                if (Double.isFinite(previous)) {
                    if (m == moves.length) moves = Arrays.copyOf(moves, 2 * m);
                    moves[m++] = Math.abs(x - previous);
                }
                previous = x;
            }
        }
        if (n < MIN_SAMPLES || m < MIN_SAMPLES) return false;
        // of its level or, near the top, of the headroom left: CPU pegged at 92% moves by a point or two, all it has room for
        double level = Stats.medianInPlace(levels, n), move = Stats.medianInPlace(moves, m), scale = Math.min(level, 100 - level);
        return scale > 0 && move >= ROUGHNESS * scale;
    }
}
