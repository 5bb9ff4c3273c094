package io.graywatch.core.funnel;

import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.funnel.clean.MetricSeries.Part;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricSpec;

import java.util.function.Function;

/**
 * Whether the serving released instances get enough traffic for request metrics to mean anything, in
 * requests per second per instance whatever the traffic metric's unit.
 */
record Traffic(boolean low, double perInstance) {
    static Traffic of(GuardInput input, Fleet fleet, Function<MetricSpec, MetricSeries> series) {
        MetricSpec spec = MetricSeries.trafficMetric(input.metrics());
        if (spec == null || fleet.serving().isEmpty()) return new Traffic(false, Double.NaN);
        MetricSeries ms = series.apply(spec);
        int last = fleet.buckets() - 1;
        double min = input.config().minTrafficPerInstance();
        long step = input.stepSeconds();
        double after = spec.requestsPerSecond(ms.rawMedian(Part.RELEASE_AFTER, 0, last), step);
        if (Double.isNaN(after) || after >= min) return new Traffic(false, after);
        // low for everyone, not a loss the release caused (that one the traffic metric itself judges)
        double control = spec.requestsPerSecond(ms.reference().isEmpty() ? ms.rawMedian(Part.RELEASE_BEFORE, 0, last)
                : ms.rawMedian(Part.REFERENCE, ms.firstAfterBucket(), last), step);
        return new Traffic(Double.isNaN(control) || control < min, after);
    }
}
