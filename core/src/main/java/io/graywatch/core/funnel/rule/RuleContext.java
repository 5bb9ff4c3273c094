package io.graywatch.core.funnel.rule;

import io.graywatch.core.funnel.clean.Fleet;
import io.graywatch.core.funnel.clean.MetricSeries;
import io.graywatch.core.guard.GuardInput;
import io.graywatch.core.metric.MetricSpec;

import java.util.function.Function;

/**
 * What a rule may look at: the round's input, who is released and who is reference, the cleaned
 * series of any metric, and whether traffic is too low to judge request metrics.
 */
public record RuleContext(GuardInput input, Fleet fleet, Function<MetricSpec, MetricSeries> series, boolean lowTraffic) {
    /**
     * How many consecutive samples after the warm-up a metric rule needs: two. A rule's condition (no
     * traffic at all, success under the floor) is far outside anything a healthy instance shows, so
     * a second sample rules out a one-off scrape and waiting longer only lets the damage run on.
     */
    public int samplesNeeded() {
        return Math.min(2, input.config().minSamples());
    }
}
