package io.graywatch.core.source;

import io.graywatch.core.metric.MetricSpec;
import io.graywatch.core.metric.Observations;

import java.util.Collection;

/** Where a guard reads metrics: the built-in scraper, or any Prometheus-compatible HTTP API. */
public interface MetricSource {
    /** Samples of each metric on each instance with {@code from <= t <= to}, at about {@code stepSeconds} apart. */
    Observations fetch(String app, Collection<String> instances, Collection<MetricSpec> metrics, long from, long to, long stepSeconds);

    /**
     * The latest moment, at most {@code nowSeconds}, up to which this source's samples are final: a fetch up to it returns
     * what any later fetch returns. A guard round is judged as of that moment, so that a replay of its recording, which
     * sees every sample stamped up to the round, sees what the round saw. A sample still being collected when the round
     * ran (stamped before it, stored after it) would otherwise be in the replay only.
     */
    default long settledAt(long nowSeconds) {
        return nowSeconds;
    }
}
